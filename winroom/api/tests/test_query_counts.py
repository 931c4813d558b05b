"""List endpoints cost the same number of queries for 5 rows as for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from winroom.accounts.models import Account, AccountMember, Contact
from winroom.activities.models import Activity
from winroom.org.models import User

#: token, viewer scope (2–3), count, page, prefetches, company settings — with headroom
MAX_QUERIES = 12


def grow(org, account, n):
    """Top the data up to ``n`` accounts, contacts and activities visible to rep_owner."""
    owner, member = org["rep_owner"], org["triangle"]
    while Account.objects.filter(owner=owner).count() < n:
        i = Account.objects.count()
        extra = Account.objects.create(name=f"Account {i}", owner=owner)
        AccountMember.objects.create(account=extra, user=owner, role="account_manager")
        AccountMember.objects.create(account=extra, user=member, role="solution_manager")
    while Contact.objects.filter(account=account).count() < n:
        i = Contact.objects.count()
        boss = Contact.objects.filter(account=account).first()
        Contact.objects.create(account=account, name=f"Person {i}", reports_to=boss)
    while account.members.count() < n:
        i = User.objects.count()
        user = User.objects.create_user(username=f"user{i}", password="x", team=org["teams"]["a"])
        AccountMember.objects.create(account=account, user=user, role="delivery_manager")
    people = list(Contact.objects.filter(account=account)[:3])
    while Activity.objects.filter(account=account).count() < n:
        activity = Activity.objects.create(
            kind="call", subject="call", occurred_at=timezone.now(), account=account, owner=owner
        )
        activity.participants.set(people)


def rows_in(response):
    body = response.json()
    if isinstance(body, list):
        return len(body)
    return len(body["results"] if "results" in body else body["nodes"])


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context.captured_queries), response


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/accounts/",
        "/api/v1/contacts/",
        "/api/v1/activities/",
        "/api/v1/accounts/{account}/org-chart/",
        "/api/v1/accounts/{account}/members/",
    ],
)
@pytest.mark.parametrize("who", ["rep_owner", "director", "admin"])
def test_list_query_count_is_constant(
    url, who, org, account, client_for, django_assert_max_num_queries
):
    """5 and 30 rows: the same count (a warm-up request first creates one-time rows)."""
    url = url.format(account=account.pk)
    client = client_for(who)
    grow(org, account, 5)
    client.get(url)  # warm up: one-time rows such as the company settings
    small, response = count_queries(client, url)
    assert rows_in(response) >= 5
    grow(org, account, 30)
    large, response = count_queries(client, url)
    assert rows_in(response) >= 30
    assert large == small
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(url)


def test_detail_query_count_is_small(
    org, account, contact, activity, client_for, django_assert_max_num_queries
):
    client = client_for("rep_owner")
    for url in (
        f"/api/v1/accounts/{account.pk}/",
        f"/api/v1/contacts/{contact.pk}/",
        f"/api/v1/activities/{activity.pk}/",
    ):
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(url).status_code == 200
