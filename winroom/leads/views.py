"""The lead pool, a lead's page and its steps (claim, note, qualify, reject)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from winroom.accounts.models import Account
from winroom.exports import lists as exports
from winroom.exports.spreadsheet import wanted_format
from winroom.history import history_for
from winroom.methodology import leads as core
from winroom.org.access import get_visible_or_404
from winroom.org.models import CompanySettings
from winroom.web import paginate, query_without_page, run_action, success

from . import actions, funnel, reactivation
from .filters import LeadFilter
from .forms import LeadForm, NoteForm, PeriodForm, QualifyForm, RejectForm
from .labels import route_reason_label
from .models import Lead


def _lead(request, pk):
    return get_visible_or_404(
        Lead.objects.select_related("owner", "channel", "account", "qualified_deal"),
        request.user,
        pk=pk,
    )


def lead_url(lead):
    return reverse("leads:detail", args=[lead.pk])


@login_required
def lead_list(request):
    leads = (
        Lead.objects.visible_to(request.user)
        .select_related("owner", "channel")
        .order_by("-created_at", "-pk")
    )
    filterset = LeadFilter(request.GET, queryset=leads, request=request)
    if wanted_format(request):
        return exports.leads(request, filterset.qs)
    page = paginate(request, filterset.qs)
    context = {"filter": filterset, "page": page, "query": query_without_page(request)}
    template = "leads/lead_list.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


@login_required
def lead_create(request):
    form = LeadForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        lead = run_action(request, form, actions.create_lead, by=request.user, data=form.changes())
        if lead:
            success(request, _("Lead “%(name)s” created.") % {"name": lead})
            return redirect(lead_url(lead))
    return render(request, "leads/lead_form.html", {"form": form})


@login_required
def lead_edit(request, pk):
    lead = _lead(request, pk)
    form = LeadForm(request.POST or None, instance=lead, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = run_action(
            request,
            form,
            actions.update_lead,
            lead,
            by=request.user,
            data=form.changes(),
            expected_version=form.cleaned_data.get("version"),
        )
        if saved:
            success(request, _("Lead “%(name)s” saved.") % {"name": saved})
            return redirect(lead_url(saved))
    return render(request, "leads/lead_form.html", {"form": form, "lead": lead})


def _suggestions(request, lead):
    if not lead.is_open:
        return []
    exact, similar = actions.account_matches(
        lead.company_name, Account.objects.visible_to(request.user)
    )
    return exact + similar


@login_required
def lead_detail(request, pk, qualify_form=None, reject_form=None):
    lead = _lead(request, pk)
    suggestions = _suggestions(request, lead)
    decision = lead.routing()
    recycle = None
    if lead.owner_id and lead.status in core.HELD_STATUSES:
        rule = CompanySettings.current().recycle_rule()
        recycle = core.recycle_date(actions.held_since(lead), rule)
    context = {
        "lead": lead,
        "route_reason": route_reason_label(decision),
        "suggestions": suggestions,
        "returns_on": recycle,
        "today": timezone.localdate(),
        "note_form": NoteForm(),
        "qualify_form": qualify_form
        or QualifyForm(user=request.user, lead=lead, suggestions=suggestions),
        "reject_form": reject_form or RejectForm(),
    }
    return render(request, "leads/lead_detail.html", context)


@login_required
def lead_history(request, pk):
    lead = _lead(request, pk)
    return render(
        request,
        "history.html",
        {"object": lead, "entries": history_for(lead), "back": lead_url(lead)},
    )


def _perform(request, lead, action, *args, ok="", **kwargs):
    try:
        result = action(*args, **kwargs)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None
    if ok:
        messages.success(request, ok)
    return result


@login_required
@require_POST
def lead_claim(request, pk):
    lead = _lead(request, pk)
    _perform(
        request,
        lead,
        actions.claim_lead,
        lead,
        by=request.user,
        ok=_("The lead is yours now; work it within %(days)s days or it returns to the pool.")
        % {"days": CompanySettings.current().lead_recycle_days},
    )
    return redirect(lead_url(lead))


@login_required
@require_POST
def lead_note(request, pk):
    lead = _lead(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(lead_url(lead))
    _perform(
        request,
        lead,
        actions.touch,
        lead,
        by=request.user,
        note=form.cleaned_data["note"],
        ok=_("Note added."),
    )
    return redirect(lead_url(lead))


@login_required
@require_POST
def lead_qualify(request, pk):
    lead = _lead(request, pk)
    form = QualifyForm(
        request.POST, user=request.user, lead=lead, suggestions=_suggestions(request, lead)
    )
    if form.is_valid():
        saved = run_action(
            request,
            form,
            actions.qualify_lead,
            lead,
            by=request.user,
            account=form.cleaned_data["account"],
            create_account=form.cleaned_data["create_account"],
            deal_name=form.cleaned_data["deal_name"],
            amount=form.cleaned_data["amount"],
            confirm_new=form.cleaned_data.get("confirm_new", False),
        )
        if saved:
            success(
                request,
                _("Lead qualified: opportunity “%(deal)s” created on %(account)s.")
                % {"deal": saved.qualified_deal, "account": saved.account},
            )
            return redirect(reverse("deals:detail", args=[saved.qualified_deal_id]))
    return lead_detail(request, pk, qualify_form=form)


@login_required
@require_POST
def lead_reject(request, pk):
    lead = _lead(request, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        saved = run_action(
            request,
            form,
            actions.reject_lead,
            lead,
            by=request.user,
            reason=form.cleaned_data["rejection_reason"],
        )
        if saved:
            success(request, _("Lead rejected."))
            return redirect(lead_url(saved))
    return lead_detail(request, pk, reject_form=form)


@login_required
def reactivation_list(request):
    """Won customers due for cross-sell: last win long enough ago, no open deal."""
    today = timezone.localdate()
    days = CompanySettings.current().reactivation_days()
    accounts = reactivation.due_accounts(request.user, today=today, interval_days=days)
    page = paginate(request, accounts)
    bought = reactivation.products_bought(account.pk for account in page)
    rows = [
        {
            "account": account,
            "won_on": timezone.localdate(account.last_won_at),
            "waiting_days": (today - timezone.localdate(account.last_won_at)).days,
            "products": bought.get(account.pk, []),
        }
        for account in page
    ]
    context = {"page": page, "rows": rows, "days": days, "query": query_without_page(request)}
    return render(request, "leads/reactivation.html", context)


@login_required
@require_POST
def cross_sell(request, pk):
    account = get_visible_or_404(Account.objects.all(), request.user, pk=pk)
    deal = _perform(request, account, actions.create_cross_sell, account, by=request.user)
    if deal is None:
        return redirect(reverse("leads:reactivation"))
    success(
        request,
        _("Cross-sell opportunity “%(deal)s” created for %(owner)s.")
        % {"deal": deal, "owner": deal.owner},
    )
    return redirect(reverse("deals:detail", args=[deal.pk]))


DEFAULT_FUNNEL_DAYS = 90


@login_required
def funnel_page(request):
    """The lead funnel of the leads the person sees, per channel, route and rep."""
    default = funnel.Period.last_days(DEFAULT_FUNNEL_DAYS)
    form = PeriodForm(request.GET or {"start": default.start, "end": default.end})
    period = default
    if form.is_valid():
        period = funnel.Period(start=form.cleaned_data["start"], end=form.cleaned_data["end"])
    result = funnel.report(request.user, period)
    stages = [
        {"label": str(label), "value": step.count, "rate": step.from_first}
        for (_code, label), step in zip(funnel.STAGES, result.total.steps(), strict=True)
    ]
    chart = [{"name": s["label"], "value": s["value"]} for s in stages]
    context = {
        "form": form,
        "report": result,
        "stages": stages,
        "chart": chart,
        "dimensions": [
            (code, label, result.by[code]) for code, (label, _col) in funnel.DIMENSIONS.items()
        ],
        "explanations": funnel.EXPLANATIONS,
    }
    return render(request, "leads/funnel.html", context)
