from decimal import Decimal

import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.grade import Grade
from winroom.methodology.win_rate import (
    FACTOR_CAP_APPLIED,
    FACTOR_COMPARED_COMPETITOR,
    FACTOR_COMPETITOR_STRENGTH,
    FACTOR_COMPETITORS_UNKNOWN_CAP,
    FACTOR_HISTORICAL_RATE_FOR_GRADE,
    FACTOR_INSIDE_COACH,
    FACTOR_NO_COACH_MULTIPLIER,
    FACTOR_OUR_STRENGTH,
    FACTOR_RANK,
    FACTOR_RATE,
    FACTOR_RAW_RATE,
    FACTOR_SOLE_SOURCE,
    FACTOR_SOLE_SOURCE_CONTRADICTED,
    REASON_COMPETITOR_COMPARISON,
    REASON_COMPETITORS_UNKNOWN,
    REASON_INSIDE_COACH_UNKNOWN,
    REASON_NO_COMPELLING_EVENT,
    REASON_NO_INSIDE_COACH,
    REASON_OUR_ASSESSMENT_MISSING,
    REASON_RANK_WORSE_THAN_THREE,
    REASON_SOLE_SOURCE,
    REASON_SOLE_SOURCE_CONTRADICTED,
    ForecastCategory,
    PartyAssessment,
    RateSource,
    WinRateInputs,
    WinRateResult,
    WinRateStatus,
    explain_win_rate,
    fallback_rate,
    forecast_category,
    forecast_rate,
    rate_change_explanations,
    win_rate,
)

D = Decimal


def party(name: str, fit: int | None, closeness: int | None) -> PartyAssessment:
    return PartyAssessment(name, fit, closeness)


def inputs(
    us: tuple[int | None, int | None],
    *competitors: tuple[int | None, int | None],
    coach: bool | None = True,
    event: bool = True,
    sole: bool = False,
    grade: Grade | None = None,
) -> WinRateInputs:
    return WinRateInputs(
        has_compelling_event=event,
        has_inside_coach=coach,
        us=party("us", *us),
        competitors=tuple(party(f"c{i}", *c) for i, c in enumerate(competitors, start=1)),
        sole_source=sole,
        grade=grade,
    )


def explain(*args: tuple[int | None, int | None], **kwargs: object) -> WinRateResult:
    return explain_win_rate(inputs(*args, **kwargs))  # type: ignore[arg-type]


def values(result: WinRateResult, code: str) -> list[object]:
    return [f.value for f in result.factors if f.code == code]


# --- the formula --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("us", "competitors", "coach", "rate", "rank"),
    [
        # s_us = 16; s_c = 9, 4 → 16/29
        ((4, 4), [(3, 3), (2, 2)], True, "0.5517", 1),
        ((4, 4), [(3, 3), (2, 2)], False, "0.3862", 1),  # × 0.7 without a coach
        ((4, 4), [(3, 3), (2, 2)], None, "0.3862", 1),  # unknown coach = no coach
        # only one competitor: 10 / (10 + 25)
        ((2, 5), [(5, 5)], True, "0.2857", 2),
        # ties do not push us down: 12 vs 12
        ((3, 4), [(4, 3)], True, "0.5000", 1),
        ((3, 4), [(4, 3), (1, 3)], True, "0.4444", 1),  # 12 / (12 + 12 + 3)
        # rank exactly 3 is still rated: 9 / (9 + 16 + 12)
        ((3, 3), [(4, 4), (3, 4)], True, "0.2432", 3),
        # rank 4 → 0
        ((3, 3), [(4, 4), (3, 4), (2, 5)], True, "0.0000", 4),
        # more than three competitors, we lead: only the two strongest count, 20/(20+16+12)
        ((4, 5), [(1, 2), (4, 4), (3, 3), (3, 4), (2, 2)], True, "0.4167", 1),
        # more than three competitors, a tie keeps us at rank 3: 9/(9+25+20)
        ((3, 3), [(5, 5), (4, 5), (3, 3), (2, 2)], True, "0.1667", 3),
        # more than three competitors, three stronger → 0
        ((3, 3), [(5, 5), (4, 5), (4, 4), (2, 2)], True, "0.0000", 4),
        # the 1/5 bounds
        ((1, 1), [(5, 5), (5, 5)], True, "0.0196", 3),  # 1 / 51
        ((5, 5), [(1, 1), (1, 1)], True, "0.9259", 1),  # 25 / 27
        ((5, 5), [(5, 5), (5, 5)], True, "0.3333", 1),  # three-way tie
        ((1, 1), [(1, 1), (1, 1)], False, "0.2333", 1),  # 1/3 × 0.7
        # half-up rounding: 3/16 × 0.7 = 0.13125
        ((1, 3), [(3, 3), (2, 2)], False, "0.1313", 3),
    ],
)
def test_competitor_comparison(us, competitors, coach, rate, rank):
    result = explain(us, *competitors, coach=coach)
    assert result.status == WinRateStatus.COMPUTED
    assert result.rate == D(rate)
    assert result.rate.as_tuple().exponent == -4
    assert result.rank == rank
    assert not result.competitors_unknown
    assert REASON_COMPETITOR_COMPARISON in result.reasons
    assert values(result, FACTOR_RATE) == [D(rate)]


def test_factors_explain_everything():
    result = explain((4, 4), (3, 3), (5, 4), (1, 2), coach=False)
    assert values(result, FACTOR_OUR_STRENGTH) == [16]
    assert [
        (f.subject, f.value) for f in result.factors if f.code == FACTOR_COMPETITOR_STRENGTH
    ] == [
        ("c1", 9),
        ("c2", 20),
        ("c3", 2),
    ]
    assert values(result, FACTOR_RANK) == [2]
    compared = [
        (f.subject, f.value) for f in result.factors if f.code == FACTOR_COMPARED_COMPETITOR
    ]
    assert compared == [("c2", 20), ("c1", 9)]
    assert result.compared == ("c2", "c1")
    assert values(result, FACTOR_RAW_RATE) == [D("0.3556")]  # 16 / 45
    assert values(result, FACTOR_INSIDE_COACH) == [False]
    assert values(result, FACTOR_NO_COACH_MULTIPLIER) == [D("0.7")]
    assert values(result, FACTOR_COMPETITORS_UNKNOWN_CAP) == []
    assert result.rate == D("0.2489")  # 16/45 × 0.7 = 0.24888…
    assert result.reasons == (REASON_COMPETITOR_COMPARISON, REASON_NO_INSIDE_COACH)
    assert result.factor(FACTOR_RATE) == result.factors[-1]
    assert result.factor("nonexistent") is None


def test_factor_order_follows_the_clauses():
    result = explain((4, 4), (3, 3), (None, 2), coach=None)
    assert [f.code for f in result.factors] == [
        "compelling_event",
        "our_fit",
        "our_closeness",
        "our_strength",
        "competitor_strength",
        "competitor_strength",
        "rank",
        "compared_competitor",
        "raw_rate",
        "competitors_unknown_cap",
        "cap_applied",
        "inside_coach",
        "no_inside_coach_multiplier",
        "rate",
    ]
    assert result.reasons == (
        REASON_COMPETITOR_COMPARISON,
        REASON_COMPETITORS_UNKNOWN,
        REASON_INSIDE_COACH_UNKNOWN,
    )


def test_rank_worse_than_three_is_zero_whatever_else():
    result = explain((1, 1), (2, 2), (3, 3), (4, 4), (None, None), coach=False)
    assert result.status == WinRateStatus.COMPUTED
    assert result.rate == D(0)
    assert result.rank == 4
    assert result.competitors_unknown
    assert REASON_RANK_WORSE_THAN_THREE in result.reasons
    assert result.compared == ()
    assert values(result, FACTOR_NO_COACH_MULTIPLIER) == []


# --- sole source --------------------------------------------------------------------------


@pytest.mark.parametrize(("coach", "rate"), [(True, "1.0000"), (False, "0.7000"), (None, "0.7000")])
def test_sole_source(coach, rate):
    result = explain((2, 2), sole=True, coach=coach)
    assert result.rate == D(rate)
    assert result.rank == 1
    assert not result.competitors_unknown
    assert result.reasons[0] == REASON_SOLE_SOURCE
    assert values(result, FACTOR_SOLE_SOURCE) == [True]
    assert values(result, FACTOR_RAW_RATE) == [D("1.0000")]
    assert values(result, FACTOR_COMPETITORS_UNKNOWN_CAP) == []


def test_sole_source_contradicted_by_a_recorded_competitor():
    result = explain((2, 2), (2, 2), sole=True)
    assert result.rate == D("0.5000")  # 4 / 8, a normal comparison
    assert REASON_SOLE_SOURCE_CONTRADICTED in result.reasons
    assert REASON_SOLE_SOURCE not in result.reasons
    assert values(result, FACTOR_SOLE_SOURCE_CONTRADICTED) == [1]
    assert values(result, FACTOR_SOLE_SOURCE) == []
    assert not result.competitors_unknown


def test_sole_source_contradicted_by_an_unassessed_competitor_is_capped():
    result = explain((5, 5), (None, None), sole=True)
    assert result.competitors_unknown
    assert result.rate == D("0.5000")
    assert REASON_SOLE_SOURCE_CONTRADICTED in result.reasons


# --- competitors unknown ------------------------------------------------------------------


def test_unassessed_competitor_caps_at_half():
    result = explain((4, 4), (3, 3), (4, None))  # raw 16/25 = 0.64
    assert result.competitors_unknown
    assert result.rate == D("0.5000")
    assert result.rank == 1
    assert result.compared == ("c1",)
    assert values(result, FACTOR_RAW_RATE) == [D("0.6400")]
    assert values(result, FACTOR_COMPETITORS_UNKNOWN_CAP) == [D("0.5")]
    assert values(result, FACTOR_CAP_APPLIED) == [True]
    assert [
        (f.subject, f.value) for f in result.factors if f.code == FACTOR_COMPETITOR_STRENGTH
    ] == [
        ("c1", 9),
        ("c2", None),
    ]


def test_the_cap_does_not_raise_a_lower_rate():
    result = explain((1, 4), (4, 4), (None, 5))  # 4 / 20
    assert result.competitors_unknown
    assert result.rate == D("0.2000")
    assert values(result, FACTOR_CAP_APPLIED) == [False]


def test_unassessed_competitors_do_not_count_in_the_rank():
    result = explain((1, 1), (5, None), (None, 5), (None, None))
    assert result.rank == 1
    assert result.compared == ()
    assert result.rate == D("0.5000")  # raw 1 (only us), capped


def test_no_competitor_recorded_and_not_sole_source_is_unknown():
    result = explain((3, 3))
    assert result.competitors_unknown
    assert result.rate == D("0.5000")
    assert REASON_COMPETITORS_UNKNOWN in result.reasons


@pytest.mark.parametrize("coach", [False, None])
def test_no_coach_applies_after_the_cap(coach):
    result = explain((5, 5), (1, None), coach=coach)
    assert result.rate == D("0.3500")  # 0.5 × 0.7, not min(25/26 × 0.7, 0.5)
    codes = [f.code for f in result.factors]
    assert codes.index(FACTOR_COMPETITORS_UNKNOWN_CAP) < codes.index(FACTOR_NO_COACH_MULTIPLIER)


# --- no rate ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"sole": True},
        {"coach": False},
    ],
)
def test_no_compelling_event_is_not_computed(kwargs):
    result = explain((5, 5), (1, 1), event=False, **kwargs)
    assert result.status == WinRateStatus.NOT_COMPUTED
    assert result.rate is None  # never 0 nor 0.5
    assert result.rank is None
    assert result.reasons == (REASON_NO_COMPELLING_EVENT,)
    assert [(f.code, f.value) for f in result.factors] == [("compelling_event", False)]
    assert win_rate(inputs((5, 5), event=False)) is None


def test_no_compelling_event_wins_over_not_assessed():
    assert explain((None, None), event=False).status == WinRateStatus.NOT_COMPUTED


@pytest.mark.parametrize("us", [(None, 3), (3, None), (None, None)])
def test_our_assessment_missing_is_not_assessed(us):
    result = explain(us, (3, 3), grade=Grade.C)
    assert result.status == WinRateStatus.NOT_ASSESSED
    assert result.rate is None
    assert result.rank is None
    assert result.reasons == (REASON_OUR_ASSESSMENT_MISSING,)
    assert values(result, FACTOR_HISTORICAL_RATE_FOR_GRADE) == ["c"]


def test_not_assessed_without_a_grade_names_no_fallback():
    result = explain((None, None))
    assert values(result, FACTOR_HISTORICAL_RATE_FOR_GRADE) == [None]


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fit", "closeness"),
    [(0, 3), (6, 3), (-1, 3), (3, 0), (3, 6), (True, 3), (3, False), (2.5, 3), ("3", 3)],
)
def test_scores_outside_one_to_five_raise(fit, closeness):
    with pytest.raises(MethodologyError):
        PartyAssessment("x", fit, closeness)


@pytest.mark.parametrize(("fit", "closeness"), [(1, 1), (5, 5), (1, 5), (None, 5), (None, None)])
def test_scores_on_the_bounds_are_fine(fit, closeness):
    assessment = PartyAssessment("x", fit, closeness)
    assert assessment.assessed is (fit is not None and closeness is not None)
    assert assessment.strength == (None if not assessment.assessed else fit * closeness)


def test_competitors_given_as_a_list_become_a_tuple():
    wri = WinRateInputs(True, True, party("us", 3, 3), [party("c", 3, 3)])  # type: ignore[arg-type]
    assert wri.competitors == (party("c", 3, 3),)


def test_rate_is_always_between_zero_and_one():
    for us_fit in range(1, 6):
        for their_fit in range(1, 6):
            for coach in (True, False, None):
                for extra in ((), ((None, 1),)):
                    result = explain((us_fit, 3), (their_fit, 3), *extra, coach=coach)
                    assert result.rate is not None
                    assert D(0) <= result.rate <= D(1)


# --- forecast -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "category"),
    [
        ("1", ForecastCategory.COMMIT),
        ("0.70", ForecastCategory.COMMIT),
        ("0.6999", ForecastCategory.BEST_CASE),
        ("0.40", ForecastCategory.BEST_CASE),
        ("0.3999", ForecastCategory.PIPELINE),
        ("0", ForecastCategory.PIPELINE),
    ],
)
def test_forecast_category(rate, category):
    assert forecast_category(D(rate)) == category


@pytest.mark.parametrize("rate", ["-0.01", "1.0001", "NaN"])
def test_forecast_category_rejects_non_rates(rate):
    with pytest.raises(MethodologyError):
        forecast_category(D(rate))


def test_category_values():
    assert [c.value for c in ForecastCategory] == ["commit", "best_case", "pipeline"]
    assert [s.value for s in WinRateStatus] == ["computed", "not_computed", "not_assessed"]


HISTORY = {Grade.A: D("0.25"), Grade.C: D("0.4")}


def test_fallback_rate():
    assert fallback_rate(Grade.A, HISTORY) == D("0.2500")
    assert fallback_rate(Grade.B, HISTORY) is None
    assert fallback_rate(None, HISTORY) is None
    with pytest.raises(MethodologyError):
        fallback_rate(Grade.A, {Grade.A: D("1.5")})


def test_forecast_rate_says_where_the_rate_came_from():
    computed = explain((4, 4), (3, 3), (2, 2))
    fr = forecast_rate(computed, HISTORY)
    assert (fr.rate, fr.source) == (D("0.5517"), RateSource.WIN_RATE)
    assessed_later = explain((None, 4), grade=Grade.C)
    fr = forecast_rate(assessed_later, HISTORY)
    assert (fr.rate, fr.source) == (D("0.4000"), RateSource.HISTORICAL)
    unknown_grade = explain((None, 4), grade=Grade.B)
    assert forecast_rate(unknown_grade, HISTORY).source == RateSource.NONE
    no_event = explain((4, 4), event=False, grade=Grade.A)
    fr = forecast_rate(no_event, HISTORY)
    assert (fr.rate, fr.source) == (None, RateSource.NONE)


# --- change explanations ------------------------------------------------------------------


def test_rate_change_explanations():
    before = explain((3, 3), (4, 4), (None, 3), coach=False)
    after = explain((4, 4), (3, 3), (2, 3), coach=True)
    assert rate_change_explanations(before, after) == (
        "rate_up",
        "our_strength_up",
        "rank_improved",
        "competitor_assessed",
        "competitor_weaker",
        "competitors_unknown_resolved",
        "inside_coach_gained",
    )
    back = rate_change_explanations(after, before)
    assert back[0] == "rate_down"
    assert "rank_worsened" in back and "competitor_stronger" in back
    assert "competitors_unknown_raised" in back and "inside_coach_lost" in back


def test_rate_change_explanations_status_and_lists():
    before = explain((3, 3), (3, 3), event=False)
    after = explain((3, 3), (3, 3), (2, 2), event=True)
    assert rate_change_explanations(before, after) == (
        "status_changed",
        "compelling_event_gained",
        "competitor_added",
    )
    sole = explain((3, 3), sole=True)
    rival = explain((3, 3), (2, 2))
    assert rate_change_explanations(rival, sole) == (
        "rate_up",
        "competitor_removed",
        "sole_source_set",
    )
    assert rate_change_explanations(sole, sole) == ()
