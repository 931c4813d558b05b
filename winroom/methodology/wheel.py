"""The balance wheel (平衡轮), METHODOLOGY §3.3: revenue by source, and a growth target split
into what each source must deliver.

Sources: existing customers' renewals (老客户续费), existing customers' cross-sell (交叉销售),
new customers (新客户) and customers won from competitors (抢客户). Which source a deal
belongs to is decided by the application from the deal and account history
(:func:`derive_source` states the order); this module does the arithmetic:

- :func:`shares` — each source's share of the revenue (None without revenue);
- :func:`split_growth` — a growth of g on this revenue is ``total × g`` more; by default
  each source delivers that increase in proportion to its share today, or in the
  proportions the manager sets (which must add up to 100 %). The parts are rounded to the
  cent and the rounding remainder goes to the largest part, so they add up exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .errors import MethodologyError

RENEWAL, CROSS_SELL, NEW, COMPETITOR = "renewal", "cross_sell", "new", "competitor"
SOURCES: tuple[str, ...] = (RENEWAL, CROSS_SELL, NEW, COMPETITOR)
MONEY = Decimal("0.01")
RATIO = Decimal("0.0001")


def derive_source(
    *, renews_a_contract: bool, earlier_win_at_account: bool, lost_to_competitor_before: bool
) -> str:
    """The source of a won deal, first rule that holds:

    1. it renews an earlier contract → renewal;
    2. the account had bought from us before → cross-sell;
    3. the account had given an earlier deal to a named competitor → won from a competitor
       (the competitor was the incumbent supplier);
    4. otherwise → new customer.

    The database applies the same order with subqueries (``winroom.insights.wheel``); an
    override recorded by a manager replaces the derived source.
    """
    if renews_a_contract:
        return RENEWAL
    if earlier_win_at_account:
        return CROSS_SELL
    if lost_to_competitor_before:
        return COMPETITOR
    return NEW


def _money(value: object, name: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except Exception as error:
        raise MethodologyError(f"{name} must be a number") from error
    if not number.is_finite() or number < 0:
        raise MethodologyError(f"{name} must be a non-negative number")
    return number


def _check_sources(mapping: Mapping[str, object]) -> None:
    unknown = set(mapping) - set(SOURCES)
    if unknown:
        raise MethodologyError(f"unknown sources: {', '.join(sorted(unknown))}")


def shares(by_source: Mapping[str, object]) -> dict[str, Decimal | None]:
    """Each source's share of the total (four decimals); None for all when there is none."""
    _check_sources(by_source)
    amounts = {s: _money(by_source.get(s, 0), s) for s in SOURCES}
    whole = sum(amounts.values(), Decimal(0))
    if whole == 0:
        return dict.fromkeys(SOURCES, None)
    return {s: (amounts[s] / whole).quantize(RATIO, ROUND_HALF_UP) for s in SOURCES}


@dataclass(frozen=True)
class SourceTarget:
    source: str
    base: Decimal  # revenue today
    weight: Decimal  # share of the increase this source delivers
    increase: Decimal  # what it must add
    target: Decimal  # base + increase

    @property
    def growth(self) -> Decimal | None:
        """The source's own growth rate (None when it has no revenue today)."""
        if self.base == 0:
            return None
        return (self.increase / self.base).quantize(RATIO, ROUND_HALF_UP)


def split_growth(
    by_source: Mapping[str, object],
    growth: object,
    weights: Mapping[str, object] | None = None,
) -> list[SourceTarget]:
    """What each source must deliver for the total to grow by ``growth`` (0.4 = +40 %).

    ``weights`` (fractions, e.g. {"new": 0.5, "cross_sell": 0.5}) must add up to 1; a
    source left out gets 0. Without weights the increase follows today's shares.
    """
    _check_sources(by_source)
    rate = _money(growth, "growth")
    amounts = {s: _money(by_source.get(s, 0), s) for s in SOURCES}
    whole = sum(amounts.values(), Decimal(0))
    if weights is None:
        if whole == 0:
            raise MethodologyError("no revenue to split in proportion to; give the weights")
        split = {s: amounts[s] / whole for s in SOURCES}
    else:
        _check_sources(weights)
        split = {s: _money(weights.get(s, 0), f"weight of {s}") for s in SOURCES}
        if sum(split.values(), Decimal(0)) != 1:
            raise MethodologyError("the weights must add up to 100 %")
    increase = (whole * rate).quantize(MONEY, ROUND_HALF_UP)
    parts = {s: (increase * split[s]).quantize(MONEY, ROUND_HALF_UP) for s in SOURCES}
    remainder = increase - sum(parts.values(), Decimal(0))
    if remainder:
        largest = max(SOURCES, key=lambda s: (parts[s], -SOURCES.index(s)))
        parts[largest] += remainder
    return [
        SourceTarget(
            source=s,
            base=amounts[s],
            weight=split[s].quantize(RATIO, ROUND_HALF_UP),
            increase=parts[s],
            target=amounts[s] + parts[s],
        )
        for s in SOURCES
    ]
