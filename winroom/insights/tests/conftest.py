"""A small company built by hand on the shared fixture (winroom/conftest.py), for the numbers.

HQ (director) → East (manager: owner, teammate) and West (other manager: outsider, member).
The period is the second quarter of 2026 (1 April – 30 June, 91 days). Every record below
is placed so that each metric can be computed by hand in the tests:

    deal  owner     account  status     created     closed      amount  source
    D0    owner     A1       won        2025-03-01  2025-04-20  100k    (before the period)
    D10   teammate  A3       won        2025-05-01  2025-06-01   80k    (before the period)
    D2    owner     A1       won        2026-01-20  2026-04-20  300k    renewal (renews D0)
    D3    owner     A1       won        2026-04-15  2026-05-15  200k    cross-sell
    D4    owner     A2       lost to X  2026-02-01  2026-05-01  250k
    D5    owner     A2       won        2026-03-12  2026-06-10  500k    won from a competitor
    D6    teammate  A3       won        2026-03-06  2026-04-05  100k    cross-sell (D10)
    D7    teammate  A3       abandoned  2026-04-01  2026-06-01   60k
    D8    outsider  A4       won        2026-06-10  2026-06-20  400k    new → override: competitor
    D11   member    A5       won        2026-05-10  2026-05-20  150k    new

"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from winroom.deals import actions
from winroom.deals.models import Competitor, Deal, DealStatus, Stage
from winroom.insights.models import Contract, Payment, RevenueSourceOverride
from winroom.leads.models import Lead, LeadStatus
from winroom.testing.factories import AccountFactory
from winroom.visits.models import Visit, VisitStatus

Q2_START, Q2_END = date(2026, 4, 1), date(2026, 6, 30)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def make_deal(owner, account, amount, *, status=DealStatus.OPEN, created=None, closed=None, **f):
    deal = actions.create_deal(
        by=owner, data={"account": account, "name": f"项目{amount}", "amount": str(amount)}
    )
    fields = {"status": status, **f}
    if created:
        fields["created_at"] = at(created)
    if closed:
        fields["closed_at"] = at(closed)
    if "stage" in fields and isinstance(fields["stage"], int):
        fields["stage"] = Stage.objects.get(number=fields["stage"])
    Deal.all_objects.filter(pk=deal.pk).update(**fields)
    deal.refresh_from_db()
    return deal


def make_lead(owner, created: date, status=LeadStatus.WORKING):
    lead = Lead.objects.create(company_name="线索公司", owner=owner, status=status)
    Lead.all_objects.filter(pk=lead.pk).update(created_at=at(created))
    return lead


def make_visit(owner, account, day: date, *, effective=True):
    visit = Visit(
        owner=owner,
        account=account,
        planned_at=at(day),
        status=VisitStatus.DONE,
        visited_on=day,
        recorded_at=at(day, 18),
        objective="了解需求" if effective else "",
        commitment="won",
    )
    visit.save()
    assert visit.effective is effective
    return visit


@dataclass
class Shop:
    company: object
    accounts: dict = field(default_factory=dict)
    deals: dict = field(default_factory=dict)
    competitor: object = None


@pytest.fixture
def shop(company):
    c = company
    shop = Shop(company=c)
    a1 = c.account  # the owner's
    a2 = AccountFactory(name="A2 公司", owner=c.owner)
    a3 = AccountFactory(name="A3 公司", owner=c.teammate)
    a4 = AccountFactory(name="A4 公司", owner=c.outsider)
    a5 = AccountFactory(name="A5 公司", owner=c.member)
    shop.accounts = {"A1": a1, "A2": a2, "A3": a3, "A4": a4, "A5": a5}
    rival = Competitor.objects.create(name="对手X")
    shop.competitor = rival
    won, lost = DealStatus.WON, DealStatus.LOST
    d = shop.deals
    d["D0"] = make_deal(
        c.owner, a1, 100_000, status=won, created=date(2025, 3, 1), closed=date(2025, 4, 20)
    )
    d["D10"] = make_deal(
        c.teammate, a3, 80_000, status=won, created=date(2025, 5, 1), closed=date(2025, 6, 1)
    )
    d["D2"] = make_deal(
        c.owner, a1, 300_000, status=won, created=date(2026, 1, 20), closed=date(2026, 4, 20)
    )
    d["D3"] = make_deal(
        c.owner, a1, 200_000, status=won, created=date(2026, 4, 15), closed=date(2026, 5, 15)
    )
    d["D4"] = make_deal(
        c.owner,
        a2,
        250_000,
        status=lost,
        created=date(2026, 2, 1),
        closed=date(2026, 5, 1),
        winner=rival,
        lost_reason="价格",
    )
    d["D5"] = make_deal(
        c.owner, a2, 500_000, status=won, created=date(2026, 3, 12), closed=date(2026, 6, 10)
    )
    d["D6"] = make_deal(
        c.teammate, a3, 100_000, status=won, created=date(2026, 3, 6), closed=date(2026, 4, 5)
    )
    d["D7"] = make_deal(
        c.teammate,
        a3,
        60_000,
        status=DealStatus.ABANDONED,
        created=date(2026, 4, 1),
        closed=date(2026, 6, 1),
    )
    d["D8"] = make_deal(
        c.outsider, a4, 400_000, status=won, created=date(2026, 6, 10), closed=date(2026, 6, 20)
    )
    d["D11"] = make_deal(
        c.member, a5, 150_000, status=won, created=date(2026, 5, 10), closed=date(2026, 5, 20)
    )
    RevenueSourceOverride.objects.create(
        deal=d["D8"], source="competitor", reason="原供应商为对手X", by=c.other_manager
    )
    # contracts: D0's ends in the period and D2 renews it; D10's ends in the period unrenewed
    Contract.objects.create(deal=d["D0"], starts_on=date(2025, 5, 1), ends_on=date(2026, 4, 30))
    Contract.objects.create(deal=d["D10"], starts_on=date(2025, 6, 16), ends_on=date(2026, 6, 15))
    Contract.objects.create(
        deal=d["D2"], starts_on=date(2026, 5, 1), ends_on=date(2027, 4, 30), renewal_of=d["D0"]
    )
    Contract.objects.create(deal=d["D6"], starts_on=date(2026, 4, 10), ends_on=date(2027, 4, 9))
    # payments
    for deal, amount, day in [
        ("D0", 100_000, date(2026, 5, 1)),  # booked before the period: not counted
        ("D2", 150_000, date(2026, 4, 25)),
        ("D2", 150_000, date(2026, 7, 10)),  # after the period's end: not counted
        ("D3", 200_000, date(2026, 6, 1)),
        ("D5", 100_000, date(2026, 6, 30)),
        ("D6", 100_000, date(2026, 4, 6)),
    ]:
        Payment.objects.create(deal=d[deal], amount=Decimal(amount), received_on=day)
    # leads: owner 4 in the period (1 qualified) + 1 before; teammate 2 (1 qualified);
    # outsider 3; one in the pool
    for day, status in [
        (date(2026, 4, 2), LeadStatus.QUALIFIED),
        (date(2026, 4, 3), LeadStatus.WORKING),
        (date(2026, 5, 3), LeadStatus.REJECTED),
        (date(2026, 6, 30), LeadStatus.WORKING),
        (date(2026, 3, 31), LeadStatus.QUALIFIED),
    ]:
        make_lead(c.owner, day, status)
    make_lead(c.teammate, date(2026, 4, 9), LeadStatus.QUALIFIED)
    make_lead(c.teammate, date(2026, 5, 9))
    for day in (date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)):
        make_lead(c.outsider, day)
    make_lead(None, date(2026, 5, 20), LeadStatus.NEW)
    # visits: owner 3 effective + 1 not; teammate 1; outsider 2; one before the period
    for day in (date(2026, 4, 8), date(2026, 5, 8), date(2026, 6, 8)):
        make_visit(c.owner, a1, day)
    make_visit(c.owner, a1, date(2026, 6, 9), effective=False)
    make_visit(c.teammate, a3, date(2026, 5, 5))
    make_visit(c.outsider, a4, date(2026, 4, 20))
    make_visit(c.outsider, a4, date(2026, 6, 21))
    make_visit(c.owner, a1, date(2026, 3, 30))
    return shop


@pytest.fixture
def pipeline(shop):
    """Open deals (see test_forecast.py for the hand computation)."""
    c, a = shop.company, shop.accounts
    computed = "computed"
    p = {}
    p["P1"] = make_deal(
        c.owner,
        a["A1"],
        1_000_000,
        win_rate=D("0.80"),
        win_rate_status=computed,
        expected_close=date(2026, 7, 15),
    )
    p["P2"] = make_deal(
        c.owner,
        a["A2"],
        500_000,
        win_rate=D("0.50"),
        win_rate_status=computed,
        expected_close=date(2026, 7, 20),
    )
    p["P3"] = make_deal(
        c.teammate,
        a["A3"],
        200_000,
        win_rate=D("0.25"),
        win_rate_status=computed,
        expected_close=date(2026, 8, 5),
    )
    p["P4"] = make_deal(
        c.teammate,
        a["A3"],
        300_000,
        win_rate=None,
        win_rate_status="not_computed",
        expected_close=date(2026, 7, 1),
    )
    p["P5"] = make_deal(
        c.outsider,
        a["A4"],
        400_000,
        win_rate=None,
        win_rate_status="not_assessed",
        expected_close=date(2026, 7, 30),
    )
    p["P6"] = make_deal(
        c.owner, a["A1"], 250_000, win_rate=D("0.40"), win_rate_status=computed, expected_close=None
    )
    p["P7"] = make_deal(
        c.owner,
        a["A1"],
        100_000,
        win_rate=D("0.70"),
        win_rate_status=computed,
        expected_close=date(2026, 6, 10),
    )
    return p


D = Decimal


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
