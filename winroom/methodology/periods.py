"""Reporting periods for the management numbers (METHODOLOGY §3.2, §3.3, §3.5).

A period is a run of calendar days, both ends included. The presets are the calendar month,
quarter and year holding a given day; the *previous* period is the one the improvement path
compares with: the month, quarter or year before a preset, and for any other run of days the
same number of days just before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .errors import MethodologyError

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
PRESETS = (MONTH, QUARTER, YEAR)
#: the longest period the pages accept (ten years of days)
MAX_DAYS = 3660


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str = CUSTOM

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise MethodologyError("a period cannot end before it starts")
        if (self.end - self.start).days >= MAX_DAYS:
            raise MethodologyError("a period is at most ten years long")
        if self.kind not in (*PRESETS, CUSTOM):
            raise MethodologyError(f"unknown period kind {self.kind!r}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def preset(kind: str, day: date) -> Period:
    """The calendar month, quarter or year that holds ``day``."""
    if kind == MONTH:
        return Period(date(day.year, day.month, 1), _month_end(day.year, day.month), MONTH)
    if kind == QUARTER:
        first = 3 * ((day.month - 1) // 3) + 1
        return Period(date(day.year, first, 1), _month_end(day.year, first + 2), QUARTER)
    if kind == YEAR:
        return Period(date(day.year, 1, 1), date(day.year, 12, 31), YEAR)
    raise MethodologyError(f"unknown preset {kind!r}")


def custom(start: date, end: date) -> Period:
    """A run of days; recognised as a preset when it is exactly one."""
    for kind in PRESETS:
        candidate = preset(kind, start)
        if candidate.start == start and candidate.end == end:
            return candidate
    return Period(start, end, CUSTOM)


def previous(period: Period) -> Period:
    """The period just before: the month/quarter/year before a preset, else as many days."""
    if period.kind in PRESETS:
        return preset(period.kind, period.start - timedelta(days=1))
    length = timedelta(days=period.days)
    return Period(period.start - length, period.end - length, CUSTOM)


def months(period: Period) -> list[date]:
    """The first day of every calendar month the period touches, in order."""
    result = []
    current = date(period.start.year, period.start.month, 1)
    while current <= period.end:
        result.append(current)
        current = _month_end(current.year, current.month) + timedelta(days=1)
    return result


def month_start(day: date) -> date:
    return date(day.year, day.month, 1)
