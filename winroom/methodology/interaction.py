"""Interaction level (交互程度), METHODOLOGY §1.1.

Derived from logged activities, never typed: counting the activities of the last
``window_days`` (n) and those of a "deep" type among them (k):
no activity ever → never met; n = 0 with older activities, or n below ``repeated_from``
→ occasional; n from ``repeated_from`` → repeated; n ≥ ``deep_from`` or k ≥ ``deep_types_from``
→ deep.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import MethodologyError


class InteractionLevel(StrEnum):
    NEVER_MET = "never_met"
    OCCASIONAL = "occasional"
    REPEATED = "repeated"
    DEEP = "deep"


#: Activity kinds that count as "deep" by default (technical exchanges, reference-site
#: visits and executive meetings take real commitment from the customer's side).
DEFAULT_DEEP_KINDS: frozenset[str] = frozenset(
    {"technical_exchange", "reference_visit", "executive_meeting"}
)


@dataclass(frozen=True)
class InteractionRule:
    """The company's thresholds; the defaults are METHODOLOGY's."""

    window_days: int = 180
    repeated_from: int = 3
    deep_from: int = 10
    deep_kinds_from: int = 3

    def __post_init__(self) -> None:
        if self.window_days < 1:
            raise MethodologyError("window_days must be at least 1")
        if not 1 <= self.repeated_from < self.deep_from:
            raise MethodologyError("need 1 <= repeated_from < deep_from")
        if self.deep_kinds_from < 1:
            raise MethodologyError("deep_kinds_from must be at least 1")


DEFAULT_RULE = InteractionRule()


@dataclass(frozen=True)
class InteractionCounts:
    """What the rule reads: activities ever, in the window, and deep ones in the window."""

    ever: int
    recent: int
    recent_deep: int

    def __post_init__(self) -> None:
        if min(self.ever, self.recent, self.recent_deep) < 0:
            raise MethodologyError("activity counts cannot be negative")
        if self.recent_deep > self.recent:
            raise MethodologyError("deep activities are a subset of recent activities")
        if self.recent > self.ever:
            raise MethodologyError("recent activities are a subset of all activities")


@dataclass(frozen=True)
class InteractionExplanation:
    """The level with the inputs and the clause of the rule that produced it."""

    level: InteractionLevel
    counts: InteractionCounts
    rule: InteractionRule
    reason: str  # one of the REASON_* codes below; the UI translates it


REASON_NO_ACTIVITY = "no_activity"
REASON_NONE_RECENT = "none_recent"
REASON_FEW_RECENT = "few_recent"
REASON_SEVERAL_RECENT = "several_recent"
REASON_MANY_RECENT = "many_recent"
REASON_DEEP_KINDS = "deep_kinds"


def explain_interaction_level(
    counts: InteractionCounts, rule: InteractionRule = DEFAULT_RULE
) -> InteractionExplanation:
    """Derive the level and say why."""
    if counts.ever == 0:
        level, reason = InteractionLevel.NEVER_MET, REASON_NO_ACTIVITY
    elif counts.recent >= rule.deep_from:
        level, reason = InteractionLevel.DEEP, REASON_MANY_RECENT
    elif counts.recent_deep >= rule.deep_kinds_from:
        level, reason = InteractionLevel.DEEP, REASON_DEEP_KINDS
    elif counts.recent >= rule.repeated_from:
        level, reason = InteractionLevel.REPEATED, REASON_SEVERAL_RECENT
    elif counts.recent == 0:
        level, reason = InteractionLevel.OCCASIONAL, REASON_NONE_RECENT
    else:
        level, reason = InteractionLevel.OCCASIONAL, REASON_FEW_RECENT
    return InteractionExplanation(level=level, counts=counts, rule=rule, reason=reason)


def interaction_level(
    *, ever: int, recent: int, recent_deep: int, rule: InteractionRule = DEFAULT_RULE
) -> InteractionLevel:
    """Shorthand for :func:`explain_interaction_level` when only the level is wanted."""
    counts = InteractionCounts(ever=ever, recent=recent, recent_deep=recent_deep)
    return explain_interaction_level(counts, rule).level
