"""API: my notifications and Today's counts follow the pages' rules; refusals are 404."""

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from winroom.deals.models import Deal
from winroom.notifications.kinds import Kind
from winroom.notifications.models import Notification

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def note(user, key):
    return Notification.objects.create(
        recipient=user, kind=Kind.DEAL_STALE, params={"deal": "项目", "days": 31}, dedupe_key=key
    )


def test_list_read_and_read_all_are_mine_only(company):
    company.owner.language = "en"
    company.owner.save()
    mine = note(company.owner, "a")
    note(company.owner, "b")
    theirs = note(company.teammate, "c")
    client = api(company.owner)
    data = client.get("/api/v1/notifications/").json()
    assert {row["id"] for row in data["results"]} == {mine.pk, mine.pk + 1}
    assert data["results"][0]["text"] == "项目 has had no activity and no stage change for 31 days."
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert client.post("/api/v1/notifications/abc/read/").status_code == 404
    response = client.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    assert len(client.get("/api/v1/notifications/?unread=1").json()["results"]) == 1
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_is_refused(company):
    client = APIClient()
    assert client.get("/api/v1/notifications/").status_code == 401
    assert client.get("/api/v1/today/").status_code == 401


def test_today_summary(company):
    from winroom.deals import actions

    deal = actions.create_deal(
        by=company.owner, data={"account": company.account, "name": "项目", "amount": "100"}
    )
    Deal.all_objects.filter(pk=deal.pk).update(health_score=10, created_at=timezone.now())
    data = api(company.owner).get("/api/v1/today/").json()
    assert data["sections"]["health"] == 1 and data["team"] is False and data["rep"] is None
    assert "score" not in data["sections"]
    manager = api(company.manager).get("/api/v1/today/", {"rep": company.owner.pk}).json()
    assert manager["sections"]["health"] == 1 and manager["rep"] == company.owner.pk
    # outside the caller's scope: 404
    assert (
        api(company.other_manager).get("/api/v1/today/", {"rep": company.owner.pk}).status_code
        == 404
    )
    assert api(company.teammate).get("/api/v1/today/", {"rep": company.owner.pk}).status_code == 404
    assert api(company.other_manager).get("/api/v1/today/").json()["sections"]["health"] == 0


def test_schema_lists_the_new_endpoints(company):
    schema = api(company.owner).get("/api/v1/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/notifications/",
        "/api/v1/notifications/{id}/read/",
        "/api/v1/notifications/read-all/",
        "/api/v1/today/",
    ):
        assert path in schema["paths"], path
