from decimal import Decimal

import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.health import (
    DEFAULT_STANDARDS,
    INDICATORS,
    SUGGESTIONS,
    HealthIndicator,
    HealthInputs,
    Risk,
    explain_health,
    health_score,
    indicator_values,
    standard_for_stage,
)

CODES = [
    "inside_coach",
    "decision_maker_coverage",
    "decision_support",
    "urgency",
    "needs_clarity",
    "motivation_clarity",
]


def all_at(value: int) -> dict[str, int]:
    return dict.fromkeys(CODES, value)


def test_indicator_codes_and_suggestions():
    assert [i.value for i in HealthIndicator] == CODES
    assert list(INDICATORS) == list(HealthIndicator)
    assert {i.value: s for i, s in SUGGESTIONS.items()} == {
        "inside_coach": "find_inside_coach",
        "decision_maker_coverage": "map_decision_makers",
        "decision_support": "win_support",
        "urgency": "confirm_compelling_event",
        "needs_clarity": "sign_off_requirements",
        "motivation_clarity": "learn_mne",
    }


# --- health score -------------------------------------------------------------------------


def test_all_met_is_100():
    result = health_score(all_at(60), all_at(60))
    assert result.score == 100
    assert result.risks == ()
    assert all(i.met and i.ratio == 1 for i in result.indicators)


def test_none_is_0():
    result = health_score(all_at(0), all_at(50))
    assert result.score == 0
    assert [r.code for r in result.risks] == CODES
    assert all(r.actual == 0 and r.standard == 50 for r in result.risks)


def test_above_standard_is_capped():
    # one indicator far above standard does not make up for another below it
    actual = all_at(50) | {"inside_coach": 100, "urgency": 0}
    result = health_score(actual, all_at(50))
    assert result.ratios["inside_coach"] == 1
    assert result.ratios["urgency"] == 0
    assert result.score == 83  # (5 × 1 + 0) / 6 = 0.8333
    assert result.risks == (Risk("urgency", 0, 50, "confirm_compelling_event"),)


def test_standard_zero_counts_as_met():
    result = health_score(all_at(0), all_at(0))
    assert result.score == 100
    assert result.risks == ()
    mixed = health_score(all_at(0), all_at(0) | {"urgency": 40})
    assert mixed.score == 83
    assert [r.code for r in mixed.risks] == ["urgency"]


def test_partial_ratios_and_rounding():
    actual = {
        "inside_coach": 25,  # 25/50 = 0.5
        "decision_maker_coverage": 75,  # 75/100 = 0.75
        "decision_support": 60,  # 60/40 → capped at 1
        "urgency": 70,  # 70/70 = 1
        "needs_clarity": 20,  # 20/60 = 0.3333
        "motivation_clarity": 0,  # 0/0 → met
    }
    standard = {
        "inside_coach": 50,
        "decision_maker_coverage": 100,
        "decision_support": 40,
        "urgency": 70,
        "needs_clarity": 60,
        "motivation_clarity": 0,
    }
    result = health_score(actual, standard)
    assert result.ratios["inside_coach"] == Decimal("0.5")
    assert result.ratios["needs_clarity"] == Decimal(1) / 3
    assert result.score == 76  # (0.5 + 0.75 + 1 + 1 + 0.3333 + 1) / 6 = 0.7639
    assert [(r.code, r.suggestion_code) for r in result.risks] == [
        ("inside_coach", "find_inside_coach"),
        ("decision_maker_coverage", "map_decision_makers"),
        ("needs_clarity", "sign_off_requirements"),
    ]


def test_half_rounds_up():
    # one indicator at half its standard: 5.5 / 6 = 0.91666 → 92
    assert health_score(all_at(50) | {"urgency": 25}, all_at(50)).score == 92
    # 3/4 of one indicator missing ... (5 + 0.25)/6 = 0.875 → 88 (87.5 rounds up)
    assert health_score(all_at(40) | {"urgency": 10}, all_at(40)).score == 88


@pytest.mark.parametrize(
    ("actual", "standard"),
    [
        (dict.fromkeys(CODES[:-1], 1), all_at(1)),  # missing key in actual
        (all_at(1), dict.fromkeys(CODES[1:], 1)),  # missing key in standard
        (all_at(1) | {"luck": 5}, all_at(1)),  # unknown key
        (all_at(101), all_at(1)),
        (all_at(1), all_at(-1)),
        (all_at(1) | {"urgency": 1.5}, all_at(1)),  # type: ignore[dict-item]
        (all_at(1) | {"urgency": True}, all_at(1)),
    ],
)
def test_bad_mappings_raise(actual, standard):
    with pytest.raises(MethodologyError):
        health_score(actual, standard)


# --- standards ----------------------------------------------------------------------------


def test_default_standards_rise_with_the_stage():
    assert sorted(DEFAULT_STANDARDS) == [1, 2, 3, 4, 5, 6, 7]
    for stage in range(1, 8):
        assert set(DEFAULT_STANDARDS[stage]) == set(CODES)
        assert all(0 <= v <= 100 for v in DEFAULT_STANDARDS[stage].values())
    for stage in range(1, 7):
        for code in CODES:
            assert DEFAULT_STANDARDS[stage][code] <= DEFAULT_STANDARDS[stage + 1][code]
    assert sum(DEFAULT_STANDARDS[1].values()) < sum(DEFAULT_STANDARDS[7].values())


def test_standard_for_stage():
    assert standard_for_stage(3) == DEFAULT_STANDARDS[3]
    with pytest.raises(MethodologyError):
        standard_for_stage(8)
    custom = {1: all_at(10)}
    assert standard_for_stage(1, custom) == all_at(10)


# --- indicator values ---------------------------------------------------------------------


def test_nothing_known_is_all_zero():
    assert indicator_values(HealthInputs()) == dict.fromkeys(CODES, 0) | {
        "needs_clarity": 40  # requirements gathered but not signed off
    }


@pytest.mark.parametrize(
    ("coach", "strength", "expected"),
    [
        (None, None, 0),
        (False, None, 0),
        (False, Decimal(1), 0),  # strength of a coach we do not have is ignored
        (True, None, 50),
        (True, Decimal(0), 50),
        (True, Decimal("0.5"), 75),
        (True, Decimal("0.33"), 67),  # 66.5 rounds up
        (True, Decimal(1), 100),
    ],
)
def test_inside_coach(coach, strength, expected):
    values = indicator_values(HealthInputs(has_inside_coach=coach, coach_strength=strength))
    assert values["inside_coach"] == expected


@pytest.mark.parametrize(
    ("present", "required", "expected"),
    [
        (set(), None, 0),
        ({"approver"}, None, 25),
        ({"approver", "decision_maker", "evaluator"}, None, 75),
        ({"approver", "decision_maker", "evaluator", "user"}, None, 100),
        ({"user"}, {"approver", "decision_maker"}, 0),
        ({"approver", "user"}, {"approver", "decision_maker"}, 50),
        (
            {"approver", "decision_maker", "evaluator"},
            {"approver", "decision_maker", "evaluator"},
            100,
        ),
        ({"decision_maker"}, {"approver", "decision_maker", "evaluator"}, 33),
        (set(), set(), 100),
    ],
)
def test_decision_maker_coverage(present, required, expected):
    kwargs = {"roles_present": frozenset(present)}
    if required is not None:
        kwargs["roles_required"] = frozenset(required)
    assert indicator_values(HealthInputs(**kwargs))["decision_maker_coverage"] == expected


@pytest.mark.parametrize(
    ("people", "positive", "strong", "expected"),
    [
        (0, 0, 0, 0),
        (4, 0, 0, 0),
        (4, 0, 4, 100),
        (4, 4, 0, 75),
        (4, 2, 1, 63),  # (1 + 1.5) / 4 = 62.5 → 63
        (3, 1, 1, 58),  # 1.75 / 3 = 58.3
        (5, 0, 1, 20),
    ],
)
def test_decision_support(people, positive, strong, expected):
    inputs = HealthInputs(
        decision_people=people, decision_positive=positive, decision_strong_positive=strong
    )
    assert indicator_values(inputs)["decision_support"] == expected


@pytest.mark.parametrize(
    ("event", "confirmed", "days", "expected"),
    [
        (False, True, 10, 0),  # no event: nothing else counts
        (True, False, None, 40),
        (True, True, None, 70),
        (True, True, 0, 100),
        (True, True, 90, 100),
        (True, True, 91, 90),
        (True, True, 180, 90),
        (True, True, 181, 80),
        (True, True, 365, 80),
        (True, True, 366, 70),
        (True, True, -1, 70),  # the date has passed
        (True, False, 30, 70),
    ],
)
def test_urgency(event, confirmed, days, expected):
    inputs = HealthInputs(
        has_compelling_event=event,
        compelling_event_confirmed=confirmed,
        days_to_compelling_event=days,
    )
    assert indicator_values(inputs)["urgency"] == expected


@pytest.mark.parametrize(
    ("signed", "changes", "expected"),
    [
        (True, 0, 100),
        (True, 1, 90),
        (True, 10, 0),
        (True, 12, 0),
        (False, 0, 40),
        (False, 3, 10),
        (False, 5, 0),
    ],
)
def test_needs_clarity(signed, changes, expected):
    inputs = HealthInputs(requirements_signed_off=signed, open_change_requests=changes)
    assert indicator_values(inputs)["needs_clarity"] == expected


@pytest.mark.parametrize(
    ("mapped", "with_mne", "expected"), [(0, 0, 0), (3, 0, 0), (3, 1, 33), (3, 2, 67), (8, 8, 100)]
)
def test_motivation_clarity(mapped, with_mne, expected):
    inputs = HealthInputs(mapped_people=mapped, mapped_people_with_mne=with_mne)
    assert indicator_values(inputs)["motivation_clarity"] == expected


@pytest.mark.parametrize(
    "kwargs",
    [
        {"coach_strength": Decimal("1.01")},
        {"coach_strength": Decimal("-0.1")},
        {"decision_people": -1},
        {"open_change_requests": -1},
        {"decision_people": 2, "decision_positive": 2, "decision_strong_positive": 1},
        {"mapped_people": 2, "mapped_people_with_mne": 3},
        {"roles_present": frozenset({"sponsor"})},
        {"roles_required": frozenset({"champion"})},
    ],
)
def test_bad_inputs_raise(kwargs):
    with pytest.raises(MethodologyError):
        HealthInputs(**kwargs)


def test_explain_health_for_a_healthy_late_deal():
    inputs = HealthInputs(
        has_inside_coach=True,
        coach_strength=Decimal("0.8"),
        roles_present=frozenset({"approver", "decision_maker", "evaluator", "user"}),
        decision_people=4,
        decision_positive=1,
        decision_strong_positive=3,
        has_compelling_event=True,
        compelling_event_confirmed=True,
        days_to_compelling_event=60,
        requirements_signed_off=True,
        mapped_people=5,
        mapped_people_with_mne=5,
    )
    result = explain_health(inputs, 7)
    assert result.score == 100
    assert result.risks == ()


def test_explain_health_names_the_gaps():
    inputs = HealthInputs(
        has_compelling_event=True,
        compelling_event_confirmed=True,
        roles_present=frozenset({"user"}),
        mapped_people=2,
        mapped_people_with_mne=1,
    )
    early = explain_health(inputs, 1)
    assert early.risks == ()
    assert early.score == 100
    late = explain_health(inputs, 5)
    assert [r.suggestion_code for r in late.risks] == [
        "find_inside_coach",
        "map_decision_makers",
        "win_support",
        "confirm_compelling_event",
        "sign_off_requirements",
        "learn_mne",
    ]
    assert late.score < early.score
