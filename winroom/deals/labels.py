"""Translated names for the codes the methodology core speaks in."""

from django.utils.translation import gettext_lazy as _

STAGES = {
    "verify_opportunity": _("Verify opportunity"),
    "project_initiation": _("Project initiation"),
    "needs_analysis": _("Needs analysis"),
    "value_presentation": _("Value presentation"),
    "tender_preparation": _("Tender preparation"),
    "bidding": _("Bidding"),
    "negotiation_signing": _("Negotiation and signing"),
}

EXIT_CRITERIA = {
    "compelling_event": _("a compelling event is recorded"),
    "internal_approval_and_team": _("internal approval is given and the deal team is formed"),
    "value_strategy_actions": _(
        "the value proposition, the competitive strategy and the action plan are done"
    ),
    "influenced_tender": _("we influenced the tender and the customer started drafting it"),
    "tender_issued": _("the tender is formally issued"),
    "bid_result": _("the bid result is announced"),
    "contract_signed": _("the contract is signed"),
    "compelling_event_reconfirmation": _("the compelling event is re-confirmed in this stage"),
    # what the core names as missing for a criterion
    "internal_approval": _("internal approval is given"),
    "deal_team": _("the deal team has at least two people"),
    "value_proposition": _("the value proposition is written"),
    "competitive_strategy": _("a competitive strategy is chosen"),
    "action_plan": _("at least one open action is planned"),
    "tender_influenced": _("the customer started drafting the tender"),
    "bid_result_announced": _("the bid result is announced"),
}


def stage_label(code: str):
    return STAGES.get(code, code)


def criterion_label(code: str):
    return EXIT_CRITERIA.get(code, code)


ADVANCE_REASONS = {
    "same_stage": _("the deal is already in that stage"),
    "target_out_of_range": _("there is no such stage"),
    "skip_not_allowed": _(
        "stages cannot be skipped (only C, D and E deals may jump from stage 2 to signing)"
    ),
    "exit_criteria_not_met": _("the exit criterion of this stage is not met"),
}


def advance_reason_label(code: str):
    return ADVANCE_REASONS.get(code, code)
