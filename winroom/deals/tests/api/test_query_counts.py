"""The deal list and the deal room's lists cost the same number of queries at any size."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from winroom.deals import actions
from winroom.deals.models import Competitor, Deal, DealMember, ProductLine, TeamRole
from winroom.testing.factories import ContactFactory

pytestmark = pytest.mark.django_db

#: token, viewer scope (2–3), count, page, two prefetches — with headroom
MAX_QUERIES = 12


def grow_deals(company, n):
    """Up to ``n`` deals of the owner, each with two product lines, a second team member,
    a winner and a manual grade (every relation the list shows)."""
    lines = [ProductLine.objects.get_or_create(name=name)[0] for name in ("综合监控", "信号")]
    winner, _ = Competitor.objects.get_or_create(name="华为")
    while Deal.objects.filter(owner=company.owner).count() < n:
        i = Deal.objects.count()
        deal = actions.create_deal(
            by=company.owner,
            data={
                "account": company.account,
                "name": f"商机{i}",
                "amount": str(100000 * (i + 1)),
                "product_lines": lines,
            },
        )
        DealMember.objects.create(deal=deal, user=company.teammate, role=TeamRole.SOLUTION_MANAGER)
        Deal.objects.filter(pk=deal.pk).update(
            winner=winner, grade_override="a", grade_override_by=company.manager
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context.captured_queries), response


def rows(response):
    body = response.json()
    return len(body["results"]) if isinstance(body, dict) and "results" in body else len(body)


@pytest.mark.parametrize("who", ["owner", "manager", "director", "admin"])
def test_deal_list_query_count_is_constant(api, company, who, django_assert_max_num_queries):
    client = api(who)
    url = "/api/v1/deals/?page_size=100&ordering=-amount&band=none"
    grow_deals(company, 5)
    client.get(url)  # warm-up: one-time rows such as the company settings
    small, response = count_queries(client, url)
    assert rows(response) == 5
    grow_deals(company, 30)
    large, response = count_queries(client, url)
    assert rows(response) == 30
    assert large == small
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(url)


def grow_room(company, deal, n):
    """Up to ``n`` competitors (each quoted and assessed), people, actions and events."""
    owner = company.owner
    while deal.competitors.count() < n:
        entry = actions.add_competitor(
            deal,
            by=owner,
            competitor=Competitor.objects.create(name=f"对手{Competitor.objects.count()}"),
        )
        actions.record_quote(entry, by=owner, amount="100", quoted_on=date(2026, 11, 1))
        actions.record_quote(entry, by=owner, amount="90", quoted_on=date(2026, 11, 8))
    actions.answer_questionnaire(
        deal,
        by=owner,
        has_inside_coach=True,
        inside_coach=company.contact,
        our_fit=3,
        our_closeness=3,
        competitors=dict.fromkeys(deal.competitors.all(), (2, 2)),
    )
    while deal.people.count() < n:
        contact = ContactFactory(account=company.account)
        actions.map_person(deal, by=owner, contact=contact, decision_role="user")
    while deal.actions.count() < n:
        actions.add_action(deal, by=owner, title="行动", owner=owner, due_on=date(2026, 12, 1))


@pytest.mark.parametrize(
    "suffix",
    [
        "competitors/",
        "questionnaire/",
        "decision-map/",
        "actions/",
        "events/",
        "compelling-events/",
        "win-rate/",
        "win-rate/curve/",
        "reviews/",
    ],
)
def test_room_lists_query_count_is_constant(api, company, deal, suffix):
    client = api("owner")
    url = f"/api/v1/deals/{deal.pk}/{suffix}"
    grow_room(company, deal, 3)
    client.get(url)
    small, _response = count_queries(client, url)
    grow_room(company, deal, 12)
    large, _response = count_queries(client, url)
    assert large == small
