"""Quantified relationship score (客户关系评价表), METHODOLOGY §1.2.

"A company-defined catalogue of relationship actions, each with points [...]. Each logged
action scores points × a coefficient for the contact's level (default: executive ×1.5,
manager ×1.2, staff ×1.0). A contact's score is the sum over a rolling window (default 365
days), capped at 100. The account's score is the mean of its key contacts' scores (key:
holding a decision role in an open deal, or marked key by the account team)."

Decisions the text leaves open:

- The window holds ``window_days`` days ending with today: an action counts when
  ``today - window_days < occurred_on <= today``. With the default 365 days, an action
  exactly 365 days ago is out and one 364 days ago is in; an action dated today is in.
- Actions dated after today are not counted; they are reported apart
  (``excluded_future``) so the UI can flag a mistyped date.
- ``raw`` is the exact, unrounded sum; ``score`` is ``min(raw, cap)`` quantized to 0.1
  (half up). ``capped`` is true only when ``raw`` is strictly above the cap.
- Points are non-negative: the catalogue scores effort, it never takes points away.

"Compliance: the catalogue must never contain kickbacks or gifts of value; companies write
their red-line rules (红线) into the system and actions are checked against them."
:func:`check_red_lines` compares text and action codes with the company's rules after
NFKC normalisation (full-width and half-width forms alike), case folding and collapsing
whitespace. Keywords match as substrings, in every script: Chinese has no word boundaries,
and in Latin text a substring also catches inflections ("kickbacks", "gifted"). A red-line
check flags for review, so it errs toward flagging.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from .errors import MethodologyError

SCORE_QUANTUM = Decimal("0.1")


class ContactLevel(StrEnum):
    """The contact's level in the customer's organisation, which weights their actions."""

    EXECUTIVE = "executive"
    MANAGER = "manager"
    STAFF = "staff"


DEFAULT_COEFFICIENTS: Mapping[str, Decimal] = MappingProxyType(
    {
        ContactLevel.EXECUTIVE: Decimal("1.5"),
        ContactLevel.MANAGER: Decimal("1.2"),
        ContactLevel.STAFF: Decimal("1.0"),
    }
)


def _decimal(value: object, label: str) -> Decimal:
    """``value`` as a finite Decimal; ints and Decimals only (floats carry binary noise)."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise MethodologyError(f"{label} must be a Decimal or an integer")
    number = Decimal(value)
    if not number.is_finite():
        raise MethodologyError(f"{label} must be a finite number")
    return number


def _level(level: str) -> ContactLevel:
    try:
        return ContactLevel(level)
    except ValueError:
        raise MethodologyError(f"unknown contact level {level!r}") from None


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(SCORE_QUANTUM, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ScoreRule:
    """The company's settings; the defaults are METHODOLOGY's.

    ``coefficients`` must name every :class:`ContactLevel` (by member or value) with a
    positive number; it is stored as a read-only mapping keyed by :class:`ContactLevel`.
    """

    window_days: int = 365
    cap: Decimal = Decimal(100)
    coefficients: Mapping[str, Decimal] = field(
        default_factory=lambda: DEFAULT_COEFFICIENTS, hash=False
    )

    def __post_init__(self) -> None:
        if isinstance(self.window_days, bool) or not isinstance(self.window_days, int):
            raise MethodologyError("window_days must be an integer")
        if self.window_days < 1:
            raise MethodologyError("window_days must be at least 1")
        cap = _decimal(self.cap, "cap")
        if cap <= 0:
            raise MethodologyError("cap must be positive")
        object.__setattr__(self, "cap", cap)
        given: dict[ContactLevel, Decimal] = {}
        for key, value in self.coefficients.items():
            level = _level(key)
            if level in given:
                raise MethodologyError(f"coefficient for {level.value!r} given twice")
            coefficient = _decimal(value, f"coefficient for {level.value!r}")
            if coefficient <= 0:
                raise MethodologyError(f"coefficient for {level.value!r} must be positive")
            given[level] = coefficient
        missing = [level.value for level in ContactLevel if level not in given]
        if missing:
            raise MethodologyError(f"coefficients missing for {missing}")
        ordered = {level: given[level] for level in ContactLevel}
        object.__setattr__(self, "coefficients", MappingProxyType(ordered))

    def coefficient(self, level: str) -> Decimal:
        """The coefficient of ``level`` (a :class:`ContactLevel` or its value)."""
        return self.coefficients[_level(level)]

    def window_start(self, today: date) -> date:
        """The first day counted: ``today - window_days + 1``."""
        return today - timedelta(days=self.window_days - 1)


DEFAULT_RULE = ScoreRule()


@dataclass(frozen=True)
class LoggedAction:
    """One logged relationship action: its catalogue code, its points and its date."""

    code: str
    points: Decimal
    occurred_on: date

    def __post_init__(self) -> None:
        if not self.code.strip():
            raise MethodologyError("an action needs a catalogue code")
        points = _decimal(self.points, "points")
        if points < 0:
            raise MethodologyError("points cannot be negative")
        object.__setattr__(self, "points", points)


class CountedAction(NamedTuple):
    """An action inside the window with its weighted points (points × coefficient)."""

    action: LoggedAction
    weighted: Decimal


@dataclass(frozen=True)
class ContactScore:
    """A contact's score with the inputs and every action that produced it."""

    #: min(raw, cap), quantized to 0.1 half up
    score: Decimal
    #: exact sum of the weighted points of the counted actions
    raw: Decimal
    #: raw was strictly above the cap
    capped: bool
    #: the actions inside the window, in the order given, with their weighted points
    counted: tuple[CountedAction, ...]
    #: actions dated on or before ``today - window_days`` (too old)
    excluded_outside_window: int
    #: actions dated after ``today`` (not counted, probably mistyped)
    excluded_future: int
    coefficient: Decimal
    level: ContactLevel
    today: date
    #: first day counted (the last is ``today``)
    window_start: date
    rule: ScoreRule


def explain_contact_score(
    actions: Iterable[LoggedAction],
    *,
    level: str,
    today: date,
    rule: ScoreRule = DEFAULT_RULE,
) -> ContactScore:
    """Sum ``points × coefficient(level)`` over the actions of the window, capped; say how.

    ``level`` is a :class:`ContactLevel` or its value; an unknown level raises.
    """
    contact_level = _level(level)
    coefficient = rule.coefficients[contact_level]
    start = rule.window_start(today)
    counted: list[CountedAction] = []
    too_old = future = 0
    for action in actions:
        if action.occurred_on > today:
            future += 1
        elif action.occurred_on < start:
            too_old += 1
        else:
            counted.append(CountedAction(action, action.points * coefficient))
    raw = sum((c.weighted for c in counted), Decimal(0))
    return ContactScore(
        score=_quantize(min(raw, rule.cap)),
        raw=raw,
        capped=raw > rule.cap,
        counted=tuple(counted),
        excluded_outside_window=too_old,
        excluded_future=future,
        coefficient=coefficient,
        level=contact_level,
        today=today,
        window_start=start,
        rule=rule,
    )


def contact_score(
    actions: Iterable[LoggedAction],
    *,
    level: str,
    today: date,
    rule: ScoreRule = DEFAULT_RULE,
) -> Decimal:
    """Shorthand for :func:`explain_contact_score` when only the score is wanted."""
    return explain_contact_score(actions, level=level, today=today, rule=rule).score


def account_score(contact_scores: Sequence[Decimal]) -> Decimal | None:
    """Mean of the key contacts' scores, quantized to 0.1 (half up); no key contact → None.

    The caller passes the scores of the key contacts only (see :func:`is_key_contact`).
    Scores must be non-negative.
    """
    if not contact_scores:
        return None
    scores = [_decimal(score, "contact score") for score in contact_scores]
    if min(scores) < 0:
        raise MethodologyError("contact scores cannot be negative")
    return _quantize(sum(scores, Decimal(0)) / len(scores))


def is_key_contact(*, holds_decision_role_in_open_deal: bool, marked_key: bool) -> bool:
    """Key: holding a decision role in an open deal, or marked key by the account team."""
    return holds_decision_role_in_open_deal or marked_key


def normalise_text(text: str) -> str:
    """NFKC (full-width → half-width), case-folded, whitespace runs collapsed, stripped."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class RedLineRule:
    """A company red line (红线): keywords that must not appear in an action's text and
    catalogue action codes that must not be logged. At least one of the two is needed."""

    code: str
    keywords: tuple[str, ...] = ()
    forbidden_action_codes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.code.strip():
            raise MethodologyError("a red-line rule needs a code")
        object.__setattr__(self, "keywords", tuple(self.keywords))
        object.__setattr__(self, "forbidden_action_codes", tuple(self.forbidden_action_codes))
        if not self.keywords and not self.forbidden_action_codes:
            raise MethodologyError(f"red-line rule {self.code!r} has nothing to match")
        for item in self.keywords + self.forbidden_action_codes:
            if not normalise_text(item):
                raise MethodologyError(f"red-line rule {self.code!r} has a blank entry")


@dataclass(frozen=True)
class RedLineBreach:
    """A breached rule and what matched, each as written in the rule, in the rule's order."""

    rule_code: str
    matched_keywords: tuple[str, ...] = ()
    matched_action_codes: tuple[str, ...] = ()

    @property
    def matched(self) -> tuple[str, ...]:
        """The matched keywords, then the matched forbidden action codes."""
        return self.matched_keywords + self.matched_action_codes


def check_red_lines(
    *, text: str, action_codes: Iterable[str], rules: Iterable[RedLineRule]
) -> tuple[RedLineBreach, ...]:
    """One :class:`RedLineBreach` per breached rule, in the order of ``rules``; none → ().

    A keyword breaches when it occurs in ``text``; a forbidden action code when it is among
    ``action_codes``. Both sides are compared after :func:`normalise_text`.
    """
    haystack = normalise_text(text)
    codes = {normalise_text(code) for code in action_codes}
    breaches: list[RedLineBreach] = []
    for rule in rules:
        keywords = tuple(k for k in rule.keywords if normalise_text(k) in haystack)
        actions = tuple(a for a in rule.forbidden_action_codes if normalise_text(a) in codes)
        if keywords or actions:
            breaches.append(RedLineBreach(rule.code, keywords, actions))
    return tuple(breaches)
