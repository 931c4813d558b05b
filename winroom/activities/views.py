"""Activity log pages."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from winroom.accounts.models import Account, Contact
from winroom.exports import lists as exports
from winroom.exports.spreadsheet import wanted_format
from winroom.history import history_for
from winroom.org.access import can_write, get_visible_or_404
from winroom.web import paginate, query_without_page, run_action, run_or_404, success

from . import actions
from .filters import ActivityFilter
from .forms import ActivityForm
from .models import Activity

PARTICIPANTS = Prefetch("participants", queryset=Contact.objects.only("pk", "name", "account_id"))


def _activity(request, pk, *, deleted=False):
    manager = Activity.all_objects.deleted() if deleted else Activity.objects
    return get_visible_or_404(
        manager.select_related("account", "owner").prefetch_related(PARTICIPANTS),
        request.user,
        pk=pk,
    )


def activity_url(activity):
    return reverse("activities:detail", args=[activity.pk])


@login_required
def activity_list(request):
    activities = (
        Activity.objects.visible_to(request.user)
        .select_related("account", "owner")
        .prefetch_related(PARTICIPANTS)
        .order_by("-occurred_at", "-pk")
    )
    filterset = ActivityFilter(request.GET, queryset=activities)
    if wanted_format(request):
        return exports.activities(request, filterset.qs)
    page = paginate(request, filterset.qs)
    context = {"filter": filterset, "page": page, "query": query_without_page(request)}
    template = "activities/activity_list.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


@login_required
def activity_create(request):
    account = None
    account_pk = request.GET.get("account")
    if account_pk:
        account = get_visible_or_404(Account.objects, request.user, pk=account_pk)
    form = ActivityForm(request.POST or None, user=request.user, account=account)
    if not request.POST and request.GET.get("contact"):
        form.initial["participants"] = [request.GET["contact"]]
    if not request.POST and request.GET.get("deal"):
        form.initial["deal"] = request.GET["deal"]
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        if not can_write(request.user, data["account"]):
            raise Http404
        activity = run_action(request, form, actions.log_activity, by=request.user, data=data)
        if activity:
            success(request, _("Activity logged."))
            return redirect(activity_url(activity))
    return render(request, "activities/activity_form.html", {"form": form})


@login_required
def activity_detail(request, pk):
    activity = _activity(request, pk)
    return render(
        request,
        "activities/activity_detail.html",
        {"activity": activity, "can_write": can_write(request.user, activity.account)},
    )


@login_required
def activity_edit(request, pk):
    activity = _activity(request, pk)
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = run_action(
            request,
            form,
            actions.update_activity,
            activity,
            by=request.user,
            data=form.changes(),
            expected_version=form.cleaned_data.get("version"),
        )
        if saved:
            success(request, _("Activity saved."))
            return redirect(activity_url(saved))
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


@login_required
def activity_participants(request):
    """htmx: the participant choices for the account picked in the form."""
    form = ActivityForm(request.GET, user=request.user)
    return render(request, "activities/activity_form.html#participants", {"form": form})


@login_required
def activity_delete(request, pk):
    activity = _activity(request, pk)
    if request.method == "POST":
        run_or_404(actions.delete_activity, activity, by=request.user)
        success(request, _("Activity moved to the recycle bin. It can be restored from there."))
        return redirect(reverse("accounts:detail", args=[activity.account_id]))
    return render(
        request, "confirm_delete.html", {"object": activity, "cancel": activity_url(activity)}
    )


@login_required
@require_POST
def activity_restore(request, pk):
    activity = _activity(request, pk, deleted=True)
    run_or_404(actions.restore_activity, activity, by=request.user)
    success(request, _("Restored “%(name)s”.") % {"name": activity})
    return redirect(activity_url(activity))


@login_required
def activity_history(request, pk):
    activity = _activity(request, pk)
    return render(
        request,
        "history.html",
        {"object": activity, "entries": history_for(activity), "back": activity_url(activity)},
    )
