"""The funnel metrics of a period (METHODOLOGY §3.2), from counts the database adds up.

The database counts and sums per person (:class:`FunnelCounts`); counts add up, so the
figures of a team or of the company are the figures of the sum of its people's counts —
never an average of averages. :func:`figures` turns counts into the metrics:

- lead volume: leads created in the period;
- conversion: of those leads, the share turned into an opportunity;
- win rate: won ÷ closed, over the opportunities closed in the period (won, lost and
  abandoned: an abandoned opportunity did not become a deal either, so the chain
  leads × conversion × win rate still counts deals);
- average deal size: booked amount ÷ won deals;
- sales cycle: mean days from creation to close of the won deals;
- collection ratio: collected ÷ booked, for the deals won in the period;
- renewal rate: renewed ÷ due, for the contracts ending in the period;
- effective visits per rep per week: effective visits × 7 ÷ days (at least a week) ÷ reps;
- new-customer share and cross-sell share: of the booked amount.

"No data" is ``None``, never 0 (a rate over nothing is not 0 %). :func:`driver_values`
feeds the figures to the improvement path (:mod:`.drivers`), holding a driver without data
at a neutral value and saying which.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from .errors import MethodologyError

RATIO = Decimal("0.0001")
MONEY = Decimal("0.01")
DAYS = Decimal("0.1")
PER_WEEK = Decimal("0.01")


@dataclass(frozen=True)
class FunnelCounts:
    """What the database counts for one person (or a sum of people) over one period."""

    leads: int = 0
    qualified: int = 0
    closed: int = 0
    won: int = 0
    booked: Decimal = Decimal(0)
    cycle_days: Decimal = Decimal(0)  # summed over the won deals
    collected: Decimal = Decimal(0)
    due: int = 0
    renewed: int = 0
    effective_visits: int = 0
    new_amount: Decimal = Decimal(0)
    cross_sell_amount: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if value is None or value < 0:
                raise MethodologyError(f"{item.name} cannot be negative")
        if self.qualified > self.leads:
            raise MethodologyError("qualified leads cannot exceed leads")
        if self.won > self.closed:
            raise MethodologyError("won deals cannot exceed closed deals")
        if self.renewed > self.due:
            raise MethodologyError("renewed contracts cannot exceed contracts due")

    def __add__(self, other: FunnelCounts) -> FunnelCounts:
        return FunnelCounts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


def total(counts: list[FunnelCounts] | tuple[FunnelCounts, ...]) -> FunnelCounts:
    result = FunnelCounts()
    for item in counts:
        result = result + item
    return result


def ratio(part: object, whole: object) -> Decimal | None:
    """``part / whole`` to four decimals; None when ``whole`` is 0."""
    p, w = Decimal(str(part)), Decimal(str(whole))
    if w == 0:
        return None
    return (p / w).quantize(RATIO, ROUND_HALF_UP)


def per_rep_per_week(count: int, reps: int, days: int) -> Decimal | None:
    """Visits per rep per week over ``days`` days (a shorter period counts as one week)."""
    if days < 1:
        raise MethodologyError("a period has at least one day")
    if count < 0 or reps < 0:
        raise MethodologyError("counts cannot be negative")
    if reps == 0:
        return None
    weeks = Decimal(max(days, 7)) / 7
    return (Decimal(count) / weeks / reps).quantize(PER_WEEK, ROUND_HALF_UP)


@dataclass(frozen=True)
class FunnelFigures:
    lead_volume: int
    conversion: Decimal | None
    win_rate: Decimal | None
    average_deal_size: Decimal | None
    sales_cycle_days: Decimal | None
    collection_ratio: Decimal | None
    renewal_rate: Decimal | None
    effective_visits_per_rep_week: Decimal | None
    new_customer_share: Decimal | None
    cross_sell_share: Decimal | None
    booked: Decimal
    collected: Decimal


def figures(counts: FunnelCounts, *, reps: int, days: int) -> FunnelFigures:
    won = counts.won
    return FunnelFigures(
        lead_volume=counts.leads,
        conversion=ratio(counts.qualified, counts.leads),
        win_rate=ratio(won, counts.closed),
        average_deal_size=((counts.booked / won).quantize(MONEY, ROUND_HALF_UP) if won else None),
        sales_cycle_days=((counts.cycle_days / won).quantize(DAYS, ROUND_HALF_UP) if won else None),
        collection_ratio=ratio(counts.collected, counts.booked),
        renewal_rate=ratio(counts.renewed, counts.due),
        effective_visits_per_rep_week=per_rep_per_week(counts.effective_visits, reps, days),
        new_customer_share=ratio(counts.new_amount, counts.booked),
        cross_sell_share=ratio(counts.cross_sell_amount, counts.booked),
        booked=counts.booked.quantize(MONEY, ROUND_HALF_UP),
        collected=counts.collected.quantize(MONEY, ROUND_HALF_UP),
    )


#: the figure behind each driver of the improvement path
DRIVER_FIGURES = {
    "leads": "lead_volume",
    "conversion": "conversion",
    "win_rate": "win_rate",
    "deal_size": "average_deal_size",
    "collection": "collection_ratio",
    "renewal": "renewal_rate",
    "cycle": "sales_cycle_days",
}
#: the value a driver without data is held at: it neither adds nor takes away
NEUTRAL = {
    "conversion": Decimal(1),
    "win_rate": Decimal(1),
    "collection": Decimal(1),
    "renewal": Decimal(1),
    "cycle": Decimal(1),
    "deal_size": Decimal(0),
    "leads": Decimal(0),
}


def driver_values(values: FunnelFigures) -> tuple[dict[str, Decimal], tuple[str, ...]]:
    """(the chain's input, the drivers held neutral for lack of data).

    A rate over nothing (no contracts due, no money booked) is held at 1 so that it does not
    wipe out the chain; a missing cycle at one day. A collection ratio above 1 (payments for
    more than was booked) is capped at 1, since the chain treats it as a rate.
    """
    result: dict[str, Decimal] = {}
    missing: list[str] = []
    for driver, name in DRIVER_FIGURES.items():
        value = getattr(values, name)
        if value is None or (driver == "cycle" and value <= 0):
            result[driver] = NEUTRAL[driver]
            missing.append(driver)
            continue
        number = Decimal(value)
        if driver in ("conversion", "win_rate", "collection", "renewal"):
            number = min(number, Decimal(1))
        result[driver] = number
    return result, tuple(missing)
