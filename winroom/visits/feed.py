"""The personal calendar feed (ICS) that phone calendars subscribe to.

The address holds a random token; only its SHA-256 hash is stored, so a database reader
cannot rebuild anyone's address. The feed lists the person's own planned visits, their
visits recorded in the last 60 days, and their open deal actions with a due date (all-day),
and only what they may still see (an inactive person's feed is gone).
"""

import hashlib
import hmac
import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CalendarFeed, Visit, VisitStatus

RECENT_DAYS = 60
VISIT_LENGTH = timedelta(hours=1)
PRODID = "-//Winroom//Visits and actions//ZH"
UID_DOMAIN = "winroom"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(user) -> str:
    """A new secret address for ``user`` (any earlier one stops working); returns the token,
    which is shown once and never stored."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(
            user=user, defaults={"token_hash": token_hash(token), "created_at": timezone.now()}
        )
    return token


def revoke(user) -> bool:
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def feed_owner(token: str):
    """The active user whose feed this token opens, or None."""
    if not token or len(token) > 200:
        return None
    digest = token_hash(token)
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=digest).first()
    if feed is None or not hmac.compare_digest(feed.token_hash, digest):
        return None
    if not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())
    return feed.user


def feed_visits(user):
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    return (
        Visit.objects.visible_to(user)
        .filter(owner=user, account__deleted_at__isnull=True)
        .filter(
            status__in=[VisitStatus.PLANNED, VisitStatus.DONE],
        )
        .exclude(status=VisitStatus.DONE, planned_at__lt=since)
        .select_related("account", "deal")
        .prefetch_related("people")
        .order_by("planned_at", "pk")
    )


def feed_actions(user):
    from winroom.deals.models import Action, ActionStatus, Deal

    return (
        Action.objects.filter(
            owner=user,
            status=ActionStatus.OPEN,
            deal__in=Deal.objects.visible_to(user).values("pk"),
        )
        .select_related("deal", "deal__account")
        .order_by("due_on", "pk")
    )


def build_calendar(user, *, base_url: str) -> bytes:
    """The ICS text of ``user``'s feed; ``base_url`` (scheme and host) makes the links."""
    from icalendar import Calendar, Event

    zone = ZoneInfo(settings.TIME_ZONE)
    now = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Winroom · %(name)s") % {"name": user})
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for visit in feed_visits(user):
        event = Event()
        event.add("uid", f"visit-{visit.pk}@{UID_DOMAIN}")
        event.add("dtstamp", now)
        event.add("last-modified", visit.updated_at)
        start = timezone.localtime(visit.planned_at, zone)
        event.add("dtstart", start)
        event.add("dtend", start + VISIT_LENGTH)
        event.add("summary", _("Visit: %(account)s") % {"account": visit.account.name})
        event.add("description", _visit_description(visit))
        event.add("url", base_url + reverse("visits:detail", args=[visit.pk]))
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    for action in feed_actions(user):
        event = Event()
        event.add("uid", f"action-{action.pk}@{UID_DOMAIN}")
        event.add("dtstamp", now)
        event.add("last-modified", action.updated_at)
        event.add("dtstart", action.due_on)  # a date: an all-day event
        event.add("dtend", action.due_on + timedelta(days=1))
        event.add("summary", _("Action: %(title)s") % {"title": action.title})
        event.add(
            "description",
            _("Opportunity: %(deal)s · %(account)s")
            % {"deal": action.deal.name, "account": action.deal.account.name},
        )
        event.add("url", base_url + reverse("deals:detail", args=[action.deal_id]))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _visit_description(visit) -> str:
    lines = []
    if visit.status == VisitStatus.DONE:
        lines.append(_("Recorded."))
    if visit.deal_id:
        lines.append(_("Opportunity: %(deal)s") % {"deal": visit.deal.name})
    people = ", ".join(c.name for c in visit.people.all())
    if people:
        lines.append(_("People to meet: %(names)s") % {"names": people})
    for label, value in (
        (_("Objective"), visit.objective),
        (_("Commitment to ask for"), visit.commitment_ask),
        (_("Questions"), visit.questions),
        (_("Materials"), visit.materials),
    ):
        if value.strip():
            lines.append(f"{label}: {value.strip()}")
    return "\n".join(lines)
