"""The balance wheel of a scope and period (METHODOLOGY §3.3): one grouped query.

Revenue is the amount of the deals won in the period (the bookings), each in the source
:mod:`winroom.insights.sources` derives (or a manager's override says).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from winroom.methodology import wheel as core
from winroom.methodology.periods import Period

from .metrics import won_deals
from .models import RevenueSource
from .scope import Scope
from .sources import with_source


@dataclass
class Wheel:
    amounts: dict[str, Decimal]
    counts: dict[str, int]
    overridden: int
    shares: dict[str, Decimal | None]
    as_of: object

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), Decimal(0))

    def rows(self):
        labels = dict(RevenueSource.choices)
        for source in core.SOURCES:
            yield {
                "source": source,
                "label": labels[source],
                "amount": self.amounts[source],
                "count": self.counts[source],
                "share": self.shares[source],
            }

    def chart(self) -> list[dict]:
        labels = dict(RevenueSource.choices)
        return [
            {"name": str(labels[s]), "value": float(self.amounts[s]), "source": s}
            for s in core.SOURCES
        ]


def wheel(scope: Scope, period: Period) -> Wheel:
    rows = (
        with_source(won_deals(scope, period))
        .values("revenue_source")
        .annotate(
            amount_sum=Sum("amount"),
            n=Count("pk"),
            overridden=Count("pk", filter=Q(revenue_source_override__isnull=False)),
        )
        .order_by()
    )
    amounts = dict.fromkeys(core.SOURCES, Decimal(0))
    counts = dict.fromkeys(core.SOURCES, 0)
    overridden = 0
    for row in rows:
        amounts[row["revenue_source"]] = row["amount_sum"] or Decimal(0)
        counts[row["revenue_source"]] = row["n"]
        overridden += row["overridden"]
    return Wheel(amounts, counts, overridden, core.shares(amounts), timezone.now())


def deals_by_source(scope: Scope, period: Period, source: str | None = None):
    """The won deals of the period with their source, for the wheel's explain list."""
    deals = with_source(won_deals(scope, period)).select_related(
        "account", "owner", "revenue_source_override"
    )
    if source:
        deals = deals.filter(revenue_source=source)
    return deals.order_by("-amount", "pk")
