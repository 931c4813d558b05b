"""List pages pin their query count: it must not grow with the number of rows shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from winroom.testing.factories import AccountFactory, ActivityFactory, ContactFactory

pytestmark = pytest.mark.django_db


def _fill(company, n):
    for _ in range(n):
        account = AccountFactory(owner=company.owner)
        people = [ContactFactory(account=account) for _ in range(2)]
        ActivityFactory(account=account, owner=company.owner, participants=people)


def _queries(client, url):
    client.get(url)  # warm up: first-use rows such as the company settings
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["accounts:list", "contacts:list", "activities:list", "trash"])
def test_list_query_count_does_not_grow_with_rows(company, client, url_name):
    client.force_login(company.manager)
    url = reverse(url_name)
    _fill(company, 3)
    few = _queries(client, url)
    _fill(company, 20)
    many = _queries(client, url)
    assert many == few, f"{url_name}: {few} queries with few rows, {many} with many"
    # the recycle bin reads one query per kind of record it lists (seven kinds)
    assert few <= (16 if url_name == "trash" else 12)


def test_account_page_query_count_does_not_grow_with_contacts(company, client):
    client.force_login(company.owner)
    account = company.account
    url = reverse("accounts:detail", args=[account.pk])
    first = ContactFactory.create_batch(3, account=account)
    ActivityFactory(account=account, owner=company.owner, participants=first[:1])
    few = _queries(client, url)
    people = ContactFactory.create_batch(40, account=account)
    for person in people[:10]:
        ActivityFactory(account=account, owner=company.owner, participants=[person])
    many = _queries(client, url)
    assert many == few
    chart = reverse("accounts:org_chart", args=[account.pk])
    assert _queries(client, chart) <= 8
