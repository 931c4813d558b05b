"""Funnel metrics per company, team and rep (METHODOLOGY §3.2), counted by the database.

Six grouped queries, whatever the size of the company: leads, closed deals, payments,
contracts due, effective visits — each grouped by the person it belongs to — and the
people themselves. Counts are additive, so a team's numbers are the sum of its people's
(:class:`~winroom.methodology.funnel_metrics.FunnelCounts`) and the core turns sums into
rates. Nothing here loops over deals.

Who a record belongs to: a lead its current holder (leads in the pool count for the company
only); a deal, its payments and its contract the deal's owner; a visit the rep who made it.

The definitions, for the page's "how is this computed" and the tests:

- lead volume — leads created in the period; conversion — of them, those qualified into an
  opportunity;
- win rate — won ÷ closed over the deals closed in the period (won, lost or abandoned);
- average deal size — booked ÷ won, booked being the amount of the deals won in the period;
- sales cycle — mean days from a won deal's creation to its close;
- collection ratio — payments received by the end of the period against the deals won in
  it, ÷ booked;
- renewal rate — contracts ending in the period that a won deal renews (at any time), ÷
  contracts ending in the period;
- effective visits per rep per week — effective visits in the period × 7 ÷ the period's
  days (at least 7) ÷ the scope's active sales reps;
- new-customer share — booked at first-time customers (new or won from a competitor) ÷
  booked; cross-sell share — booked as cross-sell ÷ booked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from winroom.deals.models import Deal, DealStatus
from winroom.leads.models import Lead, LeadStatus
from winroom.methodology import funnel_metrics as core
from winroom.methodology.periods import Period
from winroom.org.models import Role, User
from winroom.visits.models import Visit, VisitStatus

from .models import Contract, Payment
from .scope import REP, Scope
from .sources import FIRST_TIME, with_source

CLOSED = [DealStatus.WON, DealStatus.LOST, DealStatus.ABANDONED]
DAY = timedelta(days=1)

#: (figure, label, how it is computed) — the order of the metrics page and the exports
METRICS = [
    ("lead_volume", _("Lead volume"), _("Leads created in the period.")),
    (
        "conversion",
        _("Lead → opportunity conversion"),
        _("Leads of the period qualified into an opportunity ÷ leads of the period."),
    ),
    (
        "win_rate",
        _("Win rate"),
        _("Won ÷ closed, over the opportunities closed in the period (won, lost or abandoned)."),
    ),
    (
        "average_deal_size",
        _("Average deal size"),
        _("Amount of the opportunities won in the period ÷ their number."),
    ),
    (
        "sales_cycle_days",
        _("Sales cycle (days)"),
        _("Mean days from creation to close of the opportunities won in the period."),
    ),
    (
        "collection_ratio",
        _("Collection ratio"),
        _(
            "Payments received by the end of the period against the opportunities won in it "
            "÷ their amount."
        ),
    ),
    (
        "renewal_rate",
        _("Renewal rate"),
        _("Contracts ending in the period that a won opportunity renews ÷ contracts ending."),
    ),
    (
        "effective_visits_per_rep_week",
        _("Effective visits per rep per week"),
        _(
            "Effective visits in the period × 7 ÷ the period's days (at least 7) ÷ the active "
            "sales reps of the scope."
        ),
    ),
    (
        "new_customer_share",
        _("New-customer share"),
        _("Booked at first-time customers (new, or won from a competitor) ÷ booked in the period."),
    ),
    (
        "cross_sell_share",
        _("Cross-sell share"),
        _("Booked as cross-sell to existing customers ÷ booked in the period."),
    ),
]
RATES = {
    "conversion",
    "win_rate",
    "collection_ratio",
    "renewal_rate",
    "new_customer_share",
    "cross_sell_share",
}
MONEY_FIGURES = {"average_deal_size"}


def bounds(period: Period) -> tuple[datetime, datetime]:
    """The first moment of the period and the first moment after it (company time zone)."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(period.start, time.min, tzinfo=zone),
        datetime.combine(period.end + DAY, time.min, tzinfo=zone),
    )


def _owner_filter(scope: Scope, field_name: str) -> Q:
    if scope.owner_ids is None:
        return Q()
    return Q(**{f"{field_name}__in": sorted(scope.owner_ids)})


def closed_deals(scope: Scope, period: Period):
    first, after = bounds(period)
    return Deal.objects.filter(
        _owner_filter(scope, "owner_id"),
        status__in=CLOSED,
        closed_at__gte=first,
        closed_at__lt=after,
        account__deleted_at__isnull=True,
    )


def won_deals(scope: Scope, period: Period):
    return closed_deals(scope, period).filter(status=DealStatus.WON)


def contracts_due(scope: Scope, period: Period):
    renewed = Contract.objects.filter(
        renewal_of_id=OuterRef("deal_id"),
        deal__status=DealStatus.WON,
        deal__deleted_at__isnull=True,
    )
    return Contract.objects.filter(
        _owner_filter(scope, "deal__owner_id"),
        ends_on__gte=period.start,
        ends_on__lte=period.end,
        deal__deleted_at__isnull=True,
        deal__account__deleted_at__isnull=True,
    ).annotate(is_renewed=Exists(renewed))


def _empty() -> dict:
    return {
        "leads": 0,
        "qualified": 0,
        "closed": 0,
        "won": 0,
        "booked": Decimal(0),
        "cycle_days": Decimal(0),
        "collected": Decimal(0),
        "due": 0,
        "renewed": 0,
        "effective_visits": 0,
        "new_amount": Decimal(0),
        "cross_sell_amount": Decimal(0),
    }


def _days(value) -> Decimal:
    if value is None:
        return Decimal(0)
    if isinstance(value, timedelta):
        return Decimal(value.days) + Decimal(value.seconds) / 86400
    return Decimal(str(value)) / Decimal(86_400_000_000)  # microseconds (some backends)


def counts_by_owner(scope: Scope, period: Period) -> dict[int | None, core.FunnelCounts]:
    """The period's counts per person (None: leads in the pool), five grouped queries."""
    first, after = bounds(period)
    rows: dict[int | None, dict] = defaultdict(_empty)

    leads = Lead.objects.filter(
        _owner_filter(scope, "owner_id"), created_at__gte=first, created_at__lt=after
    )
    for row in (
        leads.values("owner_id")
        .annotate(n=Count("pk"), q=Count("pk", filter=Q(status=LeadStatus.QUALIFIED)))
        .order_by()
    ):
        rows[row["owner_id"]]["leads"] = row["n"]
        rows[row["owner_id"]]["qualified"] = row["q"]

    won = Q(status=DealStatus.WON)
    cycle = ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField())
    deals = with_source(closed_deals(scope, period))
    for row in (
        deals.values("owner_id")
        .annotate(
            n_closed=Count("pk"),
            n_won=Count("pk", filter=won),
            n_booked=Sum("amount", filter=won),
            # a deal recorded as closed before its creation (history imported without its
            # start date) counts a cycle of 0 days rather than a negative one
            n_cycle=Sum(cycle, filter=won & Q(closed_at__gte=F("created_at"))),
            n_new=Sum("amount", filter=won & Q(revenue_source__in=FIRST_TIME)),
            n_cross=Sum("amount", filter=won & Q(revenue_source="cross_sell")),
        )
        .order_by()
    ):
        target = rows[row["owner_id"]]
        target["closed"] = row["n_closed"]
        target["won"] = row["n_won"]
        target["booked"] = row["n_booked"] or Decimal(0)
        target["cycle_days"] = _days(row["n_cycle"])
        target["new_amount"] = row["n_new"] or Decimal(0)
        target["cross_sell_amount"] = row["n_cross"] or Decimal(0)

    payments = Payment.objects.filter(
        deal__in=won_deals(scope, period).values("pk"), received_on__lte=period.end
    )
    for row in payments.values("deal__owner_id").annotate(s=Sum("amount")).order_by():
        rows[row["deal__owner_id"]]["collected"] = row["s"] or Decimal(0)

    for row in (
        contracts_due(scope, period)
        .values("deal__owner_id")
        .annotate(n=Count("pk"), r=Count("pk", filter=Q(is_renewed=True)))
        .order_by()
    ):
        rows[row["deal__owner_id"]]["due"] = row["n"]
        rows[row["deal__owner_id"]]["renewed"] = row["r"]

    visits = Visit.objects.filter(
        _owner_filter(scope, "owner_id"),
        status=VisitStatus.DONE,
        effective=True,
        visited_on__gte=period.start,
        visited_on__lte=period.end,
    )
    for row in visits.values("owner_id").annotate(n=Count("pk")).order_by():
        rows[row["owner_id"]]["effective_visits"] = row["n"]

    return {owner: core.FunnelCounts(**values) for owner, values in rows.items()}


@dataclass
class Row:
    """One line of a breakdown: a team (rolled up) or a person."""

    key: str  # the scope code to open it
    label: str
    depth: int
    counts: core.FunnelCounts
    reps: int
    figures: core.FunnelFigures
    is_team: bool


@dataclass
class Report:
    scope: Scope
    period: Period
    counts: core.FunnelCounts
    reps: int
    figures: core.FunnelFigures
    teams: list[Row] = field(default_factory=list)
    people: list[Row] = field(default_factory=list)
    as_of: datetime = field(default_factory=timezone.now)


def _people(scope: Scope) -> dict[int, tuple[str, int | None, bool]]:
    """(name, team, counts as an active sales rep) for every person of a team scope."""
    users = User.objects.all()
    if scope.owner_ids is not None:
        users = users.filter(pk__in=sorted(scope.owner_ids))
    fields = ("pk", "username", "display_name", "first_name", "last_name", "team_id")
    return {
        u.pk: (str(u), u.team_id, u.is_active and u.role == Role.REP)
        for u in users.only(*fields, "is_active", "role")
    }


CACHE_SECONDS = 300


def cached_counts(scope: Scope, period: Period, *, fresh: bool = False):
    """(counts per person, when they were counted), kept for five minutes and dropped at
    once when a payment, contract or source override is recorded (``actions.bump``)."""
    from .actions import version

    key = f"insights:counts:{version()}:{scope.code}:{period.start}:{period.end}"
    entry = None if fresh else cache.get(key)
    if entry is None:
        entry = (counts_by_owner(scope, period), timezone.now())
        cache.set(key, entry, CACHE_SECONDS)
    return entry


def report(scope: Scope, period: Period, *, breakdown: bool = True, fresh: bool = False) -> Report:
    """The figures of the scope, and (``breakdown``) the same per sub-team and per person."""
    by_owner, as_of = cached_counts(scope, period, fresh=fresh)
    days = period.days
    if scope.kind == REP:
        total = by_owner.get(scope.rep.pk, core.FunnelCounts())
        people, reps = {}, 1
    else:
        total = core.total(list(by_owner.values()))
        people = _people(scope)
        reps = sum(1 for _n, _t, is_rep in people.values() if is_rep)
    result = Report(
        scope, period, total, reps, core.figures(total, reps=reps, days=days), as_of=as_of
    )
    if not breakdown or scope.kind == REP:
        return result

    tree = scope.tree
    team_counts: dict[int, core.FunnelCounts] = defaultdict(core.FunnelCounts)
    team_reps: dict[int, int] = defaultdict(int)
    for pk, (_name, team, is_rep) in people.items():
        if team is None:
            continue
        node = team
        seen = set()
        while node is not None and node not in seen:  # add up through the tree
            seen.add(node)
            team_counts[node] = team_counts[node] + by_owner.get(pk, core.FunnelCounts())
            team_reps[node] += int(is_rep)
            node = tree.parent.get(node)
    roots = [scope.team_id] if scope.kind == "team" else tree.children.get(None, [])
    base_depth = tree.depth(scope.team_id) if scope.kind == "team" else 0
    for team in tree.ordered(roots):
        counts = team_counts.get(team, core.FunnelCounts())
        result.teams.append(
            Row(
                key=f"team:{team}",
                label=tree.names[team],
                depth=tree.depth(team) - base_depth,
                counts=counts,
                reps=team_reps.get(team, 0),
                figures=core.figures(counts, reps=team_reps.get(team, 0), days=days),
                is_team=True,
            )
        )
    for pk, (name, _team, is_rep) in sorted(people.items(), key=lambda item: item[1][0]):
        counts = by_owner.get(pk)
        if counts is None and not is_rep:
            continue
        counts = counts or core.FunnelCounts()
        result.people.append(
            Row(
                key=f"rep:{pk}",
                label=name,
                depth=0,
                counts=counts,
                reps=1,
                figures=core.figures(counts, reps=1, days=days),
                is_team=False,
            )
        )
    return result


def explain(counts: core.FunnelCounts, reps: int, days: int) -> dict[str, str]:
    """The inputs behind each figure, in words, for the page's "explain" toggle."""
    return {
        "lead_volume": _("%(n)s leads") % {"n": counts.leads},
        "conversion": _("%(q)s qualified of %(n)s leads")
        % {"q": counts.qualified, "n": counts.leads},
        "win_rate": _("%(w)s won of %(c)s closed") % {"w": counts.won, "c": counts.closed},
        "average_deal_size": _("%(b)s booked over %(w)s won")
        % {"b": counts.booked, "w": counts.won},
        "sales_cycle_days": _("%(d)s days in all over %(w)s won")
        % {"d": counts.cycle_days.quantize(Decimal("0.1")), "w": counts.won},
        "collection_ratio": _("%(c)s collected of %(b)s booked")
        % {"c": counts.collected, "b": counts.booked},
        "renewal_rate": _("%(r)s renewed of %(d)s due") % {"r": counts.renewed, "d": counts.due},
        "effective_visits_per_rep_week": _("%(v)s effective visits, %(r)s reps, %(d)s days")
        % {"v": counts.effective_visits, "r": reps, "d": days},
        "new_customer_share": _("%(a)s of %(b)s booked")
        % {"a": counts.new_amount, "b": counts.booked},
        "cross_sell_share": _("%(a)s of %(b)s booked")
        % {"a": counts.cross_sell_amount, "b": counts.booked},
    }
