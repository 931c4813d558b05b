"""Portfolio rules: coverage gaps, level distribution, per-element extremes and the integer
arithmetic the database uses for the account score (checked against the Decimal core)."""

import random
from datetime import date
from decimal import Decimal

import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.relationship_portfolio import (
    CoverageGap,
    RoleHolder,
    coefficient_scale,
    coverage_gaps,
    element_extremes,
    level_distribution,
    mean_tenths,
    score_tenths_from_units,
    tenths_to_score,
)
from winroom.methodology.relationship_score import (
    LoggedAction,
    ScoreRule,
    account_score,
    explain_contact_score,
)


def test_a_role_is_covered_by_any_supporting_holder():
    holders = [
        RoleHolder("d1", "evaluator", "a", "neutral"),
        RoleHolder("d1", "evaluator", "b", "supporter"),
        RoleHolder("d1", "approver", "c", "opponent"),
        RoleHolder("d1", "user", "d", "iron_supporter"),
    ]
    assert coverage_gaps(holders) == (CoverageGap("d1", "approver", ("c",)),)


def test_unsupported_holders_of_one_role_are_one_gap_and_each_deal_counts():
    holders = [
        RoleHolder("d1", "evaluator", "a", "neutral"),
        RoleHolder("d1", "evaluator", "b", "opponent"),
        RoleHolder("d2", "evaluator", "a", "neutral"),
    ]
    assert coverage_gaps(holders) == (
        CoverageGap("d1", "evaluator", ("a", "b")),
        CoverageGap("d2", "evaluator", ("a",)),
    )
    assert coverage_gaps([]) == ()


def test_role_holder_rejects_unknown_codes():
    with pytest.raises(MethodologyError):
        RoleHolder("d", "coach", "a", "neutral")
    with pytest.raises(MethodologyError):
        RoleHolder("d", "user", "a", "friend")


def test_level_distribution_has_every_level_in_order():
    counts = level_distribution(["neutral", "supporter", "neutral"])
    assert list(counts) == ["iron_supporter", "supporter", "neutral", "opponent"]
    assert counts == {"iron_supporter": 0, "supporter": 1, "neutral": 2, "opponent": 0}
    with pytest.raises(MethodologyError):
        level_distribution(["ally"])


def test_extremes_name_every_tie_and_skip_unanswered():
    result = {
        e.element: e
        for e in element_extremes(
            [
                ("a", {"value": 5, "favour": None, "depth": 2}),
                ("b", {"value": 5, "depth": 4}),
                ("c", {"value": 1}),
            ]
        )
    }
    assert list(result) == [
        "value",
        "favour",
        "decency",
        "standing",
        "frequency",
        "length",
        "depth",
    ]
    assert (result["value"].strongest, result["value"].strongest_by) == (5, ("a", "b"))
    assert (result["value"].weakest, result["value"].weakest_by) == (1, ("c",))
    assert result["favour"].strongest is None and result["favour"].answered == 0
    assert result["depth"].strongest_by == ("b",) and result["depth"].weakest_by == ("a",)


def test_one_answer_is_both_strongest_and_weakest():
    (value, *_rest) = element_extremes([("a", {"value": 3})])
    assert value.strongest_by == value.weakest_by == ("a",)
    assert element_extremes([])[0].answered == 0


@pytest.mark.parametrize("bad", [0, 6, True, "3"])
def test_extremes_reject_values_outside_one_to_five(bad):
    with pytest.raises(MethodologyError):
        element_extremes([("a", {"value": bad})])


def test_coefficient_scale():
    assert coefficient_scale([Decimal("1.5"), Decimal("1.2"), Decimal("1")]) == 10
    assert coefficient_scale([Decimal("1.25"), Decimal("1.00")]) == 100
    assert coefficient_scale([]) == 10


def test_mean_tenths_rounds_half_up():
    assert mean_tenths(0, 0) is None
    assert mean_tenths(32 + 61, 2) == 47  # 4.65 → 4.7
    assert mean_tenths(10, 3) == 3  # 0.333… → 0.3
    assert mean_tenths(20, 3) == 7  # 0.666… → 0.7
    assert tenths_to_score(47) == Decimal("4.7") and tenths_to_score(None) is None
    with pytest.raises(MethodologyError):
        mean_tenths(-1, 2)


def test_integer_units_match_the_decimal_core():
    """Random catalogues and coefficients: the database's integer route gives the core's
    contact and account scores exactly (caps and half-up boundaries included)."""
    rng = random.Random(4)
    today = date(2026, 6, 1)
    for _ in range(300):
        coefficients = {
            level: Decimal(rng.choice(["1", "1.2", "1.5", "1.25", "0.75", "2.05"]))
            for level in ("executive", "manager", "staff")
        }
        rule = ScoreRule(coefficients=coefficients)
        scale = coefficient_scale(rule.coefficients.values())
        unit_scale = 10 * scale
        tenths, scores = [], []
        for _contact in range(rng.randint(1, 4)):
            level = rng.choice(["executive", "manager", "staff"])
            points = [Decimal(rng.randint(0, 120)) / 10 for _action in range(rng.randint(0, 12))]
            core = explain_contact_score(
                [LoggedAction("x", p, today) for p in points], level=level, today=today, rule=rule
            )
            units = sum(int(p * 10) for p in points) * int(rule.coefficient(level) * scale)
            got = score_tenths_from_units(
                units, cap_units=int(rule.cap * unit_scale), unit_scale=unit_scale
            )
            assert Decimal(got) / 10 == core.score, (points, level, coefficients)
            tenths.append(got)
            scores.append(core.score)
        assert tenths_to_score(mean_tenths(sum(tenths), len(tenths))) == account_score(scores)


def test_units_are_checked():
    with pytest.raises(MethodologyError):
        score_tenths_from_units(-1, cap_units=100, unit_scale=100)
    with pytest.raises(MethodologyError):
        score_tenths_from_units(1, cap_units=100, unit_scale=15)
