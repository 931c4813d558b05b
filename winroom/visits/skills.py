"""Visit skills over a period (METHODOLOGY §3.4): the step averages as the reps see them and
as their managers see them, the weakest step, and effective visits per week.

The database sums and counts the scores (one aggregate query, one grouped query per rep);
the core turns them into averages, the weakest step and the weekly rate, so the page and
the tests use the same rule.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum

from winroom.methodology import visits as core

from .models import STEPS, Visit, VisitStatus

REP = "rep"
MANAGER = "mgr"


def _rep_scored_q() -> Q:
    q = Q()
    for step in STEPS:
        q |= Q(**{f"rep_{step.value}__isnull": False})
    return q


def _aggregates() -> dict:
    """Per side and step: the sum and the number of scores; visits read; effective ones."""
    fields: dict = {
        "recorded": Count("id"),
        "effective_count": Count("id", filter=Q(effective=True)),
        "rep_scored": Count("id", filter=_rep_scored_q()),
        "mgr_scored": Count("id", filter=Q(manager_scored_at__isnull=False)),
    }
    for side in (REP, MANAGER):
        for step in STEPS:
            name = f"{side}_{step.value}"
            fields[f"{name}__sum"] = Sum(name)
            fields[f"{name}__n"] = Count(name)
    return fields


def _profile(row: dict, side: str) -> core.SkillProfile:
    totals = {
        step: (row[f"{side}_{step.value}__sum"] or 0, row[f"{side}_{step.value}__n"])
        for step in STEPS
    }
    return core.skill_profile_from_totals(totals, visits=row[f"{side}_scored"])


@dataclass
class Skills:
    """What the skills page shows for one rep or a group of reps."""

    start: date
    end: date
    recorded: int
    effective: int
    rep: core.SkillProfile
    manager: core.SkillProfile
    comparison: tuple[core.StepComparison, ...]
    per_week: Decimal
    weeks: list[tuple[date, Decimal, int]] = field(default_factory=list)

    @property
    def period_days(self) -> int:
        return (self.end - self.start).days + 1


def recorded_visits(owner_ids, start: date, end: date):
    return Visit.objects.filter(
        owner_id__in=list(owner_ids),
        status=VisitStatus.DONE,
        visited_on__gte=start,
        visited_on__lte=end,
    )


def weekly(dates: list[date], start: date, end: date) -> list[tuple[date, Decimal, int]]:
    """(Monday, effective visits per week, count) for each week touching the period; a
    partial first or last week is measured over its days inside the period."""
    rows = []
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        first, last = max(monday, start), min(monday + timedelta(days=6), end)
        count = sum(1 for d in dates if first <= d <= last)
        rows.append((monday, core.effective_visits_per_week(dates, first, last), count))
        monday += timedelta(days=7)
    return rows


def skills_for(owner_ids, start: date, end: date) -> Skills:
    """Two queries: the aggregates of the period, the effective visits per day."""
    visits = recorded_visits(owner_ids, start, end)
    row = visits.aggregate(**_aggregates())
    per_day = (
        visits.filter(effective=True)
        .values("visited_on")
        .annotate(n=Count("id"))
        .order_by("visited_on")
    )
    dates = [item["visited_on"] for item in per_day for _i in range(item["n"])]
    rep, manager = _profile(row, REP), _profile(row, MANAGER)
    return Skills(
        start=start,
        end=end,
        recorded=row["recorded"],
        effective=row["effective_count"],
        rep=rep,
        manager=manager,
        comparison=core.compare_views(rep, manager),
        per_week=core.effective_visits_per_week(dates, start, end),
        weeks=weekly(dates, start, end),
    )


def skills_per_rep(owner_ids, start: date, end: date) -> dict[int, dict]:
    """One grouped query: per rep the visits recorded and effective, the rate and the
    weakest step in each view."""
    rows = (
        recorded_visits(owner_ids, start, end)
        .values("owner_id")
        .annotate(**_aggregates())
        .order_by()
    )
    result = {}
    for row in rows:
        rep, manager = _profile(row, REP), _profile(row, MANAGER)
        result[row["owner_id"]] = {
            "recorded": row["recorded"],
            "effective": row["effective_count"],
            "per_week": _rate(row["effective_count"], start, end),
            "rep_weakest": rep.weakest or (),
            "manager_weakest": manager.weakest or (),
            "rep_scored": rep.visits,
            "manager_scored": manager.visits,
        }
    return result


def _rate(count: int, start: date, end: date) -> Decimal:
    # the core's rate from a count: the dates all lie inside the period
    return core.effective_visits_per_week([start] * count, start, end)
