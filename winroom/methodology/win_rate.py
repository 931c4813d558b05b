"""Win rate (赢单率) by the competitor comparison method (竞争对手比对法), METHODOLOGY §2.6.

Stage-based probability is rejected ("a deal that is clearly lost at the bidding stage must
not count at 80%"). The rule, clause by clause:

- "no compelling event → no win rate at all (shown as 'not computed', never as 0 or 50%)";
- "our own fit or closeness not yet answered [...] → 'not assessed'; forecasts then use the
  company's historical win rate for that grade, and say so" (:func:`fallback_rate`);
- strength of each assessed party: ``s_p = fit_p × closeness_p`` (1–25);
- our rank = 1 + the number of *assessed* competitors with strictly greater strength (ties
  do not push us down); "if our rank is worse than 3 → 0";
- otherwise ``p = s_us / (s_us + s_c1 + s_c2)`` over the (up to) two strongest assessed
  competitors; "a deal explicitly marked sole-source (独家, no competitor) gives p = 1" — a
  sole-source mark with competitors recorded is contradicted and ignored;
- "competitors unknown — a recorded competitor has no assessment yet, or no competitor is
  recorded and the deal is not marked sole-source: p is capped at 0.5 and flagged";
- "no inside coach → × 0.7, applied last" (an unknown coach answer counts as no coach).

The result carries every factor that produced the number, so the UI can show it.
Rates are fractions in 0..1 quantized to four decimal places (half up).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .errors import MethodologyError
from .grade import Grade

SCORE_MIN = 1
SCORE_MAX = 5
#: "if our rank is worse than 3 → 0"
MAX_RANK = 3
#: how many of the strongest assessed competitors enter the formula
COMPARED_COMPETITORS = 2
UNKNOWN_COMPETITORS_CAP = Decimal("0.5")
NO_COACH_MULTIPLIER = Decimal("0.7")
RATE_QUANTUM = Decimal("0.0001")


class WinRateStatus(StrEnum):
    COMPUTED = "computed"
    NOT_COMPUTED = "not_computed"  # no compelling event
    NOT_ASSESSED = "not_assessed"  # our own fit or closeness unanswered


class ForecastCategory(StrEnum):
    """§3.5: commit (≥ 70 %), best case (40–70 %), pipeline (< 40 %)."""

    COMMIT = "commit"
    BEST_CASE = "best_case"
    PIPELINE = "pipeline"


class RateSource(StrEnum):
    """Where a forecast's rate came from."""

    WIN_RATE = "win_rate"
    HISTORICAL = "historical"
    NONE = "none"


# Reason codes (``WinRateResult.reasons``), in the order the clauses apply.
REASON_NO_COMPELLING_EVENT = "no_compelling_event"
REASON_OUR_ASSESSMENT_MISSING = "our_assessment_missing"
REASON_SOLE_SOURCE = "sole_source"
REASON_SOLE_SOURCE_CONTRADICTED = "sole_source_contradicted"
REASON_COMPETITOR_COMPARISON = "competitor_comparison"
REASON_RANK_WORSE_THAN_THREE = "rank_worse_than_three"
REASON_COMPETITORS_UNKNOWN = "competitors_unknown"
REASON_NO_INSIDE_COACH = "no_inside_coach"
REASON_INSIDE_COACH_UNKNOWN = "inside_coach_unknown"

# Factor codes (``WinRateResult.factors``).
FACTOR_COMPELLING_EVENT = "compelling_event"  # bool
FACTOR_OUR_FIT = "our_fit"  # int | None
FACTOR_OUR_CLOSENESS = "our_closeness"  # int | None
FACTOR_OUR_STRENGTH = "our_strength"  # int
FACTOR_COMPETITOR_STRENGTH = "competitor_strength"  # subject = name; int | None (unassessed)
FACTOR_SOLE_SOURCE = "sole_source"  # True
FACTOR_SOLE_SOURCE_CONTRADICTED = "sole_source_contradicted"  # number of competitors recorded
FACTOR_RANK = "rank"  # int
FACTOR_RANK_WORSE_THAN_THREE = "rank_worse_than_three"  # the worst rank still rated (3)
FACTOR_COMPARED_COMPETITOR = "compared_competitor"  # subject = name; strength
FACTOR_RAW_RATE = "raw_rate"  # Decimal, before cap and coach
FACTOR_COMPETITORS_UNKNOWN_CAP = "competitors_unknown_cap"  # Decimal 0.5
FACTOR_CAP_APPLIED = "cap_applied"  # bool: the cap lowered the rate
FACTOR_INSIDE_COACH = "inside_coach"  # True / False / None (unknown)
FACTOR_NO_COACH_MULTIPLIER = "no_inside_coach_multiplier"  # Decimal 0.7
FACTOR_RATE = "rate"  # Decimal, final
FACTOR_HISTORICAL_RATE_FOR_GRADE = "historical_rate_for_grade"  # grade code or None

FactorValue = int | Decimal | bool | str | None


def _quantize(rate: Decimal) -> Decimal:
    return rate.quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)


def _check_score(label: str, value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise MethodologyError(f"{label} must be an integer from 1 to 5")
    if not SCORE_MIN <= value <= SCORE_MAX:
        raise MethodologyError(f"{label} must be from 1 to 5, not {value}")


@dataclass(frozen=True)
class PartyAssessment:
    """One party's questionnaire answers: need fit and relationship closeness, 1–5 each.

    ``None`` means not answered yet.
    """

    name: str
    fit: int | None = None
    closeness: int | None = None

    def __post_init__(self) -> None:
        _check_score("fit", self.fit)
        _check_score("closeness", self.closeness)

    @property
    def assessed(self) -> bool:
        return self.fit is not None and self.closeness is not None

    @property
    def strength(self) -> int | None:
        """``fit × closeness`` (1–25), or ``None`` when either answer is missing."""
        if self.fit is None or self.closeness is None:
            return None
        return self.fit * self.closeness


@dataclass(frozen=True)
class WinRateInputs:
    """Everything the rule reads. ``has_inside_coach=None`` means not answered (no coach)."""

    has_compelling_event: bool
    has_inside_coach: bool | None
    us: PartyAssessment
    competitors: tuple[PartyAssessment, ...] = ()
    sole_source: bool = False
    #: only used to name the historical fallback when we are not assessed
    grade: Grade | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.competitors, tuple):
            object.__setattr__(self, "competitors", tuple(self.competitors))


@dataclass(frozen=True)
class Factor:
    """One line of the explanation: a code, its value and whom it is about (if anyone)."""

    code: str
    value: FactorValue
    subject: str = ""


@dataclass(frozen=True)
class WinRateResult:
    """The rate (or why there is none), with every factor that produced it."""

    status: WinRateStatus
    rate: Decimal | None
    reasons: tuple[str, ...]
    factors: tuple[Factor, ...]
    competitors_unknown: bool
    rank: int | None
    #: names of the competitors that entered ``s_us / (s_us + s_c1 + s_c2)``
    compared: tuple[str, ...]
    inputs: WinRateInputs

    def factor(self, code: str) -> Factor | None:
        """The first factor with ``code``, if any."""
        return next((f for f in self.factors if f.code == code), None)


def explain_win_rate(inputs: WinRateInputs) -> WinRateResult:
    """Apply the §2.6 rule and say why (see the module docstring for the clauses)."""
    factors: list[Factor] = [Factor(FACTOR_COMPELLING_EVENT, inputs.has_compelling_event)]
    reasons: list[str] = []

    def result(
        status: WinRateStatus,
        rate: Decimal | None,
        *,
        unknown: bool = False,
        rank: int | None = None,
        compared: tuple[str, ...] = (),
    ) -> WinRateResult:
        return WinRateResult(
            status=status,
            rate=rate,
            reasons=tuple(reasons),
            factors=tuple(factors),
            competitors_unknown=unknown,
            rank=rank,
            compared=compared,
            inputs=inputs,
        )

    if not inputs.has_compelling_event:
        reasons.append(REASON_NO_COMPELLING_EVENT)
        return result(WinRateStatus.NOT_COMPUTED, None)

    us = inputs.us
    factors += [Factor(FACTOR_OUR_FIT, us.fit), Factor(FACTOR_OUR_CLOSENESS, us.closeness)]
    s_us = us.strength
    if s_us is None:
        reasons.append(REASON_OUR_ASSESSMENT_MISSING)
        grade = inputs.grade.value if inputs.grade is not None else None
        factors.append(Factor(FACTOR_HISTORICAL_RATE_FOR_GRADE, grade))
        return result(WinRateStatus.NOT_ASSESSED, None)
    factors.append(Factor(FACTOR_OUR_STRENGTH, s_us))
    for competitor in inputs.competitors:
        factors.append(
            Factor(FACTOR_COMPETITOR_STRENGTH, competitor.strength, subject=competitor.name)
        )

    if inputs.sole_source and not inputs.competitors:
        reasons.append(REASON_SOLE_SOURCE)
        factors += [Factor(FACTOR_SOLE_SOURCE, True), Factor(FACTOR_RANK, 1)]
        raw = Decimal(1)
        rank = 1
        unknown = False
        compared: tuple[str, ...] = ()
    else:
        if inputs.sole_source:
            reasons.append(REASON_SOLE_SOURCE_CONTRADICTED)
            factors.append(Factor(FACTOR_SOLE_SOURCE_CONTRADICTED, len(inputs.competitors)))
        reasons.append(REASON_COMPETITOR_COMPARISON)
        assessed = [c for c in inputs.competitors if c.strength is not None]
        unknown = len(assessed) < len(inputs.competitors) or not inputs.competitors
        strengths = [c.strength for c in assessed if c.strength is not None]
        rank = 1 + sum(1 for s in strengths if s > s_us)
        factors.append(Factor(FACTOR_RANK, rank))
        if unknown:
            reasons.append(REASON_COMPETITORS_UNKNOWN)
        if rank > MAX_RANK:
            reasons.append(REASON_RANK_WORSE_THAN_THREE)
            factors += [
                Factor(FACTOR_RANK_WORSE_THAN_THREE, MAX_RANK),
                Factor(FACTOR_RATE, _quantize(Decimal(0))),
            ]
            return result(WinRateStatus.COMPUTED, _quantize(Decimal(0)), unknown=unknown, rank=rank)
        strongest = sorted(assessed, key=lambda c: -(c.strength or 0))[:COMPARED_COMPETITORS]
        compared = tuple(c.name for c in strongest)
        for competitor in strongest:
            factors.append(
                Factor(FACTOR_COMPARED_COMPETITOR, competitor.strength, subject=competitor.name)
            )
        total = s_us + sum(c.strength or 0 for c in strongest)
        raw = Decimal(s_us) / Decimal(total)

    factors.append(Factor(FACTOR_RAW_RATE, _quantize(raw)))
    rate = raw
    if unknown:
        factors += [
            Factor(FACTOR_COMPETITORS_UNKNOWN_CAP, UNKNOWN_COMPETITORS_CAP),
            Factor(FACTOR_CAP_APPLIED, rate > UNKNOWN_COMPETITORS_CAP),
        ]
        rate = min(rate, UNKNOWN_COMPETITORS_CAP)
    factors.append(Factor(FACTOR_INSIDE_COACH, inputs.has_inside_coach))
    if inputs.has_inside_coach is not True:
        reasons.append(
            REASON_INSIDE_COACH_UNKNOWN
            if inputs.has_inside_coach is None
            else REASON_NO_INSIDE_COACH
        )
        factors.append(Factor(FACTOR_NO_COACH_MULTIPLIER, NO_COACH_MULTIPLIER))
        rate *= NO_COACH_MULTIPLIER
    final = _quantize(rate)
    factors.append(Factor(FACTOR_RATE, final))
    return result(WinRateStatus.COMPUTED, final, unknown=unknown, rank=rank, compared=compared)


def win_rate(inputs: WinRateInputs) -> Decimal | None:
    """Shorthand for :func:`explain_win_rate` when only the rate is wanted."""
    return explain_win_rate(inputs).rate


def _check_rate(rate: Decimal) -> None:
    if not Decimal(rate).is_finite() or not 0 <= rate <= 1:
        raise MethodologyError("a rate must be between 0 and 1")


def fallback_rate(grade: Grade | None, historical: Mapping[Grade, Decimal]) -> Decimal | None:
    """The company's historical win rate for ``grade`` (for not-assessed deals), if known."""
    if grade is None:
        return None
    rate = historical.get(grade)
    if rate is None:
        return None
    _check_rate(rate)
    return _quantize(Decimal(rate))


@dataclass(frozen=True)
class ForecastRate:
    """The rate a forecast weights a deal with, and where it came from."""

    rate: Decimal | None
    source: RateSource


def forecast_rate(result: WinRateResult, historical: Mapping[Grade, Decimal]) -> ForecastRate:
    """Computed → the win rate; not assessed → the historical rate of the grade ("and say
    so": ``source`` is ``historical``); not computed (no compelling event) → none."""
    if result.status == WinRateStatus.COMPUTED:
        return ForecastRate(result.rate, RateSource.WIN_RATE)
    if result.status == WinRateStatus.NOT_ASSESSED:
        rate = fallback_rate(result.inputs.grade, historical)
        if rate is not None:
            return ForecastRate(rate, RateSource.HISTORICAL)
    return ForecastRate(None, RateSource.NONE)


COMMIT_FROM = Decimal("0.70")
BEST_CASE_FROM = Decimal("0.40")


def forecast_category(rate: Decimal) -> ForecastCategory:
    """commit ≥ 0.70; best case ≥ 0.40 and < 0.70; pipeline < 0.40 (§3.5)."""
    _check_rate(rate)
    if rate >= COMMIT_FROM:
        return ForecastCategory.COMMIT
    if rate >= BEST_CASE_FROM:
        return ForecastCategory.BEST_CASE
    return ForecastCategory.PIPELINE


# Change codes of :func:`rate_change_explanations`.
CHANGE_RATE_UP = "rate_up"
CHANGE_RATE_DOWN = "rate_down"
CHANGE_STATUS_CHANGED = "status_changed"
CHANGE_COMPELLING_EVENT_GAINED = "compelling_event_gained"
CHANGE_COMPELLING_EVENT_LOST = "compelling_event_lost"
CHANGE_OUR_STRENGTH_UP = "our_strength_up"
CHANGE_OUR_STRENGTH_DOWN = "our_strength_down"
CHANGE_RANK_IMPROVED = "rank_improved"
CHANGE_RANK_WORSENED = "rank_worsened"
CHANGE_COMPETITOR_ADDED = "competitor_added"
CHANGE_COMPETITOR_REMOVED = "competitor_removed"
CHANGE_COMPETITOR_ASSESSED = "competitor_assessed"
CHANGE_COMPETITOR_STRONGER = "competitor_stronger"
CHANGE_COMPETITOR_WEAKER = "competitor_weaker"
CHANGE_COMPETITORS_UNKNOWN_RAISED = "competitors_unknown_raised"
CHANGE_COMPETITORS_UNKNOWN_RESOLVED = "competitors_unknown_resolved"
CHANGE_SOLE_SOURCE_SET = "sole_source_set"
CHANGE_SOLE_SOURCE_CLEARED = "sole_source_cleared"
CHANGE_INSIDE_COACH_GAINED = "inside_coach_gained"
CHANGE_INSIDE_COACH_LOST = "inside_coach_lost"


def rate_change_explanations(before: WinRateResult, after: WinRateResult) -> tuple[str, ...]:
    """Codes saying what moved between two points of the win-rate curve, in a fixed order:
    the direction of the rate (when both have one) or a status change, then the inputs that
    changed. Competitors are matched by name. Empty when nothing changed."""
    changes: list[str] = []
    b, a = before.inputs, after.inputs
    if before.rate is not None and after.rate is not None:
        if after.rate > before.rate:
            changes.append(CHANGE_RATE_UP)
        elif after.rate < before.rate:
            changes.append(CHANGE_RATE_DOWN)
    if before.status != after.status:
        changes.append(CHANGE_STATUS_CHANGED)
    if a.has_compelling_event != b.has_compelling_event:
        changes.append(
            CHANGE_COMPELLING_EVENT_GAINED
            if a.has_compelling_event
            else CHANGE_COMPELLING_EVENT_LOST
        )
    s_before, s_after = b.us.strength, a.us.strength
    if s_before is not None and s_after is not None and s_before != s_after:
        changes.append(CHANGE_OUR_STRENGTH_UP if s_after > s_before else CHANGE_OUR_STRENGTH_DOWN)
    if before.rank is not None and after.rank is not None and before.rank != after.rank:
        changes.append(CHANGE_RANK_IMPROVED if after.rank < before.rank else CHANGE_RANK_WORSENED)
    old = {c.name: c for c in b.competitors}
    new = {c.name: c for c in a.competitors}
    if new.keys() - old.keys():
        changes.append(CHANGE_COMPETITOR_ADDED)
    if old.keys() - new.keys():
        changes.append(CHANGE_COMPETITOR_REMOVED)
    common = [(old[name], new[name]) for name in new if name in old]
    if any(o.strength is None and n.strength is not None for o, n in common):
        changes.append(CHANGE_COMPETITOR_ASSESSED)
    pairs = [(o.strength, n.strength) for o, n in common]
    if any(o is not None and n is not None and n > o for o, n in pairs):
        changes.append(CHANGE_COMPETITOR_STRONGER)
    if any(o is not None and n is not None and n < o for o, n in pairs):
        changes.append(CHANGE_COMPETITOR_WEAKER)
    if before.competitors_unknown != after.competitors_unknown:
        changes.append(
            CHANGE_COMPETITORS_UNKNOWN_RAISED
            if after.competitors_unknown
            else CHANGE_COMPETITORS_UNKNOWN_RESOLVED
        )
    if a.sole_source != b.sole_source:
        changes.append(CHANGE_SOLE_SOURCE_SET if a.sole_source else CHANGE_SOLE_SOURCE_CLEARED)
    coach_before, coach_after = b.has_inside_coach is True, a.has_inside_coach is True
    if coach_before != coach_after:
        changes.append(CHANGE_INSIDE_COACH_GAINED if coach_after else CHANGE_INSIDE_COACH_LOST)
    return tuple(changes)
