"""The watch list of must-win and strategic accounts, with its monthly review notes."""

from __future__ import annotations

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

from . import actions, excel
from . import watch as watch_data
from .forms import ReviewForm, WatchForm
from .pages import wants_excel
from .scope import access_for


def _require_manager(request):
    access = access_for(request.user)
    if not access.sees_teams:
        raise Http404
    return access


@login_required
def watch_page(request):
    _require_manager(request)
    entries = watch_data.entries(request.user)
    if wants_excel(request):
        return _watch_excel(entries)
    context = {
        "entries": entries,
        "add_form": WatchForm(accounts=Account.objects.visible_to(request.user).order_by("name")),
        "review_form": ReviewForm(),
        "month": timezone.localdate().replace(day=1),
        "as_of": timezone.now(),
    }
    return render(request, "insights/watch.html", context)


def _watch_excel(entries):
    sheet = excel.Sheet(
        _("Watch list"),
        [
            _("account"),
            _("must win"),
            _("strategic"),
            _("open opportunities"),
            _("open amount (CNY)"),
            _("key people by level"),
            _("last review"),
            _("review note"),
        ],
        [
            [
                e.account.name,
                e.must_win,
                e.strategic,
                sum(1 for d in e.deals if d.is_open),
                e.open_amount,
                "; ".join(f"{label} {n}" for label, n, _v in e.levels if n),
                e.account.last_review_month,
                e.account.last_review_note or "",
            ]
            for e in entries
        ],
    )
    caption = _("Watch list · figures as of %(time)s") % {
        "time": timezone.localtime().strftime("%Y-%m-%d %H:%M")
    }
    return excel.response("watch-list", caption, [sheet])


def _account(request, pk):
    account = Account.objects.visible_to(request.user).filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


@login_required
@require_POST
def watch_add(request):
    _require_manager(request)
    form = WatchForm(
        request.POST, accounts=Account.objects.visible_to(request.user).order_by("name")
    )
    if not form.is_valid():
        messages.error(request, _("Choose an account you can see and the kind."))
        return redirect("insights:watch")
    try:
        actions.watch_account(
            form.cleaned_data["account"],
            by=request.user,
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
        )
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(
        request, _("“%(name)s” is on the watch list.") % {"name": form.cleaned_data["account"]}
    )
    return redirect("insights:watch")


@login_required
@require_POST
def watch_remove(request, pk):
    _require_manager(request)
    account = _account(request, pk)
    try:
        actions.unwatch_account(account, by=request.user)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(request, _("“%(name)s” left the watch list.") % {"name": account})
    return redirect("insights:watch")


@login_required
@require_POST
def watch_review(request, pk):
    _require_manager(request)
    account = _account(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what the review found."))
        return redirect("insights:watch")
    try:
        actions.record_review(account, by=request.user, note=form.cleaned_data["note"])
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("insights:watch")
    messages.success(request, _("Review of “%(name)s” recorded.") % {"name": account})
    return redirect(reverse("insights:watch") + f"#account-{account.pk}")
