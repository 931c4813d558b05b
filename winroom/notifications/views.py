"""Notification list, read marks, e-mail preferences and team webhooks with a test send."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from winroom.methodology.trees import team_subtree
from winroom.org.access import viewer_for
from winroom.org.models import Team

from . import producers
from .forms import PreferenceForm, WebhookForm
from .models import DeliveryStatus, Notification, NotificationPreference, TeamWebhook
from .webhooks import enqueue, send_soon


def _mine(request):
    return Notification.objects.visible_to(request.user)


def _unread(request) -> int:
    return _mine(request).unread().count()


@login_required
def notification_list(request):
    notes = _mine(request)
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        notes = notes.unread()
    page = Paginator(notes.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    context = {"page": page, "only_unread": only_unread, "unread": _unread(request)}
    if request.htmx:
        return render(request, "notifications/notification_list.html#list", context)
    return render(request, "notifications/notification_list.html", context)


def _get_mine(request, pk) -> Notification:
    note = _mine(request).filter(pk=pk).first()
    if note is None:
        raise Http404
    return note


@login_required
@require_POST
def notification_read(request, pk):
    note = _get_mine(request, pk)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    if request.htmx:
        return render(
            request,
            "notifications/_row.html",
            {"note": note, "unread": _unread(request), "oob": True},
        )
    return redirect("notifications:list")


@login_required
@require_POST
def notification_open(request, pk):
    """Mark read and go where the notification leads (only within this site)."""
    note = _get_mine(request, pk)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    target = note.url or ""
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect("notifications:list")
    return redirect(target)


@login_required
@require_POST
def read_all(request):
    count = _mine(request).unread().update(read_at=timezone.now())
    if request.htmx:
        return notification_list(request)
    messages.success(request, _("%(count)s notification(s) marked as read.") % {"count": count})
    return redirect("notifications:list")


@login_required
def preferences(request):
    preference, _created = NotificationPreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# --------------------------------------------------------------------------- team webhooks


def editable_teams(user):
    """Teams whose robots this person may edit: those they manage and the teams below
    them; every team for an administrator."""
    viewer = viewer_for(user)
    if not viewer.is_active:
        return Team.objects.none()
    if viewer.is_admin:
        return Team.objects.all()
    managed = list(Team.objects.filter(manager=user).values_list("pk", flat=True))
    if not managed:
        return Team.objects.none()
    parent = dict(Team.objects.values_list("pk", "parent_id"))
    return Team.objects.filter(pk__in=team_subtree(parent, managed))


def _webhook(request, pk) -> TeamWebhook:
    hook = (
        TeamWebhook.objects.filter(pk=pk, team__in=editable_teams(request.user))
        .select_related("team")
        .first()
    )
    if hook is None:
        raise Http404
    return hook


def _deliveries(hook):
    return list(hook.deliveries.order_by("-created_at", "-id")[:10])


@login_required
def webhook_list(request):
    teams = editable_teams(request.user)
    if not teams.exists():
        raise Http404
    form = WebhookForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        hook = form.save(commit=False)
        hook.created_by = request.user
        hook.save()
        messages.success(request, _("The robot is added; send a test message to check it."))
        return redirect("notifications:webhooks")
    hooks = list(TeamWebhook.objects.filter(team__in=teams).select_related("team"))
    for hook in hooks:
        hook.recent = _deliveries(hook)
    return render(request, "notifications/webhooks.html", {"form": form, "hooks": hooks})


@login_required
def webhook_edit(request, pk):
    hook = _webhook(request, pk)
    form = WebhookForm(request.POST or None, instance=hook, teams=editable_teams(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The robot is saved."))
        return redirect("notifications:webhooks")
    return render(request, "notifications/webhook_form.html", {"form": form, "hook": hook})


@login_required
@require_POST
def webhook_delete(request, pk):
    hook = _webhook(request, pk)
    hook.delete()
    messages.success(request, _("The robot is removed."))
    return redirect("notifications:webhooks")


@login_required
@require_POST
def webhook_test(request, pk):
    """Queue a test message and try it in the background; the page shows the outcome."""
    hook = _webhook(request, pk)
    delivery = enqueue(hook, producers.test_text(), is_test=True)
    send_soon(delivery)
    if request.htmx:
        return webhook_deliveries(request, pk)
    messages.info(request, _("Test message queued; its result appears below in a moment."))
    return redirect("notifications:webhooks")


@login_required
def webhook_deliveries(request, pk):
    hook = _webhook(request, pk)
    recent = _deliveries(hook)
    pending = any(d.status == DeliveryStatus.PENDING for d in recent)
    return render(
        request,
        "notifications/_deliveries.html",
        {"hook": hook, "recent": recent, "pending": pending},
    )
