"""Notification pages, the navbar badge, preferences and team robots; every refusal is 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from winroom.notifications.kinds import Kind
from winroom.notifications.models import Notification, NotificationPreference, TeamWebhook
from winroom.notifications.urls import urlpatterns

pytestmark = pytest.mark.django_db


def note(user, key="k1", **fields):
    return Notification.objects.create(
        recipient=user,
        kind=Kind.DEAL_STALE,
        params={"deal": "地铁项目", "days": 41},
        url="/deals/",
        dedupe_key=key,
        **fields,
    )


def test_list_shows_mine_only_and_the_badge_counts_unread(company, client, english):
    mine = note(company.owner)
    read = note(company.owner, "k2", read_at=timezone.now())
    note(company.teammate, "k3")
    client.force_login(company.owner)
    response = client.get("/notifications/")
    assert {n.pk for n in response.context["page"]} == {mine.pk, read.pk}
    assert b'data-testid="unread-count">1<' in response.content
    # rendered in the reader's language (zh-hans by default), from the stored kind and params
    assert "地铁项目 已 41 天无活动且无阶段变化。" in response.content.decode()
    assert len(client.get("/notifications/?unread=1").context["page"]) == 1


def test_the_badge_is_one_query(company, client):
    note(company.owner)
    client.force_login(company.owner)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/notifications/settings/")
    counts = [
        q["sql"] for q in ctx.captured_queries if 'FROM "notifications_notification"' in q["sql"]
    ]
    assert len(counts) == 1 and "COUNT" in counts[0].upper()


def test_mark_read_with_htmx_updates_the_badge(company, client):
    first = note(company.owner)
    note(company.owner, "k2")
    client.force_login(company.owner)
    response = client.post(reverse("notifications:read", args=[first.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'hx-swap-oob="true"' in response.content
    assert b'data-testid="unread-count">1<' in response.content
    first.refresh_from_db()
    assert first.read_at is not None


def test_open_marks_read_and_follows_the_link_within_the_site(company, client):
    first = note(company.owner)
    outside = note(company.owner, "k2")
    Notification.objects.filter(pk=outside.pk).update(url="https://evil.example.com/")
    client.force_login(company.owner)
    assert client.post(reverse("notifications:open", args=[first.pk])).url == "/deals/"
    assert client.post(reverse("notifications:open", args=[outside.pk])).url == "/notifications/"
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_read_all_touches_mine_only(company, client):
    note(company.owner)
    other = note(company.teammate, "k2")
    client.force_login(company.owner)
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=company.owner, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None
    response = client.post(reverse("notifications:read_all"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"notification-list" in response.content


def test_preferences(company, client):
    client.force_login(company.owner)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    response = client.post(
        reverse("notifications:preferences"),
        {"email": "immediate", "muted_kinds": [Kind.DEAL_STALE]},
    )
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=company.owner)
    assert (pref.email, pref.muted_kinds) == ("immediate", [Kind.DEAL_STALE])
    response = client.post(reverse("notifications:preferences"), {"email": "sometimes"})
    assert response.status_code == 200 and response.context["form"].errors


# --------------------------------------------------------------------------- team robots


def test_a_manager_adds_a_robot_to_their_team_only(company, client):
    client.force_login(company.manager)
    response = client.get(reverse("notifications:webhooks"))
    assert list(response.context["form"].fields["team"].queryset) == [company.east]
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
    response = client.post(
        reverse("notifications:webhooks"),
        {"team": company.west.pk, "kind": "wecom", "url": url, "active": "on"},
    )
    assert response.status_code == 200 and "team" in response.context["form"].errors
    response = client.post(
        reverse("notifications:webhooks"),
        {"team": company.east.pk, "kind": "wecom", "url": "ftp://x.example.com/", "active": "on"},
    )
    assert "url" in response.context["form"].errors
    assert response.context["form"]["url"].value() == "ftp://x.example.com/"  # input kept
    client.post(
        reverse("notifications:webhooks"),
        {"team": company.east.pk, "kind": "wecom", "url": url, "active": "on"},
    )
    hook = TeamWebhook.objects.get()
    assert (hook.team, hook.created_by, hook.masked_url) == (
        company.east,
        company.manager,
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?…",
    )
    # the director edits the teams below; an administrator every team
    client.force_login(company.director)
    assert client.get(reverse("notifications:webhook_edit", args=[hook.pk])).status_code == 200
    client.force_login(company.admin)
    assert client.get(reverse("notifications:webhook_edit", args=[hook.pk])).status_code == 200


def test_test_send_queues_and_the_page_shows_it(company, client):
    hook = TeamWebhook.objects.create(team=company.east, kind="feishu", url="http://127.0.0.1:9/")
    client.force_login(company.manager)
    response = client.post(
        reverse("notifications:webhook_test", args=[hook.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b'hx-trigger="every 2s"' in response.content  # polls until it is sent or failed
    delivery = hook.deliveries.get()
    assert delivery.is_test and delivery.status == "pending"
    assert delivery.payload["msg_type"] == "text"


@pytest.fixture
def records(company):
    hook = TeamWebhook.objects.create(
        team=company.east, kind="wecom", url="https://qyapi.weixin.qq.com/x?key=1"
    )
    return {"pk": note(company.owner).pk, "hook": hook}


def _state(records):
    hook = TeamWebhook.objects.get(pk=records["hook"].pk)
    return (
        Notification.objects.get(pk=records["pk"]).read_at,
        hook.url,
        hook.active,
        hook.deliveries.count(),
    )


WEBHOOK_ROUTES = {
    "webhooks",
    "webhook_edit",
    "webhook_delete",
    "webhook_test",
    "webhook_deliveries",
}
OWN_LISTS = {"list", "read_all", "preferences"}


@pytest.mark.parametrize("role", ["teammate", "outsider", "other_manager", "member"])
def test_every_route_refuses_others(company, records, client, role):
    """Routes read from the URLconf: a new route without a case here fails."""
    client.force_login(getattr(company, role))
    before = _state(records)
    for pattern in urlpatterns:
        name = pattern.name
        if name == "webhooks" and role == "other_manager":
            # their own team's page: the East robot is not on it, nor can they add to East
            response = client.get(reverse("notifications:webhooks"))
            assert records["hook"] not in response.context["hooks"]
            response = client.post(
                reverse("notifications:webhooks"),
                {"team": records["hook"].team_id, "kind": "wecom", "url": "https://a.example.com/"},
            )
            assert response.status_code == 200 and "team" in response.context["form"].errors
            continue
        if name in OWN_LISTS:
            response = client.get(reverse(f"notifications:{name}"))
            assert response.status_code in (200, 405), name
            if name == "list":
                assert list(response.context["page"]) == []
            continue
        converters = set(pattern.pattern.converters)
        assert converters <= {"pk"}, f"unlisted route {name}: teach this test its arguments"
        pk = records["hook"].pk if name in WEBHOOK_ROUTES else records["pk"]
        url = reverse(f"notifications:{name}", kwargs={"pk": pk} if converters else {})
        for method in (client.get, client.post):
            response = method(
                url,
                {"team": records["hook"].team_id, "kind": "wecom", "url": "https://a.example.com/"},
            )
            assert response.status_code in (404, 405), (name, method, response.status_code)
    assert _state(records) == before


def test_anonymous_is_sent_to_log_in(client, records):
    for pattern in urlpatterns:
        kwargs = {"pk": 1} if pattern.pattern.converters else {}
        response = client.get(reverse(f"notifications:{pattern.name}", kwargs=kwargs))
        assert response.status_code in (302, 405)
