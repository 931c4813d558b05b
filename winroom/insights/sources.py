"""The revenue source of each won deal, derived in SQL (METHODOLOGY §3.3, balance wheel).

The order of the rules is the core's (:func:`winroom.methodology.wheel.derive_source`):

1. **renewal** — the deal's contract renews an earlier contract (``Contract.renewal_of``);
2. **cross-sell** — the account had a won deal that closed before this one;
3. **won from a competitor** — the account had no earlier win with us, but an earlier deal
   there was lost to a named competitor (``Deal.winner``): that competitor was the
   incumbent supplier we replaced (抢客户 / 替换);
4. **new** — none of these.

A manager's :class:`~winroom.insights.models.RevenueSourceOverride` replaces the derived
source. Everything is one annotation (``Exists`` subqueries), so the wheel, the shares and
the funnel metrics group and sum in the database.
"""

from django.db.models import Case, CharField, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from winroom.deals.models import Deal, DealStatus
from winroom.methodology import wheel as core

from .models import Contract, RevenueSourceOverride

#: the sources of first-time customers (the new-customer share of the funnel metrics)
FIRST_TIME = (core.NEW, core.COMPETITOR)


def _earlier(status_q: Q):
    return Deal.objects.filter(
        status_q,
        account_id=OuterRef("account_id"),
        closed_at__lt=OuterRef("closed_at"),
    ).exclude(pk=OuterRef("pk"))


def derived_source():
    renews = Contract.objects.filter(deal_id=OuterRef("pk"), renewal_of__isnull=False)
    earlier_win = _earlier(Q(status=DealStatus.WON))
    lost_to_competitor = _earlier(Q(status=DealStatus.LOST, winner__isnull=False))
    return Case(
        When(Exists(renews), then=Value(core.RENEWAL)),
        When(Exists(earlier_win), then=Value(core.CROSS_SELL)),
        When(Exists(lost_to_competitor), then=Value(core.COMPETITOR)),
        default=Value(core.NEW),
        output_field=CharField(),
    )


def with_source(deals):
    """``deals`` annotated with ``derived_source`` and ``revenue_source`` (override applied)."""
    override = RevenueSourceOverride.objects.filter(deal_id=OuterRef("pk")).values("source")[:1]
    return deals.annotate(
        derived_source=derived_source(),
        revenue_source=Coalesce(Subquery(override), derived_source(), output_field=CharField()),
    )
