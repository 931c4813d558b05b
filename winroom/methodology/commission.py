"""Commission engine (提成), METHODOLOGY §3.6 — pure arithmetic on a plan and a period's facts.

A :class:`Plan` is what the administrator edits; :func:`statement` turns one rep's facts for
a period into :class:`Line` items, each naming the rule behind it, and a total:

- **components** — order (签单), revenue (确认收入) and collection (回款) can each carry pay:
  ``rate`` on the amount up to the component's ``target``; above the target each unit pays
  ``rate × over_multiple`` (the over-target increment, e.g. double or triple). A component
  without a target pays its base rate on everything;
- **strategic breakthrough** — a fixed award per designated strategic account with a booking
  in the period (once per account);
- **gross-margin band** — for a booking whose margin is above the red line, the part of the
  margin between ``band_low`` and ``band_high`` goes to the rep (× ``band_share``);
- **must-win forfeiture** — losing any must-win (保底) account sets the bonus to zero: the
  lines stay visible for the explanation and one line cancels the total;
- **timeliness** — each payout's earned and paid dates give the days it was late.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .errors import MethodologyError

MONEY = Decimal("0.01")
COMPONENTS = ("order", "revenue", "collection")


def _money(value: Decimal) -> Decimal:
    return value.quantize(MONEY, ROUND_HALF_UP)


def _non_negative(value: object, name: str) -> Decimal:
    number = Decimal(str(value))
    if not number.is_finite() or number < 0:
        raise MethodologyError(f"{name} must be a non-negative number")
    return number


@dataclass(frozen=True)
class Component:
    rate: Decimal = Decimal(0)
    target: Decimal | None = None
    over_multiple: Decimal = Decimal(1)

    def __post_init__(self) -> None:
        _non_negative(self.rate, "rate")
        if self.target is not None:
            _non_negative(self.target, "target")
        if Decimal(str(self.over_multiple)) < 1:
            raise MethodologyError("the over-target multiple is at least 1")


@dataclass(frozen=True)
class MarginBand:
    red_line: Decimal
    band_low: Decimal
    band_high: Decimal
    share: Decimal = Decimal(1)

    def __post_init__(self) -> None:
        for name in ("red_line", "band_low", "band_high", "share"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise MethodologyError(f"{name} is a fraction between 0 and 1")
        if self.band_low > self.band_high:
            raise MethodologyError("the band's lower bound is above its upper bound")


@dataclass(frozen=True)
class Plan:
    components: Mapping[str, Component] = field(default_factory=dict)
    strategic_award: Decimal = Decimal(0)
    strategic_accounts: frozenset[object] = frozenset()
    margin_band: MarginBand | None = None

    def __post_init__(self) -> None:
        unknown = set(self.components) - set(COMPONENTS)
        if unknown:
            raise MethodologyError(f"unknown components: {', '.join(sorted(unknown))}")
        _non_negative(self.strategic_award, "strategic award")


@dataclass(frozen=True)
class Booking:
    key: object  # the deal
    account: object
    amount: Decimal
    margin: Decimal | None = None  # gross margin as a fraction of the amount


@dataclass(frozen=True)
class Facts:
    """One rep's period: amounts per component, bookings, and must-win accounts lost."""

    amounts: Mapping[str, Decimal] = field(default_factory=dict)
    bookings: tuple[Booking, ...] = ()
    must_win_lost: tuple[object, ...] = ()


@dataclass(frozen=True)
class Line:
    rule: str  # base, over_target, strategic, margin_band, forfeit
    component: str
    basis: Decimal  # the amount the rule applied to
    rate: Decimal | None
    amount: Decimal
    detail: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Statement:
    lines: tuple[Line, ...]
    earned: Decimal  # before forfeiture
    total: Decimal  # what is payable
    forfeited: bool


def component_lines(name: str, amount: Decimal, component: Component) -> list[Line]:
    amount = _non_negative(amount, name)
    rate = Decimal(str(component.rate))
    if component.target is None:
        return [Line("base", name, amount, rate, _money(amount * rate))]
    target = Decimal(str(component.target))
    within, above = min(amount, target), max(amount - target, Decimal(0))
    lines = [Line("base", name, within, rate, _money(within * rate), {"target": str(target)})]
    if above:
        over_rate = rate * Decimal(str(component.over_multiple))
        lines.append(
            Line(
                "over_target",
                name,
                above,
                over_rate,
                _money(above * over_rate),
                {"target": str(target), "multiple": str(component.over_multiple)},
            )
        )
    return lines


def margin_line(booking: Booking, band: MarginBand) -> Line | None:
    """The band bonus of one booking; None when its margin is not above the red line."""
    if booking.margin is None or booking.margin <= band.red_line:
        return None
    top = min(booking.margin, band.band_high)
    part = max(top - band.band_low, Decimal(0))
    if part == 0:
        return None
    amount = _money(booking.amount * part * band.share)
    return Line(
        "margin_band",
        "order",
        booking.amount,
        part * band.share,
        amount,
        {"deal": booking.key, "margin": str(booking.margin)},
    )


def statement(plan: Plan, facts: Facts) -> Statement:
    lines: list[Line] = []
    for name in COMPONENTS:
        if name in plan.components:
            amount = Decimal(str(facts.amounts.get(name, 0) or 0))
            lines.extend(component_lines(name, amount, plan.components[name]))
    awarded: set[object] = set()
    for booking in facts.bookings:
        if booking.account in plan.strategic_accounts and booking.account not in awarded:
            awarded.add(booking.account)
            lines.append(
                Line(
                    "strategic",
                    "order",
                    booking.amount,
                    None,
                    _money(Decimal(str(plan.strategic_award))),
                    {"account": booking.account, "deal": booking.key},
                )
            )
        if plan.margin_band is not None:
            line = margin_line(booking, plan.margin_band)
            if line is not None:
                lines.append(line)
    earned = sum((line.amount for line in lines), Decimal(0))
    forfeited = bool(facts.must_win_lost)
    if forfeited:
        lines.append(
            Line(
                "forfeit",
                "",
                earned,
                None,
                -earned,
                {"accounts": list(facts.must_win_lost)},
            )
        )
    return Statement(
        tuple(lines), _money(earned), Decimal(0) if forfeited else _money(earned), forfeited
    )


@dataclass(frozen=True)
class Payout:
    amount: Decimal
    earned_on: date
    paid_on: date | None


def days_late(payout: Payout, *, today: date, allowed_days: int = 0) -> int:
    """Days beyond ``allowed_days`` between earning and paying (or today, while unpaid)."""
    end = payout.paid_on or today
    return max((end - payout.earned_on).days - allowed_days, 0)


def on_time_share(
    payouts: Iterable[Payout], *, today: date, allowed_days: int = 0
) -> Decimal | None:
    """Share of payouts paid within the allowed days; None without payouts."""
    items = list(payouts)
    if not items:
        return None
    on_time = sum(
        1
        for p in items
        if p.paid_on is not None and days_late(p, today=today, allowed_days=allowed_days) == 0
    )
    return (Decimal(on_time) / len(items)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
