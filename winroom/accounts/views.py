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
from winroom.exports import lists as exports
from winroom.exports.spreadsheet import wanted_format
from winroom.history import history_for
from winroom.org.access import can_reassign, can_write, get_visible_or_404
from winroom.org.models import CompanySettings
from winroom.web import paginate, query_without_page, run_action, run_or_404, success

from . import actions
from .filters import AccountFilter
from .forms import AccountForm, AccountMemberForm, ReportsToForm, SupplierTierForm
from .models import (
    LEVEL_COLOURS,
    RELATIONSHIP_COLOURS,
    Account,
    AccountMember,
    Contact,
    LevelIndicator,
    RelationshipLevel,
)
from .political import map_data
from .political_views import panel_context
from .relationships import account_score as relationship_account_score
from .relationships import annotate


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
    if wanted_format(request):
        return exports.accounts(request, filterset.qs)
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
    annotate(contacts, company=company)
    writable = can_write(request.user, account)
    key_contacts = [c for c in contacts if c.is_key]
    activities = (
        Activity.objects.filter(account=account)
        .select_related("owner")
        .prefetch_related("participants")[:20]
    )
    context = {
        "account": account,
        "contacts": contacts,
        "activities": activities,
        "can_write": writable,
        "can_reassign": can_reassign(request.user, account),
        "member_form": AccountMemberForm(),
        "tier_form": SupplierTierForm(auto_id="tier_%s"),
        "tier_history": list(account.tier_assessments.select_related("assessed_by")[:10]),
        "reports_to_form": ReportsToForm(account=account),
        "colours": {str(k): v for k, v in RELATIONSHIP_COLOURS.items()},
        "account_score": relationship_account_score(contacts),
        "key_count": len(key_contacts),
        "level_distribution": [
            (label, LEVEL_COLOURS[value], sum(c.relationship_level == value for c in key_contacts))
            for value, label in RelationshipLevel.choices
        ],
        **panel_context(account, people=contacts, writable=writable),
    }
    return render(request, "accounts/account_detail.html", context)


@login_required
def indicator_checklist(request):
    """The company's checklist for an iron supporter (§1.3), read-only; admins edit it."""
    indicators = LevelIndicator.objects.annotate(
        met_by=Count(
            "marks",
            filter=Q(
                marks__contact__deleted_at__isnull=True,
                marks__contact__account__in=Account.objects.visible_to(request.user).values("pk"),
            ),
        )
    ).order_by("-active", "order", "code")
    return render(
        request,
        "accounts/indicator_checklist.html",
        {"indicators": indicators, "rule": CompanySettings.current().level_rule()},
    )


SCORE_SORTS = {
    "score": lambda c: (c.score.score, c.name),
    "name": lambda c: (c.name, c.pk),
    "account": lambda c: (c.account.name, c.name),
}


@login_required
def score_sheet(request):
    """The relationship score sheet: the contacts of the accounts the user may read.

    A rep sees their accounts; a manager, through the same visibility rule, their team's."""
    company = CompanySettings.current()
    contacts = Contact.objects.visible_to(request.user).select_related("account")
    account_pk = request.GET.get("account", "")
    account = None
    if account_pk:
        # one account's sheet: refused like the account page itself
        account = get_visible_or_404(Account.objects, request.user, pk=account_pk)
        contacts = contacts.filter(account=account)
    level = request.GET.get("level", "")
    if level in RelationshipLevel.values:
        contacts = contacts.filter(relationship_level=level)
    contacts = annotate(contacts.order_by("name", "pk"), company=company)
    sort = request.GET.get("sort", "-score")
    key = SCORE_SORTS.get(sort.lstrip("-"), SCORE_SORTS["score"])
    contacts.sort(key=key, reverse=sort.startswith("-"))
    page = paginate(request, contacts)
    context = {
        "page": page,
        "sort": sort,
        "level": level,
        "levels": RelationshipLevel.choices,
        "account": account,
        "query": query_without_page(request),
        "window_days": company.score_window_days,
    }
    return render(request, "accounts/score_sheet.html", context)


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
    """The reporting tree and the political map as JSON for the chart: one node per living
    contact, the influence circles (with their members' node ids) and the influence lines."""
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
    political = map_data(account.pk)
    return JsonResponse({"account": account.name, "nodes": nodes, **political})


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


@login_required
@require_POST
def supplier_tier(request, pk):
    """Record our supplier tier with the account, with the evidence for it."""
    account = _account(request, pk)
    form = SupplierTierForm(request.POST)
    if form.is_valid():
        try:
            run_or_404(
                actions.assess_supplier_tier,
                account,
                by=request.user,
                tier=form.cleaned_data["tier"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            success(request, _("Supplier tier recorded."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(account_url(account) + "#tier")
