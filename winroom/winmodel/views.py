"""Administrators' pages of the learned win probability: the model, its evaluation report and
the health standards learned from won vs lost deals (accept / reject)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from winroom.attributes.models import AttributeDefinition
from winroom.deals.models import DecisionRole
from winroom.deals.presenting import HEALTH_LABELS
from winroom.web import success

from . import actions
from .labels import PREDICTORS, REASONS, feature_label
from .models import EvaluationReport, ProposalStatus, StandardProposal, WinModel

TOP_WEIGHTS = 20


def administrators_only(view):
    """Signed-in administrators only; anyone else is refused with 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_administrator:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _attribute_labels() -> dict[str, str]:
    return {d.code: d.display_label() for d in AttributeDefinition.objects.filter(target="deal")}


def _weights(model: WinModel) -> list[dict]:
    """The columns with the largest weights, labelled."""
    labels = _attribute_labels()
    rows = sorted(model.features, key=lambda c: -abs(c["weight"]))[:TOP_WEIGHTS]
    for row in rows:
        level = row["column"].split("=", 1)[1] if "=" in row["column"] else ""
        unknown = row["column"].endswith("(unknown)")
        row["label"] = feature_label(row["group"], labels)
        row["detail"] = level or (_("unknown") if unknown else "")
    return rows


def _report_rows(report: EvaluationReport | None) -> list[dict]:
    if report is None:
        return []
    rows = []
    for code, label in PREDICTORS.items():
        item = report.data.get("predictors", {}).get(code, {})
        rows.append({"code": code, "label": label, **item})
    return rows


@administrators_only
def model_page(request):
    model = WinModel.current()
    report = EvaluationReport.objects.exclude(method="standards").first()
    context = {
        "model": model,
        "reason": REASONS.get(model.reason, model.reason) if model else "",
        "weights": _weights(model) if model and model.is_trained else [],
        "report": report,
        "report_rows": _report_rows(report),
        "history": WinModel.objects.defer("artifact")[:10],
        "open_proposals": StandardProposal.objects.filter(status=ProposalStatus.PROPOSED).count(),
    }
    return render(request, "winmodel/model.html", context)


@administrators_only
def report_json(request, pk):
    report = get_object_or_404(EvaluationReport, pk=pk)
    if report.method == "standards":
        raise Http404
    return JsonResponse(report.data, json_dumps_params={"ensure_ascii": False, "indent": 2})


@administrators_only
def standards_page(request):
    proposals = list(
        StandardProposal.objects.select_related("stage", "decided_by").order_by(
            "status", "stage__number", "indicator", "-created_at"
        )[:200]
    )
    for proposal in proposals:
        proposal.indicator_label = HEALTH_LABELS.get(proposal.indicator, proposal.indicator)
    evidence = EvaluationReport.objects.filter(method="standards").first()
    role_labels = dict(DecisionRole.choices)
    roles = [
        {**row, "role_label": role_labels.get(row["role"], row["role"])}
        for row in (evidence.data.get("roles", []) if evidence else [])
    ]
    return render(
        request,
        "winmodel/standards.html",
        {"proposals": proposals, "evidence": evidence, "roles": roles},
    )


@administrators_only
@require_POST
def proposal_decide(request, pk, decision):
    if decision not in ("accept", "reject"):
        raise Http404
    proposal = get_object_or_404(StandardProposal, pk=pk)
    try:
        actions.decide_proposal(proposal, by=request.user, accept=decision == "accept")
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        if decision == "accept":
            success(request, _("The new standard applies from now on."))
        else:
            success(request, _("The proposal was rejected; the standard stays."))
    return redirect("winmodel:standards")
