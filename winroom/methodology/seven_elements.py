"""Seven elements of a relationship (关系经营七要素), METHODOLOGY §1.4.

"A per-contact assessment, each 1–5: value (价值), favour (情面), decency (体面),
standing/resources (场面), frequency (频度), length (长度 — how many years we have known
them), depth (深度). Frequency and length are derived, the others judged. Defaults:
frequency from interactions in the last 90 days — 0 → 1, 1 → 2, 2–3 → 3, 4–6 → 4, ≥ 7 → 5;
length from years since the first contact — < 1 → 1, 1–2 → 2, 2–5 → 3, 5–10 → 4, ≥ 10 → 5."

Decisions the text leaves open:

- Length bands are half-open: "1–2" means 1 ≤ years < 2, "2–5" 2 ≤ years < 5, "5–10"
  5 ≤ years < 10. Years are completed years: the first anniversary of the first contact
  is the first day of the second band. A first contact on 29 February has its anniversary
  on 1 March in common years.
- No known first contact → 1 (we cannot claim a long relationship); a first contact after
  today is an error.
- A judged element left unanswered is ``None``; the derived ones are always given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from itertools import pairwise

from .errors import MethodologyError

SCORE_MIN = 1
SCORE_MAX = 5


class Element(StrEnum):
    """The seven elements, in radar order."""

    VALUE = "value"
    FAVOUR = "favour"
    DECENCY = "decency"
    STANDING = "standing"
    FREQUENCY = "frequency"
    LENGTH = "length"
    DEPTH = "depth"


DERIVED: frozenset[Element] = frozenset({Element.FREQUENCY, Element.LENGTH})
JUDGED: tuple[Element, ...] = tuple(e for e in Element if e not in DERIVED)


def _ascending(values: tuple[int, ...], label: str) -> None:
    if len(values) != SCORE_MAX - SCORE_MIN:
        raise MethodologyError(f"{label} needs {SCORE_MAX - SCORE_MIN} thresholds")
    if any(isinstance(v, bool) or not isinstance(v, int) for v in values):
        raise MethodologyError(f"{label} must be integers")
    if values[0] < 1 or any(a >= b for a, b in pairwise(values)):
        raise MethodologyError(f"{label} must be positive and strictly ascending")


@dataclass(frozen=True)
class ElementsRule:
    """The company's bands; the defaults are METHODOLOGY's.

    Each tuple holds the lowest input giving score 2, 3, 4 and 5; anything below the first
    gives 1.
    """

    #: interactions in the last 90 days: 1 → 2, 2 → 3, 4 → 4, 7 → 5
    frequency_from: tuple[int, ...] = (1, 2, 4, 7)
    #: completed years since the first contact: 1 → 2, 2 → 3, 5 → 4, 10 → 5
    length_years_from: tuple[int, ...] = (1, 2, 5, 10)

    def __post_init__(self) -> None:
        object.__setattr__(self, "frequency_from", tuple(self.frequency_from))
        object.__setattr__(self, "length_years_from", tuple(self.length_years_from))
        _ascending(self.frequency_from, "frequency_from")
        _ascending(self.length_years_from, "length_years_from")


DEFAULT_RULE = ElementsRule()


def _band(value: int, thresholds: tuple[int, ...]) -> int:
    return SCORE_MIN + sum(1 for threshold in thresholds if value >= threshold)


def frequency_score(interactions_last_90_days: int, rule: ElementsRule = DEFAULT_RULE) -> int:
    """0 → 1, 1 → 2, 2–3 → 3, 4–6 → 4, ≥ 7 → 5 (default bands); a negative count raises."""
    n = interactions_last_90_days
    if isinstance(n, bool) or not isinstance(n, int):
        raise MethodologyError("the interaction count must be an integer")
    if n < 0:
        raise MethodologyError("the interaction count cannot be negative")
    return _band(n, rule.frequency_from)


def years_known(first_contact: date, today: date) -> int:
    """Completed years from ``first_contact`` to ``today``; a future first contact raises."""
    if first_contact > today:
        raise MethodologyError("the first contact cannot be after today")
    before_anniversary = (today.month, today.day) < (first_contact.month, first_contact.day)
    return today.year - first_contact.year - int(before_anniversary)


def length_score(first_contact: date | None, today: date, rule: ElementsRule = DEFAULT_RULE) -> int:
    """< 1 year → 1, 1 ≤ y < 2 → 2, 2 ≤ y < 5 → 3, 5 ≤ y < 10 → 4, ≥ 10 → 5 (default bands,
    completed years); unknown first contact → 1; a future one raises."""
    if first_contact is None:
        return SCORE_MIN
    return _band(years_known(first_contact, today), rule.length_years_from)


def _element(key: str) -> Element:
    try:
        return Element(key)
    except ValueError:
        raise MethodologyError(f"unknown element {key!r}") from None


def _check_score(element: Element, value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise MethodologyError(f"{element.value} must be an integer from 1 to 5")
    if not SCORE_MIN <= value <= SCORE_MAX:
        raise MethodologyError(f"{element.value} must be from 1 to 5, not {value}")


@dataclass(frozen=True)
class ElementsResult:
    """All seven values in radar order (``None``: judged element not answered), which ones
    were derived, and the inputs of the derivation."""

    values: dict[str, int | None] = field(hash=False)
    derived: frozenset[str]
    interactions_90d: int
    first_contact: date | None
    today: date
    #: completed years since the first contact (None when unknown)
    years_known: int | None

    @property
    def complete(self) -> bool:
        """Every judged element is answered."""
        return all(value is not None for value in self.values.values())

    @property
    def unanswered(self) -> tuple[str, ...]:
        """The judged elements not answered, in radar order."""
        return tuple(code for code, value in self.values.items() if value is None)


def seven_elements(
    judged: Mapping[str, int | None],
    *,
    interactions_90d: int,
    first_contact: date | None,
    today: date,
    rule: ElementsRule = DEFAULT_RULE,
) -> ElementsResult:
    """The seven values: the judged ones as given (1–5 or None; absent keys are None), and
    frequency and length derived. An unknown element, a value outside 1–5, or a judged
    frequency or length (present at all, even as None) raises."""
    given: dict[Element, int | None] = {}
    for key, value in judged.items():
        element = _element(key)
        if element in DERIVED:
            raise MethodologyError(f"{element.value} is derived and cannot be judged")
        _check_score(element, value)
        given[element] = value
    derived: dict[Element, int] = {
        Element.FREQUENCY: frequency_score(interactions_90d, rule),
        Element.LENGTH: length_score(first_contact, today, rule),
    }
    values: dict[str, int | None] = {
        element.value: derived[element] if element in DERIVED else given.get(element)
        for element in Element
    }
    return ElementsResult(
        values=values,
        derived=frozenset(e.value for e in DERIVED),
        interactions_90d=interactions_90d,
        first_contact=first_contact,
        today=today,
        years_known=None if first_contact is None else years_known(first_contact, today),
    )


@dataclass(frozen=True)
class ElementChange:
    """One element that differs between two assessments; ``delta`` = after − before, or
    None when either side is unanswered."""

    element: str
    before: int | None
    after: int | None
    delta: int | None


def compare(before: ElementsResult, after: ElementsResult) -> tuple[ElementChange, ...]:
    """The elements whose value differs between two assessments (two dates of one contact,
    or two contacts), in radar order."""
    changes: list[ElementChange] = []
    for element in Element:
        old, new = before.values.get(element.value), after.values.get(element.value)
        if old != new:
            delta = None if old is None or new is None else new - old
            changes.append(ElementChange(element.value, old, new, delta))
    return tuple(changes)
