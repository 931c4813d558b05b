"""Targets (目标) and periods, METHODOLOGY §3.3 and §3.6 — pure arithmetic.

- :func:`even_split` — an annual target split evenly over twelve months, to the fen; the
  rounding remainder goes to the last month so the months always sum to the year;
- :func:`check_split` — a monthly split must have twelve non-negative values that sum to the
  annual figure exactly;
- :func:`period_months` / :func:`period_bounds` — the months and the first/last-day-after of a
  month, quarter or year period containing a given day;
- :func:`period_target` — the target of a period: the sum of its months' values;
- :func:`attainment` — actual over target (None without a target).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from .errors import MethodologyError

MONEY = Decimal("0.01")
RATIO = Decimal("0.0001")
MONTHS = 12

MONTH, QUARTER, YEAR = "month", "quarter", "year"
PERIODS = (MONTH, QUARTER, YEAR)


def _number(value: object, name: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except ArithmeticError as error:
        raise MethodologyError(f"{name} is not a number") from error
    if not number.is_finite() or number < 0:
        raise MethodologyError(f"{name} must be a non-negative number")
    return number


def even_split(annual: object) -> list[Decimal]:
    """Twelve monthly values summing to ``annual`` (the last month takes the remainder)."""
    total = _number(annual, "the annual target").quantize(MONEY, ROUND_HALF_UP)
    month = (total / MONTHS).quantize(MONEY, ROUND_DOWN)
    return [month] * (MONTHS - 1) + [total - month * (MONTHS - 1)]


def check_split(annual: object, monthly: Sequence[object]) -> list[Decimal]:
    """The split as Decimals; raises when it is not twelve values summing to ``annual``."""
    if len(monthly) != MONTHS:
        raise MethodologyError("a monthly split has twelve values")
    values = [_number(v, "a month's target") for v in monthly]
    if sum(values, Decimal(0)) != _number(annual, "the annual target"):
        raise MethodologyError("the months must sum to the annual target")
    return values


@dataclass(frozen=True)
class Period:
    kind: str
    start: date  # first day
    end: date  # the day after the last day
    months: tuple[int, ...]  # month numbers (1–12) of the period, all in start.year

    @property
    def year(self) -> int:
        return self.start.year


def period_of(kind: str, day: date) -> Period:
    """The month, quarter or year that contains ``day``."""
    if kind == MONTH:
        first = day.month
        count = 1
    elif kind == QUARTER:
        first = (day.month - 1) // 3 * 3 + 1
        count = 3
    elif kind == YEAR:
        first, count = 1, 12
    else:
        raise MethodologyError(f"unknown period kind: {kind}")
    start = date(day.year, first, 1)
    last = first + count  # the month after the period, maybe 13
    end = date(day.year + 1, 1, 1) if last > 12 else date(day.year, last, 1)
    return Period(kind, start, end, tuple(range(first, first + count)))


def previous(period: Period) -> Period:
    """The period of the same kind just before ``period``."""
    day = period.start
    before = date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1)
    return period_of(period.kind, before)


def period_target(monthly: Sequence[object], months: Sequence[int]) -> Decimal:
    """The target of the given months (1–12) from a twelve-value split."""
    if len(monthly) != MONTHS:
        raise MethodologyError("a monthly split has twelve values")
    if any(not 1 <= m <= MONTHS for m in months):
        raise MethodologyError("months are numbered 1 to 12")
    return sum((_number(monthly[m - 1], "a month's target") for m in months), Decimal(0))


def attainment(actual: object, target: object) -> Decimal | None:
    """Actual / target as a fraction to four places; None when there is no target."""
    goal = _number(target, "the target")
    if goal == 0:
        return None
    return (_number(actual, "the actual") / goal).quantize(RATIO, ROUND_HALF_UP)
