from datetime import date

import pytest

from winroom.methodology import periods
from winroom.methodology.errors import MethodologyError


@pytest.mark.parametrize(
    ("kind", "day", "start", "end"),
    [
        ("month", date(2026, 2, 14), date(2026, 2, 1), date(2026, 2, 28)),
        ("month", date(2028, 2, 29), date(2028, 2, 1), date(2028, 2, 29)),
        ("month", date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
        ("quarter", date(2026, 5, 5), date(2026, 4, 1), date(2026, 6, 30)),
        ("quarter", date(2026, 12, 1), date(2026, 10, 1), date(2026, 12, 31)),
        ("quarter", date(2026, 1, 1), date(2026, 1, 1), date(2026, 3, 31)),
        ("year", date(2026, 7, 7), date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_presets_hold_the_day(kind, day, start, end):
    period = periods.preset(kind, day)
    assert (period.start, period.end, period.kind) == (start, end, kind)
    assert day in period


def test_previous_of_a_preset_is_the_calendar_unit_before():
    assert periods.previous(periods.preset("month", date(2026, 3, 31))) == periods.Period(
        date(2026, 2, 1), date(2026, 2, 28), "month"
    )
    assert periods.previous(periods.preset("quarter", date(2026, 2, 1))).start == date(2025, 10, 1)
    assert periods.previous(periods.preset("year", date(2026, 2, 1))).end == date(2025, 12, 31)


def test_previous_of_custom_days_is_as_many_days_before():
    period = periods.custom(date(2026, 3, 10), date(2026, 3, 19))
    assert period.kind == "custom"
    before = periods.previous(period)
    assert (before.start, before.end, before.days) == (date(2026, 2, 28), date(2026, 3, 9), 10)


def test_custom_recognises_an_exact_preset():
    assert periods.custom(date(2026, 4, 1), date(2026, 6, 30)).kind == "quarter"
    assert periods.custom(date(2026, 4, 1), date(2026, 4, 30)).kind == "month"
    assert periods.custom(date(2026, 1, 1), date(2026, 12, 31)).kind == "year"


def test_a_single_day_is_a_period():
    assert periods.custom(date(2026, 1, 5), date(2026, 1, 5)).days == 1


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2026, 2, 2), date(2026, 2, 1)), (date(2016, 1, 1), date(2026, 1, 20))],
)
def test_refused_periods(start, end):
    with pytest.raises(MethodologyError):
        periods.Period(start, end)


def test_unknown_kind_is_refused():
    with pytest.raises(MethodologyError):
        periods.preset("week", date(2026, 1, 1))
    with pytest.raises(MethodologyError):
        periods.Period(date(2026, 1, 1), date(2026, 1, 2), "week")


def test_months_touched():
    period = periods.custom(date(2025, 11, 20), date(2026, 1, 3))
    assert periods.months(period) == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]
    assert periods.month_start(date(2026, 5, 31)) == date(2026, 5, 1)
