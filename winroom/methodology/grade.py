"""Deal grade (商机分级) and route, METHODOLOGY §2.2.

"By amount, with a manual override that needs a reason (e.g. a reference customer):
A and B — big deals: full TAS+ process through all stages; C and D — small deals: fast
track, may jump from stage 2 straight to stage 7 and need no questionnaire or map; E —
partner-led deals [...]. Default amount bounds (CNY): A ≥ 5,000,000; B ≥ 1,000,000;
C ≥ 200,000; D below that."

An amount exactly on a bound belongs to the higher grade (5,000,000 is A).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .errors import MethodologyError, ReasonRequiredError


class Grade(StrEnum):
    A = "a"
    B = "b"
    C = "c"
    D = "d"
    E = "e"


class GradeSource(StrEnum):
    """Which clause decided the effective grade."""

    AMOUNT = "amount"
    OVERRIDE = "override"
    PARTNER = "partner"


class Route(StrEnum):
    """The process a grade follows: full TAS+, fast track, or partner registration."""

    FULL = "full"
    FAST_TRACK = "fast_track"
    PARTNER = "partner"


@dataclass(frozen=True)
class GradeBounds:
    """The company's lower bounds (inclusive) of grades A, B and C; below ``c`` is D."""

    a: Decimal = Decimal(5_000_000)
    b: Decimal = Decimal(1_000_000)
    c: Decimal = Decimal(200_000)

    def __post_init__(self) -> None:
        for bound in (self.a, self.b, self.c):
            if not Decimal(bound).is_finite():
                raise MethodologyError("grade bounds must be finite numbers")
        if not self.a > self.b > self.c > 0:
            raise MethodologyError("grade bounds need a > b > c > 0")


DEFAULT_BOUNDS = GradeBounds()


@dataclass(frozen=True)
class GradeDecision:
    """The effective grade, the clause that produced it and the inputs."""

    grade: Grade
    source: GradeSource
    #: the grade the amount alone gives (shown next to an override or a partner grade)
    amount_grade: Grade
    amount: Decimal
    override: Grade | None
    partner_led: bool
    bounds: GradeBounds


def grade_for_amount(amount: Decimal, bounds: GradeBounds = DEFAULT_BOUNDS) -> Grade:
    """A ≥ ``bounds.a``; B ≥ ``bounds.b``; C ≥ ``bounds.c``; D below. Never E (E is a route)."""
    if not Decimal(amount).is_finite():
        raise MethodologyError("amount must be a finite number")
    if amount < 0:
        raise MethodologyError("amount cannot be negative")
    if amount >= bounds.a:
        return Grade.A
    if amount >= bounds.b:
        return Grade.B
    if amount >= bounds.c:
        return Grade.C
    return Grade.D


def effective_grade(
    *,
    amount: Decimal,
    override: Grade | None = None,
    partner_led: bool = False,
    bounds: GradeBounds = DEFAULT_BOUNDS,
) -> GradeDecision:
    """The grade a deal is run with.

    A manual override always wins (its reason is checked by :func:`check_override_reason`);
    otherwise a partner-led deal is E; otherwise the amount decides.
    """
    amount_grade = grade_for_amount(amount, bounds)
    if override is not None:
        grade, source = Grade(override), GradeSource.OVERRIDE
    elif partner_led:
        grade, source = Grade.E, GradeSource.PARTNER
    else:
        grade, source = amount_grade, GradeSource.AMOUNT
    return GradeDecision(
        grade=grade,
        source=source,
        amount_grade=amount_grade,
        amount=amount,
        override=override,
        partner_led=partner_led,
        bounds=bounds,
    )


def check_override_reason(override: Grade | None, reason: str) -> None:
    """Raise if an override comes without a reason ("a manual override that needs a reason")."""
    if override is not None and not reason.strip():
        raise ReasonRequiredError("a grade override needs a reason")


def is_big(grade: Grade) -> bool:
    """A and B: big deals, full TAS+ process through every stage."""
    return grade in (Grade.A, Grade.B)


def is_fast_track(grade: Grade) -> bool:
    """C and D: small deals, may jump from stage 2 straight to the last stage."""
    return grade in (Grade.C, Grade.D)


def is_partner_led(grade: Grade) -> bool:
    """E: partner-led deals (partner deal registration, 报备)."""
    return grade == Grade.E


def route_for(grade: Grade) -> Route:
    """A/B → full; C/D → fast track; E → partner."""
    if is_big(grade):
        return Route.FULL
    if is_fast_track(grade):
        return Route.FAST_TRACK
    return Route.PARTNER


def may_jump_to_signing(grade: Grade) -> bool:
    """Whether a deal may go from stage 2 straight to the last stage (C, D and E)."""
    return not is_big(grade)


def requires_questionnaire(grade: Grade) -> bool:
    """Only A/B deals must answer the questionnaire and draw the map; C/D (and E) may skip."""
    return is_big(grade)


def requires_coaching(grade: Grade) -> bool:
    """A/B: "for important deals (A/B), the first-line manager reviews the deal" (§2.10)."""
    return is_big(grade)
