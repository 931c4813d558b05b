from decimal import Decimal

import pytest

from winroom.methodology import wheel
from winroom.methodology.errors import MethodologyError

REVENUE = {"renewal": 400, "cross_sell": 300, "new": 200, "competitor": 100}


@pytest.mark.parametrize(
    ("renews", "earlier", "lost", "source"),
    [
        (True, True, True, "renewal"),
        (False, True, True, "cross_sell"),
        (False, False, True, "competitor"),
        (False, False, False, "new"),
    ],
)
def test_source_rule_order(renews, earlier, lost, source):
    assert (
        wheel.derive_source(
            renews_a_contract=renews, earlier_win_at_account=earlier, lost_to_competitor_before=lost
        )
        == source
    )


def test_shares():
    assert wheel.shares(REVENUE) == {
        "renewal": Decimal("0.4000"),
        "cross_sell": Decimal("0.3000"),
        "new": Decimal("0.2000"),
        "competitor": Decimal("0.1000"),
    }
    assert wheel.shares({}) == dict.fromkeys(wheel.SOURCES, None)


def test_growth_split_in_proportion_by_default():
    parts = {p.source: p for p in wheel.split_growth(REVENUE, "0.40")}
    assert parts["renewal"].increase == Decimal("160.00")
    assert parts["cross_sell"].increase == Decimal("120.00")
    assert parts["new"].target == Decimal("280.00")
    assert parts["competitor"].growth == Decimal("0.4000")
    assert sum(p.increase for p in parts.values()) == Decimal("400.00")


def test_growth_split_by_the_managers_weights():
    parts = {
        p.source: p
        for p in wheel.split_growth(REVENUE, "0.40", {"new": "0.5", "competitor": "0.5"})
    }
    assert parts["renewal"].increase == 0
    assert parts["new"].increase == Decimal("200.00")
    assert parts["competitor"].growth == Decimal("2.0000")


def test_rounding_remainder_goes_to_the_largest_part():
    parts = wheel.split_growth({"renewal": 1, "cross_sell": 1, "new": 1}, "0.01")
    assert sum(p.increase for p in parts) == Decimal("0.03")
    thirds = wheel.split_growth({"renewal": "0.01"}, 1, {"renewal": "0.3333", "new": "0.6667"})
    assert sum(p.increase for p in thirds) == Decimal("0.01")


def test_a_source_without_revenue_has_no_own_growth_rate():
    parts = {p.source: p for p in wheel.split_growth({"renewal": 100}, "0.1", {"new": 1})}
    assert parts["new"].growth is None
    assert parts["new"].increase == Decimal("10.00")


@pytest.mark.parametrize(
    ("revenue", "growth", "weights"),
    [
        ({}, "0.4", None),
        (REVENUE, "0.4", {"new": "0.5"}),
        (REVENUE, "-0.1", None),
        (REVENUE, "0.4", {"nonsense": 1}),
        ({"nonsense": 1}, "0.4", None),
        ({"new": -1}, "0.4", None),
        (REVENUE, "abc", None),
    ],
)
def test_refused_splits(revenue, growth, weights):
    with pytest.raises(MethodologyError):
        wheel.split_growth(revenue, growth, weights)
