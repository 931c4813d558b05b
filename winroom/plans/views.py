"""Account plan pages: the list, an account's plans and canvases, the plan with its
sections edited in place (htmx partials), the whitespace grid, and the PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from winroom.accounts.models import Account
from winroom.exports import lists as exports
from winroom.exports.spreadsheet import wanted_format
from winroom.history import history_for
from winroom.org.access import can_write, get_visible_or_404
from winroom.records import restore, soft_delete
from winroom.web import paginate, query_without_page, run_action, run_or_404, success

from . import actions
from .filters import PlanFilter
from .forms import (
    SECTIONS,
    BusinessUnitForm,
    CanvasCreateForm,
    CellForm,
    GoalForm,
    InitiativeForm,
    PlanActionForm,
    PlanCreateForm,
    section_form,
)
from .models import AccountPlan, FitCanvas, PlanActionStatus
from .pdf import plan_pdf as render_pdf
from .presenting import action_progress, whitespace_matrix, with_progress

DETAIL = "plans/plan_detail.html"


def _account(request, account_pk):
    return get_visible_or_404(
        Account.objects.prefetch_related("members"), request.user, pk=account_pk
    )


def _plan(request, pk, *, write=False):
    plan = get_visible_or_404(
        AccountPlan.objects.select_related("account").prefetch_related("account__members"),
        request.user,
        pk=pk,
    )
    if write and not can_write(request.user, plan.account):
        raise Http404
    return plan


def plan_url(plan, anchor=""):
    return reverse("plans:detail", args=[plan.pk]) + (f"#{anchor}" if anchor else "")


@login_required
def plan_list(request):
    """The plans of the accounts this person may read, with their actions' progress."""
    plans = with_progress(
        AccountPlan.objects.visible_to(request.user).select_related("account", "account__owner")
    ).order_by("-year", "account__name", "pk")
    filterset = PlanFilter(request.GET, queryset=plans)
    if wanted_format(request):
        return exports.plans(request, filterset.qs)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "plans/plan_list.html",
        {"filter": filterset, "page": page, "query": query_without_page(request)},
    )


@login_required
def account_plans(request, account_pk):
    """An account's plans (by year) and its canvases (short and long term)."""
    account = _account(request, account_pk)
    plans = with_progress(AccountPlan.objects.filter(account=account)).order_by("-year")
    canvases = FitCanvas.objects.filter(account=account).order_by("horizon")
    return render(
        request,
        "plans/account_plans.html",
        {
            "account": account,
            "plans": plans,
            "canvases": canvases,
            "can_write": can_write(request.user, account),
            "create_form": PlanCreateForm(),
            "canvas_form": CanvasCreateForm(),
        },
    )


@login_required
@require_POST
def plan_create(request, account_pk):
    account = _account(request, account_pk)
    if not can_write(request.user, account):
        raise Http404
    form = PlanCreateForm(request.POST)
    if form.is_valid():
        plan = run_action(
            request,
            form,
            actions.create_plan,
            account,
            by=request.user,
            year=form.cleaned_data["year"],
        )
        if plan:
            success(request, _("Account plan %(year)s created.") % {"year": plan.year})
            return redirect(plan_url(plan))
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("plans:account", account_pk=account.pk)


def plan_context(request, plan, **forms):
    actions_list = list(plan.actions.select_related("owner").order_by("status", "due_on", "pk"))
    writable = can_write(request.user, plan.account)
    context = {
        "plan": plan,
        "account": plan.account,
        "can_write": writable,
        "initiatives": list(plan.initiatives.all()),
        "goals": list(plan.goals.select_related("contact")),
        "actions": actions_list,
        "progress": action_progress(actions_list),
        "matrix": whitespace_matrix(plan, user=request.user),
        "sections": {name: section_form(name)(instance=plan) for name in SECTIONS},
    }
    if writable:
        context.update(
            initiative_form=InitiativeForm(),
            unit_form=BusinessUnitForm(),
            goal_form=GoalForm(account=plan.account),
            action_form=PlanActionForm(user=request.user),
        )
    context.update(forms)
    return context


@login_required
def plan_detail(request, pk):
    plan = _plan(request, pk)
    return render(request, DETAIL, plan_context(request, plan))


def _partial(request, plan, partial, anchor, **forms):
    """An htmx request gets the section again; a plain form post goes back to the plan."""
    if request.htmx:
        return render(request, f"{DETAIL}#{partial}", plan_context(request, plan, **forms))
    for form in forms.values():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(plan_url(plan, anchor))


@login_required
def plan_section(request, pk, section):
    """One text section of the plan: its form (GET) or the save (POST), in place."""
    if section not in SECTIONS:
        raise Http404
    plan = _plan(request, pk, write=True)
    form_class = section_form(section)
    if request.method != "POST":
        form = form_class(instance=plan)
        return render(
            request,
            f"{DETAIL}#section-{section}",
            {**plan_context(request, plan), "editing": section, "form": form},
        )
    form = form_class(request.POST, instance=AccountPlan.objects.get(pk=plan.pk))
    saved = None
    if form.is_valid():
        saved = run_action(
            request,
            form,
            actions.update_plan,
            plan,
            by=request.user,
            data=form.changes(),
            expected_version=form.cleaned_data.get("version"),
        )
    if saved is None:
        if request.htmx:
            return render(
                request,
                f"{DETAIL}#section-{section}",
                {**plan_context(request, plan), "editing": section, "form": form},
            )
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(plan_url(plan, section))
    plan = _plan(request, pk)
    if not request.htmx:
        success(request, _("Saved."))
    return _partial(request, plan, f"section-{section}", section)


@login_required
@require_POST
def initiative_add(request, pk):
    plan = _plan(request, pk, write=True)
    form = InitiativeForm(request.POST)
    if form.is_valid() and run_action(
        request, form, actions.add_initiative, plan, by=request.user, data=form.cleaned_data
    ):
        form = InitiativeForm()
    return _partial(request, plan, "initiatives", "initiatives", initiative_form=form)


def _remove(request, pk, related, row_pk, partial):
    plan = _plan(request, pk, write=True)
    row = getattr(plan, related).filter(pk=row_pk).first()
    if row is None:
        raise Http404
    run_or_404(actions.remove_row, row, by=request.user)
    return _partial(request, plan, partial, partial)


@login_required
@require_POST
def initiative_remove(request, pk, initiative_pk):
    return _remove(request, pk, "initiatives", initiative_pk, "initiatives")


@login_required
@require_POST
def unit_add(request, pk):
    plan = _plan(request, pk, write=True)
    form = BusinessUnitForm(request.POST)
    if form.is_valid() and run_action(
        request,
        form,
        actions.add_business_unit,
        plan,
        by=request.user,
        name=form.cleaned_data["name"],
    ):
        form = BusinessUnitForm()
    return _partial(request, plan, "whitespace", "whitespace", unit_form=form)


@login_required
@require_POST
def unit_remove(request, pk, unit_pk):
    return _remove(request, pk, "units", unit_pk, "whitespace")


@login_required
def cell_edit(request, pk, unit_pk, line_pk):
    """A whitespace cell: its editor (GET) or the new state (POST)."""
    plan = _plan(request, pk, write=True)
    unit = plan.units.filter(pk=unit_pk).first()
    matrix = whitespace_matrix(plan, user=request.user)
    cell = next(
        (
            c
            for _u, row in matrix.rows
            for c in row
            if c.unit.pk == unit_pk and c.line.pk == line_pk
        ),
        None,
    )
    if unit is None or cell is None:
        raise Http404
    if request.method == "POST":
        form = CellForm(request.POST, account=plan.account, user=request.user)
        if form.is_valid() and run_action(
            request,
            form,
            actions.set_cell,
            plan,
            by=request.user,
            unit=unit,
            product_line=cell.line,
            state=form.cleaned_data["state"],
            deals=form.cleaned_data["deals"],
            note=form.cleaned_data["note"],
        ):
            return _partial(request, plan, "whitespace", "whitespace")
    else:
        initial = {
            "state": "" if cell.suggested else cell.state,
            "deals": [d.pk for d in cell.deals] if not cell.suggested else [],
            "note": cell.note,
        }
        form = CellForm(initial=initial, account=plan.account, user=request.user)
    context = {"plan": plan, "cell": cell, "cell_form": form}
    if request.htmx:
        return render(request, f"{DETAIL}#cell-editor", context)
    return render(request, "plans/cell_edit.html", context)


@login_required
@require_POST
def goal_add(request, pk):
    plan = _plan(request, pk, write=True)
    form = GoalForm(request.POST, account=plan.account)
    if form.is_valid() and run_action(
        request, form, actions.add_goal, plan, by=request.user, **form.cleaned_data
    ):
        form = GoalForm(account=plan.account)
    return _partial(request, plan, "goals", "goals", goal_form=form)


@login_required
@require_POST
def goal_remove(request, pk, goal_pk):
    return _remove(request, pk, "goals", goal_pk, "goals")


@login_required
@require_POST
def action_add(request, pk):
    plan = _plan(request, pk, write=True)
    form = PlanActionForm(request.POST, user=request.user)
    if form.is_valid() and run_action(
        request, form, actions.add_action, plan, by=request.user, **form.cleaned_data
    ):
        form = PlanActionForm(user=request.user)
    return _partial(request, plan, "actions", "actions", action_form=form)


@login_required
@require_POST
def action_toggle(request, pk, action_pk):
    """Mark an action done, or open again."""
    plan = _plan(request, pk, write=True)
    action = plan.actions.filter(pk=action_pk).first()
    if action is None:
        raise Http404
    status = (
        PlanActionStatus.OPEN if action.status == PlanActionStatus.DONE else PlanActionStatus.DONE
    )
    run_or_404(actions.set_action_status, action, by=request.user, status=status)
    return _partial(request, plan, "actions", "actions")


@login_required
def plan_history(request, pk):
    plan = _plan(request, pk)
    return render(
        request,
        "history.html",
        {"object": plan, "entries": history_for(plan), "back": plan_url(plan)},
    )


@login_required
def plan_delete(request, pk):
    plan = _plan(request, pk, write=True)
    if request.method == "POST":
        run_or_404(actions.check_write, request.user, plan)
        soft_delete(plan, by=request.user)
        success(request, _("Account plan moved to the recycle bin."))
        return redirect("plans:account", account_pk=plan.account_id)
    return render(request, "confirm_delete.html", {"object": plan, "cancel": plan_url(plan)})


@login_required
@require_POST
def plan_restore(request, pk):
    """Bring a plan back from the recycle bin, unless its year has a live plan meanwhile."""
    plan = get_visible_or_404(
        AccountPlan.all_objects.deleted().select_related("account"), request.user, pk=pk
    )
    if not can_write(request.user, plan.account):
        raise Http404
    try:
        with transaction.atomic():
            restore(plan, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("trash")
    except IntegrityError:  # a concurrent twin slipped in between the check and the save
        messages.error(request, _("This account already has a plan for that year."))
        return redirect("trash")
    success(request, _("Restored “%(name)s”.") % {"name": plan})
    return redirect(plan_url(plan))


@login_required
def plan_pdf(request, pk):
    """The plan as a PDF in the reader's language."""
    plan = _plan(request, pk)
    content = render_pdf(plan, user=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"account-plan-{plan.account_id}-{plan.year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
