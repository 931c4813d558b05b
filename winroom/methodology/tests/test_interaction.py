import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.interaction import (
    REASON_DEEP_KINDS,
    REASON_FEW_RECENT,
    REASON_MANY_RECENT,
    REASON_NO_ACTIVITY,
    REASON_NONE_RECENT,
    REASON_SEVERAL_RECENT,
    InteractionCounts,
    InteractionLevel,
    InteractionRule,
    explain_interaction_level,
    interaction_level,
)

L = InteractionLevel


@pytest.mark.parametrize(
    ("ever", "recent", "deep", "expected"),
    [
        (0, 0, 0, L.NEVER_MET),  # no activity ever
        (1, 0, 0, L.OCCASIONAL),  # only old activities
        (50, 0, 0, L.OCCASIONAL),  # many, but all older than the window
        (1, 1, 0, L.OCCASIONAL),
        (2, 2, 0, L.OCCASIONAL),  # upper edge of occasional
        (3, 3, 0, L.REPEATED),  # lower edge of repeated
        (9, 9, 0, L.REPEATED),  # upper edge of repeated
        (10, 10, 0, L.DEEP),  # n ≥ 10
        (3, 3, 3, L.DEEP),  # k ≥ 3 with few activities
        (9, 9, 2, L.REPEATED),  # k one short
        (2, 2, 2, L.OCCASIONAL),  # two deep ones are not yet deep
    ],
)
def test_default_rule(ever, recent, deep, expected):
    assert interaction_level(ever=ever, recent=recent, recent_deep=deep) == expected


def test_explanation_names_the_clause():
    reasons = {
        (0, 0, 0): REASON_NO_ACTIVITY,
        (4, 0, 0): REASON_NONE_RECENT,
        (2, 2, 0): REASON_FEW_RECENT,
        (5, 5, 0): REASON_SEVERAL_RECENT,
        (12, 12, 0): REASON_MANY_RECENT,
        (3, 3, 3): REASON_DEEP_KINDS,
    }
    for (ever, recent, deep), reason in reasons.items():
        exp = explain_interaction_level(InteractionCounts(ever, recent, deep))
        assert exp.reason == reason
        assert exp.counts.recent == recent


def test_company_thresholds():
    rule = InteractionRule(window_days=90, repeated_from=2, deep_from=5, deep_kinds_from=1)
    assert interaction_level(ever=2, recent=2, recent_deep=0, rule=rule) == L.REPEATED
    assert interaction_level(ever=1, recent=1, recent_deep=1, rule=rule) == L.DEEP
    assert interaction_level(ever=5, recent=5, recent_deep=0, rule=rule) == L.DEEP


@pytest.mark.parametrize(
    ("ever", "recent", "deep"),
    [(-1, 0, 0), (1, 2, 0), (3, 1, 2), (0, 0, -1)],
)
def test_impossible_counts_are_refused(ever, recent, deep):
    with pytest.raises(MethodologyError):
        InteractionCounts(ever=ever, recent=recent, recent_deep=deep)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"window_days": 0},
        {"repeated_from": 0},
        {"repeated_from": 10, "deep_from": 10},
        {"deep_kinds_from": 0},
    ],
)
def test_inconsistent_rules_are_refused(kwargs):
    with pytest.raises(MethodologyError):
        InteractionRule(**kwargs)
