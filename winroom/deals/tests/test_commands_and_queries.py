"""snapshot_win_rates, and the pipeline pages' query counts."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from winroom.deals import actions
from winroom.deals.models import WinRatePoint
from winroom.testing.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


def _deals(company, n):
    made = []
    for i in range(n):
        account = AccountFactory(owner=company.owner)
        made.append(
            actions.create_deal(
                by=company.owner,
                data={"account": account, "name": f"项目{i}", "amount": 100000 * (i + 1)},
            )
        )
    return made


def test_snapshot_command_twice_in_a_week(company):
    deals = _deals(company, 3)
    out = StringIO()
    call_command("snapshot_win_rates", stdout=out)
    assert "3 open deals processed, 3 points written" in out.getvalue()
    out = StringIO()
    call_command("snapshot_win_rates", stdout=out)
    assert "0 points written" in out.getvalue()
    for deal in deals:
        assert WinRatePoint.objects.filter(deal=deal, week__isnull=False).count() == 1


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["deals:list", "deals:board"])
def test_pipeline_pages_pin_query_counts(company, client, name):
    client.force_login(company.manager)
    _deals(company, 3)
    few = _count(client, reverse(name))
    _deals(company, 15)
    assert _count(client, reverse(name)) == few


def test_deal_room_query_count_is_bounded(company, client):
    client.force_login(company.owner)
    deal = _deals(company, 1)[0]
    url = reverse("deals:detail", args=[deal.pk])
    actions.record_compelling_event(deal, by=company.owner, description="预算已批")
    entries = []
    for name in ["甲", "乙"]:
        from winroom.deals.models import Competitor

        entries.append(
            actions.add_competitor(
                deal, by=company.owner, competitor=Competitor.objects.create(name=name)
            )
        )
    actions.answer_questionnaire(
        deal,
        by=company.owner,
        has_inside_coach=True,
        our_fit=4,
        our_closeness=4,
        competitors=dict.fromkeys(entries, (3, 3)),
    )
    people = ContactFactory.create_batch(2, account=deal.account)
    for person in people:
        actions.map_person(deal, by=company.owner, contact=person, decision_role="evaluator")
    few = _count(client, url)
    for name in ["丙", "丁", "戊"]:
        entry = actions.add_competitor(
            deal, by=company.owner, competitor=Competitor.objects.create(name=name)
        )
        actions.record_quote(entry, by=company.owner, amount=1000, quoted_on="2026-11-01")
    for person in ContactFactory.create_batch(20, account=deal.account):
        actions.map_person(deal, by=company.owner, contact=person, decision_role="user")
    for _ in range(5):
        actions.answer_questionnaire(
            deal,
            by=company.owner,
            has_inside_coach=True,
            our_fit=4,
            our_closeness=4,
            competitors=dict.fromkeys(entries, (3, 3)),
        )
    many = _count(client, url)
    assert many == few, (few, many)
    assert many <= 41, many  # + the learned model's panel (one query for the current model)
