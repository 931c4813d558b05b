from decimal import Decimal

import pytest

from winroom.methodology import drivers
from winroom.methodology.errors import MethodologyError

BASE = {
    "leads": 1000,
    "conversion": "0.15",
    "win_rate": "0.10",
    "deal_size": 200000,
    "collection": "0.90",
    "renewal": "0.80",
    "cycle": 120,
}


def test_worked_shape_1000_leads_15_percent_10_percent_is_15_deals():
    assert drivers.chain(BASE).deals == Decimal("15.00")


def test_every_driver_5_percent_better_compounds_to_about_41_percent():
    assert drivers.compound(BASE, "0.05") == Decimal("0.4106")
    assert drivers.compound_uplift("0.05") == Decimal("0.4106")
    assert round(drivers.compound(BASE, "0.05") * 100) == 41


def test_a_rate_never_passes_100_percent():
    values = {**BASE, "collection": "0.98"}
    gains = {g.driver: g for g in drivers.single_driver_gains(values, "0.05")}
    assert gains["collection"].after == 1
    assert gains["collection"].capped
    assert gains["collection"].uplift == Decimal("0.0204")
    assert not gains["leads"].capped


def test_the_cycle_pays_most_for_an_equal_step_unless_something_else_is_capped():
    gains = drivers.single_driver_gains(BASE, "0.05")
    assert gains[0].driver == "cycle"
    assert gains[0].uplift == Decimal("0.0526")
    assert {g.uplift for g in gains[1:]} == {Decimal("0.0500")}


def test_what_if_moves_only_the_named_drivers():
    after = drivers.what_if(BASE, {"win_rate": "0.2"})
    assert after.values["win_rate"] == Decimal("0.120")
    assert after.values["leads"] == 1000
    assert drivers.uplift(drivers.chain(BASE), after) == Decimal("0.2000")


def test_a_worse_driver_lowers_revenue():
    after = drivers.what_if(BASE, {"leads": "-0.10"})
    assert drivers.uplift(drivers.chain(BASE), after) == Decimal("-0.1000")


def test_contributions_add_up_to_the_total_change():
    after = {**BASE, "leads": 1200, "win_rate": "0.09", "cycle": 100}
    total, parts = drivers.contributions(BASE, after)
    assert sum(p.amount for p in parts) == total
    by = {p.driver: p for p in parts}
    assert by["leads"].amount > 0 and by["cycle"].amount > 0 and by["win_rate"].amount < 0
    assert by["conversion"].amount == 0


def test_contributions_when_nothing_changed_or_a_driver_is_zero():
    total, parts = drivers.contributions(BASE, BASE)
    assert total == 0 and all(p.amount == 0 and p.share is None for p in parts)
    total, parts = drivers.contributions(BASE, {**BASE, "leads": 0})
    assert total < 0 and all(p.amount == 0 for p in parts)


@pytest.mark.parametrize(
    "bad",
    [
        {**BASE, "conversion": "1.2"},
        {**BASE, "cycle": 0},
        {**BASE, "leads": -1},
        {k: v for k, v in BASE.items() if k != "renewal"},
        {**BASE, "deal_size": "lots"},
    ],
)
def test_bad_inputs_are_refused(bad):
    with pytest.raises(MethodologyError):
        drivers.chain(bad)


def test_unknown_driver_and_impossible_cycle_are_refused():
    with pytest.raises(MethodologyError):
        drivers.what_if(BASE, {"happiness": "0.1"})
    with pytest.raises(MethodologyError):
        drivers.what_if(BASE, {"cycle": 1})
