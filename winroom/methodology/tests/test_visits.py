from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.visits import (
    REASON_COMMITMENT_UNANSWERED,
    REASON_NO_OBJECTIVE,
    REASON_NOT_RECORDED,
    REASON_RECORDED_LATE,
    VISIT_STEPS,
    EffectiveVisitRule,
    SkillProfile,
    StepComparison,
    StepScores,
    VisitStep,
    check_step_scores,
    compare_views,
    effective_visits_per_week,
    explain_effective_visit,
    is_effective_visit,
    period_weeks,
    revisit_due,
    skill_profile,
)

S = VisitStep
VISIT = date(2024, 3, 4)  # a Monday


def _explain(recorded_after: int | None, objective=True, answered=True, rule=None):
    recorded = None if recorded_after is None else VISIT + timedelta(days=recorded_after)
    kwargs = {"rule": rule} if rule is not None else {}
    return explain_effective_visit(
        visited_on=VISIT,
        recorded_on=recorded,
        has_objective=objective,
        commitment_answered=answered,
        **kwargs,
    )


# --------------------------------------------------------------------------- steps


def test_five_steps_in_order_with_snake_case_values():
    assert [s.value for s in VISIT_STEPS] == [
        "prepare",
        "understand",
        "present",
        "commit",
        "evaluate",
    ]
    assert tuple(VisitStep) == VISIT_STEPS


# --------------------------------------------------------------------------- effective visit


@pytest.mark.parametrize(
    ("recorded_after", "effective", "reasons"),
    [
        (0, True, ()),  # same day
        (1, True, ()),
        (3, True, ()),  # exactly three days later still counts
        (4, False, (REASON_RECORDED_LATE,)),  # four days later does not
        (30, False, (REASON_RECORDED_LATE,)),
        (None, False, (REASON_NOT_RECORDED,)),
    ],
)
def test_record_window(recorded_after, effective, reasons):
    result = _explain(recorded_after)
    assert result.effective is effective
    assert result.reasons == reasons


def test_days_to_record_is_reported():
    assert _explain(3).days_to_record == 3
    assert _explain(0).days_to_record == 0
    assert _explain(None).days_to_record is None


def test_missing_objective():
    result = _explain(0, objective=False)
    assert not result.effective
    assert result.reasons == (REASON_NO_OBJECTIVE,)


@pytest.mark.parametrize("answered", [True, False])
def test_commitment_must_be_answered_not_won(answered):
    # "won" and "not won" both answer the question; only an unanswered one fails
    result = _explain(1, answered=answered)
    assert result.effective is answered
    assert result.reasons == (() if answered else (REASON_COMMITMENT_UNANSWERED,))


def test_every_failure_is_listed_in_order():
    assert _explain(None, objective=False, answered=False).reasons == (
        REASON_NOT_RECORDED,
        REASON_NO_OBJECTIVE,
        REASON_COMMITMENT_UNANSWERED,
    )
    assert _explain(5, objective=False, answered=False).reasons == (
        REASON_RECORDED_LATE,
        REASON_NO_OBJECTIVE,
        REASON_COMMITMENT_UNANSWERED,
    )


def test_recorded_before_the_visit_is_an_error():
    with pytest.raises(MethodologyError):
        _explain(-1)


def test_datetimes_are_compared_by_date():
    result = explain_effective_visit(
        visited_on=datetime(2024, 3, 4, 23, 59),
        recorded_on=datetime(2024, 3, 7, 0, 1),
        has_objective=True,
        commitment_answered=True,
    )
    assert result.effective
    assert result.days_to_record == 3
    assert result.visited_on == date(2024, 3, 4)
    # the same day, earlier clock time: still the same date, not "before the visit"
    same_day = explain_effective_visit(
        visited_on=datetime(2024, 3, 4, 18, 0),
        recorded_on=datetime(2024, 3, 4, 9, 0),
        has_objective=True,
        commitment_answered=True,
    )
    assert same_day.effective


def test_company_rule():
    strict = EffectiveVisitRule(record_within_days=0)
    assert _explain(0, rule=strict).effective
    assert _explain(1, rule=strict).reasons == (REASON_RECORDED_LATE,)
    lenient = EffectiveVisitRule(require_objective=False, require_commitment_answered=False)
    assert _explain(2, objective=False, answered=False, rule=lenient).effective
    assert _explain(None, objective=False, answered=False, rule=lenient).reasons == (
        REASON_NOT_RECORDED,
    )


def test_explanation_carries_inputs():
    result = _explain(2, objective=True, answered=False)
    assert result.recorded_on == VISIT + timedelta(days=2)
    assert result.has_objective is True
    assert result.commitment_answered is False
    assert result.rule == EffectiveVisitRule()


def test_shorthand():
    assert is_effective_visit(
        visited_on=VISIT, recorded_on=VISIT, has_objective=True, commitment_answered=True
    )
    assert not is_effective_visit(
        visited_on=VISIT, recorded_on=None, has_objective=True, commitment_answered=True
    )


@pytest.mark.parametrize("days", [-1, True])
def test_bad_rule(days):
    with pytest.raises(MethodologyError):
        EffectiveVisitRule(record_within_days=days)


# --------------------------------------------------------------------------- scores


def test_step_scores_validation_and_mapping():
    scores = StepScores(prepare=5, commit=1)
    assert scores.as_mapping() == {
        S.PREPARE: 5,
        S.UNDERSTAND: None,
        S.PRESENT: None,
        S.COMMIT: 1,
        S.EVALUATE: None,
    }
    assert scores.get(S.COMMIT) == 1
    assert StepScores.from_mapping({"prepare": 5, S.COMMIT: 1}) == scores


@pytest.mark.parametrize("value", [0, 6, -1, True, 2.5, "3", Decimal(3)])
def test_bad_scores_are_refused(value):
    with pytest.raises(MethodologyError):
        StepScores(prepare=value)
    with pytest.raises(MethodologyError):
        check_step_scores({S.PREPARE: value})


def test_unknown_step_is_refused():
    with pytest.raises(MethodologyError):
        check_step_scores({"close": 3})


def test_check_step_scores_fills_missing_steps():
    assert check_step_scores({}) == dict.fromkeys(VISIT_STEPS)
    assert check_step_scores({"evaluate": 4})[S.EVALUATE] == 4


# --------------------------------------------------------------------------- skill profile


def test_averages_counts_and_single_weakest():
    profile = skill_profile(
        [
            {S.PREPARE: 4, S.UNDERSTAND: 3, S.PRESENT: 5, S.COMMIT: 2, S.EVALUATE: 4},
            {S.PREPARE: 5, S.UNDERSTAND: 3, S.PRESENT: 4, S.COMMIT: 3, S.EVALUATE: None},
            StepScores(prepare=3, commit=2),
        ]
    )
    assert profile.averages == {
        S.PREPARE: Decimal("4.00"),
        S.UNDERSTAND: Decimal("3.00"),
        S.PRESENT: Decimal("4.50"),
        S.COMMIT: Decimal("2.33"),
        S.EVALUATE: Decimal("4.00"),
    }
    assert profile.counts == {
        S.PREPARE: 3,
        S.UNDERSTAND: 2,
        S.PRESENT: 2,
        S.COMMIT: 3,
        S.EVALUATE: 1,
    }
    assert profile.weakest == (S.COMMIT,)
    assert profile.visits == 3


def test_unscored_steps_do_not_count_as_zero():
    profile = skill_profile([{S.PREPARE: 4}, {S.PREPARE: 2, S.EVALUATE: 5}])
    assert profile.averages[S.PREPARE] == Decimal("3.00")
    assert profile.averages[S.UNDERSTAND] is None
    assert profile.counts[S.UNDERSTAND] == 0
    assert profile.weakest == (S.PREPARE,)


def test_ties_for_weakest_are_all_listed_in_step_order():
    profile = skill_profile([{S.EVALUATE: 2, S.PREPARE: 2, S.PRESENT: 3, S.UNDERSTAND: 2}])
    assert profile.weakest == (S.PREPARE, S.UNDERSTAND, S.EVALUATE)


def test_all_equal_means_all_weakest():
    profile = skill_profile([dict.fromkeys(VISIT_STEPS, 3)])
    assert profile.weakest == VISIT_STEPS


def test_ties_are_judged_on_shown_averages():
    # prepare: 10 / 3 = 3.333… shows 3.33; commit: 333 / 100 = 3.33 exactly
    scorings = [{S.PREPARE: v} for v in (3, 3, 4)]
    scorings += [{S.COMMIT: 3}] * 67 + [{S.COMMIT: 4}] * 33
    profile = skill_profile(scorings)
    assert profile.averages[S.PREPARE] == profile.averages[S.COMMIT] == Decimal("3.33")
    assert profile.weakest == (S.PREPARE, S.COMMIT)
    assert profile.counts[S.COMMIT] == 100


def test_half_up_rounding():
    # (4 + 4 + 4 + 3 + 4 + 4 + 4 + 4) / 8 = 3.875 → 3.88
    profile = skill_profile([{S.PRESENT: v} for v in (4, 4, 4, 3, 4, 4, 4, 4)])
    assert profile.averages[S.PRESENT] == Decimal("3.88")


@pytest.mark.parametrize(
    "scores",
    [[], [{}], [dict.fromkeys(VISIT_STEPS)], [StepScores(), {}]],
)
def test_no_scores(scores):
    profile = skill_profile(scores)
    assert profile.weakest is None
    assert all(avg is None for avg in profile.averages.values())
    assert all(count == 0 for count in profile.counts.values())
    assert list(profile.averages) == list(VISIT_STEPS)
    assert profile.visits == len(scores)


def test_invalid_score_in_profile_is_refused():
    with pytest.raises(MethodologyError):
        skill_profile([{S.PREPARE: 7}])


def test_profile_accepts_a_generator():
    profile = skill_profile({S.COMMIT: v} for v in (1, 2))
    assert profile.averages[S.COMMIT] == Decimal("1.50")


# --------------------------------------------------------------------------- compare views


def test_compare_rep_and_manager_views():
    rep = skill_profile([{S.PREPARE: 5, S.UNDERSTAND: 4, S.PRESENT: 4, S.COMMIT: 4}])
    manager = skill_profile([{S.PREPARE: 3, S.UNDERSTAND: 4, S.PRESENT: 5, S.EVALUATE: 2}])
    rows = compare_views(rep, manager)
    assert [row.step for row in rows] == list(VISIT_STEPS)
    assert rows[0] == StepComparison(S.PREPARE, Decimal("5.00"), Decimal("3.00"), Decimal("2.00"))
    assert rows[1].difference == Decimal("0.00")
    assert rows[2].difference == Decimal("-1.00")  # the rep rates lower than the manager
    assert rows[3] == (S.COMMIT, Decimal("4.00"), None, None)  # manager never scored it
    assert rows[4] == (S.EVALUATE, None, Decimal("2.00"), None)


def test_compare_empty_profiles():
    empty = skill_profile([])
    assert isinstance(empty, SkillProfile)
    rows = compare_views(empty, empty)
    assert all(row[1:] == (None, None, None) for row in rows)


# --------------------------------------------------------------------------- per week


@pytest.mark.parametrize(
    ("start", "end", "weeks"),
    [
        (date(2024, 3, 4), date(2024, 3, 10), Decimal(1)),  # 7 days
        (date(2024, 3, 4), date(2024, 3, 17), Decimal(2)),  # 14 days
        (date(2024, 3, 4), date(2024, 3, 4), Decimal(1)),  # one day → at least a week
        (date(2024, 3, 4), date(2024, 3, 9), Decimal(1)),  # six days → at least a week
        (date(2024, 3, 1), date(2024, 3, 31), Decimal(31) / 7),
    ],
)
def test_period_weeks(start, end, weeks):
    assert period_weeks(start, end) == weeks


def test_period_ending_before_it_starts_is_an_error():
    with pytest.raises(MethodologyError):
        period_weeks(date(2024, 3, 5), date(2024, 3, 4))
    with pytest.raises(MethodologyError):
        effective_visits_per_week([], date(2024, 3, 5), date(2024, 3, 4))


@pytest.mark.parametrize(
    ("dates", "start", "end", "expected"),
    [
        # 6 visits over two weeks
        ([date(2024, 3, d) for d in (4, 5, 6, 11, 12, 13)], (3, 4), (3, 17), "3.00"),
        # short period counts as a full week
        ([date(2024, 3, 4), date(2024, 3, 5)], (3, 4), (3, 6), "2.00"),
        # two visits on the same day count twice
        ([date(2024, 3, 4), date(2024, 3, 4)], (3, 4), (3, 10), "2.00"),
        # the period is inclusive at both ends; outside dates are ignored
        (
            [date(2024, 3, 3), date(2024, 3, 4), date(2024, 3, 10), date(2024, 3, 11)],
            (3, 4),
            (3, 10),
            "2.00",
        ),
        # 10 visits over 31 days: 10 / (31/7) = 2.258… → 2.26
        ([date(2024, 3, d) for d in range(1, 11)], (3, 1), (3, 31), "2.26"),
        # 1 visit over 8 days: 7/8 = 0.875 → 0.88 (half up)
        ([date(2024, 3, 4)], (3, 4), (3, 11), "0.88"),
        ([], (3, 4), (3, 10), "0.00"),
    ],
)
def test_effective_visits_per_week(dates, start, end, expected):
    result = effective_visits_per_week(dates, date(2024, *start), date(2024, *end))
    assert result == Decimal(expected)
    assert str(result) == expected


def test_per_week_accepts_datetimes():
    visits = [datetime(2024, 3, 10, 23, 0), datetime(2024, 3, 11, 0, 30)]
    assert effective_visits_per_week(visits, date(2024, 3, 4), date(2024, 3, 10)) == Decimal("1.00")


# --------------------------------------------------------------------------- revisit


@pytest.mark.parametrize(
    ("last_contact", "due"),
    [
        (None, True),  # never contacted
        (date(2024, 3, 1), True),  # exactly 30 days
        (date(2024, 3, 2), False),  # 29 days
        (date(2024, 1, 1), True),
        (date(2024, 3, 31), False),  # today
        (date(2024, 4, 5), False),  # planned, after today
    ],
)
def test_revisit_due(last_contact, due):
    assert revisit_due(last_contact=last_contact, today=date(2024, 3, 31), interval_days=30) is due


@pytest.mark.parametrize("interval", [0, -5, True])
def test_revisit_interval_must_be_positive(interval):
    with pytest.raises(MethodologyError):
        revisit_due(last_contact=None, today=date(2024, 3, 31), interval_days=interval)


# --------------------------------------------------------------------------- from totals


def test_profile_from_totals_equals_the_profile_of_the_scorings():
    from winroom.methodology.visits import skill_profile_from_totals

    scorings = [{S.PREPARE: 4, S.COMMIT: 2}, {S.PREPARE: 3, S.COMMIT: 2}, {S.PRESENT: 5}]
    from_db = skill_profile_from_totals(
        {S.PREPARE: (7, 2), S.COMMIT: (4, 2), S.PRESENT: (5, 1)}, visits=3
    )
    assert from_db == skill_profile(scorings)
    assert from_db.averages[S.PREPARE] == Decimal("3.50")
    assert from_db.weakest == (S.COMMIT,)
    assert from_db.averages[S.EVALUATE] is None and from_db.counts[S.EVALUATE] == 0


def test_profile_from_totals_rounds_the_exact_average_half_up():
    from winroom.methodology.visits import skill_profile_from_totals

    # 2.345 as a float is 2.34499…: the exact average rounds up
    profile = skill_profile_from_totals({S.UNDERSTAND: (469, 200)}, visits=200)
    assert profile.averages[S.UNDERSTAND] == Decimal("2.35")


def test_profile_from_no_totals_has_no_weakest_step():
    from winroom.methodology.visits import skill_profile_from_totals

    profile = skill_profile_from_totals({}, visits=0)
    assert profile.weakest is None and profile.visits == 0


@pytest.mark.parametrize(
    "totals, visits",
    [
        ({S.PREPARE: (11, 2)}, 2),  # more than 5 each
        ({S.PREPARE: (1, 2)}, 2),  # less than 1 each
        ({S.PREPARE: (4, 3)}, 2),  # more scores than visits
        ({S.PREPARE: (4, 0)}, 2),  # a total without scores
        ({"stride": (4, 1)}, 2),  # unknown step
        ({}, -1),
    ],
)
def test_impossible_totals_are_errors(totals, visits):
    from winroom.methodology.visits import skill_profile_from_totals

    with pytest.raises(MethodologyError):
        skill_profile_from_totals(totals, visits=visits)
