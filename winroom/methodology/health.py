"""Deal health radar (项目健康度), METHODOLOGY §2.9.

"Six indicators, each 0–100: inside coach, decision-maker coverage, support level among the
decision roles, customer urgency (compelling event strength), clarity of needs, clarity of
personal motivation (MNE: motivation, need, expectation). Each stage has a standard value per
indicator; health = mean over indicators of min(actual / standard, 1) × 100 (an indicator
whose standard is 0 counts as met). Every indicator below standard is a named risk with a
suggested next action."

:func:`indicator_values` derives the six actual values from raw deal facts;
:func:`health_score` compares them with a stage's standard. All rounding is half up to
whole points.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .errors import MethodologyError
from .strategy import ALL_DECISION_ROLES, DecisionRole


class HealthIndicator(StrEnum):
    INSIDE_COACH = "inside_coach"
    DECISION_MAKER_COVERAGE = "decision_maker_coverage"
    DECISION_SUPPORT = "decision_support"
    URGENCY = "urgency"
    NEEDS_CLARITY = "needs_clarity"
    MOTIVATION_CLARITY = "motivation_clarity"


INDICATORS: tuple[HealthIndicator, ...] = tuple(HealthIndicator)

#: The next action suggested for an indicator below its standard.
SUGGESTIONS: dict[HealthIndicator, str] = {
    HealthIndicator.INSIDE_COACH: "find_inside_coach",
    HealthIndicator.DECISION_MAKER_COVERAGE: "map_decision_makers",
    HealthIndicator.DECISION_SUPPORT: "win_support",
    HealthIndicator.URGENCY: "confirm_compelling_event",
    HealthIndicator.NEEDS_CLARITY: "sign_off_requirements",
    HealthIndicator.MOTIVATION_CLARITY: "learn_mne",
}

#: Default standard per stage of the seven-stage template, rising with the stage: early on
#: a compelling event and a first contact are enough; by signing the coach, full role
#: coverage, broad support, signed-off requirements and known motivations are expected.
DEFAULT_STANDARDS: dict[int, dict[str, int]] = {
    1: {
        "inside_coach": 0,
        "decision_maker_coverage": 25,
        "decision_support": 0,
        "urgency": 40,
        "needs_clarity": 0,
        "motivation_clarity": 0,
    },
    2: {
        "inside_coach": 30,
        "decision_maker_coverage": 50,
        "decision_support": 25,
        "urgency": 70,
        "needs_clarity": 20,
        "motivation_clarity": 20,
    },
    3: {
        "inside_coach": 50,
        "decision_maker_coverage": 75,
        "decision_support": 40,
        "urgency": 70,
        "needs_clarity": 40,
        "motivation_clarity": 40,
    },
    4: {
        "inside_coach": 70,
        "decision_maker_coverage": 75,
        "decision_support": 50,
        "urgency": 80,
        "needs_clarity": 60,
        "motivation_clarity": 60,
    },
    5: {
        "inside_coach": 80,
        "decision_maker_coverage": 100,
        "decision_support": 60,
        "urgency": 80,
        "needs_clarity": 80,
        "motivation_clarity": 70,
    },
    6: {
        "inside_coach": 80,
        "decision_maker_coverage": 100,
        "decision_support": 70,
        "urgency": 90,
        "needs_clarity": 100,
        "motivation_clarity": 80,
    },
    7: {
        "inside_coach": 80,
        "decision_maker_coverage": 100,
        "decision_support": 75,
        "urgency": 90,
        "needs_clarity": 100,
        "motivation_clarity": 80,
    },
}

# Derivation constants (documented in :func:`indicator_values`).
COACH_PRESENT = 50
POSITIVE_WEIGHT = Decimal("0.75")
URGENCY_EVENT = 40
URGENCY_CONFIRMED = 30
#: (days until the event at most, points): the nearer the event, the more urgent
URGENCY_PROXIMITY: tuple[tuple[int, int], ...] = ((90, 30), (180, 20), (365, 10))
NEEDS_SIGNED_OFF = 100
NEEDS_NOT_SIGNED_OFF = 40
CHANGE_REQUEST_PENALTY = 10


def _points(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class HealthInputs:
    """Raw deal facts the indicators read."""

    #: None = not answered (counts as no coach)
    has_inside_coach: bool | None = None
    #: how strong the coach is (influence and willingness), 0..1; None = not rated
    coach_strength: Decimal | None = None
    #: decision roles held by at least one mapped person of the deal
    roles_present: frozenset[str] = frozenset()
    #: decision roles that must be covered (default: all four)
    roles_required: frozenset[str] = frozenset(ALL_DECISION_ROLES)
    #: mapped people holding a decision role, and how many of them are positive / strong
    #: positive toward us (the two counts are disjoint)
    decision_people: int = 0
    decision_positive: int = 0
    decision_strong_positive: int = 0
    has_compelling_event: bool = False
    #: the compelling event was (re-)confirmed in the current stage
    compelling_event_confirmed: bool = False
    #: days from today to the compelling event's date (negative = passed); None = no date
    days_to_compelling_event: int | None = None
    requirements_signed_off: bool = False
    open_change_requests: int = 0
    #: mapped people of the deal, and how many have their MNE filled in
    mapped_people: int = 0
    mapped_people_with_mne: int = 0

    def __post_init__(self) -> None:
        if self.coach_strength is not None and not 0 <= self.coach_strength <= 1:
            raise MethodologyError("coach_strength must be between 0 and 1")
        counts = (
            self.decision_people,
            self.decision_positive,
            self.decision_strong_positive,
            self.open_change_requests,
            self.mapped_people,
            self.mapped_people_with_mne,
        )
        if min(counts) < 0:
            raise MethodologyError("counts cannot be negative")
        if self.decision_positive + self.decision_strong_positive > self.decision_people:
            raise MethodologyError("supporters are a subset of the decision-role people")
        if self.mapped_people_with_mne > self.mapped_people:
            raise MethodologyError("people with MNE are a subset of the mapped people")
        for role in self.roles_present | self.roles_required:
            try:
                DecisionRole(role)
            except ValueError:
                raise MethodologyError(f"unknown decision role {role!r}") from None


def indicator_values(inputs: HealthInputs) -> dict[str, int]:
    """The six actual values, 0–100 each:

    - inside_coach: no coach (or unknown) → 0; a coach → 50, plus 50 × coach_strength
      when the strength is rated (an unrated coach counts 50);
    - decision_maker_coverage: 100 × |required roles present| / |required roles|
      (no role required → 100);
    - decision_support: 100 × (strong positive + 0.75 × positive) / decision-role people
      (nobody mapped → 0);
    - urgency: no compelling event → 0; else 40, + 30 when confirmed in this stage,
      + proximity of its date: ≤ 90 days → 30, ≤ 180 → 20, ≤ 365 → 10, later, passed or
      no date → 0;
    - needs_clarity: 100 when requirements are signed off, else 40; minus 10 per open
      change request, not below 0;
    - motivation_clarity: 100 × people with MNE / mapped people (nobody mapped → 0).
    """
    if inputs.has_inside_coach is True:
        coach = Decimal(COACH_PRESENT)
        if inputs.coach_strength is not None:
            coach += (100 - COACH_PRESENT) * Decimal(inputs.coach_strength)
    else:
        coach = Decimal(0)

    required = inputs.roles_required
    if required:
        covered = len(required & inputs.roles_present)
        coverage = Decimal(100 * covered) / len(required)
    else:
        coverage = Decimal(100)

    if inputs.decision_people:
        weighted = inputs.decision_strong_positive + POSITIVE_WEIGHT * inputs.decision_positive
        support = 100 * weighted / inputs.decision_people
    else:
        support = Decimal(0)

    urgency = 0
    if inputs.has_compelling_event:
        urgency = URGENCY_EVENT
        if inputs.compelling_event_confirmed:
            urgency += URGENCY_CONFIRMED
        days = inputs.days_to_compelling_event
        if days is not None and days >= 0:
            urgency += next((pts for limit, pts in URGENCY_PROXIMITY if days <= limit), 0)

    needs = NEEDS_SIGNED_OFF if inputs.requirements_signed_off else NEEDS_NOT_SIGNED_OFF
    needs = max(0, needs - CHANGE_REQUEST_PENALTY * inputs.open_change_requests)

    if inputs.mapped_people:
        motivation = Decimal(100 * inputs.mapped_people_with_mne) / inputs.mapped_people
    else:
        motivation = Decimal(0)

    return {
        HealthIndicator.INSIDE_COACH.value: _points(coach),
        HealthIndicator.DECISION_MAKER_COVERAGE.value: _points(coverage),
        HealthIndicator.DECISION_SUPPORT.value: _points(support),
        HealthIndicator.URGENCY.value: urgency,
        HealthIndicator.NEEDS_CLARITY.value: needs,
        HealthIndicator.MOTIVATION_CLARITY.value: _points(motivation),
    }


@dataclass(frozen=True)
class Risk:
    """An indicator below its standard, with the suggested next action's code."""

    code: str
    actual: int
    standard: int
    suggestion_code: str


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator: actual, standard and min(actual / standard, 1) (1 when standard is 0)."""

    code: str
    actual: int
    standard: int
    ratio: Decimal
    met: bool


@dataclass(frozen=True)
class HealthResult:
    """Health score 0–100, each indicator's result in radar order, and the risks."""

    score: int
    indicators: tuple[IndicatorResult, ...]
    risks: tuple[Risk, ...] = field(default=())

    @property
    def ratios(self) -> dict[str, Decimal]:
        return {i.code: i.ratio for i in self.indicators}


def _checked(values: Mapping[str, int], label: str) -> None:
    keys = set(values)
    expected = {i.value for i in INDICATORS}
    if keys != expected:
        missing = sorted(expected - keys)
        unknown = sorted(keys - expected)
        raise MethodologyError(f"{label}: missing {missing}, unknown {unknown}")
    for code, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise MethodologyError(f"{label}: {code} must be an integer from 0 to 100")


def health_score(actual: Mapping[str, int], standard: Mapping[str, int]) -> HealthResult:
    """health = mean over the six indicators of min(actual / standard, 1) × 100, rounded.

    An indicator whose standard is 0 counts as met. Each indicator with actual < standard is
    a :class:`Risk` with its suggested action. Both mappings must hold exactly the six
    indicator codes with integers 0–100.
    """
    _checked(actual, "actual")
    _checked(standard, "standard")
    results: list[IndicatorResult] = []
    risks: list[Risk] = []
    for indicator in INDICATORS:
        a, s = actual[indicator.value], standard[indicator.value]
        ratio = Decimal(1) if s == 0 else min(Decimal(a) / Decimal(s), Decimal(1))
        met = a >= s
        results.append(IndicatorResult(indicator.value, a, s, ratio, met))
        if not met:
            risks.append(Risk(indicator.value, a, s, SUGGESTIONS[indicator]))
    mean = sum((r.ratio for r in results), Decimal(0)) / len(results)
    return HealthResult(score=_points(mean * 100), indicators=tuple(results), risks=tuple(risks))


def standard_for_stage(
    stage: int, standards: Mapping[int, Mapping[str, int]] = DEFAULT_STANDARDS
) -> Mapping[str, int]:
    """The standard of ``stage``; an unknown stage is an error."""
    try:
        return standards[stage]
    except KeyError:
        raise MethodologyError(f"no health standard for stage {stage}") from None


def explain_health(
    inputs: HealthInputs,
    stage: int,
    standards: Mapping[int, Mapping[str, int]] = DEFAULT_STANDARDS,
) -> HealthResult:
    """:func:`indicator_values` of ``inputs`` scored against the standard of ``stage``."""
    return health_score(indicator_values(inputs), standard_for_stage(stage, standards))
