"""Every funnel metric of the hand-built company, computed by hand (see conftest.py)."""

from decimal import Decimal

import pytest

from winroom.insights import metrics
from winroom.insights.scope import resolve
from winroom.methodology.periods import Period

from .conftest import Q2_END, Q2_START

pytestmark = pytest.mark.django_db

Q2 = Period(Q2_START, Q2_END, "quarter")
D = Decimal


def test_company_figures(shop):
    c = shop.company
    _access, scope = resolve(c.admin, "company")
    result = metrics.report(scope, Q2)
    f = result.figures
    assert result.counts.leads == 10  # 4 + 2 + 3 + one in the pool
    assert result.counts.qualified == 2
    assert f.conversion == D("0.2000")
    assert (result.counts.closed, result.counts.won) == (8, 6)
    assert f.win_rate == D("0.7500")
    assert f.booked == D("1650000.00")
    assert f.average_deal_size == D("275000.00")
    assert f.sales_cycle_days == D("43.3")  # (90 + 30 + 90 + 30 + 10 + 10) / 6
    assert f.collected == D("550000.00")  # 150k + 200k + 100k + 100k
    assert f.collection_ratio == D("0.3333")
    assert (result.counts.due, result.counts.renewed) == (2, 1)
    assert f.renewal_rate == D("0.5000")
    assert result.reps == 4  # owner, teammate, outsider, member (the deactivated rep is not)
    assert f.effective_visits_per_rep_week == D("0.12")  # 6 × 7 / 91 / 4
    assert f.new_customer_share == D("0.6364")  # (500 + 400 + 150) / 1650
    assert f.cross_sell_share == D("0.1818")  # (200 + 100) / 1650


def test_team_figures_roll_up_the_people(shop):
    c = shop.company
    _access, scope = resolve(c.manager, f"team:{c.east.pk}")
    f = metrics.report(scope, Q2).figures
    assert f.lead_volume == 6
    assert f.conversion == D("0.3333")
    assert f.win_rate == D("0.6667")
    assert f.average_deal_size == D("275000.00")
    assert f.sales_cycle_days == D("60.0")
    assert f.collection_ratio == D("0.5000")
    assert f.renewal_rate == D("0.5000")
    assert f.effective_visits_per_rep_week == D("0.15")  # 4 × 7 / 91 / 2
    assert f.new_customer_share == D("0.4545")
    assert f.cross_sell_share == D("0.2727")


def test_rep_figures(shop):
    c = shop.company
    _access, scope = resolve(c.owner, None)
    assert scope.kind == "rep" and scope.rep == c.owner
    f = metrics.report(scope, Q2).figures
    assert f.lead_volume == 4
    assert f.conversion == D("0.2500")
    assert f.win_rate == D("0.7500")
    assert f.average_deal_size == D("333333.33")
    assert f.sales_cycle_days == D("70.0")
    assert f.collection_ratio == D("0.4500")
    assert f.renewal_rate == D("1.0000")
    assert f.effective_visits_per_rep_week == D("0.23")
    assert f.new_customer_share == D("0.5000")
    assert f.cross_sell_share == D("0.2000")


def test_breakdown_by_team_and_person_adds_up(shop):
    c = shop.company
    _access, scope = resolve(c.director, None)
    assert scope.code == f"team:{c.east.parent_id}"
    result = metrics.report(scope, Q2)
    teams = {row.label: row for row in result.teams}
    assert [row.depth for row in result.teams] == [0, 1, 1]
    assert teams["华东"].counts.won + teams["华西"].counts.won == result.counts.won == 6
    people = {row.label: row for row in result.people}
    assert people[str(c.owner)].figures.win_rate == D("0.7500")
    assert people[str(c.member)].counts.booked == D("150000")


def test_an_empty_period_has_no_rates(shop):
    c = shop.company
    _access, scope = resolve(c.admin, "company")
    f = metrics.report(
        scope, Period(Q2_START.replace(year=2020), Q2_END.replace(year=2020))
    ).figures
    assert f.lead_volume == 0
    assert f.win_rate is None and f.collection_ratio is None and f.renewal_rate is None
    assert f.effective_visits_per_rep_week == D("0.00")


def test_counting_takes_a_fixed_number_of_queries(shop, django_assert_num_queries):
    c = shop.company
    _access, scope = resolve(c.admin, "company")
    with django_assert_num_queries(6):
        metrics.report(scope, Q2)
