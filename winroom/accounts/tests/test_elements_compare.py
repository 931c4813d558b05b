"""The seven elements of an account's key people side by side (§1.4), and the refusal of
every portfolio route to whom may not read the account."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from winroom.accounts.models import Contact
from winroom.testing.factories import ActivityFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_compares_key_people_with_strongest_and_weakest(company, client):
    account = company.account
    Contact.objects.filter(pk=company.contact.pk).update(
        marked_key=True, element_value=5, element_depth=2, first_contact_on=date(2010, 1, 1)
    )
    other = ContactFactory(account=account, name="李四", marked_key=True, element_value=2)
    ContactFactory(account=account, name="不关键", element_value=1)
    for _ in range(3):
        ActivityFactory(
            account=account,
            owner=company.owner,
            participants=[other],
            occurred_at=timezone.now() - timedelta(days=5),
        )
    client.force_login(company.owner)
    response = client.get(reverse("accounts:elements", args=[account.pk]))
    assert response.status_code == 200
    people = response.context["people"]
    assert [p.name for p in people] == ["李四", "王建国"]
    extremes = {e["code"]: e for e in response.context["extremes"]}
    assert extremes["value"]["strongest_by"] == ["王建国"]
    assert extremes["value"]["weakest_by"] == ["李四"]
    assert extremes["frequency"]["strongest"] == 3  # three interactions in 90 days
    assert extremes["length"]["strongest"] == 5  # known since 2010
    assert extremes["favour"]["strongest"] is None  # nobody assessed
    assert extremes["depth"]["answered"] == 1
    text = response.content.decode()
    assert "elements-compare-data" in text and "不关键" not in text
    everyone = client.get(reverse("accounts:elements", args=[account.pk]), {"all": "1"})
    assert len(everyone.context["people"]) == 3


def test_account_page_links_to_the_comparison(company, client):
    client.force_login(company.owner)
    response = client.get(reverse("accounts:detail", args=[company.account.pk]))
    assert reverse("accounts:elements", args=[company.account.pk]) in response.content.decode()


def test_without_key_people_the_page_says_so(company, client):
    client.force_login(company.owner)
    response = client.get(reverse("accounts:elements", args=[company.account.pk]))
    assert response.status_code == 200
    assert 'data-testid="elements-empty"' in response.content.decode()


def test_comparison_query_count_does_not_grow_with_people(company, client):
    client.force_login(company.owner)
    url = reverse("accounts:elements", args=[company.account.pk])

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        return len(ctx.captured_queries)

    ContactFactory.create_batch(2, account=company.account, marked_key=True)
    few = count()
    people = ContactFactory.create_batch(20, account=company.account, marked_key=True)
    ActivityFactory(account=company.account, owner=company.owner, participants=people)
    assert count() == few


def _portfolio_routes():
    """The routes served by winroom.accounts.portfolio, read from the URLconf."""
    from winroom.accounts.urls import urlpatterns

    return [p for p in urlpatterns if p.callback.__module__ == "winroom.accounts.portfolio"]


@pytest.mark.parametrize("role", ["teammate", "outsider", "other_manager"])
def test_every_portfolio_route_refuses_an_outsider(company, client, role):
    client.force_login(getattr(company, role))
    routes = _portfolio_routes()
    assert {p.name for p in routes} >= {"portfolio", "portfolio_export", "elements"}
    for pattern in routes:
        wanted = set(pattern.pattern.converters)
        assert wanted <= {"pk"}, f"unlisted route {pattern.name}: teach this test its arguments"
        url = reverse(
            f"accounts:{pattern.name}", kwargs={"pk": company.account.pk} if wanted else {}
        )
        response = client.get(url)
        if wanted:
            assert response.status_code == 404, pattern.name
        else:
            assert response.status_code == 200
            assert company.account.name not in response.content.decode("utf-8-sig")
        assert client.post(url).status_code in (404, 405), pattern.name
