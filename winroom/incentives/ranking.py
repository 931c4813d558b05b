"""The monthly ranking of reps (§3.6), from the database's facts through the core.

Every active sales rep is ranked on the composite of three metrics, weighted as the
administrator set them (:class:`RankingWeights`):

- **attainment** — bookings credited to the rep in the month (by seller type, §3.6) over the
  month's part of their baseline target (no target: 0, and the page says so);
- **relationship** — the mean relationship score of the accounts they own, as of the month's
  last day (§1.2);
- **effective visits** — visits held in the month that count as effective (§3.4).

:func:`compute` does it live (a fixed number of queries, whatever the number of reps);
:func:`snapshot` stores a month as :class:`RankingSnapshot` rows (idempotent: a month is
replaced as a whole); :func:`month_ranking` reads a past month from its snapshot and the
current month live.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from winroom.methodology import ranking as core
from winroom.methodology import targets as core_targets
from winroom.org.access import viewer_for
from winroom.org.models import Role, User

from . import facts
from .access import may_manage_rep
from .models import RankingGroup, RankingReview, RankingSnapshot, RankingWeights, RepTarget

METRICS = ("attainment", "relationship", "visits")


@dataclass
class Row:
    """One rep's place in a month's ranking."""

    rep_id: int
    position: int
    rep_count: int
    group: str
    score: Decimal
    attainment: Decimal | None
    credited: Decimal
    target: Decimal | None
    relationship: Decimal
    effective_visits: int
    scaled: dict[str, str] = field(default_factory=dict)
    weights: dict[str, str] = field(default_factory=dict)
    tied_across_boundary: bool = False
    rep: User | None = None

    @property
    def attainment_percent(self) -> Decimal | None:
        return None if self.attainment is None else (self.attainment * 100).quantize(Decimal("0.1"))


@dataclass
class MonthRanking:
    month: date
    rows: list[Row]
    live: bool  # computed now (not read from a snapshot)
    computed_at: object = None

    @property
    def rep_count(self) -> int:
        return len(self.rows)


def month_start(day: date) -> date:
    return day.replace(day=1)


def parse_month(text: str | None, *, default: date | None = None) -> date | None:
    """'2026-05' → 1 May 2026; None (or the default) when it is not a month."""
    if not text:
        return default
    try:
        year, month = (int(part) for part in text.split("-", 1))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return default


def compute(month: date, *, today: date | None = None) -> list[Row]:
    """The ranking of ``month`` from the database now (live)."""
    today = today or timezone.localdate()
    period = core_targets.period_of(core_targets.MONTH, month)
    reps = list(
        User.objects.filter(is_active=True, role=Role.REP)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not reps:
        return []
    weights = RankingWeights.current().as_weights()
    targets = {
        t.rep_id: t.target_for(period.months)
        for t in RepTarget.objects.filter(rep_id__in=reps, year=period.year)
    }
    credit = facts.credited(reps, period.start, period.end)
    as_of = min(facts.last_day(period.end), today)
    relationship = facts.relationship_by_rep(reps, today=as_of)
    visits = facts.effective_visits_by_rep(reps, period.start, period.end)
    inputs: dict[int, dict[str, object]] = {}
    attainments: dict[int, Decimal | None] = {}
    for rep in reps:
        target = targets.get(rep)
        attainments[rep] = (
            core_targets.attainment(credit.total(rep), target) if target is not None else None
        )
        inputs[rep] = {
            "attainment": attainments[rep] or Decimal(0),
            "relationship": relationship.get(rep, Decimal(0)),
            "visits": visits.get(rep, 0),
        }
    scores = {s.key: s for s in core.composite_scores(inputs, weights)}
    ranked = core.rank(
        {key: s.composite for key, s in scores.items()},
        tie_break={rep: (inputs[rep]["attainment"], inputs[rep]["visits"]) for rep in reps},
    )
    weight_text = {k: str(v) for k, v in weights.items()}
    rows = []
    for item in ranked:
        rep = int(item.key)  # type: ignore[call-overload]
        rows.append(
            Row(
                rep_id=rep,
                position=item.position,
                rep_count=len(ranked),
                group=item.group,
                score=item.score,
                attainment=attainments[rep],
                credited=credit.total(rep),
                target=targets.get(rep),
                relationship=Decimal(str(inputs[rep]["relationship"])),
                effective_visits=int(str(inputs[rep]["visits"])),
                scaled={k: str(v) for k, v in scores[rep].scaled.items()},
                weights=weight_text,
                tied_across_boundary=item.tied_across_boundary,
            )
        )
    return rows


def snapshot(month: date, *, today: date | None = None) -> int:
    """Store the ranking of ``month`` (replacing any earlier snapshot of it); rows written."""
    month = month_start(month)
    rows = compute(month, today=today)
    now = timezone.now()
    with transaction.atomic():
        RankingSnapshot.objects.filter(month=month).delete()
        RankingSnapshot.objects.bulk_create(
            RankingSnapshot(
                month=month,
                rep_id=row.rep_id,
                position=row.position,
                rep_count=row.rep_count,
                group=row.group,
                score=row.score,
                attainment=row.attainment,
                credited=row.credited,
                target=row.target,
                relationship=row.relationship,
                effective_visits=row.effective_visits,
                scaled=row.scaled,
                weights=row.weights,
                tied_across_boundary=row.tied_across_boundary,
                computed_at=now,
            )
            for row in rows
        )
    return len(rows)


def _from_snapshot(snap: RankingSnapshot) -> Row:
    return Row(
        rep_id=snap.rep_id,
        position=snap.position,
        rep_count=snap.rep_count,
        group=snap.group,
        score=snap.score,
        attainment=snap.attainment,
        credited=snap.credited,
        target=snap.target,
        relationship=snap.relationship,
        effective_visits=snap.effective_visits,
        scaled=snap.scaled,
        weights=snap.weights,
        tied_across_boundary=snap.tied_across_boundary,
        rep=snap.rep,
    )


def month_ranking(month: date, *, today: date | None = None) -> MonthRanking:
    """A past month from its snapshot (live when none was taken); the current month live."""
    today = today or timezone.localdate()
    month = month_start(month)
    if month < month_start(today):
        snaps = list(
            RankingSnapshot.objects.filter(month=month)
            .select_related("rep", "rep__team")
            .order_by("position")
        )
        if snaps:
            return MonthRanking(
                month, [_from_snapshot(s) for s in snaps], False, snaps[0].computed_at
            )
    rows = compute(month, today=today)
    users = User.objects.select_related("team").in_bulk([row.rep_id for row in rows])
    for row in rows:
        row.rep = users[row.rep_id]
    return MonthRanking(month, rows, True, timezone.now())


def visible_ranking(user, month: date) -> dict:
    """What ``user`` may see of ``month``'s ranking: their own row (``mine``), the names of the
    top group (recognised, §3.6) and the full rows of the reps they manage (administrators:
    everyone's). A rep sees no other rep's numbers."""
    result = month_ranking(month)
    viewer = viewer_for(user)
    if viewer.is_admin:
        visible = result.rows
    else:
        scope = viewer.managed_user_ids - {viewer.user_id}
        visible = [row for row in result.rows if row.rep_id in scope]
    mine = next((row for row in result.rows if row.rep_id == user.pk), None)
    reviews = {
        r.rep_id: r
        for r in RankingReview.objects.filter(
            month=month, rep_id__in=[row.rep_id for row in visible] + ([user.pk] if mine else [])
        ).select_related("by")
    }
    for row in visible:
        row.review = reviews.get(row.rep_id)
        row.may_review = (
            not result.live
            and row.group == RankingGroup.BOTTOM
            and may_manage_rep(user, row.rep_id)
        )
    return {
        "ranking": result,
        "rows": visible,
        "mine": mine,
        "my_review": reviews.get(user.pk) if mine else None,
        "top_names": [str(row.rep) for row in result.rows if row.group == RankingGroup.TOP],
        "is_manager": viewer.is_admin or bool(visible),
        "weights": result.rows[0].weights if result.rows else RankingWeights.current().as_weights(),
    }
