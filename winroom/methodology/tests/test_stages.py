from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.grade import Grade
from winroom.methodology.stages import (
    DEFAULT_STAGES,
    REASON_ADVANCED,
    REASON_EXIT_CRITERIA_NOT_MET,
    REASON_FAST_TRACK_JUMP,
    REASON_MOVED_BACK,
    REASON_SAME_STAGE,
    REASON_SKIP_NOT_ALLOWED,
    REASON_TARGET_OUT_OF_RANGE,
    ClosingState,
    DealFacts,
    ExitCriterion,
    LeadRole,
    StageCode,
    StageSpec,
    check_advance,
    cycle_days,
    exit_criterion_missing,
    is_stale,
    stage_durations,
    validate_template,
)

G = Grade

#: every exit criterion met and the compelling event re-confirmed
ALL_MET = DealFacts(
    has_compelling_event=True,
    compelling_event_confirmed_this_stage=True,
    internal_approval=True,
    deal_team_size=3,
    has_value_proposition=True,
    has_competitive_strategy=True,
    open_action_count=2,
    tender_influenced=True,
    tender_issued=True,
    bid_result_announced=True,
    contract_signed=True,
)


def test_default_template():
    validate_template(DEFAULT_STAGES)
    assert [s.number for s in DEFAULT_STAGES] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.code for s in DEFAULT_STAGES] == [
        "verify_opportunity",
        "project_initiation",
        "needs_analysis",
        "value_presentation",
        "tender_preparation",
        "bidding",
        "negotiation_signing",
    ]
    assert [s.exit_criterion for s in DEFAULT_STAGES] == [
        "compelling_event",
        "internal_approval_and_team",
        "value_strategy_actions",
        "influenced_tender",
        "tender_issued",
        "bid_result",
        "contract_signed",
    ]
    assert {s.lead_role for s in DEFAULT_STAGES} <= {r.value for r in LeadRole}
    assert all(s.departments and "sales" in s.departments for s in DEFAULT_STAGES)
    assert [c.value for c in StageCode] == [s.code for s in DEFAULT_STAGES]
    assert [c.value for c in ExitCriterion] == [s.exit_criterion for s in DEFAULT_STAGES]
    assert [c.value for c in ClosingState] == ["won", "lost", "abandoned"]
    assert [r.value for r in LeadRole] == [
        "account_manager",
        "solution_manager",
        "delivery_manager",
    ]


@pytest.mark.parametrize(
    "template",
    [
        (),
        (StageSpec(2, "a", "x", "account_manager"),),
        (StageSpec(1, "a", "x", "account_manager"), StageSpec(3, "b", "y", "account_manager")),
        (StageSpec(1, "a", "x", "account_manager"), StageSpec(2, "a", "y", "account_manager")),
    ],
)
def test_bad_templates(template):
    with pytest.raises(MethodologyError):
        validate_template(template)


def test_stage_spec_validation():
    with pytest.raises(MethodologyError):
        StageSpec(0, "a", "x", "account_manager")
    with pytest.raises(MethodologyError):
        StageSpec(1, "", "x", "account_manager")


def test_negative_counts_raise():
    with pytest.raises(MethodologyError):
        DealFacts(deal_team_size=-1)
    with pytest.raises(MethodologyError):
        DealFacts(open_action_count=-1)


# --- exit criteria ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("criterion", "facts", "missing"),
    [
        ("compelling_event", DealFacts(), ("compelling_event",)),
        ("compelling_event", DealFacts(has_compelling_event=True), ()),
        (
            "internal_approval_and_team",
            DealFacts(),
            ("internal_approval", "deal_team"),
        ),
        ("internal_approval_and_team", DealFacts(internal_approval=True), ("deal_team",)),
        (
            "internal_approval_and_team",
            DealFacts(internal_approval=True, deal_team_size=1),
            ("deal_team",),
        ),
        ("internal_approval_and_team", DealFacts(internal_approval=True, deal_team_size=2), ()),
        ("internal_approval_and_team", DealFacts(deal_team_size=5), ("internal_approval",)),
        (
            "value_strategy_actions",
            DealFacts(),
            ("value_proposition", "competitive_strategy", "action_plan"),
        ),
        (
            "value_strategy_actions",
            DealFacts(has_value_proposition=True, has_competitive_strategy=True),
            ("action_plan",),
        ),
        (
            "value_strategy_actions",
            DealFacts(has_value_proposition=True, open_action_count=1),
            ("competitive_strategy",),
        ),
        (
            "value_strategy_actions",
            DealFacts(
                has_value_proposition=True, has_competitive_strategy=True, open_action_count=1
            ),
            (),
        ),
        ("influenced_tender", DealFacts(), ("tender_influenced",)),
        ("influenced_tender", DealFacts(tender_influenced=True), ()),
        ("tender_issued", DealFacts(), ("tender_issued",)),
        ("tender_issued", DealFacts(tender_issued=True), ()),
        ("bid_result", DealFacts(), ("bid_result_announced",)),
        ("bid_result", DealFacts(bid_result_announced=True), ()),
        ("contract_signed", DealFacts(), ("contract_signed",)),
        ("contract_signed", DealFacts(contract_signed=True), ()),
        ("site_survey_done", DealFacts(), ("site_survey_done",)),  # custom criterion
        ("site_survey_done", DealFacts(met_criteria=frozenset({"site_survey_done"})), ()),
    ],
)
def test_exit_criteria(criterion, facts, missing):
    assert exit_criterion_missing(criterion, facts) == missing


def test_team_size_is_a_parameter():
    facts = DealFacts(internal_approval=True, deal_team_size=1)
    assert exit_criterion_missing("internal_approval_and_team", facts, min_team_size=1) == ()


# --- advancing ----------------------------------------------------------------------------


@pytest.mark.parametrize("grade", list(Grade))
@pytest.mark.parametrize("current", range(1, 7))
def test_every_grade_advances_by_one_when_criteria_are_met(grade, current):
    decision = check_advance(grade=grade, current=current, target=current + 1, facts=ALL_MET)
    assert decision.allowed
    assert decision.reason == REASON_ADVANCED
    assert decision.missing == ()
    assert decision.criterion == DEFAULT_STAGES[current - 1].exit_criterion
    assert (decision.grade, decision.current, decision.target) == (grade, current, current + 1)


@pytest.mark.parametrize("grade", [G.A, G.B])
@pytest.mark.parametrize(("current", "target"), [(1, 3), (2, 7), (2, 4), (3, 5), (5, 7), (1, 7)])
def test_big_deals_never_skip(grade, current, target):
    decision = check_advance(grade=grade, current=current, target=target, facts=ALL_MET)
    assert not decision.allowed
    assert decision.reason == REASON_SKIP_NOT_ALLOWED
    assert decision.missing == ()
    assert decision.criterion is None


@pytest.mark.parametrize("grade", [G.C, G.D, G.E])
def test_fast_track_jumps_from_two_to_seven(grade):
    decision = check_advance(grade=grade, current=2, target=7, facts=ALL_MET)
    assert decision.allowed
    assert decision.reason == REASON_FAST_TRACK_JUMP
    assert decision.criterion == "internal_approval_and_team"


@pytest.mark.parametrize("grade", [G.C, G.D, G.E])
def test_fast_track_jump_needs_stage_two_exit_criterion(grade):
    facts = replace(ALL_MET, internal_approval=False, deal_team_size=0)
    decision = check_advance(grade=grade, current=2, target=7, facts=facts)
    assert not decision.allowed
    assert decision.reason == REASON_EXIT_CRITERIA_NOT_MET
    assert decision.missing == ("internal_approval", "deal_team")


@pytest.mark.parametrize("grade", [G.C, G.D, G.E])
@pytest.mark.parametrize(("current", "target"), [(1, 7), (2, 6), (2, 4), (3, 7), (1, 3), (4, 6)])
def test_fast_track_skips_nothing_else(grade, current, target):
    decision = check_advance(grade=grade, current=current, target=target, facts=ALL_MET)
    assert not decision.allowed
    assert decision.reason == REASON_SKIP_NOT_ALLOWED


@pytest.mark.parametrize("grade", list(Grade))
@pytest.mark.parametrize(("current", "target"), [(2, 1), (7, 1), (7, 6), (5, 3)])
def test_moving_back_is_allowed_without_criteria(grade, current, target):
    decision = check_advance(grade=grade, current=current, target=target, facts=DealFacts())
    assert decision.allowed
    assert decision.reason == REASON_MOVED_BACK
    assert decision.missing == ()
    assert decision.criterion is None


@pytest.mark.parametrize("target", [0, -1, 8, 100])
def test_target_out_of_range(target):
    decision = check_advance(grade=G.C, current=2, target=target, facts=ALL_MET)
    assert not decision.allowed
    assert decision.reason == REASON_TARGET_OUT_OF_RANGE


def test_same_stage_is_refused():
    decision = check_advance(grade=G.A, current=3, target=3, facts=ALL_MET)
    assert not decision.allowed
    assert decision.reason == REASON_SAME_STAGE


@pytest.mark.parametrize("current", [0, 8, -3])
def test_current_outside_the_template_raises(current):
    with pytest.raises(MethodologyError):
        check_advance(grade=G.A, current=current, target=2, facts=ALL_MET)


def test_stage_count_must_match_an_explicit_template():
    kwargs = {"grade": G.A, "current": 1, "target": 2, "facts": ALL_MET}
    assert check_advance(**kwargs, stage_count=7, template=DEFAULT_STAGES).allowed
    with pytest.raises(MethodologyError):
        check_advance(**kwargs, stage_count=6, template=DEFAULT_STAGES)


def test_stage_count_without_a_template_uses_the_default_criteria_by_number():
    # a company with eight stages: 1..7 keep the default criteria, 8 has none of its own
    facts = replace(ALL_MET, contract_signed=False)
    decision = check_advance(grade=G.A, current=7, target=8, facts=facts, stage_count=8)
    assert decision.missing == ("contract_signed",)
    assert check_advance(grade=G.A, current=7, target=8, facts=ALL_MET, stage_count=8).allowed
    last = check_advance(grade=G.A, current=8, target=9, facts=ALL_MET, stage_count=8)
    assert last.reason == REASON_TARGET_OUT_OF_RANGE
    # fast track jumps to the last stage of the company's count
    jump = check_advance(grade=G.C, current=2, target=8, facts=ALL_MET, stage_count=8)
    assert jump.allowed and jump.reason == REASON_FAST_TRACK_JUMP
    assert not check_advance(grade=G.C, current=2, target=7, facts=ALL_MET, stage_count=8).allowed
    # a shorter process
    assert check_advance(grade=G.A, current=4, target=5, facts=ALL_MET, stage_count=5).reason == (
        REASON_ADVANCED
    )
    assert check_advance(grade=G.A, current=5, target=6, facts=ALL_MET, stage_count=5).reason == (
        REASON_TARGET_OUT_OF_RANGE
    )
    with pytest.raises(MethodologyError):
        check_advance(grade=G.A, current=6, target=5, facts=ALL_MET, stage_count=5)
    with pytest.raises(MethodologyError):
        check_advance(grade=G.A, current=1, target=1, facts=ALL_MET, stage_count=0)


def test_a_stage_without_criterion_still_needs_the_compelling_event():
    facts = replace(ALL_MET, compelling_event_confirmed_this_stage=False)
    decision = check_advance(grade=G.A, current=8, target=9, facts=facts, stage_count=9)
    assert decision.missing == ("compelling_event_reconfirmation",)
    assert decision.criterion is None
    assert check_advance(grade=G.A, current=8, target=9, facts=ALL_MET, stage_count=9).allowed


@pytest.mark.parametrize(
    ("current", "change", "missing"),
    [
        (1, {"has_compelling_event": False}, ("compelling_event",)),  # not listed twice
        (3, {"has_value_proposition": False}, ("value_proposition",)),
        (3, {"open_action_count": 0}, ("action_plan",)),
        (4, {"tender_influenced": False}, ("tender_influenced",)),
        (5, {"tender_issued": False}, ("tender_issued",)),
        (6, {"bid_result_announced": False}, ("bid_result_announced",)),
        (7, {"contract_signed": False}, ()),  # nothing after 7 to advance to
    ],
)
def test_current_exit_criterion_must_be_met(current, change, missing):
    facts = replace(ALL_MET, **change)
    target = current + 1 if current < 7 else 7
    decision = check_advance(grade=G.A, current=current, target=target, facts=facts)
    if current == 7:
        assert decision.reason == REASON_SAME_STAGE
        return
    assert not decision.allowed
    assert decision.reason == REASON_EXIT_CRITERIA_NOT_MET
    assert decision.missing == missing


def test_only_the_current_stage_criterion_counts():
    # at stage 3, a missing contract signature is irrelevant
    facts = replace(ALL_MET, contract_signed=False, tender_issued=False)
    assert check_advance(grade=G.A, current=3, target=4, facts=facts).allowed


@pytest.mark.parametrize("current", range(1, 7))
def test_compelling_event_reconfirmed_at_every_advance(current):
    facts = replace(ALL_MET, compelling_event_confirmed_this_stage=False)
    decision = check_advance(grade=G.A, current=current, target=current + 1, facts=facts)
    assert not decision.allowed
    assert decision.missing == ("compelling_event_reconfirmation",)
    relaxed = check_advance(
        grade=G.A,
        current=current,
        target=current + 1,
        facts=facts,
        require_reconfirmation=False,
    )
    assert relaxed.allowed


def test_a_lost_compelling_event_blocks_later_stages():
    facts = replace(
        ALL_MET, has_compelling_event=False, compelling_event_confirmed_this_stage=False
    )
    decision = check_advance(grade=G.A, current=4, target=5, facts=facts)
    assert decision.missing == ("compelling_event",)
    relaxed = check_advance(
        grade=G.A, current=4, target=5, facts=facts, require_reconfirmation=False
    )
    assert relaxed.allowed


def test_fast_track_jump_also_needs_reconfirmation():
    facts = replace(ALL_MET, compelling_event_confirmed_this_stage=False, deal_team_size=1)
    decision = check_advance(grade=G.D, current=2, target=7, facts=facts)
    assert decision.missing == ("deal_team", "compelling_event_reconfirmation")


def test_custom_template():
    template = (
        StageSpec(1, "qualify", "compelling_event", "account_manager"),
        StageSpec(2, "propose", "proposal_accepted", "solution_manager"),
        StageSpec(3, "close", "contract_signed", "account_manager"),
        StageSpec(4, "deliver", "handover", "delivery_manager"),
    )
    facts = replace(ALL_MET, met_criteria=frozenset({"proposal_accepted"}))
    assert check_advance(grade=G.A, current=2, target=3, facts=facts, template=template).allowed
    no = check_advance(grade=G.A, current=2, target=3, facts=ALL_MET, template=template)
    assert no.missing == ("proposal_accepted",)
    # the fast track jumps from 2 to the last stage of the template
    jump = check_advance(grade=G.C, current=2, target=4, facts=facts, template=template)
    assert jump.allowed and jump.reason == REASON_FAST_TRACK_JUMP
    assert check_advance(grade=G.C, current=1, target=5, facts=facts, template=template).reason == (
        REASON_TARGET_OUT_OF_RANGE
    )


# --- time ---------------------------------------------------------------------------------

T0 = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


def test_stage_durations_open_deal():
    changes = [(at(0), 1), (at(10), 2), (at(15), 3)]
    assert stage_durations(changes, None, at(20)) == {
        1: timedelta(days=10),
        2: timedelta(days=5),
        3: timedelta(days=5),
    }


def test_stage_durations_closed_deal_ignores_now():
    changes = [(at(0), 1), (at(10), 2)]
    assert stage_durations(changes, at(12), at(400)) == {
        1: timedelta(days=10),
        2: timedelta(days=2),
    }


def test_stage_durations_add_up_revisits_and_sort():
    changes = [(at(5), 2), (at(0), 1), (at(8), 1), (at(9), 2), (at(9), 3)]
    assert stage_durations(changes, None, at(12)) == {
        1: timedelta(days=6),
        2: timedelta(days=3),  # 5→8 and a zero-length stay at 9
        3: timedelta(days=3),
    }


def test_stage_durations_fast_track_skips_stages():
    changes = [(at(0), 1), (at(3), 2), (at(4), 7)]
    durations = stage_durations(changes, at(6), at(6))
    assert set(durations) == {1, 2, 7}
    assert sum(durations.values(), timedelta()) == timedelta(days=6)


def test_stage_durations_empty_and_bad():
    assert stage_durations([], None, at(1)) == {}
    with pytest.raises(MethodologyError):
        stage_durations([(at(5), 1)], at(4), at(10))
    with pytest.raises(MethodologyError):
        stage_durations([(at(5), 1)], None, at(4))


@pytest.mark.parametrize(
    ("created", "closed", "expected"),
    [
        (date(2025, 1, 1), None, None),
        (date(2025, 1, 1), date(2025, 1, 1), 0),
        (date(2025, 1, 1), date(2025, 1, 31), 30),
        (date(2024, 2, 28), date(2024, 3, 1), 2),  # leap year
        (date(2024, 1, 1), date(2025, 1, 1), 366),
    ],
)
def test_cycle_days(created, closed, expected):
    assert cycle_days(created, closed) == expected


def test_cycle_days_close_before_create_raises():
    with pytest.raises(MethodologyError):
        cycle_days(date(2025, 1, 2), date(2025, 1, 1))


@pytest.mark.parametrize(
    ("activity", "stage_change", "now", "expected"),
    [
        (None, None, 29.99, False),
        (None, None, 30, True),  # exactly N days → stale
        (None, None, 31, True),
        (20, None, 49, False),  # the activity restarts the clock
        (20, None, 50, True),
        (None, 25, 54, False),  # so does a stage change
        (None, 25, 55, True),
        (10, 40, 69, False),  # the latest of the three counts
        (40, 10, 70, True),
    ],
)
def test_is_stale(activity, stage_change, now, expected):
    assert (
        is_stale(
            last_activity=None if activity is None else at(activity),
            last_stage_change=None if stage_change is None else at(stage_change),
            created=at(0),
            now=at(now),
        )
        is expected
    )


def test_is_stale_company_threshold():
    assert is_stale(
        last_activity=None, last_stage_change=None, created=at(0), now=at(7), stale_days=7
    )
    assert not is_stale(
        last_activity=None, last_stage_change=None, created=at(0), now=at(6), stale_days=7
    )
    with pytest.raises(MethodologyError):
        is_stale(last_activity=None, last_stage_change=None, created=at(0), now=at(6), stale_days=0)
