"""Relationship level (客户关系分级), METHODOLOGY §1.3.

"Four levels per contact: iron supporter — supports and excludes rivals (支持并排他 / 铁杆),
supporter (支持), neutral (中立), opponent (反对). The level is not an opinion: it is
computed from quantified indicators that the company defines. Default, checked in this
order: opponent — relationship status negative or strong negative (whatever the score);
iron supporter — score ≥ 80 AND all of {gives us competitor/project information
proactively, takes part actively in our activities, backs us in key decisions}; supporter —
score ≥ 40 and status positive or strong positive; otherwise neutral. The UI shows which
indicator is missing for the next level."

Thresholds are inclusive (a score of exactly 40 is enough for supporter, 79.9 is not enough
for iron supporter). The iron-supporter clause does not read the status: a neutral status
with the score and every indicator is an iron supporter, as the text says.

``missing_for_next`` lists what the contact lacks for the next level up, as codes the UI
translates: opponent → neutral needs ``status_not_negative``; neutral → supporter needs
``score_at_least_<supporter_score>`` and/or ``status_positive``; supporter → iron supporter
needs ``score_at_least_<iron_score>`` and/or the unmet indicator codes (in the rule's order).
An iron supporter has no next level.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .errors import MethodologyError
from .strategy import RelationshipStatus


class RelationshipLevel(StrEnum):
    IRON_SUPPORTER = "iron_supporter"
    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    OPPONENT = "opponent"


class IronIndicator(StrEnum):
    """The default indicators of an iron supporter."""

    #: gives us competitor / project information proactively
    GIVES_INFORMATION = "gives_information"
    #: takes part actively in our activities
    TAKES_PART = "takes_part"
    #: backs us in key decisions
    BACKS_KEY_DECISIONS = "backs_key_decisions"


DEFAULT_IRON_INDICATORS: tuple[str, ...] = tuple(i.value for i in IronIndicator)

#: the next level up of each level (None: already at the top)
NEXT_LEVEL: dict[RelationshipLevel, RelationshipLevel | None] = {
    RelationshipLevel.OPPONENT: RelationshipLevel.NEUTRAL,
    RelationshipLevel.NEUTRAL: RelationshipLevel.SUPPORTER,
    RelationshipLevel.SUPPORTER: RelationshipLevel.IRON_SUPPORTER,
    RelationshipLevel.IRON_SUPPORTER: None,
}

NEGATIVE_STATUSES = frozenset({RelationshipStatus.NEGATIVE, RelationshipStatus.STRONG_NEGATIVE})
POSITIVE_STATUSES = frozenset({RelationshipStatus.POSITIVE, RelationshipStatus.STRONG_POSITIVE})

# Reason codes (``LevelExplanation.reason``), one per clause.
REASON_NEGATIVE_STATUS = "negative_status"
REASON_IRON_SCORE_AND_INDICATORS = "iron_score_and_indicators"
REASON_SUPPORTER_SCORE_AND_POSITIVE_STATUS = "supporter_score_and_positive_status"
REASON_SUPPORTER_CRITERIA_NOT_MET = "supporter_criteria_not_met"

# Codes of ``missing_for_next`` besides the indicator codes.
MISSING_STATUS_NOT_NEGATIVE = "status_not_negative"
MISSING_STATUS_POSITIVE = "status_positive"
MISSING_SCORE_PREFIX = "score_at_least_"


def _number(value: object, label: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise MethodologyError(f"{label} must be a Decimal or an integer")
    number = Decimal(value)
    if not number.is_finite():
        raise MethodologyError(f"{label} must be a finite number")
    if number < 0:
        raise MethodologyError(f"{label} cannot be negative")
    return number


def _plain(number: Decimal) -> str:
    """40 → "40", Decimal("42.50") → "42.5" (never an exponent)."""
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def score_code(threshold: Decimal) -> str:
    """The ``missing_for_next`` code of a score threshold: ``score_at_least_40``."""
    return MISSING_SCORE_PREFIX + _plain(threshold)


@dataclass(frozen=True)
class LevelRule:
    """The company's indicators; the defaults are METHODOLOGY's. Thresholds are inclusive."""

    iron_score: Decimal = Decimal(80)
    supporter_score: Decimal = Decimal(40)
    iron_indicators: tuple[str, ...] = DEFAULT_IRON_INDICATORS

    def __post_init__(self) -> None:
        iron = _number(self.iron_score, "iron_score")
        supporter = _number(self.supporter_score, "supporter_score")
        if supporter > iron:
            raise MethodologyError("supporter_score cannot be above iron_score")
        object.__setattr__(self, "iron_score", iron)
        object.__setattr__(self, "supporter_score", supporter)
        indicators = tuple(self.iron_indicators)
        if any(not code.strip() for code in indicators):
            raise MethodologyError("indicator codes cannot be blank")
        if len(set(indicators)) != len(indicators):
            raise MethodologyError("indicator codes must be distinct")
        object.__setattr__(self, "iron_indicators", indicators)


DEFAULT_RULE = LevelRule()


@dataclass(frozen=True)
class LevelExplanation:
    """The level, the clause that produced it, what is missing for the next level up, and
    the inputs."""

    level: RelationshipLevel
    reason: str
    missing_for_next: tuple[str, ...]
    next_level: RelationshipLevel | None
    score: Decimal
    status: RelationshipStatus
    indicators_met: frozenset[str]
    rule: LevelRule


def explain_relationship_level(
    *,
    score: Decimal,
    status: str,
    indicators_met: frozenset[str] = frozenset(),
    rule: LevelRule = DEFAULT_RULE,
) -> LevelExplanation:
    """Apply the §1.3 clauses in order and say why (see the module docstring).

    ``status`` is a relationship status value; an unknown one raises. Indicator codes the
    rule does not know are ignored. ``score`` is a non-negative Decimal or integer.
    """
    value = _number(score, "score")
    try:
        relationship = RelationshipStatus(status)
    except ValueError:
        raise MethodologyError(f"unknown relationship status {status!r}") from None
    met = frozenset(indicators_met)
    unmet = tuple(code for code in rule.iron_indicators if code not in met)

    missing: list[str] = []
    if relationship in NEGATIVE_STATUSES:
        level, reason = RelationshipLevel.OPPONENT, REASON_NEGATIVE_STATUS
        missing.append(MISSING_STATUS_NOT_NEGATIVE)
    elif value >= rule.iron_score and not unmet:
        level, reason = RelationshipLevel.IRON_SUPPORTER, REASON_IRON_SCORE_AND_INDICATORS
    elif value >= rule.supporter_score and relationship in POSITIVE_STATUSES:
        level, reason = RelationshipLevel.SUPPORTER, REASON_SUPPORTER_SCORE_AND_POSITIVE_STATUS
        if value < rule.iron_score:
            missing.append(score_code(rule.iron_score))
        missing.extend(unmet)
    else:
        level, reason = RelationshipLevel.NEUTRAL, REASON_SUPPORTER_CRITERIA_NOT_MET
        if value < rule.supporter_score:
            missing.append(score_code(rule.supporter_score))
        if relationship not in POSITIVE_STATUSES:
            missing.append(MISSING_STATUS_POSITIVE)
    return LevelExplanation(
        level=level,
        reason=reason,
        missing_for_next=tuple(missing),
        next_level=NEXT_LEVEL[level],
        score=value,
        status=relationship,
        indicators_met=met,
        rule=rule,
    )


def relationship_level(
    *,
    score: Decimal,
    status: str,
    indicators_met: frozenset[str] = frozenset(),
    rule: LevelRule = DEFAULT_RULE,
) -> RelationshipLevel:
    """Shorthand for :func:`explain_relationship_level` when only the level is wanted."""
    return explain_relationship_level(
        score=score, status=status, indicators_met=indicators_met, rule=rule
    ).level
