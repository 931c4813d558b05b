"""Contact pages: list, detail with the derived interaction level, create, edit, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from winroom.accounts.labels import ELEMENT_LABELS, missing_label
from winroom.activities.interaction import explain, with_interaction_counts
from winroom.activities.models import Activity
from winroom.exports import lists as exports
from winroom.exports.spreadsheet import wanted_format
from winroom.history import history_for
from winroom.org.access import can_write, get_visible_or_404
from winroom.org.models import CompanySettings
from winroom.web import paginate, query_without_page, run_action, run_or_404, success

from . import actions
from .filters import ContactFilter
from .forms import ContactForm, ElementsForm
from .models import Account, Contact
from .relationships import active_indicators, annotate, elements_of


def _contact(request, pk, *, deleted=False):
    manager = Contact.all_objects.deleted() if deleted else Contact.objects
    return get_visible_or_404(
        manager.select_related("account", "account__owner", "reports_to"), request.user, pk=pk
    )


def contact_url(contact):
    return reverse("contacts:detail", args=[contact.pk])


@login_required
def contact_list(request):
    company = CompanySettings.current()
    contacts = with_interaction_counts(
        Contact.objects.visible_to(request.user).select_related("account"), company
    ).order_by("name", "pk")
    filterset = ContactFilter(request.GET, queryset=contacts)
    if wanted_format(request):
        return exports.contacts(request, filterset.qs, company=company)
    page = paginate(request, filterset.qs)
    for contact in page:
        contact.interaction = explain(contact, company)
    context = {"filter": filterset, "page": page, "query": query_without_page(request)}
    template = "accounts/contact_list.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


@login_required
def contact_create(request, account_pk=None):
    account_pk = account_pk or request.GET.get("account") or request.POST.get("account")
    if not account_pk:
        accounts = Account.objects.visible_to(request.user).order_by("name")[:500]
        return render(request, "accounts/contact_pick_account.html", {"accounts": accounts})
    account = get_visible_or_404(Account.objects, request.user, pk=account_pk)
    if not can_write(request.user, account):
        raise Http404
    form = ContactForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        contact = run_action(
            request,
            form,
            actions.create_contact,
            by=request.user,
            account=account,
            data=form.changes(),
        )
        if contact:
            success(request, _("Contact “%(name)s” created.") % {"name": contact})
            if "add_another" in request.POST:
                return redirect(reverse("accounts:contact_create", args=[account.pk]))
            return redirect(contact_url(contact))
    return render(request, "accounts/contact_form.html", {"form": form, "account": account})


@login_required
def contact_detail(request, pk):
    contact = _contact(request, pk)
    company = CompanySettings.current()
    counted = with_interaction_counts(Contact.objects.filter(pk=contact.pk), company).get()
    activities = (
        Activity.objects.filter(participants=contact)
        .select_related("owner")
        .prefetch_related("participants")[:30]
    )
    context = {
        "contact": contact,
        "account": contact.account,
        "interaction": explain(counted, company),
        "rule": company.interaction_rule(),
        "direct_reports": contact.direct_reports.all().order_by("name"),
        "activities": activities,
        "can_write": can_write(request.user, contact.account),
        **_relationship_context(contact, company),
    }
    return render(request, "accounts/contact_detail.html", context)


def _relationship_context(contact, company, elements_form=None):
    annotate([contact], company=company)
    checklist = active_indicators()
    names = {i.code: i.name for i in checklist}
    elements = elements_of(contact)
    radar = [
        {"code": code, "label": str(ELEMENT_LABELS[code]), "value": value}
        for code, value in elements.values.items()
    ]
    return {
        "relationship": contact.level_explained,
        "score": contact.score,
        "counted_rows": contact.counted_rows,
        "missing": [
            missing_label(code, names) for code in contact.level_explained.missing_for_next
        ],
        "indicators": [(i.name, i.code in contact.indicators_met) for i in checklist],
        "level_changes": contact.level_changes.all()[:20],
        "elements": elements,
        "elements_rows": radar,
        "elements_form": elements_form or ElementsForm(instance=contact),
    }


@login_required
@require_POST
def contact_elements(request, pk):
    """Save the five judged elements of the seven."""
    contact = _contact(request, pk)
    if not can_write(request.user, contact.account):
        raise Http404
    form = ElementsForm(request.POST, instance=contact)
    if form.is_valid():
        saved = run_action(
            request,
            form,
            actions.update_contact,
            contact,
            by=request.user,
            data=form.changes(),
            expected_version=form.cleaned_data.get("version"),
        )
        if saved:
            success(request, _("Assessment of “%(name)s” saved.") % {"name": saved})
            return redirect(contact_url(saved) + "#seven-elements")
    contact = _contact(request, pk)
    company = CompanySettings.current()
    counted = with_interaction_counts(Contact.objects.filter(pk=contact.pk), company).get()
    context = {
        "contact": contact,
        "account": contact.account,
        "interaction": explain(counted, company),
        "rule": company.interaction_rule(),
        "direct_reports": contact.direct_reports.all().order_by("name"),
        "activities": Activity.objects.filter(participants=contact)[:30],
        "can_write": True,
        **_relationship_context(contact, company, elements_form=form),
    }
    return render(request, "accounts/contact_detail.html", context, status=400)


@login_required
def contact_edit(request, pk):
    contact = _contact(request, pk)
    form = ContactForm(request.POST or None, instance=contact, account=contact.account)
    if request.method == "POST" and form.is_valid():
        saved = run_action(
            request,
            form,
            actions.update_contact,
            contact,
            by=request.user,
            data=form.changes(),
            expected_version=form.cleaned_data.get("version"),
        )
        if saved:
            success(request, _("Contact “%(name)s” saved.") % {"name": saved})
            return redirect(contact_url(saved))
    return render(
        request,
        "accounts/contact_form.html",
        {"form": form, "account": contact.account, "contact": contact},
    )


@login_required
def contact_delete(request, pk):
    contact = _contact(request, pk)
    if request.method == "POST":
        run_or_404(actions.delete_contact, contact, by=request.user)
        success(
            request,
            _("Contact “%(name)s” moved to the recycle bin. It can be restored from there.")
            % {"name": contact},
        )
        return redirect(reverse("accounts:detail", args=[contact.account_id]))
    return render(
        request, "confirm_delete.html", {"object": contact, "cancel": contact_url(contact)}
    )


@login_required
@require_POST
def contact_restore(request, pk):
    contact = _contact(request, pk, deleted=True)
    run_or_404(actions.restore_contact, contact, by=request.user)
    messages.success(request, _("Restored “%(name)s”.") % {"name": contact})
    return redirect(contact_url(contact))


@login_required
def contact_history(request, pk):
    contact = _contact(request, pk)
    return render(
        request,
        "history.html",
        {"object": contact, "entries": history_for(contact), "back": contact_url(contact)},
    )
