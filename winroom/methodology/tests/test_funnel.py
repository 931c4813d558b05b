from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.funnel import (
    FunnelStage,
    FunnelStep,
    conversion_rate,
    funnel,
    median_hours,
    time_to_first_touch_hours,
)

# --------------------------------------------------------------------------- conversion


@pytest.mark.parametrize(
    ("converted", "total", "expected"),
    [
        (0, 0, None),  # no data is not 0 %
        (0, 10, Decimal("0.0000")),
        (150, 1000, Decimal("0.1500")),
        (10, 10, Decimal("1.0000")),
        (1, 3, Decimal("0.3333")),
        (2, 3, Decimal("0.6667")),
        (1, 8, Decimal("0.1250")),
        (1, 16, Decimal("0.0625")),
        (1, 32, Decimal("0.0313")),  # 0.03125 → half up
    ],
)
def test_conversion_rate(converted, total, expected):
    assert conversion_rate(converted, total) == expected


@pytest.mark.parametrize(
    ("converted", "total"),
    [(-1, 10), (1, -1), (11, 10), (1, 0), (True, 2), (1, 2.0), (Decimal(1), 2)],
)
def test_bad_conversion_inputs(converted, total):
    with pytest.raises(MethodologyError):
        conversion_rate(converted, total)


def test_worked_shape_of_the_method():
    # 1,000 leads × 15 % conversion × 10 % win rate = 15 deals
    steps = funnel(
        [FunnelStage("leads", 1000), FunnelStage("opportunities", 150), FunnelStage("won", 15)]
    )
    assert steps == (
        FunnelStep("leads", 1000, None, Decimal("1.0000")),
        FunnelStep("opportunities", 150, Decimal("0.1500"), Decimal("0.1500")),
        FunnelStep("won", 15, Decimal("0.1000"), Decimal("0.0150")),
    )


def test_funnel_with_empty_stages():
    steps = funnel([FunnelStage("planned", 4), FunnelStage("held", 0), FunnelStage("effective", 0)])
    assert [s.from_previous for s in steps] == [None, Decimal("0.0000"), None]
    assert [s.from_first for s in steps] == [
        Decimal("1.0000"),
        Decimal("0.0000"),
        Decimal("0.0000"),
    ]
    empty = funnel([FunnelStage("leads", 0), FunnelStage("won", 0)])
    assert [(s.from_previous, s.from_first) for s in empty] == [(None, None), (None, None)]


def test_funnel_edge_shapes():
    assert funnel([]) == ()
    assert funnel([FunnelStage("leads", 7)]) == (FunnelStep("leads", 7, None, Decimal("1.0000")),)
    flat = funnel([FunnelStage("a", 5), FunnelStage("b", 5)])
    assert flat[1].from_previous == Decimal("1.0000")


def test_funnel_counts_cannot_increase():
    with pytest.raises(MethodologyError):
        funnel([FunnelStage("leads", 10), FunnelStage("qualified", 11)])


def test_funnel_codes_are_distinct():
    with pytest.raises(MethodologyError):
        funnel([FunnelStage("leads", 10), FunnelStage("leads", 5)])


@pytest.mark.parametrize("count", [-1, True, 1.5])
def test_bad_stage_counts(count):
    with pytest.raises(MethodologyError):
        FunnelStage("leads", count)


# --------------------------------------------------------------------------- first touch

CREATED = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "hours"),
    [
        (timedelta(0), Decimal("0.00")),
        (timedelta(minutes=30), Decimal("0.50")),
        (timedelta(hours=2, minutes=20), Decimal("2.33")),
        (timedelta(minutes=20, seconds=18), Decimal("0.34")),  # 0.3383… → 0.34
        (timedelta(seconds=18), Decimal("0.01")),  # 0.005 → half up
        (timedelta(seconds=17), Decimal("0.00")),
        (timedelta(days=3, hours=1), Decimal("73.00")),
        (timedelta(microseconds=1), Decimal("0.00")),
    ],
)
def test_time_to_first_touch(delta, hours):
    assert time_to_first_touch_hours(CREATED, CREATED + delta) == hours


def test_not_touched_yet():
    assert time_to_first_touch_hours(CREATED, None) is None


def test_time_zones_are_respected():
    beijing = timezone(timedelta(hours=8))
    touched = datetime(2024, 6, 3, 18, 0, tzinfo=beijing)  # 10:00 UTC
    assert time_to_first_touch_hours(CREATED, touched) == Decimal("1.00")


def test_naive_datetimes_work_together():
    created = datetime(2024, 6, 3, 9, 0)
    assert time_to_first_touch_hours(created, datetime(2024, 6, 4, 9, 0)) == Decimal("24.00")


def test_mixing_naive_and_aware_is_an_error():
    with pytest.raises(MethodologyError):
        time_to_first_touch_hours(CREATED, datetime(2024, 6, 3, 10, 0))


def test_touch_before_creation_is_an_error():
    with pytest.raises(MethodologyError):
        time_to_first_touch_hours(CREATED, CREATED - timedelta(seconds=1))


@pytest.mark.parametrize(
    ("values", "median"),
    [
        ([], None),
        ([None, None], None),
        ([Decimal("3.5")], Decimal("3.50")),
        ([Decimal(5), Decimal(1), Decimal(3)], Decimal("3.00")),
        ([Decimal(1), Decimal(2)], Decimal("1.50")),
        ([Decimal("0.01"), Decimal("0.02")], Decimal("0.02")),  # 0.015 → half up
        ([Decimal(4), None, Decimal(2), Decimal(100), None], Decimal("4.00")),
    ],
)
def test_median_hours(values, median):
    assert median_hours(values) == median


def test_median_refuses_negative_hours():
    with pytest.raises(MethodologyError):
        median_hours([Decimal(-1), Decimal(2)])
