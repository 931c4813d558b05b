"""Visits (拜访) and behaviour data, METHODOLOGY §3.4.

"A visit follows five steps: prepare (准备), understand (了解), present (呈现), gain a
commitment from the customer (承诺), evaluate (评估). The plan holds objective, reason for
the meeting, the questions to ask and the commitment to ask for; the record holds what
happened and whether the commitment was won; the rep and the manager score each step 1–5.
From these scores the team's weakest skills per rep are visible. Effective visits per rep per
week is a headline behaviour metric. A rep's day: [...] existing customers to revisit."

What this module decides:

- whether a visit is *effective* (:func:`explain_effective_visit`): by default it was
  recorded at most 3 days after it happened (3 days later counts, 4 days later does not), its
  plan had an objective, and the commitment question was answered ("won" or "not won" — the
  outcome does not matter, asking does);
- a rep's skill profile from the step scores (:func:`skill_profile`): average per step,
  the weakest step(s), and the rep's and the manager's views side by side
  (:func:`compare_views`);
- effective visits per week over a period (:func:`effective_visits_per_week`);
- whether an existing customer is due for a revisit (:func:`revisit_due`).

Dates are calendar dates; a ``datetime`` passed where a date is expected is reduced to its
own ``.date()`` (convert aware datetimes to the company's time zone first).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import NamedTuple

from .errors import MethodologyError


class VisitStep(StrEnum):
    """The five steps of a visit, in order."""

    PREPARE = "prepare"
    UNDERSTAND = "understand"
    PRESENT = "present"
    COMMIT = "commit"
    EVALUATE = "evaluate"


#: The steps in the order of the method (iteration order of :class:`VisitStep` too).
VISIT_STEPS: tuple[VisitStep, ...] = tuple(VisitStep)

SCORE_MIN = 1
SCORE_MAX = 5
#: Averages (step scores, visits per week) are quantized to two decimal places, half up.
AVERAGE_QUANTUM = Decimal("0.01")
DAYS_PER_WEEK = 7

# Reason codes of :class:`EffectiveVisit` (what failed), in this order.
REASON_NOT_RECORDED = "not_recorded"
REASON_RECORDED_LATE = "recorded_late"
REASON_NO_OBJECTIVE = "no_objective"
REASON_COMMITMENT_UNANSWERED = "commitment_unanswered"


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(AVERAGE_QUANTUM, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- effective visit


@dataclass(frozen=True)
class EffectiveVisitRule:
    """The company's definition of an effective visit; the defaults are the method's.

    ``record_within_days``: the record must be written at most this many days after the
    visit (0 = the same day).
    """

    record_within_days: int = 3
    require_objective: bool = True
    require_commitment_answered: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.record_within_days, bool) or self.record_within_days < 0:
            raise MethodologyError("record_within_days cannot be negative")


DEFAULT_EFFECTIVE_VISIT_RULE = EffectiveVisitRule()


@dataclass(frozen=True)
class EffectiveVisit:
    """Whether the visit is effective, what failed (reason codes) and the inputs."""

    effective: bool
    #: codes of the failed conditions, in the order of the ``REASON_*`` constants; empty when
    #: the visit is effective
    reasons: tuple[str, ...]
    visited_on: date
    recorded_on: date | None
    #: days from the visit to its record (0 = same day); None when not recorded
    days_to_record: int | None
    has_objective: bool
    commitment_answered: bool
    rule: EffectiveVisitRule


def explain_effective_visit(
    *,
    visited_on: date,
    recorded_on: date | None,
    has_objective: bool,
    commitment_answered: bool,
    rule: EffectiveVisitRule = DEFAULT_EFFECTIVE_VISIT_RULE,
) -> EffectiveVisit:
    """Judge one visit against ``rule`` and list every condition it fails.

    - ``recorded_on`` is None → ``not_recorded``; more than ``rule.record_within_days``
      days after ``visited_on`` → ``recorded_late`` (exactly that many days still counts);
      a record dated before the visit is an error;
    - ``has_objective`` is False (the plan had no objective) → ``no_objective``, when the
      rule requires one;
    - ``commitment_answered`` is False → ``commitment_unanswered``, when the rule requires
      it. It is True when the record says the commitment was won *or* not won: the question
      was asked and answered; the outcome itself does not matter.

    The conditions are independent: an unrecorded visit without an objective fails both.
    """
    visited = _as_date(visited_on)
    recorded = _as_date(recorded_on) if recorded_on is not None else None
    reasons: list[str] = []
    days_to_record: int | None = None
    if recorded is None:
        reasons.append(REASON_NOT_RECORDED)
    else:
        days_to_record = (recorded - visited).days
        if days_to_record < 0:
            raise MethodologyError("a visit cannot be recorded before it took place")
        if days_to_record > rule.record_within_days:
            reasons.append(REASON_RECORDED_LATE)
    if rule.require_objective and not has_objective:
        reasons.append(REASON_NO_OBJECTIVE)
    if rule.require_commitment_answered and not commitment_answered:
        reasons.append(REASON_COMMITMENT_UNANSWERED)
    return EffectiveVisit(
        effective=not reasons,
        reasons=tuple(reasons),
        visited_on=visited,
        recorded_on=recorded,
        days_to_record=days_to_record,
        has_objective=has_objective,
        commitment_answered=commitment_answered,
        rule=rule,
    )


def is_effective_visit(
    *,
    visited_on: date,
    recorded_on: date | None,
    has_objective: bool,
    commitment_answered: bool,
    rule: EffectiveVisitRule = DEFAULT_EFFECTIVE_VISIT_RULE,
) -> bool:
    """Shorthand for :func:`explain_effective_visit` when only the verdict is wanted."""
    return explain_effective_visit(
        visited_on=visited_on,
        recorded_on=recorded_on,
        has_objective=has_objective,
        commitment_answered=commitment_answered,
        rule=rule,
    ).effective


# --------------------------------------------------------------------------- step scores


def _check_score(step: VisitStep, value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise MethodologyError(f"the score of {step.value} must be an integer from 1 to 5")
    if not SCORE_MIN <= value <= SCORE_MAX:
        raise MethodologyError(f"the score of {step.value} must be from 1 to 5, not {value}")


def check_step_scores(scores: Mapping[VisitStep, int | None]) -> dict[VisitStep, int | None]:
    """Validate one scoring of a visit and return it with all five steps as keys.

    Keys are steps (or their string values); a step left out is not scored (None). Each
    score is an integer 1–5 or None; anything else, or an unknown step, is an error.
    """
    result: dict[VisitStep, int | None] = dict.fromkeys(VISIT_STEPS)
    for key, value in scores.items():
        try:
            step = VisitStep(key)
        except ValueError:
            raise MethodologyError(f"unknown visit step {key!r}") from None
        _check_score(step, value)
        result[step] = value
    return result


@dataclass(frozen=True)
class StepScores:
    """One person's scores of one visit, 1–5 per step, None = not scored."""

    prepare: int | None = None
    understand: int | None = None
    present: int | None = None
    commit: int | None = None
    evaluate: int | None = None

    def __post_init__(self) -> None:
        for step in VISIT_STEPS:
            _check_score(step, getattr(self, step.value))

    @classmethod
    def from_mapping(cls, scores: Mapping[VisitStep, int | None]) -> StepScores:
        """Build from a step → score mapping (validated by :func:`check_step_scores`)."""
        checked = check_step_scores(scores)
        return cls(**{step.value: value for step, value in checked.items()})

    def as_mapping(self) -> dict[VisitStep, int | None]:
        """Step → score for all five steps, in step order."""
        return {step: getattr(self, step.value) for step in VISIT_STEPS}

    def get(self, step: VisitStep) -> int | None:
        value: int | None = getattr(self, VisitStep(step).value)
        return value


# --------------------------------------------------------------------------- skill profile


@dataclass(frozen=True)
class SkillProfile:
    """Average score per step over a set of scored visits, and the weakest step(s)."""

    #: step → average of its given scores (quantized to 0.01, half up); None when the step
    #: was never scored. All five steps are keys, in step order.
    averages: dict[VisitStep, Decimal | None]
    #: step → how many scores the average is made of
    counts: dict[VisitStep, int]
    #: the step(s) with the lowest shown average, in step order (ties all listed); None when
    #: no step was scored at all
    weakest: tuple[VisitStep, ...] | None
    #: how many scorings (visits) were read, scored or not
    visits: int


def skill_profile(
    scores: Iterable[Mapping[VisitStep, int | None] | StepScores],
) -> SkillProfile:
    """Average each step over the scorings that scored it (unscored steps do not count as 0).

    The weakest step is the one with the lowest average *as shown* (two decimals), so two
    steps shown with the same average are tied and both listed.
    """
    totals: dict[VisitStep, int] = dict.fromkeys(VISIT_STEPS, 0)
    counts: dict[VisitStep, int] = dict.fromkeys(VISIT_STEPS, 0)
    visits = 0
    for scoring in scores:
        visits += 1
        checked = (
            scoring.as_mapping() if isinstance(scoring, StepScores) else check_step_scores(scoring)
        )
        for step, value in checked.items():
            if value is not None:
                totals[step] += value
                counts[step] += 1
    return skill_profile_from_totals(
        {step: (totals[step], counts[step]) for step in VISIT_STEPS}, visits=visits
    )


def skill_profile_from_totals(
    totals: Mapping[VisitStep, tuple[int, int]], *, visits: int
) -> SkillProfile:
    """The same profile from per-step (sum of scores, number of scores), e.g. summed by the
    database; ``visits`` is how many scorings were read. A step left out was never scored.

    The average is the exact sum ÷ count, quantized like :func:`skill_profile` (a database's
    floating-point average could round the other way at a half).
    """
    if isinstance(visits, bool) or visits < 0:
        raise MethodologyError("visits cannot be negative")
    sums: dict[VisitStep, int] = dict.fromkeys(VISIT_STEPS, 0)
    counts: dict[VisitStep, int] = dict.fromkeys(VISIT_STEPS, 0)
    for key, (total, count) in totals.items():
        try:
            step = VisitStep(key)
        except ValueError:
            raise MethodologyError(f"unknown visit step {key!r}") from None
        if count < 0 or count > visits:
            raise MethodologyError(f"the number of scores of {step.value} is impossible")
        if count and not SCORE_MIN * count <= total <= SCORE_MAX * count:
            raise MethodologyError(f"the scores of {step.value} cannot add up to {total}")
        if not count and total:
            raise MethodologyError(f"{step.value} has a total without scores")
        sums[step], counts[step] = total, count
    averages: dict[VisitStep, Decimal | None] = {
        step: _quantize(Decimal(sums[step]) / counts[step]) if counts[step] else None
        for step in VISIT_STEPS
    }
    scored = {step: avg for step, avg in averages.items() if avg is not None}
    weakest: tuple[VisitStep, ...] | None = None
    if scored:
        lowest = min(scored.values())
        weakest = tuple(step for step, avg in scored.items() if avg == lowest)
    return SkillProfile(averages=averages, counts=counts, weakest=weakest, visits=visits)


class StepComparison(NamedTuple):
    """One step seen by the rep and by the manager."""

    step: VisitStep
    rep_average: Decimal | None
    manager_average: Decimal | None
    #: rep − manager (positive: the rep rates the step higher than the manager does);
    #: None when either side never scored the step
    difference: Decimal | None


def compare_views(rep: SkillProfile, manager: SkillProfile) -> tuple[StepComparison, ...]:
    """The rep's self-assessment next to the manager's, step by step, in step order."""
    rows: list[StepComparison] = []
    for step in VISIT_STEPS:
        mine, theirs = rep.averages.get(step), manager.averages.get(step)
        difference = mine - theirs if mine is not None and theirs is not None else None
        rows.append(StepComparison(step, mine, theirs, difference))
    return tuple(rows)


# --------------------------------------------------------------------------- behaviour


def period_weeks(start: date, end: date) -> Decimal:
    """Length of the inclusive period ``start``..``end`` in weeks (days / 7), at least 1.

    A period shorter than a week counts as one week, so a rep's first two days never show
    an inflated weekly rate. ``end`` before ``start`` is an error.
    """
    first, last = _as_date(start), _as_date(end)
    if last < first:
        raise MethodologyError("the period ends before it starts")
    days = (last - first).days + 1
    return max(Decimal(days) / DAYS_PER_WEEK, Decimal(1))


def effective_visits_per_week(effective_dates: Iterable[date], start: date, end: date) -> Decimal:
    """Effective visits per week over the inclusive period ``start``..``end``.

    ``effective_dates`` holds one date per effective visit (two visits on one day → the
    date twice); dates outside the period are ignored. The count is divided by
    :func:`period_weeks` (days of the inclusive period / 7, at least one week) and quantized
    to 0.01, half up. E.g. 6 visits over 14 days → 3.00; 2 visits over 3 days → 2.00.
    """
    first, last = _as_date(start), _as_date(end)
    period_weeks(first, last)  # validates the period
    days = max((last - first).days + 1, DAYS_PER_WEEK)
    count = sum(1 for d in effective_dates if first <= _as_date(d) <= last)
    # count / (days / 7) computed as count × 7 / days: one exact division before rounding
    return _quantize(Decimal(count * DAYS_PER_WEEK) / days)


def revisit_due(*, last_contact: date | None, today: date, interval_days: int) -> bool:
    """Whether an existing customer should be revisited today.

    Never contacted (``last_contact`` None) → due. Otherwise due once ``interval_days``
    full days have passed since the last contact (exactly ``interval_days`` later is due).
    A last contact dated after today (e.g. a planned meeting) is not due.
    """
    if isinstance(interval_days, bool) or interval_days < 1:
        raise MethodologyError("interval_days must be at least 1")
    if last_contact is None:
        return True
    return (_as_date(today) - _as_date(last_contact)).days >= interval_days
