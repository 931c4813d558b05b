"""What the visit pages show: suggestions from the deal room, and why a visit is (not)
effective, in words."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from winroom.methodology import visits as core
from winroom.methodology.strategy import missing_roles, suggested_relationship_strategy

STEP_LABELS = {
    core.VisitStep.PREPARE: gettext_lazy("Prepare"),
    core.VisitStep.UNDERSTAND: gettext_lazy("Understand"),
    core.VisitStep.PRESENT: gettext_lazy("Present"),
    core.VisitStep.COMMIT: gettext_lazy("Gain a commitment"),
    core.VisitStep.EVALUATE: gettext_lazy("Evaluate"),
}


def effective_lines(visit, rule: core.EffectiveVisitRule | None = None) -> dict:
    """The verdict of the company's rule on this visit, each condition in words."""
    result = visit.explain_effective(rule)
    rule = result.rule
    lines = []
    if result.recorded_on is None:
        lines.append((False, _("Not recorded yet.")))
    else:
        days = result.days_to_record or 0
        text = ngettext(
            "Recorded %(days)s day after the visit",
            "Recorded %(days)s days after the visit",
            days,
        ) % {"days": days}
        allowed = ngettext(
            "(the rule allows %(max)s day).",
            "(the rule allows %(max)s days).",
            rule.record_within_days,
        ) % {"max": rule.record_within_days}
        lines.append((core.REASON_RECORDED_LATE not in result.reasons, f"{text} {allowed}"))
    if rule.require_objective:
        lines.append(
            (
                result.has_objective,
                _("The plan has an objective.")
                if result.has_objective
                else _("The plan has no objective."),
            )
        )
    if rule.require_commitment_answered:
        lines.append(
            (
                result.commitment_answered,
                _("The commitment question was answered (won or not won: asking is what counts).")
                if result.commitment_answered
                else _("The commitment question was not answered (won or not won)."),
            )
        )
    return {"effective": result.effective, "lines": lines, "result": result}


def score_rows(visit) -> list[dict]:
    """The five steps with the rep's and the manager's scores side by side."""
    rep, manager = visit.rep_scores(), visit.manager_scores()
    return [
        {
            "step": step.value,
            "label": STEP_LABELS[step],
            "rep": rep[step],
            "manager": manager[step],
        }
        for step in core.VISIT_STEPS
    ]


def deal_suggestions(deal, *, people_ids=()) -> dict:
    """From the deal room: health risks with their suggested action, decision roles not yet
    covered, the strategy for each mapped person (those to meet first) and open actions."""
    from winroom.deals.assessment import health_for
    from winroom.deals.models import Action, ActionStatus, DealPerson, RelationshipStrategy
    from winroom.deals.models import DecisionRole as RoleChoices
    from winroom.deals.presenting import HEALTH_LABELS, SUGGESTIONS

    health = health_for(deal)
    risks = [
        {
            "code": r.code,
            "label": HEALTH_LABELS.get(r.code, r.code),
            "actual": r.actual,
            "standard": r.standard,
            "suggestion": str(SUGGESTIONS.get(r.suggestion_code, r.suggestion_code)),
        }
        for r in health.risks
    ]
    mapped = list(
        DealPerson.objects.filter(deal=deal).select_related("contact").order_by("contact__name")
    )
    present = [p.decision_role for p in mapped if p.decision_role]
    roles = [
        {
            "code": str(role),
            "label": RoleChoices(str(role)).label,
            "text": _("Meet the %(role)s and learn their view.")
            % {"role": RoleChoices(str(role)).label},
        }
        for role in missing_roles(present)
    ]
    wanted = {int(pk) for pk in people_ids}
    strategies = []
    for person in mapped:
        code = person.strategy or str(suggested_relationship_strategy(person.relationship_status))
        label = RelationshipStrategy(code).label
        strategies.append(
            {
                "contact_id": person.contact_id,
                "name": person.contact.name,
                "meeting": person.contact_id in wanted,
                "strategy": label,
                "suggested": not person.strategy,
                "role": person.get_decision_role_display() if person.decision_role else "",
                "text": _("%(name)s: %(strategy)s")
                % {"name": person.contact.name, "strategy": label},
            }
        )
    strategies.sort(key=lambda s: (not s["meeting"], s["name"]))
    actions = list(
        Action.objects.filter(deal=deal, status=ActionStatus.OPEN)
        .select_related("owner")
        .order_by("due_on", "pk")[:10]
    )
    return {
        "deal": deal,
        "risks": risks,
        "roles": roles,
        "strategies": strategies,
        "actions": actions,
        "score": health.score,
    }


def risk_suggestion(suggestions: dict | None, code: str | None) -> str:
    """The suggested action of the named risk, when the deal still has it."""
    if not suggestions or not code:
        return ""
    for risk in suggestions["risks"]:
        if risk["code"] == code:
            return risk["suggestion"]
    return ""
