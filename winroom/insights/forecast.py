"""The win-rate-weighted forecast (METHODOLOGY §3.5), by expected-close month, team and rep.

The open pipeline of a scope, each deal weighted by its rule-based win rate (§2.6):

- a computed win rate is used as it is;
- a deal "not assessed" (a C/D deal that skipped the questionnaire) is weighted with the
  company's historical win rate for its grade over the last 365 days (won ÷ closed), and
  the page says so;
- a deal without a win rate ("not computed": no compelling event) is not weighted at all;
  its amount is shown apart, never counted at 0 % or 50 %.

Categories by the weighting rate: commit (≥ 70 %), best case (40–70 %), pipeline (< 40 %)
(:mod:`winroom.methodology.forecast`). One grouped query gives amount and weighted amount
per person × month × category; the team tree adds them up
(:mod:`winroom.methodology.forecast_rollup`), with the managers' adjustments beside the
computed numbers. Nothing here loops over deals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from winroom.deals.models import Deal, DealStatus, WinRateStatus
from winroom.methodology import forecast as core
from winroom.methodology import forecast_rollup as rollup_core
from winroom.methodology.periods import month_start
from winroom.org.models import User

from .models import ForecastAdjustment
from .scope import REP, Scope

NOT_COMPUTED = "not_computed"
CATEGORY_LABELS = {
    core.COMMIT: _("Commit"),
    core.BEST_CASE: _("Best case"),
    core.PIPELINE: _("Pipeline"),
    NOT_COMPUTED: _("No win rate"),
}
CATEGORY_RULES = {
    core.COMMIT: _("win rate ≥ 70 %"),
    core.BEST_CASE: _("40 % ≤ win rate < 70 %"),
    core.PIPELINE: _("win rate < 40 %"),
    NOT_COMPUTED: _("no compelling event: not weighted"),
}
MONEY = Decimal("0.01")
HISTORY_DAYS = 365
RATE_FIELD = DecimalField(max_digits=5, decimal_places=4)


def grade_rates(now=None) -> dict[str, Decimal]:
    """The company's win rate per grade over the deals closed in the last 365 days."""
    now = now or timezone.now()
    rows = (
        Deal.objects.filter(
            status__in=[DealStatus.WON, DealStatus.LOST, DealStatus.ABANDONED],
            closed_at__gte=now - timedelta(days=HISTORY_DAYS),
        )
        .values("grade")
        .annotate(n=Count("pk"), won=Count("pk", filter=Q(status=DealStatus.WON)))
        .order_by()
    )
    return {
        row["grade"]: (Decimal(row["won"]) / row["n"]).quantize(Decimal("0.0001"))
        for row in rows
        if row["n"]
    }


def open_pipeline(scope: Scope):
    return Deal.objects.filter(scope.q(), status=DealStatus.OPEN, account__deleted_at__isnull=True)


def weighted_pipeline(deals, rates: dict[str, Decimal]):
    """Deals annotated with the weighting ``rate``, its ``category`` and ``close_month``."""
    by_grade = [
        When(win_rate_status=WinRateStatus.NOT_ASSESSED, grade=grade, then=Value(rate))
        for grade, rate in sorted(rates.items())
    ]
    rate = Case(
        When(win_rate__isnull=False, then=F("win_rate")),
        *by_grade,
        default=Value(None),
        output_field=RATE_FIELD,
    )
    category = Case(
        When(rate__gte=core.COMMIT_FROM, then=Value(core.COMMIT)),
        When(rate__gte=core.BEST_CASE_FROM, then=Value(core.BEST_CASE)),
        When(rate__isnull=False, then=Value(core.PIPELINE)),
        default=Value(NOT_COMPUTED),
        output_field=CharField(),
    )
    return deals.annotate(rate=rate).annotate(
        category=category,
        close_month=TruncMonth("expected_close"),
        weighted=ExpressionWrapper(
            F("amount") * F("rate"), output_field=DecimalField(max_digits=22, decimal_places=6)
        ),
        by_history=Case(
            When(win_rate__isnull=True, rate__isnull=False, then=Value(True)),
            default=Value(False),
        ),
    )


@dataclass
class Cell:
    count: int = 0
    amount: Decimal = Decimal(0)
    weighted: Decimal = Decimal(0)
    by_history: int = 0

    def add(self, other: Cell) -> None:
        self.count += other.count
        self.amount += other.amount
        self.weighted += other.weighted
        self.by_history += other.by_history


@dataclass
class TreeRow:
    key: str  # "team:<id>" or "rep:<id>"
    label: str
    depth: int
    is_team: bool
    computed: Decimal
    adjusted: Decimal
    adjustment: ForecastAdjustment | None
    adjusted_below: bool
    team_id: int | None = None
    rep_id: int | None = None


@dataclass
class Forecast:
    scope: Scope
    months: list[date]  # the horizon, month by month
    #: month (or None: no expected close; the key OVERDUE: before the horizon) → category → cell
    grid: dict[object, dict[str, Cell]]
    total: dict[str, Cell]
    tree: list[TreeRow] = field(default_factory=list)
    tree_month: date | None = None
    grade_rates: dict[str, Decimal] = field(default_factory=dict)
    as_of: object = None

    @property
    def weighted(self) -> Decimal:
        return sum((c.weighted for c in self.total.values()), Decimal(0)).quantize(MONEY)

    @property
    def amount(self) -> Decimal:
        return sum((c.amount for c in self.total.values()), Decimal(0))

    @property
    def by_history(self) -> int:
        return sum(c.by_history for c in self.total.values())


OVERDUE = "overdue"
LATER = "later"
CATEGORIES = (*core.CATEGORIES, NOT_COMPUTED)


def horizon(first: date, count: int) -> list[date]:
    months, current = [], month_start(first)
    for _i in range(count):
        months.append(current)
        current = month_start(current + timedelta(days=32))
    return months


def _bucket(month: date | None, months: list[date]):
    if month is None:
        return None
    if month < months[0]:
        return OVERDUE
    if month > months[-1]:
        return LATER
    return month


def grouped_rows(scope: Scope, rates: dict[str, Decimal]) -> list[dict]:
    """One query: per owner × expected-close month × category, count, amount, weighted."""
    deals = weighted_pipeline(open_pipeline(scope), rates)
    return list(
        deals.values("owner_id", "close_month", "category")
        .annotate(
            n=Count("pk"),
            amount_sum=Sum("amount"),
            weighted_sum=Sum("weighted"),
            history_n=Count("pk", filter=Q(by_history=True)),
        )
        .order_by()
    )


def build(scope: Scope, *, today: date | None = None, months: int = 6, tree_month=None):
    """The scope's forecast over ``months`` months from the month of ``today``."""
    today = today or timezone.localdate()
    first_month = month_start(today)
    span = horizon(first_month, months)
    rates = grade_rates(datetime.combine(today, time.min, tzinfo=timezone.get_current_timezone()))
    rows = grouped_rows(scope, rates)
    grid: dict[object, dict[str, Cell]] = {
        key: {c: Cell() for c in CATEGORIES} for key in [OVERDUE, *span, LATER, None]
    }
    total = {c: Cell() for c in CATEGORIES}
    per_owner_month: dict[tuple[int, object], Decimal] = defaultdict(Decimal)
    for row in rows:
        cell = Cell(
            row["n"],
            row["amount_sum"] or Decimal(0),
            row["weighted_sum"] or Decimal(0),
            row["history_n"],
        )
        bucket = _bucket(row["close_month"], span)
        grid[bucket][row["category"]].add(cell)
        total[row["category"]].add(cell)
        per_owner_month[(row["owner_id"], row["close_month"])] += cell.weighted
    result = Forecast(
        scope=scope,
        months=span,
        grid=grid,
        total=total,
        grade_rates=rates,
        as_of=timezone.now(),
    )
    chosen = month_start(tree_month) if tree_month else first_month
    result.tree_month = chosen
    result.tree = tree(scope, chosen, per_owner_month)
    return result


def tree(scope: Scope, month: date, per_owner_month) -> list[TreeRow]:
    """The team tree of the scope for one month: computed, adjusted, the adjustment."""
    owners = _owners(scope)
    adjustments = _adjustments(scope, month, owners)
    nodes: list[rollup_core.Node] = []
    tree_data = scope.tree
    teams = sorted(scope.team_ids)
    for team in teams:
        parent = tree_data.parent.get(team)
        nodes.append(
            rollup_core.Node(
                key=f"team:{team}",
                parent=f"team:{parent}" if parent in scope.team_ids else None,
                adjustment=_core(adjustments.get(f"team:{team}")),
            )
        )
    for pk, (_name, team) in owners.items():
        nodes.append(
            rollup_core.Node(
                key=f"rep:{pk}",
                parent=f"team:{team}" if team in scope.team_ids else None,
                computed=max(per_owner_month.get((pk, month), Decimal(0)), Decimal(0)),
                adjustment=_core(adjustments.get(f"rep:{pk}")),
            )
        )
    rolled = rollup_core.rollup(nodes)
    rows: list[TreeRow] = []
    base = tree_data.depth(scope.team_id) if scope.team_id else 0

    def add_person(pk: int, depth: int) -> None:
        key = f"rep:{pk}"
        r = rolled[key]
        rows.append(
            TreeRow(
                key,
                owners[pk][0],
                depth,
                False,
                r.computed.quantize(MONEY, ROUND_HALF_UP),
                r.adjusted.quantize(MONEY, ROUND_HALF_UP),
                adjustments.get(key),
                r.adjusted_below,
                rep_id=pk,
            )
        )

    if scope.kind == REP:
        add_person(scope.rep.pk, 0)
        return rows
    members: dict[int | None, list[int]] = defaultdict(list)
    for pk, (_name, team) in sorted(owners.items(), key=lambda item: item[1][0]):
        members[team if team in scope.team_ids else None].append(pk)
    roots = [scope.team_id] if scope.team_id else tree_data.children.get(None, [])
    for team in tree_data.ordered(roots):
        key = f"team:{team}"
        r = rolled[key]
        depth = tree_data.depth(team) - base
        rows.append(
            TreeRow(
                key,
                tree_data.names[team],
                depth,
                True,
                r.computed.quantize(MONEY, ROUND_HALF_UP),
                r.adjusted.quantize(MONEY, ROUND_HALF_UP),
                adjustments.get(key),
                r.adjusted_below,
                team_id=team,
            )
        )
        for pk in members.get(team, []):
            add_person(pk, depth + 1)
    for pk in members.get(None, []):
        add_person(pk, 0)
    return rows


def _core(adjustment: ForecastAdjustment | None):
    return adjustment.adjustment if adjustment is not None else None


def _owners(scope: Scope) -> dict[int, tuple[str, int | None]]:
    users = User.objects.all()
    if scope.owner_ids is not None:
        users = users.filter(pk__in=sorted(scope.owner_ids))
    else:
        users = users.filter(Q(is_active=True) | Q(owned_deals__status=DealStatus.OPEN)).distinct()
    fields = ("pk", "username", "display_name", "first_name", "last_name", "team_id")
    return {u.pk: (str(u), u.team_id) for u in users.only(*fields)}


def _adjustments(scope: Scope, month: date, owners) -> dict[str, ForecastAdjustment]:
    """The latest adjustment per team and person of the scope for ``month``."""
    items = ForecastAdjustment.objects.filter(month=month).select_related("by")
    items = items.filter(
        Q(team_id__in=sorted(scope.team_ids)) | Q(rep_id__in=sorted(owners))
    ).order_by("at", "id")
    chosen: dict[str, ForecastAdjustment] = {}
    for item in items:
        key = f"team:{item.team_id}" if item.team_id else f"rep:{item.rep_id}"
        chosen[key] = item
    return chosen


def chart(result: Forecast) -> dict:
    """The stacked bars of the weighted forecast by month and category (for ECharts)."""
    keys: list[object] = [OVERDUE, *result.months, LATER, None]
    labels = []
    for key in keys:
        if key == OVERDUE:
            labels.append(str(_("Overdue")))
        elif key == LATER:
            labels.append(str(_("Later")))
        elif key is None:
            labels.append(str(_("No date")))
        else:
            labels.append(f"{key:%Y-%m}")
    return {
        "months": labels,
        "series": [
            {
                "name": str(CATEGORY_LABELS[c]),
                "category": c,
                "weighted": [float(result.grid[k][c].weighted) for k in keys],
                "amount": [float(result.grid[k][c].amount) for k in keys],
            }
            for c in CATEGORIES
        ],
    }
