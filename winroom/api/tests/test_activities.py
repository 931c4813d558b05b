"""Activities: participants at the activity's account, filters, versions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from winroom.accounts.models import Account, AccountMember, Contact
from winroom.activities.models import Activity

from .conftest import ids

URL = "/api/v1/activities/"


def url(activity=None, suffix=""):
    return f"{URL}{activity.pk}/{suffix}" if activity else URL


def test_log_activity(client_for, account, contact, org):
    response = client_for("triangle").post(
        URL,
        {
            "account": account.pk,
            "kind": "technical_exchange",
            "subject": "Architecture workshop",
            "occurred_at": "2024-05-06T10:00:00+08:00",
            "participants": [contact.pk, contact.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"] == {"id": org["triangle"].pk, "name": "Triangle"}
    assert body["participants"] == [{"id": contact.pk, "name": contact.name}]
    assert body["account"]["id"] == account.pk


def test_owner_cannot_be_set(client_for, account, org):
    response = client_for("rep_owner").post(
        URL,
        {"account": account.pk, "kind": "call", "subject": "x", "owner": org["admin"].pk},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["owner"]["id"] == org["rep_owner"].pk


def test_participants_must_be_at_the_account(client_for, account, org):
    other = Account.objects.create(name="Second", owner=org["rep_owner"])
    AccountMember.objects.create(account=other, user=org["rep_owner"], role="account_manager")
    stranger = Contact.objects.create(account=other, name="Stranger")
    response = client_for("rep_owner").post(
        URL,
        {"account": account.pk, "kind": "call", "subject": "x", "participants": [stranger.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert "participants" in response.json()
    assert not Activity.objects.filter(subject="x").exists()


def test_moving_an_activity_checks_its_participants(client_for, activity, org):
    other = Account.objects.create(name="Second", owner=org["rep_owner"])
    AccountMember.objects.create(account=other, user=org["rep_owner"], role="account_manager")
    client = client_for("rep_owner")
    response = client.patch(url(activity), {"account": other.pk}, format="json")
    assert response.status_code == 400
    assert "participants" in response.json()
    moved = client.patch(url(activity), {"account": other.pk, "participants": []}, format="json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["account"]["id"] == other.pk


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "party"}, "kind"),
        ({"subject": ""}, "subject"),
        ({"occurred_at": "someday"}, "occurred_at"),
        ({"participants": "1,2"}, "participants"),
        ({"participants": {"id": 1}}, "participants"),
        ({"participants": [None]}, "participants"),
        ({"participants": [10**30]}, "participants"),
        ({"participants": list(range(1, 500))}, "participants"),
        ({"account": None}, "account"),
    ],
)
def test_activity_validation(client_for, account, body, field):
    data = {"account": account.pk, "kind": "call", "subject": "ok", **body}
    response = client_for("rep_owner").post(URL, data, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_update_participants_and_version(client_for, activity, contact):
    second = Contact.objects.create(account=contact.account, name="Second")
    client = client_for("rep_owner")
    response = client.patch(
        url(activity), {"participants": [second.pk], "version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    assert [p["id"] for p in response.json()["participants"]] == [second.pk]
    stale = client.patch(url(activity), {"subject": "x", "version": 1}, format="json")
    assert stale.status_code == 409


def test_delete_restore_history(client_for, activity):
    client = client_for("rep_owner")
    assert client.delete(url(activity)).status_code == 204
    assert activity.pk not in ids(client.get(URL))
    assert client.post(url(activity, "restore/")).status_code == 200
    assert activity.pk in ids(client.get(URL))
    assert client.get(url(activity, "history/")).status_code == 200


@pytest.fixture
def log(account, contact, org):
    now = timezone.now()
    other = Contact.objects.create(account=account, name="Other")
    rows = {}
    for subject, kind, days, owner, people in [
        ("old call", "call", 400, "rep_owner", [contact]),
        ("visit", "visit", 10, "triangle", [other]),
        ("meeting", "meeting", 1, "rep_owner", [contact, other]),
    ]:
        activity = Activity.objects.create(
            kind=kind,
            subject=subject,
            occurred_at=now - timedelta(days=days),
            account=account,
            owner=org[owner],
        )
        activity.participants.set(people)
        rows[subject] = activity
    rows["other"] = other
    return rows


def test_activity_filters(client_for, log, contact, org, account):
    client = client_for("rep_owner")

    def subjects(params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return [row["subject"] for row in response.json()["results"]]

    assert subjects({}) == ["meeting", "visit", "old call"]
    assert subjects({"contact": contact.pk}) == ["meeting", "old call"]
    assert subjects({"kind": "visit"}) == ["visit"]
    assert subjects({"owner": org["triangle"].pk}) == ["visit"]
    assert subjects({"account": account.pk}) == ["meeting", "visit", "old call"]
    since = (timezone.now() - timedelta(days=30)).isoformat()
    assert subjects({"occurred_after": since}) == ["meeting", "visit"]
    assert subjects({"occurred_before": since}) == ["old call"]
    assert subjects({"ordering": "occurred_at"}) == ["old call", "visit", "meeting"]
    assert subjects({"q": "VISIT"}) == ["visit"]


@pytest.mark.parametrize(
    "params",
    [
        {"occurred_after": "not a date"},
        {"contact": "abc"},
        {"kind": "party"},
        {"ordering": "owner__password"},
        {"account": "-1"},
    ],
)
def test_bad_activity_filters_are_400(client_for, log, params):
    assert client_for("rep_owner").get(URL, params).status_code == 400
