from decimal import Decimal

import pytest

from winroom.methodology import drivers
from winroom.methodology import funnel_metrics as fm
from winroom.methodology.errors import MethodologyError


def counts(**values):
    base = {
        "leads": 200,
        "qualified": 30,
        "closed": 10,
        "won": 4,
        "booked": Decimal("1000000"),
        "cycle_days": Decimal("360"),
        "collected": Decimal("600000"),
        "due": 5,
        "renewed": 4,
        "effective_visits": 12,
        "new_amount": Decimal("250000"),
        "cross_sell_amount": Decimal("500000"),
    }
    base.update(values)
    return fm.FunnelCounts(**base)


def test_figures_from_counts():
    f = fm.figures(counts(), reps=3, days=14)
    assert f.lead_volume == 200
    assert f.conversion == Decimal("0.1500")
    assert f.win_rate == Decimal("0.4000")
    assert f.average_deal_size == Decimal("250000.00")
    assert f.sales_cycle_days == Decimal("90.0")
    assert f.collection_ratio == Decimal("0.6000")
    assert f.renewal_rate == Decimal("0.8000")
    # 12 effective visits over two weeks by three reps: 2 per rep per week
    assert f.effective_visits_per_rep_week == Decimal("2.00")
    assert f.new_customer_share == Decimal("0.2500")
    assert f.cross_sell_share == Decimal("0.5000")


def test_no_data_is_none_never_zero():
    f = fm.figures(fm.FunnelCounts(), reps=0, days=30)
    assert f.lead_volume == 0
    for name in (
        "conversion",
        "win_rate",
        "average_deal_size",
        "sales_cycle_days",
        "collection_ratio",
        "renewal_rate",
        "effective_visits_per_rep_week",
        "new_customer_share",
        "cross_sell_share",
    ):
        assert getattr(f, name) is None, name


def test_counts_add_up_so_teams_are_never_an_average_of_averages():
    a = counts(closed=1, won=1)
    b = counts(
        closed=9,
        won=0,
        booked=Decimal(0),
        cycle_days=Decimal(0),
        collected=Decimal(0),
        new_amount=Decimal(0),
        cross_sell_amount=Decimal(0),
    )
    both = fm.total([a, b])
    assert both.closed == 10 and both.won == 1
    assert fm.figures(both, reps=2, days=7).win_rate == Decimal("0.1000")
    assert fm.total([]) == fm.FunnelCounts()


def test_a_short_period_counts_as_one_week():
    assert fm.per_rep_per_week(3, 1, 3) == Decimal("3.00")
    assert fm.per_rep_per_week(3, 1, 21) == Decimal("1.00")
    assert fm.per_rep_per_week(5, 0, 7) is None
    with pytest.raises(MethodologyError):
        fm.per_rep_per_week(1, 1, 0)
    with pytest.raises(MethodologyError):
        fm.per_rep_per_week(-1, 1, 7)


@pytest.mark.parametrize(
    "bad",
    [{"leads": -1}, {"qualified": 201}, {"won": 11}, {"renewed": 6}, {"booked": Decimal(-1)}],
)
def test_impossible_counts_are_refused(bad):
    with pytest.raises(MethodologyError):
        counts(**bad)


def test_driver_values_feed_the_chain():
    values, missing = fm.driver_values(fm.figures(counts(), reps=3, days=14))
    assert missing == ()
    assert values == {
        "leads": Decimal(200),
        "conversion": Decimal("0.1500"),
        "win_rate": Decimal("0.4000"),
        "deal_size": Decimal("250000.00"),
        "collection": Decimal("0.6000"),
        "renewal": Decimal("0.8000"),
        "cycle": Decimal("90.0"),
    }
    assert drivers.chain(values).revenue > 0


def test_drivers_without_data_are_held_neutral_and_named():
    values, missing = fm.driver_values(fm.figures(counts(due=0, renewed=0), reps=1, days=7))
    assert missing == ("renewal",)
    assert values["renewal"] == 1
    values, missing = fm.driver_values(fm.figures(fm.FunnelCounts(), reps=1, days=7))
    assert set(missing) == {"conversion", "win_rate", "deal_size", "collection", "renewal", "cycle"}
    assert drivers.chain(values).revenue == 0


def test_collection_above_one_is_capped_for_the_chain():
    f = fm.figures(counts(collected=Decimal("1200000")), reps=1, days=7)
    assert f.collection_ratio == Decimal("1.2000")
    values, _missing = fm.driver_values(f)
    assert values["collection"] == 1
