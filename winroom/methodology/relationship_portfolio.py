"""The account portfolio's relationship figures (METHODOLOGY §1.2–§1.4), for managers.

Three rules the account list and its API apply to many accounts at once:

- **Coverage gap** (关键角色无支持者): in an open deal of the account, a decision role
  (approver, decision maker, evaluator, user) none of whose holders is at least a supporter
  (iron supporter or supporter). One gap per (deal, role): two neutral evaluators of one
  deal are one gap; an evaluator who supports us covers the role even if another evaluator
  of the same deal is neutral. The same role in two open deals counts twice (two deals to
  win). A person without a decision role is not counted.
- **Level distribution** of the key contacts: how many are iron supporters, supporters,
  neutral, opponents — in that order, every level present (zero when none).
- **Strongest / weakest per element** of the seven (§1.4) across a set of people: the
  highest and the lowest answered value, with every person holding it (ties are all
  named); an element nobody answered has neither.

The account score itself is :func:`relationship_score.account_score`; the database computes
the same figure in integer arithmetic (see :func:`score_tenths_from_units`) so that lists
can be sorted and filtered on it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .errors import MethodologyError
from .seven_elements import Element

#: the four relationship levels (§1.3), strongest first
LEVELS: tuple[str, ...] = ("iron_supporter", "supporter", "neutral", "opponent")
#: levels that cover a decision role
SUPPORTING: frozenset[str] = frozenset({"iron_supporter", "supporter"})
#: decision roles (§1.1), in the order the UI lists them
DECISION_ROLES: tuple[str, ...] = ("approver", "decision_maker", "evaluator", "user")


def _level(level: str) -> str:
    if level not in LEVELS:
        raise MethodologyError(f"unknown relationship level {level!r}")
    return level


@dataclass(frozen=True)
class RoleHolder:
    """A person holding a decision role in an open deal, with their relationship level."""

    deal: Hashable
    role: str
    person: Hashable
    level: str

    def __post_init__(self) -> None:
        if self.role not in DECISION_ROLES:
            raise MethodologyError(f"unknown decision role {self.role!r}")
        _level(self.level)


@dataclass(frozen=True)
class CoverageGap:
    """A decision role of one open deal without a supporter, and who holds it."""

    deal: Hashable
    role: str
    holders: tuple[Hashable, ...]


def coverage_gaps(holders: Iterable[RoleHolder]) -> tuple[CoverageGap, ...]:
    """The (deal, role) pairs none of whose holders is at least a supporter.

    Gaps come in the order their first holder was given; holders in the order given.
    """
    by_slot: dict[tuple[Hashable, str], list[RoleHolder]] = {}
    for holder in holders:
        by_slot.setdefault((holder.deal, holder.role), []).append(holder)
    return tuple(
        CoverageGap(deal, role, tuple(h.person for h in slot))
        for (deal, role), slot in by_slot.items()
        if not any(h.level in SUPPORTING for h in slot)
    )


def level_distribution(levels: Iterable[str]) -> dict[str, int]:
    """How many of the given (key contacts') levels fall in each level, strongest first."""
    counts = dict.fromkeys(LEVELS, 0)
    for level in levels:
        counts[_level(level)] += 1
    return counts


@dataclass(frozen=True)
class Extremes:
    """The highest and lowest answered value of one element and who holds each."""

    element: str
    strongest: int | None
    strongest_by: tuple[Hashable, ...]
    weakest: int | None
    weakest_by: tuple[Hashable, ...]
    answered: int


def element_extremes(
    people: Sequence[tuple[Hashable, Mapping[str, int | None]]],
) -> tuple[Extremes, ...]:
    """For each of the seven elements, in radar order, the strongest and weakest people.

    ``people`` are (person, values by element code) pairs; ``None`` or an absent element is
    unanswered and ignored. Ties name every person, in the order given. When only one value
    is answered, the same people are both strongest and weakest.
    """
    result: list[Extremes] = []
    for element in Element:
        answered = []
        for person, values in people:
            value = values.get(element.value)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
                raise MethodologyError(f"{element.value} must be an integer from 1 to 5")
            answered.append((person, value))
        if not answered:
            result.append(Extremes(element.value, None, (), None, (), 0))
            continue
        high = max(v for _p, v in answered)
        low = min(v for _p, v in answered)
        result.append(
            Extremes(
                element.value,
                high,
                tuple(p for p, v in answered if v == high),
                low,
                tuple(p for p, v in answered if v == low),
                len(answered),
            )
        )
    return tuple(result)


# -- the account score in integers, as the database computes it --------------------------

#: points have one decimal place: they are counted in tenths
POINT_SCALE = 10


def coefficient_scale(coefficients: Iterable[Decimal]) -> int:
    """The power of ten that makes every coefficient a whole number (at least 10)."""
    places = 1
    for coefficient in coefficients:
        exponent = coefficient.normalize().as_tuple().exponent
        if not isinstance(exponent, int):
            raise MethodologyError("coefficients must be finite")
        places = max(places, -exponent)
    return int(10**places)


def score_tenths_from_units(units: int, *, cap_units: int, unit_scale: int) -> int:
    """A contact's score in tenths, from its weighted points in units of 1 / ``unit_scale``
    (points × 10 × coefficient × scale): capped, then rounded half up to a tenth.

    ``unit_scale`` is POINT_SCALE × the coefficient scale; it must be a multiple of 10.
    """
    if unit_scale % POINT_SCALE:
        raise MethodologyError("the unit scale must be a multiple of 10")
    if units < 0:
        raise MethodologyError("weighted points cannot be negative")
    per_tenth = unit_scale // POINT_SCALE
    return (min(units, cap_units) + per_tenth // 2) // per_tenth


def mean_tenths(total_tenths: int, count: int) -> int | None:
    """The mean of ``count`` scores given in tenths, rounded half up to a tenth; none → None."""
    if count == 0:
        return None
    if count < 0 or total_tenths < 0:
        raise MethodologyError("counts and scores cannot be negative")
    return (2 * total_tenths + count) // (2 * count)


def tenths_to_score(tenths: int | None) -> Decimal | None:
    return None if tenths is None else Decimal(tenths) / POINT_SCALE
