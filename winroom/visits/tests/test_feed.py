"""The calendar feed: a valid ICS of the person's own visits and actions, behind a secret
address that can be revoked and replaced."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from winroom.deals import actions as deal_actions
from winroom.testing.factories import AccountFactory
from winroom.visits import feed
from winroom.visits.models import CalendarFeed

from .conftest import make_visit, recorded

pytestmark = pytest.mark.django_db


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}, calendar


@pytest.fixture
def items(company, deal, visit):
    """The owner: a planned visit (tomorrow), one recorded 10 and one 90 days ago, an open
    and a done action; the outsider: a visit and an action of their own."""
    recent = recorded(make_visit(company.owner, company.account, days_ago=10))
    old = recorded(make_visit(company.owner, company.account, days_ago=90))
    due = timezone.localdate() + timedelta(days=3)
    action = deal_actions.add_action(
        deal, by=company.owner, title="发送报价", owner=company.owner, due_on=due
    )
    done = deal_actions.add_action(
        deal, by=company.owner, title="已完成", owner=company.owner, due_on=due
    )
    deal_actions.complete_action(done, by=company.owner)
    theirs = AccountFactory(name="宝钢", owner=company.outsider)
    their_visit = make_visit(company.outsider, theirs)
    their_deal = deal_actions.create_deal(
        by=company.outsider, data={"account": theirs, "name": "宝钢项目", "amount": "1"}
    )
    their_action = deal_actions.add_action(
        their_deal, by=company.outsider, title="他们的", owner=company.outsider, due_on=due
    )
    return {
        "visit": visit,
        "recent": recent,
        "old": old,
        "action": action,
        "done": done,
        "their_visit": their_visit,
        "their_action": their_action,
    }


def test_feed_is_valid_and_holds_only_the_users_items(company, items, client):
    token = feed.issue_token(company.owner)
    found, calendar = events(client.get(reverse("visits:ics", args=[token])))
    assert set(found) == {
        f"visit-{items['visit'].pk}@winroom",
        f"visit-{items['recent'].pk}@winroom",
        f"action-{items['action'].pk}@winroom",
    }
    assert calendar.get("VERSION") == "2.0" and calendar.get("PRODID")
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Shanghai"]
    event = found[f"visit-{items['visit'].pk}@winroom"]
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and start.utcoffset() == timedelta(hours=8)
    assert abs(start - items["visit"].planned_at) < timedelta(seconds=1)
    assert event.decoded("DTSTAMP") and "上海申通地铁集团有限公司" in str(event["SUMMARY"])
    assert str(event["URL"]).endswith(reverse("visits:detail", args=[items["visit"].pk]))
    assert "安排技术交流" in str(event["DESCRIPTION"])
    action = found[f"action-{items['action'].pk}@winroom"]
    assert type(action.decoded("DTSTART")) is date  # all-day
    assert action.decoded("DTEND") - action.decoded("DTSTART") == timedelta(days=1)
    assert str(action["SUMMARY"]).endswith("发送报价")


def test_uids_are_stable_between_reads(company, items, client):
    token = feed.issue_token(company.owner)
    url = reverse("visits:ics", args=[token])
    first, _c = events(client.get(url))
    second, _c = events(client.get(url))
    assert set(first) == set(second)
    assert CalendarFeed.objects.get(user=company.owner).last_read_at is not None


def test_the_time_zone_follows_the_settings(company, items, client, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    token = feed.issue_token(company.owner)
    found, calendar = events(client.get(reverse("visits:ics", args=[token])))
    start = found[f"visit-{items['visit'].pk}@winroom"].decoded("DTSTART")
    berlin = items["visit"].planned_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert start.utcoffset() == berlin.utcoffset()
    assert abs(start - items["visit"].planned_at) < timedelta(seconds=1)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Berlin"]


def test_wrong_revoked_and_replaced_tokens_are_404(company, items, client):
    token = feed.issue_token(company.owner)
    assert client.get(reverse("visits:ics", args=["x" + token])).status_code == 404
    replacement = feed.issue_token(company.owner)
    assert client.get(reverse("visits:ics", args=[token])).status_code == 404
    assert client.get(reverse("visits:ics", args=[replacement])).status_code == 200
    feed.revoke(company.owner)
    assert client.get(reverse("visits:ics", args=[replacement])).status_code == 404


def test_only_the_hash_is_stored(company):
    token = feed.issue_token(company.owner)
    row = CalendarFeed.objects.get(user=company.owner)
    assert token not in row.token_hash and row.token_hash == feed.token_hash(token)


def test_a_deactivated_users_feed_is_404(company, items, client):
    token = feed.issue_token(company.owner)
    company.owner.is_active = False
    company.owner.save()
    assert client.get(reverse("visits:ics", args=[token])).status_code == 404


def test_a_deleted_deal_takes_its_actions_out_of_the_feed(company, items, client, deal):
    from winroom.records import soft_delete

    soft_delete(deal, by=company.owner)
    token = feed.issue_token(company.owner)
    found, _c = events(client.get(reverse("visits:ics", args=[token])))
    assert f"action-{items['action'].pk}@winroom" not in found


def test_calendar_page_makes_shows_once_and_revokes(company, client):
    client.force_login(company.owner)
    page = reverse("visits:calendar")
    assert b'data-testid="feed-url"' not in client.get(page).content
    made = client.post(page, {"generate": "1"})
    url = made.context["url"]
    assert url and "/visits/ics/" in url
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert client.get(reverse("visits:ics", args=[token])).status_code == 200
    assert b'data-testid="feed-url"' not in client.get(page).content  # shown once
    client.post(page, {"revoke": "1"})
    assert not CalendarFeed.objects.filter(user=company.owner).exists()
    assert client.get(reverse("visits:ics", args=[token])).status_code == 404
