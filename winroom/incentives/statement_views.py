"""Commission pages: the plans (administrators edit them), statements built from the
database's facts, their approval by the rep's manager, payouts and the PDF.

A statement is read only by its rep, the rep's managers and administrators; anyone else gets
404 on every route (never 403, which would confirm that it exists).
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from winroom.deals.models import Deal, DealStatus
from winroom.methodology import commission as core
from winroom.org.access import get_visible_or_404
from winroom.web import paginate, query_without_page, run_action, success

from . import actions
from .access import is_admin, is_manager_or_admin, may_manage_rep
from .forms import BuildStatementsForm, CommissionPlanForm, MarginForm, PaymentForm
from .models import CommissionPlan, CommissionStatement, Payout, StatementStatus
from .pdf import statement_pdf
from .presenting import (
    bookings_for_display,
    gaps_for_display,
    lines_for_display,
    period_label,
    timeliness,
)

# -- plans -------------------------------------------------------------------------------


@login_required
@require_safe
def plan_list(request):
    """The commission plans: everyone reads the rules, administrators change them."""
    plans = CommissionPlan.objects.prefetch_related("strategic_accounts").order_by(
        "-year", "-is_active", "name"
    )
    return render(
        request,
        "incentives/plan_list.html",
        {"plans": plans, "is_admin": is_admin(request.user)},
    )


@login_required
def plan_edit(request, pk=None):
    if not is_admin(request.user):
        raise Http404
    plan = get_object_or_404(CommissionPlan, pk=pk) if pk is not None else None
    form = CommissionPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        saved = run_action(request, form, actions.save_plan, form, by=request.user)
        if saved:
            success(request, _("Commission plan %(name)s saved.") % {"name": saved.name})
            return redirect("incentives:plans")
    return render(request, "incentives/plan_edit.html", {"form": form, "plan": plan})


# -- statements ------------------------------------------------------------------------------


def _statement(request, pk) -> CommissionStatement:
    return get_visible_or_404(
        CommissionStatement.objects.select_related("rep", "plan", "approved_by", "built_by"),
        request.user,
        pk=pk,
    )


def _payout_rows(statements, today):
    for statement in statements:
        payout = getattr(statement, "payout", None)
        statement.period_text = period_label(statement)
        statement.timeliness = (
            timeliness(payout, allowed_days=statement.plan.payout_within_days, today=today)
            if payout is not None
            else None
        )
    return statements


def _on_time_share(user, today):
    """Share (in %) of the visible payouts paid within their plan's allowance, in one query."""
    rows = Payout.objects.filter(
        statement__in=CommissionStatement.objects.visible_to(user).values("pk")
    ).values_list("amount", "earned_on", "paid_on", "statement__plan__payout_within_days")
    rows = list(rows)
    if not rows:
        return None, 0
    on_time = sum(
        1
        for amount, earned_on, paid_on, days in rows
        if paid_on is not None
        and core.days_late(core.Payout(amount, earned_on, paid_on), today=today, allowed_days=days)
        == 0
    )
    return (Decimal(on_time * 100) / len(rows)).quantize(Decimal("0.1")), len(rows)


@login_required
@require_safe
def statement_list(request):
    """The statements this person may read, newest period first, with payout timeliness."""
    statements = (
        CommissionStatement.objects.visible_to(request.user)
        .select_related("rep", "plan", "payout", "approved_by")
        .order_by("-period_start", "rep__username", "pk")
    )
    status = request.GET.get("status")
    if status in StatementStatus.values:
        statements = statements.filter(status=status)
    page = paginate(request, statements)
    today = timezone.localdate()
    page.object_list = _payout_rows(list(page.object_list), today)
    on_time, payout_count = _on_time_share(request.user, today)
    manager = is_manager_or_admin(request.user)
    return render(
        request,
        "incentives/statement_list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "status": status,
            "statuses": StatementStatus.choices,
            "build_form": BuildStatementsForm() if manager else None,
            "on_time": on_time,
            "payout_count": payout_count,
        },
    )


@login_required
@require_POST
def statement_build(request):
    """Build (or rebuild) the drafts of a period for the reps this person manages."""
    if not is_manager_or_admin(request.user):
        raise Http404
    form = BuildStatementsForm(request.POST)
    if form.is_valid():
        built = run_action(
            request,
            form,
            actions.build_statements,
            plan=form.cleaned_data["plan"],
            period_start=form.cleaned_data["day"],
            by=request.user,
        )
        if built is not None:
            success(
                request,
                _("%(n)s statements built as drafts (approved ones are left as they are).")
                % {"n": len(built)},
            )
            return redirect("incentives:statements")
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("incentives:statements")


@login_required
@require_safe
def statement_detail(request, pk):
    """Every line of the statement with the rule behind it; approval and payout."""
    statement = _statement(request, pk)
    today = timezone.localdate()
    payout = Payout.objects.filter(statement=statement).first()
    may_manage = may_manage_rep(request.user, statement.rep_id)
    return render(
        request,
        "incentives/statement_detail.html",
        {
            "statement": statement,
            "period": period_label(statement),
            "lines": lines_for_display(statement),
            "bookings": bookings_for_display(statement),
            "gaps": gaps_for_display(statement),
            "payout": payout,
            "timeliness": timeliness(
                payout, allowed_days=statement.plan.payout_within_days, today=today
            )
            if payout
            else None,
            "may_approve": may_manage
            and statement.status == StatementStatus.DRAFT
            and today >= statement.period_end,
            "may_rebuild": may_manage and statement.status == StatementStatus.DRAFT,
            "may_set_margin": may_manage and statement.status == StatementStatus.DRAFT,
            "may_record_payment": payout is not None
            and payout.paid_on is None
            and is_admin(request.user),
            "payment_form": PaymentForm(),
            "margin_form": MarginForm(),
        },
    )


@login_required
@require_POST
def statement_approve(request, pk):
    statement = _statement(request, pk)
    if not may_manage_rep(request.user, statement.rep_id):
        raise Http404
    form = PaymentForm()  # only to carry the action's errors
    approved = run_action(request, form, actions.approve_statement, statement, by=request.user)
    if approved:
        success(request, _("Statement approved."))
    else:
        for message in form.non_field_errors():
            messages.error(request, message)
    return redirect("incentives:statement", pk=statement.pk)


@login_required
@require_POST
def statement_rebuild(request, pk):
    statement = _statement(request, pk)
    if not may_manage_rep(request.user, statement.rep_id):
        raise Http404
    form = PaymentForm()
    built = run_action(
        request,
        form,
        actions.build_statements,
        plan=statement.plan,
        period_start=statement.period_start,
        by=request.user,
        reps=[statement.rep_id],
    )
    if built:
        success(request, _("Statement rebuilt from the current facts."))
    for message in form.non_field_errors():
        messages.error(request, message)
    return redirect("incentives:statement", pk=statement.pk)


@login_required
@require_POST
def payout_paid(request, pk):
    """Administrators record the day a payout was paid."""
    statement = _statement(request, pk)
    payout = Payout.objects.filter(statement=statement).first()
    if payout is None or not is_admin(request.user):
        raise Http404
    form = PaymentForm(request.POST)
    if form.is_valid():
        saved = run_action(
            request,
            form,
            actions.record_payment,
            payout,
            by=request.user,
            paid_on=form.cleaned_data["paid_on"],
        )
        if saved:
            success(request, _("Payment recorded."))
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("incentives:statement", pk=statement.pk)


@login_required
@require_safe
def statement_pdf_view(request, pk):
    statement = _statement(request, pk)
    content = statement_pdf(
        statement,
        lines=lines_for_display(statement),
        bookings=bookings_for_display(statement),
        gaps=gaps_for_display(statement),
    )
    response = HttpResponse(content, content_type="application/pdf")
    name = f"commission-{statement.rep.username}-{period_label(statement).replace(' ', '')}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def deal_margin(request, deal_pk):
    """A manager of the deal's owner (or an administrator) records its gross margin."""
    deal = get_visible_or_404(Deal.objects.all(), request.user, pk=deal_pk)
    if deal.status != DealStatus.WON or not may_manage_rep(request.user, deal.owner_id):
        raise Http404
    form = MarginForm(request.POST)
    if form.is_valid():
        saved = run_action(
            request,
            form,
            actions.set_deal_margin,
            deal,
            by=request.user,
            gross_margin=form.cleaned_data["gross_margin"],
        )
        if saved:
            success(request, _("Gross margin of %(deal)s saved.") % {"deal": deal.name})
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("incentives:statements")
