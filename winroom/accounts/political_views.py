"""In-place editing of the political map on the account page (htmx).

Every step answers with the political panel again (htmx) — with the error and what was typed
when it is refused — and tells the chart to redraw; without htmx it redirects to the page.
Only people who may write the account may edit; anyone else gets 404 and nothing changes.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from winroom.org.access import can_write, get_visible_or_404
from winroom.records import EditConflict

from . import actions
from .forms import CircleForm, CircleMemberForm, InfluenceLineForm, InfluenceStrengthForm
from .models import CIRCLE_PALETTE, Account, Contact, InfluenceCircle, InfluenceLine
from .political import circles_of, lines_of

PANEL = "accounts/_political_panel.html"


def panel_context(account, *, people, writable, circle_form=None, line_form=None, errors=()):
    """What the panel shows; ``people`` are the account's living contacts (loaded once)."""
    circles = circles_of(account.pk)
    for circle in circles:
        circle.member_list = list(circle.members.all())
        members = {c.pk for c in circle.member_list}
        circle.candidates = [p for p in people if p.pk not in members]
    return {
        "account": account,
        "circles": circles,
        "lines": lines_of(account.pk),
        "people": people,
        "palette": CIRCLE_PALETTE,
        "can_write": writable,
        "circle_form": circle_form or CircleForm(account=account, auto_id="circle_%s"),
        "line_form": line_form or InfluenceLineForm(account=account, auto_id="line_%s"),
        "strengths": InfluenceLine._meta.get_field("strength").choices,
        "political_errors": list(errors),
    }


def _writable_account(request, pk) -> Account:
    account = get_visible_or_404(Account.objects.prefetch_related("members"), request.user, pk=pk)
    if not can_write(request.user, account):
        raise Http404
    return account


def _child(model, account, pk):
    obj = model.objects.filter(account=account, pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def _respond(request, account, *, saved, message="", **forms):
    """The panel again (htmx) or back to the page, with the outcome."""
    errors = forms.pop("errors", ())
    if request.htmx:
        people = list(Contact.objects.filter(account=account).order_by("name", "pk"))
        context = panel_context(account, people=people, writable=True, errors=errors, **forms)
        context["saved_message"] = message if saved else ""
        response = render(request, PANEL, context)
        if saved:
            response["HX-Trigger"] = "orgchart-changed"
        return response
    if saved:
        messages.success(request, message)
    for error in errors:
        messages.error(request, error)
    for form in forms.values():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, error)
    return redirect(reverse("accounts:detail", args=[account.pk]) + "#political-map")


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


def _run(action, *args, **kwargs):
    """(result, errors): a refusal by the rules becomes messages; a lost update one too."""
    try:
        return action(*args, **kwargs), []
    except ValidationError as error:
        return None, _messages_of(error)
    except EditConflict:
        return None, [
            _("Someone changed this while you were editing it; the map shows the current state.")
        ]


@login_required
@require_POST
def circle_create(request, pk):
    account = _writable_account(request, pk)
    form = CircleForm(request.POST, account=account, auto_id="circle_%s")
    saved = None
    if form.is_valid():
        saved, errors = _run(
            actions.create_circle, by=request.user, account=account, data=form.changes()
        )
        for error in errors:
            form.add_error(None, error)
    message = _("Circle “%(name)s” added.") % {"name": saved} if saved else ""
    return _respond(
        request, account, saved=saved, message=message, circle_form=None if saved else form
    )


@login_required
@require_POST
def circle_update(request, pk, circle_pk):
    account = _writable_account(request, pk)
    circle = _child(InfluenceCircle, account, circle_pk)
    form = CircleForm(request.POST, instance=circle, account=account)
    saved, errors = None, []
    if form.is_valid():
        saved, errors = _run(
            actions.update_circle,
            circle,
            by=request.user,
            data=form.changes(),
            expected_version=form.cleaned_data.get("version"),
        )
    else:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
    message = _("Circle “%(name)s” saved.") % {"name": saved} if saved else ""
    return _respond(request, account, saved=saved, message=message, errors=errors)


@login_required
@require_POST
def circle_delete(request, pk, circle_pk):
    account = _writable_account(request, pk)
    circle = _child(InfluenceCircle, account, circle_pk)
    saved, errors = _run(actions.delete_circle, circle, by=request.user)
    message = _("Circle “%(name)s” moved to the recycle bin.") % {"name": circle}
    return _respond(request, account, saved=saved, message=message, errors=errors)


@login_required
@require_POST
def circle_member_add(request, pk, circle_pk):
    account = _writable_account(request, pk)
    circle = _child(InfluenceCircle, account, circle_pk)
    form = CircleMemberForm(request.POST, account=account)
    saved, errors = None, []
    if form.is_valid():
        contact = form.cleaned_data["contact"]
        saved, errors = _run(actions.add_circle_member, circle, by=request.user, contact=contact)
    else:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
    message = _("Added to “%(name)s”.") % {"name": circle}
    return _respond(request, account, saved=saved, message=message, errors=errors)


@login_required
@require_POST
def circle_member_remove(request, pk, circle_pk, contact_pk):
    account = _writable_account(request, pk)
    circle = _child(InfluenceCircle, account, circle_pk)
    contact = circle.members.filter(pk=contact_pk).first()
    if contact is None:
        raise Http404
    saved, errors = _run(actions.remove_circle_member, circle, by=request.user, contact=contact)
    message = _("%(person)s left “%(name)s”.") % {"person": contact, "name": circle}
    return _respond(request, account, saved=saved, message=message, errors=errors)


@login_required
@require_POST
def line_create(request, pk):
    account = _writable_account(request, pk)
    form = InfluenceLineForm(request.POST, account=account, auto_id="line_%s")
    saved = None
    if form.is_valid():
        saved, errors = _run(
            actions.draw_influence_line, by=request.user, account=account, data=form.changes()
        )
        for error in errors:
            form.add_error(None, error)
    message = _("Influence line drawn.") if saved else ""
    return _respond(
        request, account, saved=saved, message=message, line_form=None if saved else form
    )


@login_required
@require_POST
def line_update(request, pk, line_pk):
    account = _writable_account(request, pk)
    line = _child(InfluenceLine, account, line_pk)
    form = InfluenceStrengthForm(request.POST)
    saved, errors = None, []
    if form.is_valid():
        saved, errors = _run(
            actions.update_influence_line,
            line,
            by=request.user,
            data={"strength": form.cleaned_data["strength"]},
            expected_version=form.cleaned_data.get("version"),
        )
    else:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
    message = _("Influence strength saved.")
    return _respond(request, account, saved=saved, message=message, errors=errors)


@login_required
@require_POST
def line_delete(request, pk, line_pk):
    account = _writable_account(request, pk)
    line = _child(InfluenceLine, account, line_pk)
    saved, errors = _run(actions.delete_influence_line, line, by=request.user)
    message = _("Influence line moved to the recycle bin.")
    return _respond(request, account, saved=saved, message=message, errors=errors)


def _restore(request, action, obj, account):
    """Bring a circle or line back from the recycle bin; a clash is explained, not hidden."""
    try:
        action(obj, by=request.user)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
        return redirect("trash")
    messages.success(request, _("Restored “%(name)s”.") % {"name": obj})
    return redirect(reverse("accounts:detail", args=[account.pk]) + "#political-map")


def _deleted_child(model, account, pk):
    obj = model.all_objects.deleted().filter(account=account, pk=pk).first()
    if obj is None:
        raise Http404
    return obj


@login_required
@require_POST
def circle_restore(request, pk, circle_pk):
    account = _writable_account(request, pk)
    circle = _deleted_child(InfluenceCircle, account, circle_pk)
    return _restore(request, actions.restore_circle, circle, account)


@login_required
@require_POST
def line_restore(request, pk, line_pk):
    account = _writable_account(request, pk)
    line = _deleted_child(InfluenceLine, account, line_pk)
    return _restore(request, actions.restore_influence_line, line, account)
