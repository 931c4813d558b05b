"""The forecast of the hand-built company (conftest.py ``pipeline``), computed by hand.

Weighting rates: P1 0.80 (commit), P2 0.50 (best case), P3 0.25 (pipeline), P4 none (no
compelling event: not weighted), P5 not assessed, grade C → the company's C win rate over
the 365 days before 1 July 2026: D2, D3, D5, D8 won and D4 lost → 0.8 (commit), P6 0.40
without a close date (best case), P7 exactly 0.70 in June, before the horizon (commit).
"""

from datetime import date
from decimal import Decimal

import pytest

from winroom.insights import forecast
from winroom.insights.models import ForecastAdjustment
from winroom.insights.scope import resolve

pytestmark = pytest.mark.django_db
D = Decimal
JULY, AUGUST = date(2026, 7, 1), date(2026, 8, 1)


def test_company_forecast_by_month_and_category(shop, pipeline):
    _access, scope = resolve(shop.company.admin, "company")
    result = forecast.build(scope, today=date(2026, 7, 1))
    assert result.grade_rates["c"] == D("0.8000")
    assert result.grade_rates["d"] == D("0.6667")
    july, august = result.grid[JULY], result.grid[AUGUST]
    assert july["commit"].weighted == D("1120000")  # 800k + 320k (P5 by history)
    assert july["commit"].by_history == 1
    assert july["best_case"].weighted == D("250000")
    assert july["not_computed"].amount == D("300000")
    assert july["not_computed"].weighted == 0
    assert august["pipeline"].weighted == D("50000")
    assert result.grid["overdue"]["commit"].weighted == D("70000")
    assert result.grid[None]["best_case"].weighted == D("100000")
    assert result.total["commit"].weighted == D("1190000")
    assert result.total["best_case"].weighted == D("350000")
    assert result.total["pipeline"].weighted == D("50000")
    assert result.weighted == D("1590000.00")
    assert result.amount == D("2750000")


def test_roll_up_with_adjustments_beside_the_computed_number(shop, pipeline):
    c = shop.company
    ForecastAdjustment.objects.create(
        by=c.manager,
        rep=c.teammate,
        month=JULY,
        kind="delta",
        amount=D("100000"),
        reason="口头确认",
    )
    ForecastAdjustment.objects.create(
        by=c.other_manager,
        team=c.west,
        month=JULY,
        kind="override",
        amount=D("300000"),
        reason="保守",
    )
    _access, scope = resolve(c.admin, "company")
    rows = {row.key: row for row in forecast.build(scope, today=JULY).tree}
    assert rows[f"rep:{c.owner.pk}"].computed == D("1050000.00")
    assert rows[f"rep:{c.teammate.pk}"].computed == 0
    assert rows[f"rep:{c.teammate.pk}"].adjusted == D("100000.00")
    assert rows[f"team:{c.east.pk}"].adjusted == D("1150000.00")
    assert rows[f"team:{c.west.pk}"].computed == D("320000.00")
    assert rows[f"team:{c.west.pk}"].adjusted == D("300000.00")
    hq = rows[f"team:{c.east.parent_id}"]
    assert (hq.computed, hq.adjusted, hq.adjusted_below) == (D("1370000.00"), D("1450000.00"), True)
    assert rows[f"team:{c.west.pk}"].adjustment.reason == "保守"


def test_a_rep_sees_only_their_own_forecast(shop, pipeline):
    _access, scope = resolve(shop.company.teammate, None)
    result = forecast.build(scope, today=JULY)
    assert result.weighted == D("50000.00")
    assert [row.key for row in result.tree] == [f"rep:{shop.company.teammate.pk}"]


def test_forecast_query_count(shop, pipeline, django_assert_num_queries):
    _access, scope = resolve(shop.company.admin, "company")
    with django_assert_num_queries(4):  # grade rates, pipeline, people, adjustments
        forecast.build(scope, today=JULY)
