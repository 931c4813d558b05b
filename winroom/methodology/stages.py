"""Deal stages (商机阶段) and the rules for moving between them, METHODOLOGY §2.1–§2.3.

The default template (editable per company):

====  ======================  =========================================================
 #    stage                   exit criterion (to leave the stage)
====  ======================  =========================================================
 1    verify opportunity      it is a real opportunity: compelling event recorded
 2    project initiation      internal approval given, deal team formed
 3    needs analysis          value proposition, competitive strategy and action plan done
 4    value presentation      we influenced the tender; customer starts drafting it
 5    tender preparation      tender formally issued
 6    bidding                 bid result announced
 7    negotiation & signing   contract signed → won
====  ======================  =========================================================

"Every stage change is recorded with its time, so stage durations, cycle time and stale
deals ('zombie projects' — no activity or stage change for N days, default 30) are facts."
The compelling event is "re-checked at every stage" (§2.3). A/B deals pass every stage;
"C and D — small deals: fast track, may jump from stage 2 straight to stage 7" (§2.2); E
(partner-led) deals follow the fast track too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from .errors import MethodologyError
from .grade import Grade, may_jump_to_signing


class StageCode(StrEnum):
    VERIFY_OPPORTUNITY = "verify_opportunity"
    PROJECT_INITIATION = "project_initiation"
    NEEDS_ANALYSIS = "needs_analysis"
    VALUE_PRESENTATION = "value_presentation"
    TENDER_PREPARATION = "tender_preparation"
    BIDDING = "bidding"
    NEGOTIATION_SIGNING = "negotiation_signing"


class ExitCriterion(StrEnum):
    COMPELLING_EVENT = "compelling_event"
    INTERNAL_APPROVAL_AND_TEAM = "internal_approval_and_team"
    VALUE_STRATEGY_ACTIONS = "value_strategy_actions"
    INFLUENCED_TENDER = "influenced_tender"
    TENDER_ISSUED = "tender_issued"
    BID_RESULT = "bid_result"
    CONTRACT_SIGNED = "contract_signed"


class LeadRole(StrEnum):
    """Who in the deal team (the "iron triangle") leads a stage."""

    ACCOUNT_MANAGER = "account_manager"
    SOLUTION_MANAGER = "solution_manager"
    DELIVERY_MANAGER = "delivery_manager"


class ClosingState(StrEnum):
    """How a deal ends: won (赢单), lost (输单, with a reason and the winner), abandoned (放弃)."""

    WON = "won"
    LOST = "lost"
    ABANDONED = "abandoned"


@dataclass(frozen=True)
class StageSpec:
    """One stage of a template: its number (1-based), code, exit criterion, lead and departments."""

    number: int
    code: str
    exit_criterion: str
    lead_role: str
    departments: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.number < 1:
            raise MethodologyError("stage numbers start at 1")
        if not self.code or not self.exit_criterion:
            raise MethodologyError("a stage needs a code and an exit criterion")


#: The default seven-stage template (§2.1). Department codes: sales, presales, management,
#: commercial (pricing and bid office), legal, finance, delivery.
DEFAULT_STAGES: tuple[StageSpec, ...] = (
    StageSpec(
        1,
        StageCode.VERIFY_OPPORTUNITY,
        ExitCriterion.COMPELLING_EVENT,
        LeadRole.ACCOUNT_MANAGER,
        ("sales",),
    ),
    StageSpec(
        2,
        StageCode.PROJECT_INITIATION,
        ExitCriterion.INTERNAL_APPROVAL_AND_TEAM,
        LeadRole.ACCOUNT_MANAGER,
        ("sales", "management"),
    ),
    StageSpec(
        3,
        StageCode.NEEDS_ANALYSIS,
        ExitCriterion.VALUE_STRATEGY_ACTIONS,
        LeadRole.SOLUTION_MANAGER,
        ("sales", "presales"),
    ),
    StageSpec(
        4,
        StageCode.VALUE_PRESENTATION,
        ExitCriterion.INFLUENCED_TENDER,
        LeadRole.SOLUTION_MANAGER,
        ("sales", "presales", "delivery"),
    ),
    StageSpec(
        5,
        StageCode.TENDER_PREPARATION,
        ExitCriterion.TENDER_ISSUED,
        LeadRole.ACCOUNT_MANAGER,
        ("sales", "presales", "commercial"),
    ),
    StageSpec(
        6,
        StageCode.BIDDING,
        ExitCriterion.BID_RESULT,
        LeadRole.SOLUTION_MANAGER,
        ("sales", "presales", "commercial", "legal"),
    ),
    StageSpec(
        7,
        StageCode.NEGOTIATION_SIGNING,
        ExitCriterion.CONTRACT_SIGNED,
        LeadRole.ACCOUNT_MANAGER,
        ("sales", "legal", "finance", "delivery"),
    ),
)


def validate_template(template: Sequence[StageSpec]) -> None:
    """A template numbers its stages 1..n in order, with distinct codes."""
    if not template:
        raise MethodologyError("a stage template needs at least one stage")
    if [stage.number for stage in template] != list(range(1, len(template) + 1)):
        raise MethodologyError("stages must be numbered 1..n in order")
    if len({stage.code for stage in template}) != len(template):
        raise MethodologyError("stage codes must be distinct")


# ---------------------------------------------------------------------------------------
# Advancing


#: Requirement codes listed in ``AdvanceDecision.missing``.
REQ_COMPELLING_EVENT = "compelling_event"
REQ_COMPELLING_EVENT_RECONFIRMATION = "compelling_event_reconfirmation"
REQ_INTERNAL_APPROVAL = "internal_approval"
REQ_DEAL_TEAM = "deal_team"
REQ_VALUE_PROPOSITION = "value_proposition"
REQ_COMPETITIVE_STRATEGY = "competitive_strategy"
REQ_ACTION_PLAN = "action_plan"
REQ_TENDER_INFLUENCED = "tender_influenced"
REQ_TENDER_ISSUED = "tender_issued"
REQ_BID_RESULT_ANNOUNCED = "bid_result_announced"
REQ_CONTRACT_SIGNED = "contract_signed"

#: Reason codes of :class:`AdvanceDecision`.
REASON_ADVANCED = "advanced"
REASON_FAST_TRACK_JUMP = "fast_track_jump"
REASON_MOVED_BACK = "moved_back"
REASON_SAME_STAGE = "same_stage"
REASON_TARGET_OUT_OF_RANGE = "target_out_of_range"
REASON_SKIP_NOT_ALLOWED = "skip_not_allowed"
REASON_EXIT_CRITERIA_NOT_MET = "exit_criteria_not_met"

#: Smallest deal team that counts as "formed" (account manager + solution manager).
DEFAULT_MIN_TEAM_SIZE = 2
#: The stage from which fast-track (C/D/E) deals may jump to the last stage.
FAST_TRACK_FROM = 2


@dataclass(frozen=True)
class DealFacts:
    """What the exit criteria read. Everything defaults to "not yet"."""

    has_compelling_event: bool = False
    #: the compelling event was (re-)confirmed since the deal entered its current stage
    compelling_event_confirmed_this_stage: bool = False
    internal_approval: bool = False
    #: people on the deal team, the owner included
    deal_team_size: int = 0
    has_value_proposition: bool = False
    has_competitive_strategy: bool = False
    #: open actions (the action plan); at least one is needed to leave needs analysis
    open_action_count: int = 0
    tender_influenced: bool = False
    tender_issued: bool = False
    bid_result_announced: bool = False
    contract_signed: bool = False
    #: codes of custom exit criteria (company templates) the rep has confirmed as met
    met_criteria: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.deal_team_size < 0 or self.open_action_count < 0:
            raise MethodologyError("counts cannot be negative")


@dataclass(frozen=True)
class AdvanceDecision:
    """Whether a stage move is allowed, what is missing, and the clause that decided."""

    allowed: bool
    missing: tuple[str, ...]
    reason: str  # one of the REASON_* codes
    grade: Grade
    current: int
    target: int
    #: the exit criterion that was checked (the current stage's), if any
    criterion: str | None = None


def exit_criterion_missing(
    criterion: str, facts: DealFacts, *, min_team_size: int = DEFAULT_MIN_TEAM_SIZE
) -> tuple[str, ...]:
    """The requirement codes of ``criterion`` that ``facts`` do not meet (empty when met).

    - compelling_event: a compelling event is recorded;
    - internal_approval_and_team: internal approval given and at least ``min_team_size``
      people on the deal team;
    - value_strategy_actions: value proposition, competitive strategy, and at least one open
      action (the action plan);
    - influenced_tender / tender_issued / bid_result / contract_signed: the matching flag;
    - any other (custom) criterion: met when its code is in ``facts.met_criteria``.
    """
    missing: list[str] = []
    if criterion == ExitCriterion.COMPELLING_EVENT:
        if not facts.has_compelling_event:
            missing.append(REQ_COMPELLING_EVENT)
    elif criterion == ExitCriterion.INTERNAL_APPROVAL_AND_TEAM:
        if not facts.internal_approval:
            missing.append(REQ_INTERNAL_APPROVAL)
        if facts.deal_team_size < min_team_size:
            missing.append(REQ_DEAL_TEAM)
    elif criterion == ExitCriterion.VALUE_STRATEGY_ACTIONS:
        if not facts.has_value_proposition:
            missing.append(REQ_VALUE_PROPOSITION)
        if not facts.has_competitive_strategy:
            missing.append(REQ_COMPETITIVE_STRATEGY)
        if facts.open_action_count < 1:
            missing.append(REQ_ACTION_PLAN)
    elif criterion == ExitCriterion.INFLUENCED_TENDER:
        if not facts.tender_influenced:
            missing.append(REQ_TENDER_INFLUENCED)
    elif criterion == ExitCriterion.TENDER_ISSUED:
        if not facts.tender_issued:
            missing.append(REQ_TENDER_ISSUED)
    elif criterion == ExitCriterion.BID_RESULT:
        if not facts.bid_result_announced:
            missing.append(REQ_BID_RESULT_ANNOUNCED)
    elif criterion == ExitCriterion.CONTRACT_SIGNED:
        if not facts.contract_signed:
            missing.append(REQ_CONTRACT_SIGNED)
    elif criterion not in facts.met_criteria:
        missing.append(criterion)
    return tuple(missing)


def check_advance(
    *,
    grade: Grade,
    current: int,
    target: int,
    facts: DealFacts,
    stage_count: int | None = None,
    template: Sequence[StageSpec] | None = None,
    require_reconfirmation: bool = True,
    min_team_size: int = DEFAULT_MIN_TEAM_SIZE,
) -> AdvanceDecision:
    """May a deal at stage ``current`` move to stage ``target``?

    Clauses, in order:

    1. ``target`` outside 1..stage_count → refused (``target_out_of_range``);
    2. ``target == current`` → refused (``same_stage``);
    3. ``target < current`` → allowed (``moved_back``): moving back needs no criterion;
    4. forward by more than one stage → refused (``skip_not_allowed``), except that C, D and
       E deals may jump from stage 2 straight to the last stage (``fast_track_jump``);
       A/B deals never skip;
    5. the current stage's exit criterion must be met (``missing`` lists what is not), and,
       when ``require_reconfirmation``, the compelling event must exist (``compelling_event``)
       and have been re-confirmed in the current stage
       (``compelling_event_reconfirmation``) — "re-checked at every stage" (§2.3);
       otherwise refused (``exit_criteria_not_met``).

    Exit criteria come from ``template`` (pass the company's stages); without one, from
    :data:`DEFAULT_STAGES` by stage number, over ``stage_count`` stages (default 7), and a
    stage beyond the default seven has no exit criterion of its own (only the compelling
    event check applies). With a template, ``stage_count`` defaults to its length and a
    different value is an error. A ``current`` stage outside 1..stage_count is bad data
    and raises.
    """
    if template is not None:
        validate_template(template)
        count = len(template)
        if stage_count is not None and stage_count != count:
            raise MethodologyError("stage_count does not match the template")
        criteria: dict[int, str] = {s.number: s.exit_criterion for s in template}
    else:
        count = len(DEFAULT_STAGES) if stage_count is None else stage_count
        if count < 1:
            raise MethodologyError("stage_count must be at least 1")
        criteria = {s.number: s.exit_criterion for s in DEFAULT_STAGES if s.number <= count}
    if not 1 <= current <= count:
        raise MethodologyError(f"current stage {current} is not in 1..{count}")
    current_criterion = criteria.get(current)

    def decide(
        allowed: bool, reason: str, missing: tuple[str, ...] = (), checked: bool = False
    ) -> AdvanceDecision:
        criterion = current_criterion if checked else None
        return AdvanceDecision(
            allowed=allowed,
            missing=missing,
            reason=reason,
            grade=grade,
            current=current,
            target=target,
            criterion=criterion,
        )

    if not 1 <= target <= count:
        return decide(False, REASON_TARGET_OUT_OF_RANGE)
    if target == current:
        return decide(False, REASON_SAME_STAGE)
    if target < current:
        return decide(True, REASON_MOVED_BACK)
    reason = REASON_ADVANCED
    if target > current + 1:
        jump = may_jump_to_signing(grade) and current == FAST_TRACK_FROM and target == count
        if not jump:
            return decide(False, REASON_SKIP_NOT_ALLOWED)
        reason = REASON_FAST_TRACK_JUMP
    missing: list[str] = []
    if current_criterion is not None:
        missing += exit_criterion_missing(current_criterion, facts, min_team_size=min_team_size)
    if require_reconfirmation:
        if not facts.has_compelling_event:
            if REQ_COMPELLING_EVENT not in missing:
                missing.append(REQ_COMPELLING_EVENT)
        elif not facts.compelling_event_confirmed_this_stage:
            missing.append(REQ_COMPELLING_EVENT_RECONFIRMATION)
    if missing:
        return decide(False, REASON_EXIT_CRITERIA_NOT_MET, tuple(missing), checked=True)
    return decide(True, reason, checked=True)


# ---------------------------------------------------------------------------------------
# Time


def stage_durations(
    changes: Sequence[tuple[datetime, int]], closed_at: datetime | None, now: datetime
) -> dict[int, timedelta]:
    """Total time spent in each stage.

    ``changes`` are ``(when, stage entered)`` pairs, the first one being the deal's creation
    (in any order; equal times keep their given order). Each stage runs until the next
    change; the last one until ``closed_at``, or ``now`` for an open deal. A stage visited
    twice (after a move back) adds both stays. Stages never entered are absent. An end
    before its start is bad data and raises.
    """
    ordered = sorted(changes, key=lambda change: change[0])
    if not ordered:
        return {}
    end = closed_at if closed_at is not None else now
    durations: dict[int, timedelta] = {}
    for index, (start, stage) in enumerate(ordered):
        stop = ordered[index + 1][0] if index + 1 < len(ordered) else end
        if stop < start:
            raise MethodologyError("a stage ends before it starts")
        durations[stage] = durations.get(stage, timedelta(0)) + (stop - start)
    return durations


def cycle_days(created: date, closed: date | None) -> int | None:
    """Sales cycle in whole days from creation to closing; ``None`` while the deal is open."""
    if closed is None:
        return None
    if closed < created:
        raise MethodologyError("a deal cannot close before it was created")
    return (closed - created).days


DEFAULT_STALE_DAYS = 30


def is_stale(
    *,
    last_activity: datetime | None,
    last_stage_change: datetime | None,
    created: datetime,
    now: datetime,
    stale_days: int = DEFAULT_STALE_DAYS,
) -> bool:
    """A "zombie project": no activity and no stage change for ``stale_days`` days.

    The latest of the last activity, the last stage change and the creation counts; the
    deal is stale once at least ``stale_days`` full days have passed since it.
    """
    if stale_days < 1:
        raise MethodologyError("stale_days must be at least 1")
    latest = max(d for d in (last_activity, last_stage_change, created) if d is not None)
    return now - latest >= timedelta(days=stale_days)
