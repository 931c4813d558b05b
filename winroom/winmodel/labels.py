"""What people read for the learned model's codes (feature groups, reasons, predictors)."""

from django.utils.translation import gettext_lazy as _

FEATURES = {
    "grade": _("grade"),
    "stage": _("stage"),
    "source": _("source"),
    "partner_led": _("partner-led"),
    "product_lines": _("product lines"),
    "rule_status": _("rule-based win rate status"),
    "deal_age_days": _("days since the deal was created"),
    "days_in_stage": _("days in this stage"),
    "log_amount": _("amount"),
    "compelling_event": _("compelling event"),
    "inside_coach": _("inside coach"),
    "our_fit": _("our need fit"),
    "our_closeness": _("our relationship closeness"),
    "competitor1_fit": _("strongest competitor's need fit"),
    "competitor1_closeness": _("strongest competitor's closeness"),
    "competitor2_fit": _("second competitor's need fit"),
    "competitor2_closeness": _("second competitor's closeness"),
    "rank": _("our rank"),
    "competitors": _("number of competitors"),
    "sole_source": _("sole source"),
    "competitors_unknown": _("competitors unknown"),
    "rule_rate": _("rule-based win rate"),
    "roles_covered": _("decision roles covered"),
    "decision_people": _("people with a decision role"),
    "supporters_share": _("share of decision roles supporting us"),
    "repeated_interaction_share": _("decision roles met repeatedly"),
    "deep_interaction_share": _("decision roles in deep interaction"),
    "activities_30d": _("activities at the account, last 30 days"),
    "activities_90d": _("activities at the account, last 90 days"),
    "deal_activities": _("activities of this deal"),
    "days_since_activity": _("days since the last activity"),
    "health_inside_coach": _("health: inside coach"),
    "health_decision_maker_coverage": _("health: decision-maker coverage"),
    "health_decision_support": _("health: support among decision roles"),
    "health_urgency": _("health: customer urgency"),
    "health_needs_clarity": _("health: clarity of needs"),
    "health_motivation_clarity": _("health: clarity of personal motivation"),
    "health_score": _("health score"),
    "relationship_score": _("relationship score of the decision roles"),
    "supplier_tier": _("supplier tier"),
}

REASONS = {
    "too_few_closed": _("fewer than 50 closed deals"),
    "too_few_won": _("fewer than 10 won deals"),
    "too_few_lost": _("fewer than 10 lost (or abandoned) deals"),
}

PREDICTORS = {
    "model": _("learned model"),
    "base_rate": _("base rate"),
    "stage": _("stage-based probability"),
    "naive_bayes": _("naive Bayes frequency score (Odoo-style)"),
    "rule": _("rule-based TAS+ win rate"),
}


def feature_label(code: str, attribute_labels: dict[str, str] | None = None) -> str:
    """The label of a feature group; a custom attribute by its own label."""
    if code.startswith("custom:"):
        attribute = code.split(":", 1)[1]
        return (attribute_labels or {}).get(attribute, attribute)
    return str(FEATURES.get(code, code))
