from decimal import Decimal

import pytest

from winroom.methodology.errors import MethodologyError, ReasonRequiredError
from winroom.methodology.grade import (
    DEFAULT_BOUNDS,
    Grade,
    GradeBounds,
    GradeSource,
    Route,
    check_override_reason,
    effective_grade,
    grade_for_amount,
    is_big,
    is_fast_track,
    is_partner_led,
    may_jump_to_signing,
    requires_coaching,
    requires_questionnaire,
    route_for,
)

G = Grade


def test_values_are_stored_codes():
    assert [g.value for g in Grade] == ["a", "b", "c", "d", "e"]
    assert [s.value for s in GradeSource] == ["amount", "override", "partner"]
    assert [r.value for r in Route] == ["full", "fast_track", "partner"]


def test_default_bounds():
    assert (
        GradeBounds(a=Decimal(5_000_000), b=Decimal(1_000_000), c=Decimal(200_000))
        == DEFAULT_BOUNDS
    )


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0", G.D),
        ("0.01", G.D),
        ("199999.99", G.D),
        ("200000", G.C),  # exactly on a bound → the higher grade
        ("200000.00", G.C),
        ("999999.99", G.C),
        ("1000000", G.B),
        ("4999999.99", G.B),
        ("5000000", G.A),
        ("123456789012", G.A),
    ],
)
def test_grade_for_amount(amount, expected):
    assert grade_for_amount(Decimal(amount)) == expected


@pytest.mark.parametrize("amount", ["-0.01", "-1000000", "NaN", "Infinity"])
def test_bad_amounts_raise(amount):
    with pytest.raises(MethodologyError):
        grade_for_amount(Decimal(amount))


def test_company_bounds():
    bounds = GradeBounds(a=Decimal(1000), b=Decimal(100), c=Decimal(10))
    assert grade_for_amount(Decimal(1000), bounds) == G.A
    assert grade_for_amount(Decimal(999), bounds) == G.B
    assert grade_for_amount(Decimal(10), bounds) == G.C
    assert grade_for_amount(Decimal(9), bounds) == G.D


@pytest.mark.parametrize(
    ("a", "b", "c"),
    [(100, 100, 10), (100, 10, 10), (10, 100, 1), (100, 10, 0), (100, 10, -1), (1, 2, 3)],
)
def test_bounds_must_descend_above_zero(a, b, c):
    with pytest.raises(MethodologyError):
        GradeBounds(a=Decimal(a), b=Decimal(b), c=Decimal(c))


@pytest.mark.parametrize(
    ("amount", "override", "partner", "grade", "source"),
    [
        ("6000000", None, False, G.A, GradeSource.AMOUNT),
        ("300000", None, False, G.C, GradeSource.AMOUNT),
        ("300000", G.A, False, G.A, GradeSource.OVERRIDE),  # reference customer
        ("6000000", G.D, False, G.D, GradeSource.OVERRIDE),
        ("6000000", None, True, G.E, GradeSource.PARTNER),  # partner-led is E...
        ("100", None, True, G.E, GradeSource.PARTNER),
        ("6000000", G.B, True, G.B, GradeSource.OVERRIDE),  # ...unless overridden
        ("100", G.E, False, G.E, GradeSource.OVERRIDE),
    ],
)
def test_effective_grade(amount, override, partner, grade, source):
    decision = effective_grade(amount=Decimal(amount), override=override, partner_led=partner)
    assert decision.grade == grade
    assert decision.source == source
    assert decision.amount_grade == grade_for_amount(Decimal(amount))
    assert decision.override == override
    assert decision.partner_led is partner


def test_effective_grade_checks_the_amount_even_when_overridden():
    with pytest.raises(MethodologyError):
        effective_grade(amount=Decimal(-1), override=G.A, partner_led=False)


def test_effective_grade_with_company_bounds():
    bounds = GradeBounds(a=Decimal(1000), b=Decimal(100), c=Decimal(10))
    decision = effective_grade(amount=Decimal(500), override=None, partner_led=False, bounds=bounds)
    assert decision.grade == G.B
    assert decision.bounds is bounds


def test_override_needs_a_reason():
    check_override_reason(None, "")
    check_override_reason(G.A, "reference customer")
    for blank in ("", "   ", "\n"):
        with pytest.raises(ReasonRequiredError):
            check_override_reason(G.A, blank)
    assert issubclass(ReasonRequiredError, MethodologyError)


@pytest.mark.parametrize(
    ("grade", "big", "fast", "partner", "route"),
    [
        (G.A, True, False, False, Route.FULL),
        (G.B, True, False, False, Route.FULL),
        (G.C, False, True, False, Route.FAST_TRACK),
        (G.D, False, True, False, Route.FAST_TRACK),
        (G.E, False, False, True, Route.PARTNER),
    ],
)
def test_routes(grade, big, fast, partner, route):
    assert is_big(grade) is big
    assert is_fast_track(grade) is fast
    assert is_partner_led(grade) is partner
    assert route_for(grade) == route
    assert may_jump_to_signing(grade) is not big
    assert requires_questionnaire(grade) is big
    assert requires_coaching(grade) is big


def test_routes_accept_stored_values():
    assert is_big(Grade("a"))
    assert route_for(Grade("e")) == "partner"
