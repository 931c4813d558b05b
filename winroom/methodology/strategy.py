"""Strategies and tactics (策略战术), METHODOLOGY §2.7, and decision roles (§1.1).

"Five competitive strategies (TAS): frontal (正面), flanking (侧翼), fragmentation / divide
(分割), defensive (防御), development (发展 / 拓展). Each comes with suggested tactics.
Five relationship strategies per person, one for each status toward us: strong negative →
suppress (压制); negative → defend (防御); neutral → motivate (激励); positive → advance
(进攻, press forward with them); strong positive → balance and coordinate (平衡协调: use them
to align the factions). The suggestion is a default the rep may change with a reason."
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .errors import MethodologyError, ReasonRequiredError


class CompetitiveStrategy(StrEnum):
    FRONTAL = "frontal"
    FLANKING = "flanking"
    FRAGMENTATION = "fragmentation"
    DEFENSIVE = "defensive"
    DEVELOPMENT = "development"


#: Suggested tactic codes per competitive strategy (the UI translates them).
COMPETITIVE_TACTICS: dict[CompetitiveStrategy, tuple[str, ...]] = {
    CompetitiveStrategy.FRONTAL: (
        "demonstrate_superior_solution",
        "proof_of_concept",
        "reference_customer_visit",
        "executive_sponsorship",
        "compete_on_total_value",
    ),
    CompetitiveStrategy.FLANKING: (
        "reframe_decision_criteria",
        "raise_unmet_need",
        "introduce_differentiator",
        "engage_other_decision_makers",
    ),
    CompetitiveStrategy.FRAGMENTATION: (
        "split_the_scope",
        "win_a_sub_project",
        "propose_phased_purchase",
        "partner_for_a_share",
    ),
    CompetitiveStrategy.DEFENSIVE: (
        "lock_in_requirements",
        "strengthen_coach",
        "accelerate_decision",
        "raise_switching_costs",
        "neutralise_competitor_moves",
    ),
    CompetitiveStrategy.DEVELOPMENT: (
        "build_new_relationships",
        "expand_scope",
        "delay_the_decision",
        "position_for_next_opportunity",
    ),
}


class RelationshipStatus(StrEnum):
    """Relationship status toward us (关系状况); the values of ``accounts.RelationshipStatus``."""

    STRONG_POSITIVE = "strong_positive"
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"
    STRONG_NEGATIVE = "strong_negative"


class RelationshipStrategy(StrEnum):
    SUPPRESS = "suppress"
    DEFEND = "defend"
    MOTIVATE = "motivate"
    ADVANCE = "advance"
    BALANCE = "balance"


RELATIONSHIP_STRATEGIES: dict[RelationshipStatus, RelationshipStrategy] = {
    RelationshipStatus.STRONG_NEGATIVE: RelationshipStrategy.SUPPRESS,
    RelationshipStatus.NEGATIVE: RelationshipStrategy.DEFEND,
    RelationshipStatus.NEUTRAL: RelationshipStrategy.MOTIVATE,
    RelationshipStatus.POSITIVE: RelationshipStrategy.ADVANCE,
    RelationshipStatus.STRONG_POSITIVE: RelationshipStrategy.BALANCE,
}


def suggested_relationship_strategy(status: str) -> RelationshipStrategy:
    """strong negative → suppress; negative → defend; neutral → motivate; positive →
    advance; strong positive → balance. Accepts a status or its stored value."""
    try:
        return RELATIONSHIP_STRATEGIES[RelationshipStatus(status)]
    except ValueError:
        raise MethodologyError(f"unknown relationship status {status!r}") from None


def check_strategy_choice(suggested: str, chosen: str, reason: str) -> None:
    """Raise :class:`ReasonRequiredError` when ``chosen`` differs from ``suggested`` without a
    (non-blank) reason: "the suggestion is a default the rep may change with a reason"."""
    if chosen != suggested and not reason.strip():
        raise ReasonRequiredError("changing the suggested strategy needs a reason")


class DecisionRole(StrEnum):
    """Decision role (决策角色), per deal: approver, decision maker, evaluator, user."""

    APPROVER = "approver"
    DECISION_MAKER = "decision_maker"
    EVALUATOR = "evaluator"
    USER = "user"


ALL_DECISION_ROLES: tuple[DecisionRole, ...] = tuple(DecisionRole)


def _roles(values: Iterable[str]) -> set[DecisionRole]:
    try:
        return {DecisionRole(value) for value in values}
    except ValueError as error:
        raise MethodologyError(str(error)) from None


def missing_roles(
    present: Iterable[str], required: Iterable[str] = ALL_DECISION_ROLES
) -> tuple[DecisionRole, ...]:
    """The ``required`` roles no mapped person holds, in the order approver, decision
    maker, evaluator, user. Unknown role codes raise."""
    have = _roles(present)
    need = _roles(required)
    return tuple(role for role in DecisionRole if role in need and role not in have)


# Reason codes of :class:`StrategySuggestion`.
REASON_NOT_ASSESSED = "not_assessed"
REASON_NO_KNOWN_COMPETITOR = "no_known_competitor"
REASON_LEADING = "leading"
REASON_CLOSE_BEHIND_STRONGER_FIT = "close_behind_stronger_fit"
REASON_CLOSE_BEHIND = "close_behind"
REASON_FAR_BEHIND_WITH_COACH = "far_behind_with_coach"
REASON_FAR_BEHIND = "far_behind"
REASON_OUT_OF_RACE = "out_of_race"

#: "close behind": our strength is at least this share of the best competitor's (4/5)
CLOSE_BEHIND_NUMERATOR = 4
CLOSE_BEHIND_DENOMINATOR = 5


@dataclass(frozen=True)
class StrategySuggestion:
    strategy: CompetitiveStrategy
    reason: str
    tactics: tuple[str, ...]


def suggest_competitive_strategy(
    *,
    rank: int | None,
    s_us: int | None,
    s_best_competitor: int | None,
    has_coach: bool | None,
    our_fit: int | None = None,
    best_competitor_fit: int | None = None,
) -> StrategySuggestion:
    """A default competitive strategy from the win-rate picture (a heuristic, not a rule of
    the method; the rep may choose another with a reason). Clauses in order:

    1. rank or our strength unknown → development (``not_assessed``: build relationships
       and learn before choosing a fight);
    2. no assessed competitor → defensive (``no_known_competitor``);
    3. rank 1 (leading, ties included) → defensive (``leading``);
    4. rank worse than 3 → development (``out_of_race``: reposition for the long term);
    5. close behind (s_us ≥ 4/5 of the best competitor's strength): frontal when our need
       fit is known and strictly better than theirs (``close_behind_stronger_fit``), else
       flanking (``close_behind``: change the ground rather than attack head on);
    6. far behind: fragmentation with an inside coach (``far_behind_with_coach``: the coach
       shows which part can be won), else development (``far_behind``).
    """

    def pick(strategy: CompetitiveStrategy, reason: str) -> StrategySuggestion:
        return StrategySuggestion(strategy, reason, COMPETITIVE_TACTICS[strategy])

    if rank is not None and rank < 1:
        raise MethodologyError("rank starts at 1")
    if rank is None or s_us is None:
        return pick(CompetitiveStrategy.DEVELOPMENT, REASON_NOT_ASSESSED)
    if s_best_competitor is None:
        return pick(CompetitiveStrategy.DEFENSIVE, REASON_NO_KNOWN_COMPETITOR)
    if rank == 1:
        return pick(CompetitiveStrategy.DEFENSIVE, REASON_LEADING)
    if rank > 3:
        return pick(CompetitiveStrategy.DEVELOPMENT, REASON_OUT_OF_RACE)
    if s_us * CLOSE_BEHIND_DENOMINATOR >= s_best_competitor * CLOSE_BEHIND_NUMERATOR:
        if (
            our_fit is not None
            and best_competitor_fit is not None
            and our_fit > best_competitor_fit
        ):
            return pick(CompetitiveStrategy.FRONTAL, REASON_CLOSE_BEHIND_STRONGER_FIT)
        return pick(CompetitiveStrategy.FLANKING, REASON_CLOSE_BEHIND)
    if has_coach is True:
        return pick(CompetitiveStrategy.FRAGMENTATION, REASON_FAR_BEHIND_WITH_COACH)
    return pick(CompetitiveStrategy.DEVELOPMENT, REASON_FAR_BEHIND)
