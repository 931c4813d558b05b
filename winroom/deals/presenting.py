"""What the deal room shows: the deal's facts run through the core's rules, explained."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from winroom.activities.models import Activity
from winroom.methodology import win_rate as wr
from winroom.methodology.grade import Grade as CoreGrade
from winroom.methodology.grade import requires_coaching
from winroom.methodology.health import explain_health, standard_for_stage
from winroom.methodology.interaction import InteractionCounts, explain_interaction_level
from winroom.methodology.stages import check_advance
from winroom.methodology.strategy import (
    DecisionRole,
    RelationshipStatus,
    missing_roles,
    suggested_relationship_strategy,
)
from winroom.org.access import can_reassign, can_write
from winroom.org.models import CompanySettings

from .assessment import (
    build_health_inputs,
    company_standards,
    stage_facts,
    stage_template,
    win_rate_inputs,
)
from .forms import (
    ActionForm,
    AdvanceForm,
    CloseForm,
    CompellingEventForm,
    CompetitorForm,
    DealMemberForm,
    GradeForm,
    PersonForm,
    QuestionnaireForm,
    QuoteForm,
    RegistrationForm,
    RequirementsForm,
    ReviewForm,
    SignOffForm,
    ValueForm,
)
from .labels import criterion_label
from .models import (
    Action,
    ActionStatus,
    DealCompetitor,
    DealEvent,
    DealPerson,
    Questionnaire,
    RelationshipStrategy,
    Stage,
)

HEALTH_LABELS = {
    "inside_coach": gettext_lazy("Inside coach"),
    "decision_maker_coverage": gettext_lazy("Decision-maker coverage"),
    "decision_support": gettext_lazy("Support among decision roles"),
    "urgency": gettext_lazy("Customer urgency"),
    "needs_clarity": gettext_lazy("Clarity of needs"),
    "motivation_clarity": gettext_lazy("Clarity of personal motivation"),
}

SUGGESTIONS = {
    "find_inside_coach": gettext_lazy("Find and develop an inside coach."),
    "map_decision_makers": gettext_lazy("Meet the decision roles not yet covered."),
    "win_support": gettext_lazy("Win the support of the decision roles."),
    "confirm_compelling_event": gettext_lazy("Confirm the compelling event and its date."),
    "sign_off_requirements": gettext_lazy("Get the requirements signed off by the customer."),
    "learn_mne": gettext_lazy("Learn each person's motivation, need and expectation."),
}


def _pct(value) -> str:
    return f"{Decimal(value) * 100:.0f}%"


def factor_lines(result: wr.WinRateResult) -> list[str]:
    """Every factor of the win rate in words: the number is never a black box."""
    lines = []
    for f in result.factors:
        v = f.value
        if f.code == wr.FACTOR_COMPELLING_EVENT:
            lines.append(_("Compelling event recorded: %(v)s") % {"v": _("yes") if v else _("no")})
        elif f.code == wr.FACTOR_OUR_FIT:
            lines.append(
                _("Our need fit: %(v)s") % {"v": v if v is not None else _("not answered")}
            )
        elif f.code == wr.FACTOR_OUR_CLOSENESS:
            lines.append(
                _("Our relationship closeness: %(v)s")
                % {"v": v if v is not None else _("not answered")}
            )
        elif f.code == wr.FACTOR_OUR_STRENGTH:
            lines.append(_("Our strength (fit × closeness): %(v)s") % {"v": v})
        elif f.code == wr.FACTOR_COMPETITOR_STRENGTH:
            lines.append(
                _("%(name)s's strength: %(v)s")
                % {"name": f.subject, "v": v if v is not None else _("not assessed")}
            )
        elif f.code == wr.FACTOR_SOLE_SOURCE:
            lines.append(_("Sole source (no competitor): the win rate is 100%."))
        elif f.code == wr.FACTOR_SOLE_SOURCE_CONTRADICTED:
            lines.append(
                _("Marked sole source, but %(v)s competitor(s) recorded: compared as usual.")
                % {"v": v}
            )
        elif f.code == wr.FACTOR_RANK:
            lines.append(_("Our rank among the assessed parties: %(v)s") % {"v": v})
        elif f.code == wr.FACTOR_RANK_WORSE_THAN_THREE:
            lines.append(_("Our rank is worse than 3: the win rate is 0."))
        elif f.code == wr.FACTOR_COMPARED_COMPETITOR:
            lines.append(_("Compared with %(name)s (strength %(v)s)") % {"name": f.subject, "v": v})
        elif f.code == wr.FACTOR_RAW_RATE:
            lines.append(
                _("Our strength ÷ (ours + the two strongest competitors') = %(v)s") % {"v": _pct(v)}
            )
        elif f.code == wr.FACTOR_COMPETITORS_UNKNOWN_CAP:
            lines.append(
                _("Competitors unknown (not recorded or not assessed): capped at %(v)s.")
                % {"v": _pct(v)}
            )
        elif f.code == wr.FACTOR_CAP_APPLIED and v:
            lines.append(_("The cap lowered the rate."))
        elif f.code == wr.FACTOR_INSIDE_COACH:
            label = _("yes") if v is True else (_("no") if v is False else _("unknown"))
            lines.append(_("Inside coach: %(v)s") % {"v": label})
        elif f.code == wr.FACTOR_NO_COACH_MULTIPLIER:
            lines.append(_("No inside coach: × %(v)s, applied last.") % {"v": v})
        elif f.code == wr.FACTOR_RATE:
            lines.append(_("Win rate: %(v)s") % {"v": _pct(v)})
        elif f.code == wr.FACTOR_HISTORICAL_RATE_FOR_GRADE:
            lines.append(_("Forecasts use the company's historical win rate for this grade."))
    return lines


def status_sentence(result: wr.WinRateResult) -> str:
    if result.status == wr.WinRateStatus.NOT_COMPUTED:
        return _(
            "Not computed: no compelling event is recorded. Without one, further presales investment is questionable."
        )
    if result.status == wr.WinRateStatus.NOT_ASSESSED:
        return _("Not assessed: our own fit and closeness are not answered yet.")
    return ""


def _per_deal_interaction(deal, company):
    """Interaction levels from the activities linked to this deal, per contact."""
    through = Activity.participants.through
    since = timezone.now() - timedelta(days=company.interaction_window_days)
    rows = (
        through.objects.filter(activity__deal=deal, activity__deleted_at__isnull=True)
        .values("contact_id")
        .annotate(
            ever=Count("activity_id"),
            recent=Count("activity_id", filter=Q(activity__occurred_at__gte=since)),
            deep=Count(
                "activity_id",
                filter=Q(
                    activity__occurred_at__gte=since, activity__kind__in=company.deep_activity_kinds
                ),
            ),
        )
    )
    rule = company.interaction_rule()
    levels = {}
    for row in rows:
        counts = InteractionCounts(ever=row["ever"], recent=row["recent"], recent_deep=row["deep"])
        levels[row["contact_id"]] = explain_interaction_level(counts, rule).level
    return levels


def deal_room_context(request, deal) -> dict:
    company = CompanySettings.current()
    user = request.user
    stages = list(Stage.objects.all())
    entries = list(
        DealCompetitor.objects.filter(deal=deal)
        .select_related("competitor")
        .prefetch_related("quotes")
    )
    questionnaires = list(
        Questionnaire.objects.filter(deal=deal)
        .select_related("answered_by", "reviewed_by", "inside_coach")
        .prefetch_related("assessments")
        .order_by("-answered_at", "-id")[:12]
    )
    latest = questionnaires[0] if questionnaires else None
    result = wr.explain_win_rate(win_rate_inputs(deal, latest))
    scores = {a.deal_competitor_id: a for a in latest.assessments.all()} if latest else {}
    for entry in entries:
        entry.assessment = scores.get(entry.pk)
        entry.strength = (
            entry.assessment.fit * entry.assessment.closeness
            if entry.assessment and entry.assessment.fit and entry.assessment.closeness
            else None
        )
    people = list(
        DealPerson.objects.filter(deal=deal)
        .select_related("contact", "contact__reports_to")
        .order_by("contact__name")
    )
    levels = _per_deal_interaction(deal, company)
    for person in people:
        person.suggested = suggested_relationship_strategy(
            RelationshipStatus(person.relationship_status)
        )
        person.suggested_label = RelationshipStrategy(str(person.suggested)).label
        person.interaction = levels.get(person.contact_id, "never_met")
    present = {p.decision_role for p in people if p.decision_role}
    missing = [DecisionRole(r) for r in missing_roles(DecisionRole(r) for r in present)]
    facts = stage_facts(deal)
    current = deal.stage.number
    next_stage = next((s for s in stages if s.number == current + 1), None)
    preview = None
    if next_stage is not None and deal.is_open:
        decision = check_advance(
            grade=CoreGrade(deal.grade),
            current=current,
            target=next_stage.number,
            facts=facts,
            template=stage_template(stages),
        )
        preview = [str(criterion_label(code)) for code in decision.missing]
    events = list(deal.compelling_events.select_related("confirmed_by"))
    live_event = next((e for e in events if not e.withdrawn), None)
    requirement_versions = list(
        deal.requirement_versions.select_related("signed_off_by", "written_by")[:10]
    )
    health_inputs = build_health_inputs(
        latest=latest,
        people=people,
        live_event=live_event,
        facts=facts,
        requirement_versions=requirement_versions,
    )
    standards = company_standards(stages)
    health = explain_health(health_inputs, current, standards)
    standard = standard_for_stage(current, standards)
    health_rows = [
        {
            "code": ind.code,
            "label": HEALTH_LABELS.get(ind.code, ind.code),
            "actual": ind.actual,
            "standard": ind.standard,
            "met": ind.met,
        }
        for ind in health.indicators
    ]
    risks = [
        {
            "code": r.code,
            "label": HEALTH_LABELS.get(r.code, r.code),
            "actual": r.actual,
            "standard": r.standard,
            "suggestion": SUGGESTIONS.get(r.suggestion_code, r.suggestion_code),
        }
        for r in health.risks
    ]
    actions = list(
        Action.objects.filter(deal=deal)
        .select_related("owner", "person")
        .order_by("status", "due_on")
    )
    today = timezone.localdate()
    for action in actions:
        action.overdue = action.status == ActionStatus.OPEN and action.due_on < today
    reviews = list(deal.reviews.select_related("manager", "rep")[:10])
    review_due = None
    if requires_coaching(CoreGrade(deal.grade)) and deal.is_open:
        last = reviews[0].held_on if reviews else timezone.localdate(deal.created_at)
        review_due = last + timedelta(days=company.review_every_days)
    timeline = list(DealEvent.objects.filter(deal=deal).select_related("by")[:30])
    durations, cycle, stale = _time_facts(deal, company, stages)
    graph = _decision_graph(deal, people, missing)
    return {
        "deal": deal,
        "can_write": can_write(user, deal),
        "can_reassign": can_reassign(user, deal),
        "is_manager_view": can_reassign(user, deal) and user.pk != deal.owner_id,
        "stages": stages,
        "next_stage": next_stage,
        "advance_preview": preview,
        "win_rate": result,
        "win_rate_lines": factor_lines(result),
        "win_rate_status": status_sentence(result),
        "category": wr.forecast_category(result.rate) if result.rate is not None else None,
        "compelling_events": events,
        "entries": entries,
        "questionnaires": questionnaires,
        "latest": latest,
        "people": people,
        "missing_roles": missing,
        "health": health,
        "health_rows": health_rows,
        "health_standard": standard,
        "risks": risks,
        "actions": actions,
        "reviews": reviews,
        "review_due": review_due,
        "review_overdue": review_due is not None and review_due < today,
        "timeline": timeline,
        "amount_display": f"{deal.amount:,.0f}",
        "forms": {
            "advance": AdvanceForm(
                auto_id="advance_%s", initial={"stage": next_stage.pk if next_stage else None}
            ),
            "grade": GradeForm(
                auto_id="grade_%s",
                initial={"grade": deal.grade_override, "reason": deal.grade_override_reason},
            ),
            "event": CompellingEventForm(auto_id="event_%s"),
            "competitor": CompetitorForm(auto_id="competitor_%s"),
            "quote": QuoteForm(auto_id="quote_%s", initial={"quoted_on": today}),
            "questionnaire": QuestionnaireForm(
                deal=deal,
                entries=entries,
                auto_id="q_%s",
                initial=_questionnaire_initial(latest, entries),
            ),
            "person": PersonForm(deal=deal, auto_id="person_%s"),
            "close": CloseForm(auto_id="close_%s"),
            "action": ActionForm(
                deal=deal,
                user=user,
                auto_id="action_%s",
                initial={"due_on": today + timedelta(days=7)},
            ),
            "review": ReviewForm(auto_id="review_%s", initial={"held_on": today}),
            "registration": RegistrationForm(auto_id="reg_%s", initial={"partner": deal.partner}),
            "requirements": RequirementsForm(
                auto_id="req_%s",
                initial={"items": requirement_versions[0].items if requirement_versions else ""},
            ),
            "signoff": SignOffForm(deal=deal, auto_id="signoff_%s", initial={"signed_on": today}),
            "value": ValueForm(instance=deal, auto_id="value_%s"),
            "member": DealMemberForm(auto_id="member_%s"),
        },
        "today": today,
        "requirement_versions": requirement_versions,
        "stage_durations": durations,
        "cycle_days": cycle,
        "is_stale": stale,
        "decision_graph": graph,
        "registrations": list(deal.registrations.select_related("product_line", "decided_by")),
        "value_case": _value_case(deal),
        "strategy_hint": _strategy_hint(result, entries, latest),
    }


def _questionnaire_initial(latest, entries):
    if latest is None:
        return {"has_inside_coach": "no"}
    initial = {
        "has_inside_coach": "yes" if latest.has_inside_coach else "no",
        "inside_coach": latest.inside_coach_id,
        "our_fit": latest.our_fit,
        "our_closeness": latest.our_closeness,
    }
    for entry in entries:
        if entry.assessment:
            initial[f"fit_{entry.pk}"] = entry.assessment.fit
            initial[f"closeness_{entry.pk}"] = entry.assessment.closeness
    return initial


def _value_case(deal):
    from winroom.methodology.value import value_case

    if None in (deal.product_value, deal.seller_value, deal.perception, deal.customer_cost):
        return None
    return value_case(deal.product_value, deal.seller_value, deal.perception, deal.customer_cost)


def _time_facts(deal, company, stages):
    """Days spent in each stage, cycle time and staleness, all read from the change history."""
    from winroom.methodology.stages import cycle_days, is_stale, stage_durations

    number_of = {str(s): s.number for s in stages}
    changes = [(deal.created_at, 1)]
    for event in DealEvent.objects.filter(deal=deal, kind=DealEvent.Kind.STAGE).order_by("at"):
        number = number_of.get(event.new)
        if number:
            changes.append((event.at, number))
    now = timezone.now()
    closed = deal.closed_at if not deal.is_open else None
    spent = stage_durations(changes, closed, now)
    rows = [(s, spent.get(s.number).days) for s in stages if spent.get(s.number) is not None]
    cycle = cycle_days(
        timezone.localdate(deal.created_at), timezone.localdate(closed) if closed else None
    )
    stale = deal.is_open and is_stale(
        last_activity=deal.last_activity_at,
        last_stage_change=deal.stage_changed_at,
        created=deal.created_at,
        now=now,
        stale_days=company.stale_after_days,
    )
    return rows, cycle, stale


ROLE_SYMBOLS = {
    "approver": "diamond",
    "decision_maker": "rect",
    "evaluator": "triangle",
    "user": "circle",
    "": "emptyCircle",
}


def _decision_graph(deal, people, missing):
    """Nodes: the mapped people (coloured by per-deal status, shaped by role) and the
    managers above them on the account's reporting lines; edges: those reporting lines."""
    from winroom.accounts.models import RELATIONSHIP_COLOURS, Contact
    from winroom.accounts.political import map_data

    mapped = {p.contact_id: p for p in people}
    parent_of = dict(
        Contact.objects.filter(account_id=deal.account_id).values_list("pk", "reports_to_id")
    )
    names = dict(Contact.objects.filter(account_id=deal.account_id).values_list("pk", "name"))
    shown = set(mapped)
    for contact_id in list(mapped):  # walk up to the top so the map sits on the org chart
        boss = parent_of.get(contact_id)
        while boss and boss not in shown:
            shown.add(boss)
            boss = parent_of.get(boss)
    nodes = []
    for contact_id in shown:
        person = mapped.get(contact_id)
        nodes.append(
            {
                "id": str(contact_id),
                "name": names.get(contact_id, ""),
                "role": person.get_decision_role_display()
                if person and person.decision_role
                else "",
                "coach": bool(person and person.inside_coach),
                "symbol": ROLE_SYMBOLS.get(person.decision_role if person else "", "emptyCircle"),
                "colour": RELATIONSHIP_COLOURS.get(person.relationship_status, "#8a94a6")
                if person
                else "#d0d5dd",
                "mapped": person is not None,
            }
        )
    edges = [
        {"source": str(parent_of[c]), "target": str(c)} for c in shown if parent_of.get(c) in shown
    ]
    for node in nodes:
        boss = parent_of.get(int(node["id"]))
        node["parent"] = str(boss) if boss in shown else None
    # the account's political map, read-only here, for the people on this map
    political = map_data(deal.account_id, people=shown)
    return {
        "nodes": nodes,
        "edges": edges,
        "missing": [str(r) for r in missing],
        "circles": political["circles"],
        "influence": political["influence"],
        "edit_url": reverse("accounts:detail", args=[deal.account_id]) + "#political-map",
    }


def _strategy_hint(result, entries, latest):
    """The competitive strategy the method suggests from our rank and the strongest rival."""
    from winroom.methodology.strategy import suggest_competitive_strategy

    from .models import CompetitiveStrategy

    if latest is None or not latest.our_fit or not latest.our_closeness:
        return None
    strengths = [e.strength for e in entries if e.strength]
    best = max(strengths) if strengths else None
    best_fit = max(
        (e.assessment.fit for e in entries if best is not None and e.strength == best),
        default=None,
    )
    suggestion = suggest_competitive_strategy(
        rank=result.rank,
        s_us=latest.our_fit * latest.our_closeness,
        s_best_competitor=best,
        has_coach=bool(latest.has_inside_coach),
        our_fit=latest.our_fit,
        best_competitor_fit=best_fit,
    )
    return {
        "code": str(suggestion.strategy),
        "label": CompetitiveStrategy(str(suggestion.strategy)).label,
    }
