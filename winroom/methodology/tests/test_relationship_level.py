from decimal import Decimal

import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.relationship_level import (
    DEFAULT_IRON_INDICATORS,
    DEFAULT_RULE,
    REASON_IRON_SCORE_AND_INDICATORS,
    REASON_NEGATIVE_STATUS,
    REASON_SUPPORTER_CRITERIA_NOT_MET,
    REASON_SUPPORTER_SCORE_AND_POSITIVE_STATUS,
    IronIndicator,
    LevelRule,
    RelationshipLevel,
    explain_relationship_level,
    relationship_level,
    score_code,
)
from winroom.methodology.strategy import RelationshipStatus

L = RelationshipLevel
D = Decimal
ALL = frozenset(DEFAULT_IRON_INDICATORS)
TWO = frozenset({"gives_information", "takes_part"})
NONE: frozenset[str] = frozenset()


@pytest.mark.parametrize(
    ("score", "status", "indicators", "expected"),
    [
        # opponent whatever the score or indicators
        (D(100), "strong_negative", ALL, L.OPPONENT),
        (D(100), "negative", ALL, L.OPPONENT),
        (D(0), "negative", NONE, L.OPPONENT),
        (D(50), "strong_negative", NONE, L.OPPONENT),
        # iron supporter: score ≥ 80 and every indicator, status not read
        (D(80), "positive", ALL, L.IRON_SUPPORTER),
        (D("80.0"), "strong_positive", ALL, L.IRON_SUPPORTER),
        (D(100), "neutral", ALL, L.IRON_SUPPORTER),
        (D("79.9"), "strong_positive", ALL, L.SUPPORTER),
        (D(95), "strong_positive", TWO, L.SUPPORTER),
        (D(95), "neutral", TWO, L.NEUTRAL),
        (D("79.9"), "neutral", ALL, L.NEUTRAL),
        # supporter: score ≥ 40 and positive status
        (D(40), "positive", NONE, L.SUPPORTER),
        (D(40), "strong_positive", NONE, L.SUPPORTER),
        (D("39.9"), "positive", ALL, L.NEUTRAL),
        (D("39.9"), "strong_positive", NONE, L.NEUTRAL),
        (D(60), "neutral", NONE, L.NEUTRAL),
        # neutral
        (D(0), "neutral", NONE, L.NEUTRAL),
        (D(0), "strong_positive", ALL, L.NEUTRAL),
        (80, "positive", ALL, L.IRON_SUPPORTER),  # integers accepted
    ],
)
def test_default_rule(score, status, indicators, expected):
    assert relationship_level(score=score, status=status, indicators_met=indicators) == expected


@pytest.mark.parametrize(
    ("score", "status", "indicators", "level", "reason", "missing", "next_level"),
    [
        (
            D(100),
            "strong_negative",
            ALL,
            L.OPPONENT,
            REASON_NEGATIVE_STATUS,
            ("status_not_negative",),
            L.NEUTRAL,
        ),
        (
            D(0),
            "negative",
            NONE,
            L.OPPONENT,
            REASON_NEGATIVE_STATUS,
            ("status_not_negative",),
            L.NEUTRAL,
        ),
        # neutral → supporter
        (
            D(10),
            "neutral",
            NONE,
            L.NEUTRAL,
            REASON_SUPPORTER_CRITERIA_NOT_MET,
            ("score_at_least_40", "status_positive"),
            L.SUPPORTER,
        ),
        (
            D("39.9"),
            "positive",
            NONE,
            L.NEUTRAL,
            REASON_SUPPORTER_CRITERIA_NOT_MET,
            ("score_at_least_40",),
            L.SUPPORTER,
        ),
        (
            D(40),
            "neutral",
            NONE,
            L.NEUTRAL,
            REASON_SUPPORTER_CRITERIA_NOT_MET,
            ("status_positive",),
            L.SUPPORTER,
        ),
        (
            D(95),
            "neutral",
            TWO,
            L.NEUTRAL,
            REASON_SUPPORTER_CRITERIA_NOT_MET,
            ("status_positive",),
            L.SUPPORTER,
        ),
        # supporter → iron supporter
        (
            D(40),
            "positive",
            NONE,
            L.SUPPORTER,
            REASON_SUPPORTER_SCORE_AND_POSITIVE_STATUS,
            ("score_at_least_80", "gives_information", "takes_part", "backs_key_decisions"),
            L.IRON_SUPPORTER,
        ),
        (
            D("79.9"),
            "positive",
            ALL,
            L.SUPPORTER,
            REASON_SUPPORTER_SCORE_AND_POSITIVE_STATUS,
            ("score_at_least_80",),
            L.IRON_SUPPORTER,
        ),
        (
            D(80),
            "strong_positive",
            TWO,
            L.SUPPORTER,
            REASON_SUPPORTER_SCORE_AND_POSITIVE_STATUS,
            ("backs_key_decisions",),
            L.IRON_SUPPORTER,
        ),
        (
            D(50),
            "positive",
            frozenset({"backs_key_decisions"}),
            L.SUPPORTER,
            REASON_SUPPORTER_SCORE_AND_POSITIVE_STATUS,
            ("score_at_least_80", "gives_information", "takes_part"),
            L.IRON_SUPPORTER,
        ),
        # top
        (D(80), "positive", ALL, L.IRON_SUPPORTER, REASON_IRON_SCORE_AND_INDICATORS, (), None),
    ],
)
def test_explanation(score, status, indicators, level, reason, missing, next_level):
    exp = explain_relationship_level(score=score, status=status, indicators_met=indicators)
    assert exp.level == level
    assert exp.reason == reason
    assert exp.missing_for_next == missing
    assert exp.next_level == next_level


def test_explanation_carries_the_inputs():
    exp = explain_relationship_level(
        score=D(55), status=RelationshipStatus.POSITIVE, indicators_met=TWO
    )
    assert exp.score == D(55)
    assert exp.status is RelationshipStatus.POSITIVE
    assert exp.indicators_met == TWO
    assert exp.rule is DEFAULT_RULE


def test_unknown_indicators_are_ignored():
    extra = ALL - {"takes_part"} | {"plays_golf"}
    exp = explain_relationship_level(score=D(90), status="positive", indicators_met=extra)
    assert exp.level == L.SUPPORTER
    assert exp.missing_for_next == ("takes_part",)


def test_indicators_default_to_none_met():
    exp = explain_relationship_level(score=D(90), status="positive")
    assert exp.missing_for_next == DEFAULT_IRON_INDICATORS


def test_default_indicators():
    assert DEFAULT_IRON_INDICATORS == ("gives_information", "takes_part", "backs_key_decisions")
    assert tuple(IronIndicator) == DEFAULT_IRON_INDICATORS


def test_company_rule():
    rule = LevelRule(
        iron_score=D("90.5"), supporter_score=D(30), iron_indicators=("exclusive_access",)
    )
    exp = explain_relationship_level(score=D(30), status="positive", rule=rule)
    assert exp.level == L.SUPPORTER
    assert exp.missing_for_next == ("score_at_least_90.5", "exclusive_access")
    exp = explain_relationship_level(
        score=D("90.5"), status="neutral", indicators_met=frozenset({"exclusive_access"}), rule=rule
    )
    assert exp.level == L.IRON_SUPPORTER
    exp = explain_relationship_level(score=D(29), status="neutral", rule=rule)
    assert exp.missing_for_next == ("score_at_least_30", "status_positive")


def test_rule_without_indicators_is_iron_on_score_alone():
    rule = LevelRule(iron_indicators=())
    assert relationship_level(score=D(80), status="neutral", rule=rule) == L.IRON_SUPPORTER
    exp = explain_relationship_level(score=D(50), status="positive", rule=rule)
    assert exp.missing_for_next == ("score_at_least_80",)


def test_equal_thresholds_allowed():
    rule = LevelRule(iron_score=D(50), supporter_score=D(50))
    assert relationship_level(score=D(50), status="positive", rule=rule) == L.SUPPORTER


@pytest.mark.parametrize(
    ("threshold", "code"),
    [
        (D(40), "score_at_least_40"),
        (D("40.0"), "score_at_least_40"),
        (D("42.50"), "score_at_least_42.5"),
        (D("1E+2"), "score_at_least_100"),
        (D(0), "score_at_least_0"),
    ],
)
def test_score_code(threshold, code):
    assert score_code(threshold) == code


@pytest.mark.parametrize(
    "kwargs",
    [
        {"iron_score": D(30), "supporter_score": D(40)},
        {"supporter_score": D(-1)},
        {"iron_score": D("NaN")},
        {"iron_score": 80.0},
        {"iron_indicators": ("a", "a")},
        {"iron_indicators": ("a", " ")},
    ],
)
def test_invalid_rules(kwargs):
    with pytest.raises(MethodologyError):
        LevelRule(**kwargs)


@pytest.mark.parametrize(
    ("score", "status"),
    [
        (D(50), "friendly"),
        (D(50), ""),
        (D(-1), "neutral"),
        (D("NaN"), "neutral"),
        (50.0, "neutral"),
        (True, "neutral"),
    ],
)
def test_invalid_inputs(score, status):
    with pytest.raises(MethodologyError):
        explain_relationship_level(score=score, status=status)
