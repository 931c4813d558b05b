from datetime import date
from decimal import Decimal as D

import pytest

from winroom.methodology import targets as t
from winroom.methodology.errors import MethodologyError


def test_even_split_sums_to_the_year_and_the_last_month_takes_the_remainder():
    months = t.even_split(D("1000000"))
    assert len(months) == 12
    assert months[0] == D("83333.33")
    assert months[11] == D("83333.37")
    assert sum(months) == D("1000000")


def test_even_split_of_zero_and_a_round_figure():
    assert t.even_split(0) == [D("0.00")] * 12
    assert t.even_split(D("1200")) == [D("100.00")] * 12


def test_negative_annual_target_is_refused():
    with pytest.raises(MethodologyError):
        t.even_split(D("-1"))


def test_check_split_accepts_an_exact_sum():
    values = ["0"] * 11 + ["500"]
    assert t.check_split(D("500"), values)[11] == D("500")


@pytest.mark.parametrize(
    "monthly",
    [
        ["100"] * 11,  # eleven values
        ["100"] * 12,  # sums to 1200, not 1000
        ["-100"] + ["100"] * 11,  # negative
        ["x"] + ["100"] * 11,  # not a number
    ],
)
def test_check_split_refuses(monthly):
    with pytest.raises(MethodologyError):
        t.check_split(D("1000"), monthly)


@pytest.mark.parametrize(
    ("kind", "day", "start", "end", "months"),
    [
        (t.MONTH, date(2026, 2, 14), date(2026, 2, 1), date(2026, 3, 1), (2,)),
        (t.MONTH, date(2026, 12, 31), date(2026, 12, 1), date(2027, 1, 1), (12,)),
        (t.QUARTER, date(2026, 5, 1), date(2026, 4, 1), date(2026, 7, 1), (4, 5, 6)),
        (t.QUARTER, date(2026, 11, 30), date(2026, 10, 1), date(2027, 1, 1), (10, 11, 12)),
        (t.YEAR, date(2026, 7, 7), date(2026, 1, 1), date(2027, 1, 1), tuple(range(1, 13))),
    ],
)
def test_periods(kind, day, start, end, months):
    period = t.period_of(kind, day)
    assert (period.start, period.end, period.months) == (start, end, months)


def test_unknown_period_kind():
    with pytest.raises(MethodologyError):
        t.period_of("week", date(2026, 1, 1))


def test_previous_period_crosses_the_year():
    assert t.previous(t.period_of(t.MONTH, date(2026, 1, 5))).start == date(2025, 12, 1)
    assert t.previous(t.period_of(t.QUARTER, date(2026, 2, 5))).start == date(2025, 10, 1)
    assert t.previous(t.period_of(t.YEAR, date(2026, 2, 5))).start == date(2025, 1, 1)


def test_period_target_sums_its_months():
    monthly = [D(m * 10) for m in range(1, 13)]
    assert t.period_target(monthly, (4, 5, 6)) == D(150)
    with pytest.raises(MethodologyError):
        t.period_target(monthly, (13,))


def test_attainment():
    assert t.attainment(D("125000"), D("100000")) == D("1.2500")
    assert t.attainment(D("1"), D("3")) == D("0.3333")
    assert t.attainment(D("5"), D("0")) is None
