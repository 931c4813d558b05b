"""Who is reminded of what, and the e-mails and team messages that carry the reminders.

Every notification has a dedupe key naming the fact it reports (the action and its due
date, the visit, the deal and the day it went stale …), unique per recipient, so producing
twice creates nothing new. The rules are Today's (:mod:`winroom.today.sections`): the page
and the reminders never disagree.
"""

import logging
from collections import Counter, defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from winroom.methodology import today as core
from winroom.org.models import CompanySettings, Team, User
from winroom.today import sections
from winroom.visits.models import Visit, VisitStatus

from .kinds import Kind, render
from .models import (
    EmailChoice,
    Notification,
    NotificationPreference,
    TeamWebhook,
    WebhookDelivery,
)
from .webhooks import enqueue

logger = logging.getLogger("winroom.notifications")


def _url(name, *args, anchor="") -> str:
    url = sections.url_or_none(name, *args) or ""
    return f"{url}#{anchor}" if url and anchor else url


def muted() -> dict[int, set[str]]:
    return {
        user_id: set(kinds or [])
        for user_id, kinds in NotificationPreference.objects.exclude(muted_kinds=[]).values_list(
            "user_id", "muted_kinds"
        )
    }


def create(candidates: list[Notification]) -> list[Notification]:
    """Save the candidates not seen before (by recipient and dedupe key); returns the new ones.

    Muted kinds and inactive recipients are dropped. Safe under concurrency: the unique
    constraint ignores a duplicate inserted meanwhile.
    """
    if not candidates:
        return []
    silenced = muted()
    active = set(
        User.objects.filter(
            pk__in={c.recipient_id for c in candidates}, is_active=True
        ).values_list("pk", flat=True)
    )
    keys = {c.dedupe_key for c in candidates}
    seen = set(
        Notification.objects.filter(dedupe_key__in=keys).values_list("recipient_id", "dedupe_key")
    )
    fresh, batch = [], set()
    for c in candidates:
        pair = (c.recipient_id, c.dedupe_key)
        if (
            pair in seen
            or pair in batch
            or c.recipient_id not in active
            or c.kind in silenced.get(c.recipient_id, ())
        ):
            continue
        batch.add(pair)
        fresh.append(c)
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    return fresh


def _note(recipient_id, kind, key, url, **params) -> Notification:
    return Notification(
        recipient_id=recipient_id, kind=kind, dedupe_key=key[:200], url=url[:300], params=params
    )


def candidates(now=None) -> list[Notification]:
    """Every reminder due now, for everyone (the producer sees the whole company)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    company = CompanySettings.current()
    everyone = sections.Scope(user=None, owner_ids=None, team=True)
    notes: list[Notification] = []

    for action in sections.overdue_actions(everyone, today):
        notes.append(
            _note(
                action.owner_id,
                Kind.ACTION_OVERDUE,
                f"action_overdue:{action.pk}:{action.due_on}",
                _url("deals:detail", action.deal_id, anchor="actions"),
                title=action.title,
                deal=action.deal.name,
                date=action.due_on.isoformat(),
            )
        )

    for deal in sections.reviews_overdue(everyone, company, today).select_related("owner__team"):
        due = core.review_due_on(
            last_review=deal.last_review,
            created=timezone.localdate(deal.created_at),
            every_days=company.review_every_days,
        )
        url = _url("deals:detail", deal.pk, anchor="reviews")
        key = f"{deal.pk}:{due}"
        notes.append(
            _note(
                deal.owner_id,
                Kind.REVIEW_OVERDUE,
                f"review_overdue:{key}",
                url,
                deal=deal.name,
                date=due.isoformat(),
            )
        )
        manager_id = deal.owner.team.manager_id if deal.owner.team_id else None
        if manager_id and manager_id != deal.owner_id:
            notes.append(
                _note(
                    manager_id,
                    Kind.REVIEW_OWED,
                    f"review_owed:{key}",
                    url,
                    deal=deal.name,
                    rep=str(deal.owner),
                    date=due.isoformat(),
                )
            )

    tomorrow = today + timedelta(days=1)
    for visit in sections.visits_to_prepare(everyone, now).filter(
        planned_at__gte=sections.start_of(tomorrow)
    ):
        local = timezone.localtime(visit.planned_at)
        notes.append(
            _note(
                visit.owner_id,
                Kind.VISIT_PREPARE,
                f"visit_prepare:{visit.pk}:{local.date()}",
                _url("visits:detail", visit.pk),
                account=str(visit.account),
                date=local.date().isoformat(),
                time=local.strftime("%H:%M"),
            )
        )

    for visit in sections.visits_to_record(everyone, now):
        notes.append(
            _note(
                visit.owner_id,
                Kind.VISIT_RECORD,
                f"visit_record:{visit.pk}",
                _url("visits:record", visit.pk),
                account=str(visit.account),
                date=timezone.localdate(visit.planned_at).isoformat(),
            )
        )

    to_score = Visit.objects.filter(
        status=VisitStatus.DONE,
        manager_scored_at__isnull=True,
        owner__team__manager__isnull=False,
    ).select_related("account", "owner", "owner__team")
    for visit in to_score.exclude(owner=F("owner__team__manager")):
        notes.append(
            _note(
                visit.owner.team.manager_id,
                Kind.VISIT_SCORE,
                f"visit_score:{visit.pk}",
                _url("visits:evaluate", visit.pk),
                account=str(visit.account),
                rep=str(visit.owner),
                date=(visit.visited_on or timezone.localdate(visit.planned_at)).isoformat(),
            )
        )

    for deal in sections.stale_deals(everyone, company, now):
        since = timezone.localdate(deal.latest_move)
        notes.append(
            _note(
                deal.owner_id,
                Kind.DEAL_STALE,
                f"deal_stale:{deal.pk}:{since}",
                _url("deals:detail", deal.pk, anchor="stage"),
                deal=deal.name,
                days=(today - since).days,
            )
        )
    return notes


def produce(now=None) -> list[Notification]:
    """Create the reminders due now; running it again creates nothing new."""
    return create(candidates(now))


def notify_lead_returned(lead, *, previous_owner_id, days: int, today) -> None:
    """Tell the previous holder that an untouched lead went back to the pool."""
    if previous_owner_id is None:
        return
    create(
        [
            _note(
                previous_owner_id,
                Kind.LEAD_RETURNED,
                f"lead_returned:{lead.pk}:{today}",
                _url("leads:detail", lead.pk),
                company=lead.company_name,
                days=days,
            )
        ]
    )


# --------------------------------------------------------------------------- e-mail


def email_choice_of(user_ids) -> dict[int, str]:
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids).values_list("user_id", "email")
    )
    return {pk: chosen.get(pk, EmailChoice.DIGEST) for pk in user_ids}


def _mail(user, notes: list[Notification], *, digest: bool) -> bool:
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        lines = [f"• {n.text}" + (f"\n  {n.url}" if n.url else "") for n in notes]
        if digest or len(notes) > 1:
            subject = _("Winroom: %(count)s reminders") % {"count": len(notes)}
        else:
            subject = "Winroom: " + notes[0].text
        body = "\n".join([_("Hello %(name)s,") % {"name": user}, "", *lines, "", _("— Winroom")])
    sent = send_mail(
        subject[:200],
        body,
        getattr(settings, "DEFAULT_FROM_EMAIL", None),
        [user.email],
        fail_silently=True,
    )
    return bool(sent)


def send_emails(*, digest: bool, now=None) -> int:
    """E-mail each person their unsent, unread notifications: those who chose *immediately*
    on every run, those who chose the *daily digest* only with ``digest``. Returns mails sent.

    Everything unsent for a person who chose neither (off) is marked as handled.
    """
    now = now or timezone.now()
    unsent = Notification.objects.filter(emailed_at__isnull=True)
    user_ids = set(unsent.values_list("recipient_id", flat=True).distinct())
    if not user_ids:
        return 0
    choices = email_choice_of(user_ids)
    wanted = {EmailChoice.IMMEDIATE} | ({EmailChoice.DIGEST} if digest else set())
    mails = 0
    people = User.objects.filter(pk__in=user_ids, is_active=True).exclude(email="")
    by_user = defaultdict(list)
    for note in unsent.filter(recipient__in=people, read_at__isnull=True).order_by(
        "recipient_id", "created_at", "pk"
    ):
        by_user[note.recipient_id].append(note)
    for user in people:
        if choices[user.pk] not in wanted or not by_user[user.pk]:
            continue
        if _mail(user, by_user[user.pk], digest=digest):
            mails += 1
            unsent.filter(recipient=user).update(emailed_at=now)
    off = [pk for pk, choice in choices.items() if choice == EmailChoice.OFF]
    unsent.filter(recipient_id__in=off).update(emailed_at=now)
    return mails


# --------------------------------------------------------------------------- team robots


def team_summaries(*, now=None) -> int:
    """One message a day per active team robot: how many reminders the team's people (its
    sub-teams included) received in the last 24 hours, by kind. Returns messages queued."""
    from winroom.methodology.trees import team_subtree

    now = now or timezone.now()
    today = timezone.localdate(now)
    hooks = list(TeamWebhook.objects.filter(active=True).select_related("team"))
    if not hooks:
        return 0
    parent = dict(Team.objects.values_list("pk", "parent_id"))
    team_of = dict(User.objects.filter(team__isnull=False).values_list("pk", "team_id"))
    recent = list(
        Notification.objects.filter(created_at__gt=now - timedelta(days=1))
        .exclude(kind=Kind.TEST)
        .values_list("recipient_id", "kind")
    )
    queued = 0
    with translation.override(settings.LANGUAGE_CODE):
        for hook in hooks:
            key = f"reminders:{today}"
            if WebhookDelivery.objects.filter(webhook=hook, dedupe_key=key).exists():
                continue
            teams = team_subtree(parent, [hook.team_id])
            counts = Counter(kind for pk, kind in recent if team_of.get(pk) in teams)
            if not counts:
                continue
            parts = [f"{Kind(kind).label} {n}" for kind, n in sorted(counts.items())]
            text = _("Winroom reminders for %(team)s on %(date)s: %(parts)s") % {
                "team": hook.team,
                "date": today.isoformat(),
                "parts": "; ".join(parts),
            }
            enqueue(hook, text, dedupe_key=key)
            queued += 1
    return queued


def test_text() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render(Kind.TEST, {})
