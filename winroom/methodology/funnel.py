"""Lead and visit funnel helpers, METHODOLOGY §3.1, §3.2 and §3.4.

Small arithmetic shared by the lead pool and the behaviour dashboards:

- :func:`conversion_rate`: ``converted / total`` as a fraction in 0..1, quantized to four
  decimal places (half up) like the win rate; ``None`` when ``total`` is 0 — "no data" is
  never shown as 0 %;
- :func:`funnel`: a chain of stage counts (e.g. leads → qualified → opportunities → won,
  or planned → held → effective visits) with each stage's rate from the previous and from
  the first stage;
- :func:`time_to_first_touch_hours`: hours from a lead's creation to its first touch,
  quantized to 0.01, and :func:`median_hours` over many leads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from .errors import MethodologyError

RATE_QUANTUM = Decimal("0.0001")
HOURS_QUANTUM = Decimal("0.01")
SECONDS_PER_HOUR = 3600


def _check_count(label: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise MethodologyError(f"{label} must be an integer")
    if value < 0:
        raise MethodologyError(f"{label} cannot be negative")


def conversion_rate(converted: int, total: int) -> Decimal | None:
    """``converted / total`` in 0..1 (four decimals, half up); None when ``total`` is 0.

    ``converted`` is a subset of ``total`` (the same cohort), so it cannot exceed it.
    """
    _check_count("converted", converted)
    _check_count("total", total)
    if converted > total:
        raise MethodologyError("converted cannot exceed total")
    if total == 0:
        return None
    return (Decimal(converted) / Decimal(total)).quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class FunnelStage:
    """One stage of a funnel: a code the UI translates and how many reached it."""

    code: str
    count: int

    def __post_init__(self) -> None:
        _check_count(f"count of {self.code!r}", self.count)


@dataclass(frozen=True)
class FunnelStep:
    """A stage with its conversion from the previous stage and from the first one.

    Both rates are None for the first stage's ``from_previous`` and whenever the
    denominator is 0.
    """

    code: str
    count: int
    from_previous: Decimal | None
    from_first: Decimal | None


def funnel(stages: Sequence[FunnelStage]) -> tuple[FunnelStep, ...]:
    """Rates along a cohort funnel, in the order given.

    Each stage is a subset of the one before, so counts cannot increase along the funnel;
    codes must be distinct. The first stage has ``from_first`` 1 (or None when empty) and
    no ``from_previous``.
    """
    codes = [stage.code for stage in stages]
    if len(set(codes)) != len(codes):
        raise MethodologyError("funnel stage codes must be distinct")
    steps: list[FunnelStep] = []
    first: FunnelStage | None = None
    previous: FunnelStage | None = None
    for stage in stages:
        if previous is not None and stage.count > previous.count:
            raise MethodologyError("funnel counts cannot increase from one stage to the next")
        if first is None:
            first = stage
        steps.append(
            FunnelStep(
                code=stage.code,
                count=stage.count,
                from_previous=(
                    conversion_rate(stage.count, previous.count) if previous is not None else None
                ),
                from_first=conversion_rate(stage.count, first.count),
            )
        )
        previous = stage
    return tuple(steps)


def time_to_first_touch_hours(
    created_at: datetime, first_touched_at: datetime | None
) -> Decimal | None:
    """Hours from creation to the first touch (0.01, half up); None when not touched yet.

    Both must be aware, or both naive. A first touch before creation is an error.
    """
    if first_touched_at is None:
        return None
    if (created_at.tzinfo is None) != (first_touched_at.tzinfo is None):
        raise MethodologyError("cannot compare a naive and an aware datetime")
    elapsed = first_touched_at - created_at
    if elapsed.total_seconds() < 0:
        raise MethodologyError("a lead cannot be touched before it was created")
    seconds = Decimal(elapsed.days * 86_400 + elapsed.seconds) + Decimal(elapsed.microseconds) / (
        10**6
    )
    return (seconds / SECONDS_PER_HOUR).quantize(HOURS_QUANTUM, rounding=ROUND_HALF_UP)


def median_hours(values: Iterable[Decimal | None]) -> Decimal | None:
    """Median of the given hours, skipping None (not touched yet); None when none is left.

    With an even number of values, the mean of the two middle ones (0.01, half up).
    """
    known = sorted(Decimal(v) for v in values if v is not None)
    if not known:
        return None
    if any(v < 0 for v in known):
        raise MethodologyError("hours cannot be negative")
    middle = len(known) // 2
    odd = len(known) % 2
    median = known[middle] if odd else (known[middle - 1] + known[middle]) / 2
    return median.quantize(HOURS_QUANTUM, rounding=ROUND_HALF_UP)
