"""Adapters from deal rows to the methodology core: win rate, stage facts, grade."""

from decimal import Decimal

from django.utils import timezone

from winroom.methodology.grade import Grade as CoreGrade
from winroom.methodology.grade import GradeBounds, effective_grade
from winroom.methodology.health import DEFAULT_STANDARDS, HealthInputs, explain_health
from winroom.methodology.stages import DealFacts, StageSpec
from winroom.methodology.win_rate import (
    PartyAssessment,
    WinRateInputs,
    WinRateResult,
    explain_win_rate,
)
from winroom.org.models import CompanySettings

from .models import ActionStatus, Deal, Questionnaire


def bounds(company: CompanySettings | None = None) -> GradeBounds:
    company = company or CompanySettings.current()
    return GradeBounds(a=company.grade_a_from, b=company.grade_b_from, c=company.grade_c_from)


def decide_grade(deal: Deal, company: CompanySettings | None = None):
    override = CoreGrade(deal.grade_override) if deal.grade_override else None
    return effective_grade(
        amount=deal.amount, override=override, partner_led=deal.partner_led, bounds=bounds(company)
    )


def latest_questionnaire(deal: Deal) -> Questionnaire | None:
    return (
        deal.questionnaires.prefetch_related("assessments__deal_competitor__competitor")
        .order_by("-answered_at", "-id")
        .first()
    )


def win_rate_inputs(deal: Deal, questionnaire: Questionnaire | None = None) -> WinRateInputs:
    if questionnaire is None:
        questionnaire = latest_questionnaire(deal)
    competitors = list(deal.competitors.select_related("competitor"))
    scores = {}
    if questionnaire is not None:
        scores = {a.deal_competitor_id: a for a in questionnaire.assessments.all()}
    parties = tuple(
        PartyAssessment(
            name=str(dc.competitor),
            fit=getattr(scores.get(dc.pk), "fit", None),
            closeness=getattr(scores.get(dc.pk), "closeness", None),
        )
        for dc in competitors
    )
    us = PartyAssessment(
        name="us",
        fit=questionnaire.our_fit if questionnaire else None,
        closeness=questionnaire.our_closeness if questionnaire else None,
    )
    has_event = deal.compelling_events.filter(withdrawn=False).exists()
    return WinRateInputs(
        has_compelling_event=has_event,
        has_inside_coach=questionnaire.has_inside_coach if questionnaire else None,
        us=us,
        competitors=parties,
        sole_source=deal.sole_source,
        grade=CoreGrade(deal.grade),
    )


def win_rate_for(deal: Deal) -> WinRateResult:
    return explain_win_rate(win_rate_inputs(deal))


def stage_facts(deal: Deal) -> DealFacts:
    stage_number = deal.stage.number
    events = deal.compelling_events.filter(withdrawn=False)
    return DealFacts(
        has_compelling_event=events.exists(),
        compelling_event_confirmed_this_stage=events.filter(
            confirmed_in_stage__gte=stage_number
        ).exists(),
        internal_approval=deal.internal_approved_on is not None,
        deal_team_size=deal.members.count(),
        has_value_proposition=bool(deal.value_proposition.strip()),
        has_competitive_strategy=bool(deal.competitive_strategy),
        open_action_count=deal.actions.filter(status=ActionStatus.OPEN).count(),
        tender_influenced=deal.tender_influenced_on is not None,
        tender_issued=deal.tender_issued_on is not None,
        bid_result_announced=deal.bid_result_on is not None,
        contract_signed=deal.contract_signed_on is not None,
    )


def iso_monday(moment=None):
    day = timezone.localdate(moment) if moment else timezone.localdate()
    return day - timezone.timedelta(days=day.weekday())


def rate_or_none(result: WinRateResult) -> Decimal | None:
    return result.rate


def stage_template(stages=None) -> tuple[StageSpec, ...]:
    """The company's stage template as the core reads it (its edited exit criteria count)."""
    from .models import Stage

    rows = stages if stages is not None else Stage.objects.all()
    return tuple(
        StageSpec(
            number=s.number,
            code=s.code,
            exit_criterion=s.exit_criterion,
            lead_role=s.lead_role,
            departments=tuple(d.strip() for d in s.departments.split(",") if d.strip()),
        )
        for s in rows
    )


def build_health_inputs(*, latest, people, live_event, facts, requirement_versions) -> HealthInputs:
    """The health radar's raw facts from rows already fetched (METHODOLOGY §2.9)."""
    decision_people = [p for p in people if p.decision_role]
    days_to_event = (
        (live_event.due_on - timezone.localdate()).days
        if live_event is not None and live_event.due_on
        else None
    )
    return HealthInputs(
        has_inside_coach=latest.has_inside_coach if latest else None,
        roles_present=frozenset(p.decision_role for p in decision_people),
        decision_people=len(decision_people),
        decision_positive=sum(1 for p in decision_people if p.relationship_status == "positive"),
        decision_strong_positive=sum(
            1 for p in decision_people if p.relationship_status == "strong_positive"
        ),
        has_compelling_event=live_event is not None,
        compelling_event_confirmed=facts.compelling_event_confirmed_this_stage,
        days_to_compelling_event=days_to_event,
        requirements_signed_off=bool(
            requirement_versions and requirement_versions[0].signed_off_on
        ),
        open_change_requests=sum(
            1 for v in requirement_versions if v.is_change_request and not v.signed_off_on
        ),
        mapped_people=len(people),
        mapped_people_with_mne=sum(1 for p in people if p.motivation and p.need and p.expectation),
    )


def company_standards(stages=None) -> dict[int, dict[str, int]]:
    """The administrators' health standards per stage number (defaults where none is set)."""
    from .models import HealthStandard, Stage

    standards = {n: dict(values) for n, values in DEFAULT_STANDARDS.items()}
    for row in HealthStandard.objects.select_related("stage"):
        standards.setdefault(row.stage.number, {})[row.indicator] = row.value
    for stage in stages if stages is not None else Stage.objects.all():
        standards.setdefault(stage.number, dict(DEFAULT_STANDARDS[max(DEFAULT_STANDARDS)]))
    return standards


def health_for(deal: Deal):
    """The deal's health result now (score, indicators, risks)."""
    latest = latest_questionnaire(deal)
    people = list(deal.people.all())
    live_event = deal.compelling_events.filter(withdrawn=False).first()
    inputs = build_health_inputs(
        latest=latest,
        people=people,
        live_event=live_event,
        facts=stage_facts(deal),
        requirement_versions=list(deal.requirement_versions.all()[:10]),
    )
    return explain_health(inputs, deal.stage.number, company_standards())
