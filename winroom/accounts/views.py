"""Account pages: list, detail with org chart, create, edit, delete/restore, history, team."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from winroom.activities.interaction import explain, with_interaction_counts
from winroom.activities.models import Activity
from winroom.history import history_for
from winroom.org.access import can_reassign, can_write, get_visible_or_404
from winroom.org.models import CompanySettings
from winroom.web import paginate, query_without_page, run_action, run_or_404, success

from . import actions
from .filters import AccountFilter
from .forms import AccountForm, AccountMemberForm, ReportsToForm
from .models import RELATIONSHIP_COLOURS, Account, AccountMember, Contact


def _account(request, pk, *, deleted=False):
    manager = Account.all_objects.deleted() if deleted else Account.objects
    return get_visible_or_404(
        manager.select_related("owner").prefetch_related(
            Prefetch("members", queryset=AccountMember.objects.select_related("user"))
        ),
        request.user,
        pk=pk,
    )


@login_required
def account_list(request):
    accounts = (
        Account.objects.visible_to(request.user)
        .select_related("owner")
        .annotate(contact_count=Count("contacts", filter=Q(contacts__deleted_at__isnull=True)))
        .order_by("name", "pk")
    )
    filterset = AccountFilter(request.GET, queryset=accounts)
    page = paginate(request, filterset.qs)
    context = {"filter": filterset, "page": page, "query": query_without_page(request)}
    template = "accounts/account_list.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


@login_required
def account_create(request):
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account = run_action(
            request, form, actions.create_account, by=request.user, data=form.changes()
        )
        if account:
            success(request, _("Account “%(name)s” created.") % {"name": account})
            return redirect(account_url(account))
    return render(request, "accounts/account_form.html", {"form": form})


def account_url(account):
    return reverse("accounts:detail", args=[account.pk])


@login_required
def account_detail(request, pk):
    account = _account(request, pk)
    company = CompanySettings.current()
    contacts = list(
        with_interaction_counts(
            Contact.objects.filter(account=account).select_related("reports_to"), company
        ).order_by("name", "pk")
    )
    for contact in contacts:
        contact.interaction = explain(contact, company)
    activities = (
        Activity.objects.filter(account=account)
        .select_related("owner")
        .prefetch_related("participants")[:20]
    )
    context = {
        "account": account,
        "contacts": contacts,
        "activities": activities,
        "can_write": can_write(request.user, account),
        "can_reassign": can_reassign(request.user, account),
        "member_form": AccountMemberForm(),
        "reports_to_form": ReportsToForm(account=account),
        "colours": {str(k): v for k, v in RELATIONSHIP_COLOURS.items()},
    }
    return render(request, "accounts/account_detail.html", context)


@login_required
def account_edit(request, pk):
    account = _account(request, pk)
    form = AccountForm(request.POST or None, instance=account, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = run_action(
            request,
            form,
            actions.update_account,
            account,
            by=request.user,
            data=form.changes(),
            expected_version=form.cleaned_data.get("version"),
        )
        if saved:
            success(request, _("Account “%(name)s” saved.") % {"name": saved})
            if not Account.objects.visible_to(request.user).filter(pk=saved.pk).exists():
                return redirect("accounts:list")
            return redirect(account_url(saved))
    return render(request, "accounts/account_form.html", {"form": form, "account": account})


@login_required
def account_delete(request, pk):
    account = _account(request, pk)
    if request.method == "POST":
        run_or_404(actions.delete_account, account, by=request.user)
        success(
            request,
            _("Account “%(name)s” moved to the recycle bin. It can be restored from there.")
            % {"name": account},
        )
        return redirect("accounts:list")
    return render(
        request, "confirm_delete.html", {"object": account, "cancel": account_url(account)}
    )


@login_required
@require_POST
def account_restore(request, pk):
    account = _account(request, pk, deleted=True)
    try:
        actions.restore_account(account, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("trash")
    success(request, _("Restored “%(name)s”.") % {"name": account})
    return redirect(account_url(account))


@login_required
def account_history(request, pk):
    account = _account(request, pk)
    return render(
        request,
        "history.html",
        {"object": account, "entries": history_for(account), "back": account_url(account)},
    )


@login_required
def account_org_chart(request, pk):
    """The reporting tree as JSON for the chart: one node per living contact."""
    account = _account(request, pk)
    people = list(
        Contact.objects.filter(account=account)
        .order_by("name", "pk")
        .values("pk", "name", "title", "department", "reports_to_id", "relationship_status")
    )
    alive = {p["pk"] for p in people}
    labels = dict(Contact._meta.get_field("relationship_status").flatchoices)
    nodes = [
        {
            "id": p["pk"],
            "name": p["name"],
            "title": p["title"],
            "department": p["department"],
            # a manager who left the chart (deleted) leaves their people at the top
            "reports_to": p["reports_to_id"] if p["reports_to_id"] in alive else None,
            "status": p["relationship_status"],
            "status_label": str(labels.get(p["relationship_status"], "")),
            "colour": RELATIONSHIP_COLOURS.get(p["relationship_status"], "#8a94a6"),
            "url": reverse("contacts:detail", args=[p["pk"]]),
        }
        for p in people
    ]
    return JsonResponse({"account": account.name, "nodes": nodes})


@login_required
@require_POST
def account_set_reports_to(request, pk):
    """In-place edit on the org chart; answers with the form partial (htmx) or redirects."""
    account = _account(request, pk)
    form = ReportsToForm(request.POST, account=account)
    saved = None
    if form.is_valid():
        saved = run_action(
            request,
            form,
            actions.set_reports_to,
            form.cleaned_data["contact"],
            by=request.user,
            reports_to=form.cleaned_data["reports_to"],
        )
    if request.htmx:
        response = render(
            request,
            "accounts/account_detail.html#reports-to-form",
            {
                "account": account,
                "reports_to_form": form if saved is None else ReportsToForm(account=account),
                "saved": saved,
                "can_write": True,
            },
        )
        if saved:
            response["HX-Trigger"] = "orgchart-changed"
        return response
    if saved:
        success(request, _("Reporting line saved."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(account_url(account) + "#org-chart")


@login_required
@require_POST
def member_add(request, pk):
    account = _account(request, pk)
    form = AccountMemberForm(request.POST)
    if form.is_valid():
        member = run_action(
            request,
            form,
            actions.add_account_member,
            account,
            by=request.user,
            user=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
        )
        if member:
            success(request, _("%(name)s is on the account team.") % {"name": member.user})
    if form.errors:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(account_url(account) + "#team")


@login_required
@require_POST
def member_remove(request, pk, member_pk):
    account = _account(request, pk)
    member = next((m for m in account.members.all() if m.pk == member_pk), None)
    if member is None:
        raise Http404
    run_or_404(actions.remove_account_member, account, by=request.user, member=member)
    success(request, _("%(name)s left the account team.") % {"name": member.user})
    if not Account.objects.visible_to(request.user).filter(pk=account.pk).exists():
        return redirect("accounts:list")
    return redirect(account_url(account) + "#team")
