"""send_reminders: who is reminded of what, once; e-mails in the reader's language; digests."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import formats, timezone, translation

from winroom.deals import actions as deal_actions
from winroom.deals.models import Action, Deal
from winroom.leads.actions import recycle_untouched_leads
from winroom.leads.models import Lead, LeadStatus
from winroom.methodology.leads import RecycleRule
from winroom.notifications import producers
from winroom.notifications.kinds import Kind, render
from winroom.notifications.models import Notification, NotificationPreference, TeamWebhook
from winroom.visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def due(company):
    """One of everything due: an overdue action, an overdue review, a stale deal, a visit
    tomorrow, one held yesterday, one recorded without the manager's scores."""
    now = timezone.now()
    deal = deal_actions.create_deal(
        by=company.owner, data={"account": company.account, "name": "地铁项目", "amount": "3200000"}
    )
    long_ago = now - timedelta(days=60)
    Deal.all_objects.filter(pk=deal.pk).update(created_at=long_ago, stage_changed_at=long_ago)
    Action.objects.create(
        deal=deal,
        title="回访",
        owner=company.owner,
        due_on=timezone.localdate() - timedelta(days=3),
    )
    tomorrow = timezone.localtime(now) + timedelta(days=1)
    Visit.objects.create(owner=company.owner, account=company.account, planned_at=tomorrow)
    Visit.objects.create(
        owner=company.owner, account=company.account, planned_at=now - timedelta(days=1)
    )
    Visit.objects.create(
        owner=company.owner,
        account=company.account,
        planned_at=now - timedelta(days=2),
        status=VisitStatus.DONE,
        visited_on=timezone.localdate() - timedelta(days=2),
    )
    return deal


def test_reminders_are_created_once(company, due):
    output = run()
    kinds = sorted(Notification.objects.values_list("recipient__username", "kind"))
    assert kinds == sorted(
        [
            ("owner", Kind.ACTION_OVERDUE),
            ("owner", Kind.REVIEW_OVERDUE),
            ("manager", Kind.REVIEW_OWED),
            ("owner", Kind.VISIT_PREPARE),
            ("owner", Kind.VISIT_RECORD),
            ("manager", Kind.VISIT_SCORE),
            ("owner", Kind.DEAL_STALE),
        ]
    )
    assert "7" in output
    run()
    assert Notification.objects.count() == 7
    # a new fact (the action's new due date, also overdue) is a new reminder
    Action.objects.filter(deal=due).update(due_on=timezone.localdate() - timedelta(days=1))
    assert len(producers.produce()) == 1


def test_muted_kinds_and_inactive_people_get_nothing(company, due):
    NotificationPreference.objects.create(user=company.owner, muted_kinds=[Kind.DEAL_STALE])
    company.manager.is_active = False
    company.manager.save()
    run()
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert Kind.DEAL_STALE not in kinds and Kind.REVIEW_OWED not in kinds
    assert Kind.ACTION_OVERDUE in kinds


def test_a_recycled_lead_tells_its_previous_holder_once(company):
    lead = Lead.objects.create(
        company_name="久未跟进",
        owner=company.owner,
        status=LeadStatus.WORKING,
        created_at=timezone.now() - timedelta(days=30),
        assigned_at=timezone.now() - timedelta(days=30),
    )
    rule = RecycleRule(untouched_days=14)
    assert recycle_untouched_leads(today=timezone.localdate(), rule=rule) == [lead]
    assert recycle_untouched_leads(today=timezone.localdate(), rule=rule) == []
    note = Notification.objects.get()
    assert (note.recipient, note.kind, note.params["days"]) == (company.owner, "lead_returned", 14)
    assert note.url == f"/leads/{lead.pk}/"


def test_text_is_rendered_in_the_readers_language(company):
    note = Notification(
        recipient=company.owner,
        kind=Kind.ACTION_OVERDUE,
        params={"title": "回访", "deal": "项目", "date": "2026-06-14"},
    )
    with translation.override("en"):
        assert note.text == "Action “回访” on 项目 was due 06/14/2026."
    with translation.override("zh-hans"):
        assert formats.date_format(date(2026, 6, 14), "SHORT_DATE_FORMAT") in note.text
    assert render("unknown", {}) == "unknown"
    assert render(Kind.ACTION_OVERDUE, {}) == str(Kind.ACTION_OVERDUE.label)


def _set(user, *, email, choice, language):
    user.email, user.language = email, language
    user.save()
    NotificationPreference.objects.update_or_create(user=user, defaults={"email": choice})


def test_emails_immediate_digest_off_in_each_language(company, due):
    _set(company.owner, email="owner@example.com", choice="immediate", language="en")
    _set(company.manager, email="manager@example.com", choice="digest", language="zh-hans")
    run()
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]
    owner_mail = mail.outbox[0]
    assert owner_mail.subject == "Winroom: 5 reminders"
    assert "Hello" in owner_mail.body and "Action “回访”" in owner_mail.body
    with translation.override("en"):
        assert (
            formats.date_format(timezone.localdate() - timedelta(days=3), "SHORT_DATE_FORMAT")
            in owner_mail.body
        )
    # nothing twice; the digest waits for --digest
    run()
    assert len(mail.outbox) == 1
    run("--digest")
    assert [m.to for m in mail.outbox][1:] == [["manager@example.com"]]
    digest = mail.outbox[1]
    visited = timezone.localdate() - timedelta(days=2)
    with translation.override("zh-hans"):
        zh_date = formats.date_format(visited, "SHORT_DATE_FORMAT")
    with translation.override("en"):
        en_date = formats.date_format(visited, "SHORT_DATE_FORMAT")
    assert zh_date != en_date
    assert "地铁项目" in digest.body and zh_date in digest.body and en_date not in digest.body
    run("--digest")
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_off_and_read_notifications_are_not_mailed(company, due):
    _set(company.owner, email="owner@example.com", choice="off", language="en")
    _set(company.manager, email="manager@example.com", choice="digest", language="en")
    producers.produce()
    Notification.objects.filter(recipient=company.manager).update(read_at=timezone.now())
    run("--digest")
    assert mail.outbox == []


def test_digest_queues_one_team_summary_a_day(company, due):
    hook = TeamWebhook.objects.create(
        team=company.east,
        kind="dingtalk",
        url="https://oapi.dingtalk.com/robot/send?access_token=x",
    )
    TeamWebhook.objects.create(team=company.west, kind="feishu", url="https://open.feishu.cn/x")
    run("--digest")
    run("--digest")
    deliveries = list(hook.deliveries.all())
    assert len(deliveries) == 1
    assert deliveries[0].payload["msgtype"] == "text"
    assert company.east.name in deliveries[0].text
    # the West robot: nobody there was reminded
    assert not TeamWebhook.objects.get(team=company.west).deliveries.exists()
