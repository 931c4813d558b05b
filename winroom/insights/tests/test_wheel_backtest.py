"""The balance wheel and the backtest of the hand-built company, computed by hand."""

from datetime import date
from decimal import Decimal

import pytest

from winroom.deals.models import Deal, DealStatus, Stage, WinRatePoint
from winroom.insights import backtest, wheel
from winroom.insights.scope import resolve
from winroom.methodology.periods import Period

from .conftest import Q2_END, Q2_START, at, make_deal

pytestmark = pytest.mark.django_db
D = Decimal
Q2 = Period(Q2_START, Q2_END, "quarter")


def test_wheel_by_source_with_the_override(shop):
    _access, scope = resolve(shop.company.admin, "company")
    result = wheel.wheel(scope, Q2)
    assert result.amounts == {
        "renewal": D("300000"),  # D2
        "cross_sell": D("300000"),  # D3 + D6
        "new": D("150000"),  # D11
        "competitor": D("900000"),  # D5 (lost D4 to X) + D8 (override)
    }
    assert result.overridden == 1
    assert result.total == D("1650000")
    assert result.shares["competitor"] == D("0.5455")


def test_wheel_of_one_team(shop):
    c = shop.company
    _access, scope = resolve(c.other_manager, f"team:{c.west.pk}")
    result = wheel.wheel(scope, Q2)
    assert result.amounts["competitor"] == D("400000")
    assert result.amounts["new"] == D("150000")
    assert result.amounts["renewal"] == 0


def test_wheel_is_one_query(shop, django_assert_num_queries):
    _access, scope = resolve(shop.company.admin, "company")
    with django_assert_num_queries(1):
        wheel.wheel(scope, Q2)


def _move(deal, stage_number, day):
    deal.stage = Stage.objects.get(number=stage_number)
    deal._history_date = at(day)
    deal.save()


def _point(deal, day, rate):
    WinRatePoint.objects.create(
        deal=deal,
        week=day,
        at=at(day),
        status="computed" if rate is not None else "not_computed",
        rate=rate,
    )


@pytest.fixture
def curves(company):
    owner, account = company.owner, company.account
    b1 = make_deal(owner, account, 100_000, created=date(2026, 4, 20))
    Deal.history.filter(id=b1.pk).update(history_date=at(date(2026, 4, 20)))
    _move(b1, 3, date(2026, 5, 1))
    _move(b1, 5, date(2026, 5, 10))
    _point(b1, date(2026, 5, 4), D("0.6"))
    _point(b1, date(2026, 5, 11), D("0.9"))
    b2 = make_deal(owner, account, 100_000, created=date(2026, 5, 1))
    Deal.history.filter(id=b2.pk).update(history_date=at(date(2026, 5, 1)))
    _move(b2, 6, date(2026, 5, 20))
    _point(b2, date(2026, 5, 25), D("0.2"))
    _point(b2, date(2026, 6, 1), None)
    _point(b2, date(2026, 6, 15), D("0.1"))  # after the close: not a prediction
    Deal.all_objects.filter(pk=b1.pk).update(status=DealStatus.WON, closed_at=at(date(2026, 5, 20)))
    Deal.all_objects.filter(pk=b2.pk).update(
        status=DealStatus.LOST, closed_at=at(date(2026, 6, 10)), no_decision=True
    )
    return b1, b2


def test_backtest_brier_and_calibration_beside_stage_probabilities(company, curves):
    _access, scope = resolve(company.admin, "company")
    result = backtest.run(scope, Q2)
    assert (result.deals, result.points, result.unscored) == (2, 3, 1)
    # (0.6 − 1)² + (0.9 − 1)² + (0.2 − 0)² = 0.21 over 3
    assert result.tas_brier == D("0.0700")
    # stages 3, 5, 6 that week → 0.25, 0.70, 0.90
    assert result.stage_brier == D("0.4875")
    tas = {int(b.low * 10): b for b in result.tas_bands}
    assert (tas[2].count, tas[2].won, tas[6].won, tas[9].won_share) == (1, 0, 1, D("1.0000"))
    stage = {int(b.low * 10): b for b in result.stage_bands}
    assert (stage[9].count, stage[9].won, stage[7].count) == (1, 0, 1)
    assert result.chart()["tas"][9]["won"] == 1.0


def test_backtest_is_one_query(company, curves, django_assert_num_queries):
    _access, scope = resolve(company.admin, "company")
    with django_assert_num_queries(1):
        backtest.run(scope, Q2)
