"""The improvement path (绩效提升路径), METHODOLOGY §3.2.

Collected revenue is treated as the product of its drivers::

    revenue = leads × conversion × win_rate × deal_size × collection × renewal × velocity

with ``velocity = 1 / cycle`` (a shorter sales cycle turns the same pipeline over faster).
Everything here works on that chain:

- :func:`chain` — the period's actual values and the revenue they imply;
- :func:`what_if` — the revenue when some drivers move by a percentage each (a rate never
  passes 100 %, a cycle never shrinks to nothing);
- :func:`single_driver_gains` — each driver improved alone by the same step; the first is
  the one that pays most;
- :func:`compound` — every driver improved by the same step together (METHODOLOGY: 5 % each
  compounds to about +41 %);
- :func:`contributions` — how much of the change between two periods each driver explains
  (log decomposition: the parts add up exactly to the total change).

"Improving" the cycle by x % means making it x % shorter, so its factor is ``1 / (1 − x)``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .errors import MethodologyError

#: the drivers in the order the chain multiplies them
DRIVERS: tuple[str, ...] = (
    "leads",
    "conversion",
    "win_rate",
    "deal_size",
    "collection",
    "renewal",
    "cycle",
)
#: drivers that are fractions of a whole: an improvement never takes them past 1
RATES = frozenset({"conversion", "win_rate", "collection", "renewal"})
MONEY = Decimal("0.01")
RATIO = Decimal("0.0001")


@dataclass(frozen=True)
class Chain:
    values: dict[str, Decimal]
    revenue: Decimal

    @property
    def deals(self) -> Decimal:
        """Won deals the funnel implies: leads × conversion × win rate."""
        v = self.values
        return v["leads"] * v["conversion"] * v["win_rate"]


def _d(value: object, name: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except Exception as error:
        raise MethodologyError(f"{name} must be a number") from error
    if not number.is_finite() or number < 0:
        raise MethodologyError(f"{name} must be a non-negative number")
    return number


def _values(values: Mapping[str, object]) -> dict[str, Decimal]:
    missing = [name for name in DRIVERS if name not in values]
    if missing:
        raise MethodologyError(f"missing drivers: {', '.join(missing)}")
    result = {name: _d(values[name], name) for name in DRIVERS}
    for name in RATES:
        if result[name] > 1:
            raise MethodologyError(f"{name} is a rate between 0 and 1")
    if result["cycle"] <= 0:
        raise MethodologyError("cycle must be positive (days)")
    return result


def _revenue(values: Mapping[str, Decimal]) -> Decimal:
    product = Decimal(1)
    for name in DRIVERS[:-1]:
        product *= values[name]
    return product / values["cycle"]


def chain(values: Mapping[str, object]) -> Chain:
    checked = _values(values)
    return Chain(values=checked, revenue=_revenue(checked))


def moved(name: str, value: Decimal, change: Decimal) -> Decimal:
    """One driver after a relative improvement ``change`` (0.05 = 5 % better)."""
    if name == "cycle":
        if change >= 1:
            raise MethodologyError("a cycle cannot become 100 % shorter")
        return value * (1 - change)
    result = value * (1 + change)
    if name in RATES:
        result = min(result, Decimal(1))
    return max(result, Decimal(0))


def what_if(values: Mapping[str, object], changes: Mapping[str, object]) -> Chain:
    """The chain after moving each named driver by its relative change (negative = worse)."""
    base = _values(values)
    unknown = set(changes) - set(DRIVERS)
    if unknown:
        raise MethodologyError(f"unknown drivers: {', '.join(sorted(unknown))}")
    after = dict(base)
    for name, change in changes.items():
        after[name] = moved(name, base[name], Decimal(str(change)))
    return Chain(values=after, revenue=_revenue(after))


def uplift(before: Chain, after: Chain) -> Decimal:
    """Relative revenue change, 4 decimals (0.4106 = +41.06 %); 0 when there was no revenue."""
    if before.revenue == 0:
        return Decimal(0)
    return ((after.revenue / before.revenue) - 1).quantize(RATIO, ROUND_HALF_UP)


@dataclass(frozen=True)
class Gain:
    driver: str
    before: Decimal
    after: Decimal
    uplift: Decimal  # relative revenue change
    revenue_gain: Decimal  # absolute, in the chain's revenue unit
    capped: bool  # a rate hit 100 % before the full step


def single_driver_gains(values: Mapping[str, object], step: object = "0.05") -> list[Gain]:
    """Each driver improved alone by ``step``; sorted, the one that pays most first."""
    base = chain(values)
    change = Decimal(str(step))
    gains = []
    for name in DRIVERS:
        after = what_if(base.values, {name: change})
        wanted = base.values[name] * (1 + change)
        gains.append(
            Gain(
                driver=name,
                before=base.values[name],
                after=after.values[name],
                uplift=uplift(base, after),
                revenue_gain=(after.revenue - base.revenue).quantize(MONEY, ROUND_HALF_UP),
                capped=name in RATES and after.values[name] < wanted,
            )
        )
    order = {name: index for index, name in enumerate(DRIVERS)}
    return sorted(gains, key=lambda g: (-g.uplift, order[g.driver]))


def compound(values: Mapping[str, object], step: object = "0.05") -> Decimal:
    """The uplift of improving every driver by ``step`` at once."""
    base = chain(values)
    change = Decimal(str(step))
    return uplift(base, what_if(base.values, dict.fromkeys(DRIVERS, change)))


def compound_uplift(step: object = "0.05") -> Decimal:
    """The uplift of a uniform step when no rate is capped: (1+x)^6 / (1−x) − 1."""
    x = Decimal(str(step))
    if x >= 1:
        raise MethodologyError("a cycle cannot become 100 % shorter")
    return ((1 + x) ** (len(DRIVERS) - 1) / (1 - x) - 1).quantize(RATIO, ROUND_HALF_UP)


@dataclass(frozen=True)
class Contribution:
    driver: str
    before: Decimal
    after: Decimal
    amount: Decimal  # part of the revenue change this driver explains
    share: Decimal | None  # of the total change; None when the total did not change


def contributions(
    before: Mapping[str, object], after: Mapping[str, object]
) -> tuple[Decimal, list[Contribution]]:
    """Split the revenue change between two periods among the drivers.

    Uses the logarithmic-mean (LMDI) decomposition: each driver's part is
    ``L(R1, R0) · ln(d1 / d0)`` with ``L`` the logarithmic mean of the revenues, so the
    parts add up to ``R1 − R0`` exactly. A driver that is zero in either period cannot be
    decomposed that way: then the whole change is reported and every part is zero.
    """
    first, second = chain(before), chain(after)
    total = second.revenue - first.revenue
    parts: list[Contribution] = []
    zero = any(first.values[n] == 0 or second.values[n] == 0 for n in DRIVERS)
    if zero or total == 0:
        weight = 0.0
    else:
        r0, r1 = float(first.revenue), float(second.revenue)
        weight = (r1 - r0) / (math.log(r1) - math.log(r0))
    amounts: list[Decimal] = []
    for name in DRIVERS:
        if weight == 0.0:
            amounts.append(Decimal(0))
            continue
        d0, d1 = float(first.values[name]), float(second.values[name])
        ratio = math.log(d1 / d0) if name != "cycle" else math.log(d0 / d1)
        amounts.append(Decimal(repr(weight * ratio)))
    rounded = [a.quantize(MONEY, ROUND_HALF_UP) for a in amounts]
    if weight != 0.0:
        # put the rounding remainder on the largest part so the parts add up to the total
        remainder = total.quantize(MONEY, ROUND_HALF_UP) - sum(rounded, Decimal(0))
        largest = max(range(len(rounded)), key=lambda i: abs(rounded[i]))
        rounded[largest] += remainder
    for name, amount in zip(DRIVERS, rounded, strict=True):
        share = None if total == 0 else (amount / total).quantize(RATIO, ROUND_HALF_UP)
        parts.append(Contribution(name, first.values[name], second.values[name], amount, share))
    return total.quantize(MONEY, ROUND_HALF_UP), parts
