"""``{% learned_win_probability deal %}``: the deal room's panel beside the rule-based rate.

The deal room is only reached by people who may see the deal, so the panel shows them the
learned probability and the factors behind it. What the model is made of (weights, training
data, metrics) stays on the administrators' page; only they get the link.
"""

import math
from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from winroom.attributes.models import AttributeDefinition

from ..actions import live_score
from ..labels import REASONS, feature_label
from ..models import WinModel

register = template.Library()

#: the learned and the rule-based rates disagree strongly beyond this (a coaching prompt)
DISAGREEMENT = Decimal("0.30")
SHOWN_EACH_WAY = 3
PERCENT = {"rule_rate", "supporters_share", "repeated_interaction_share", "deep_interaction_share"}
YES_NO = {"compelling_event", "inside_coach", "sole_source", "competitors_unknown"}


def displayed(code: str, value) -> str:
    """A feature's value as a person reads it."""
    if value is None:
        return _("unknown")
    if code in PERCENT:
        return f"{float(value) * 100:.0f}%"
    if code in YES_NO:
        return _("yes") if float(value) else _("no")
    if code == "log_amount":
        return f"{10 ** float(value) - 1:,.0f}"
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.2f}"
    return str(value)


@register.inclusion_tag("winmodel/_deal_panel.html", takes_context=True)
def learned_win_probability(context, deal):
    user = context["request"].user
    model = WinModel.current()
    result = {"deal": deal, "model": model, "is_admin": user.is_administrator, "score": None}
    if model is None:
        return result
    if not model.is_trained:
        result["reason"] = REASONS.get(model.reason, model.reason)
        return result
    score = live_score(deal)
    result["score"] = score
    if score is None:
        return result
    labels = {}
    if any(str(f["code"]).startswith("custom:") for f in score.factors):
        labels = {
            d.code: d.display_label() for d in AttributeDefinition.objects.filter(target="deal")
        }
    factors = [
        {
            "label": feature_label(f["code"], labels),
            "value": displayed(f["code"], f["value"]),
            "contribution": f["contribution"],
            "odds": math.exp(f["contribution"]),
        }
        for f in score.factors
        if abs(f["contribution"]) >= 0.01
    ]
    result["up"] = [f for f in factors if f["contribution"] > 0][:SHOWN_EACH_WAY]
    result["down"] = [f for f in factors if f["contribution"] < 0][:SHOWN_EACH_WAY]
    rule = deal.win_rate if deal.is_open else score.rule_rate
    result["rule"] = rule
    if rule is not None:
        gap = score.probability - rule
        result["gap_points"] = int(abs(gap) * 100)
        result["disagree"] = abs(gap) > DISAGREEMENT
        result["learned_higher"] = gap > 0
    return result
