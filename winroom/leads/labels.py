"""Words for the core's reason codes."""

from django.utils.translation import gettext as _

from winroom.methodology import leads as core


def _cny(value) -> str:
    return f"{value:,.0f}"


def route_reason_label(decision: core.RoutingDecision) -> str:
    rule = decision.rule
    bounds = {"low": _cny(rule.self_service_max), "high": _cny(rule.standard_max)}
    if decision.reason == core.REASON_COMPLEX_NEED:
        return _("A solution or strategic need goes to the key-account team whatever the size.")
    if decision.reason == core.REASON_SIZE_UNKNOWN:
        return _("The expected size is unknown: standard sales screens and sizes it.")
    if decision.reason == core.REASON_WITHIN_SELF_SERVICE_MAX:
        return _("Expected size up to CNY %(low)s: self-service / inside sales.") % bounds
    if decision.reason == core.REASON_WITHIN_STANDARD_MAX:
        return _("Expected size above CNY %(low)s and up to %(high)s: standard sales.") % bounds
    return _("Expected size above CNY %(high)s: the key-account team.") % bounds
