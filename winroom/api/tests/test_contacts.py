"""Contacts: account fixed at creation, phone/email rules, reporting lines, interaction level."""

from datetime import timedelta

import pytest
from django.utils import timezone

from winroom.accounts.models import Account, AccountMember, Contact
from winroom.activities.models import Activity

from .conftest import ids

URL = "/api/v1/contacts/"


def url(contact=None, suffix=""):
    return f"{URL}{contact.pk}/{suffix}" if contact else URL


def test_create_contact(client_for, account):
    response = client_for("triangle").post(
        URL,
        {
            "account": account.pk,
            "name": "Zhao  Lei",
            "phone": "010-6554 1234",
            "email": " Zhao.Lei@Example.COM ",
            "relationship_status": "positive",
            "orientation": "pragmatic",
            "first_contact_on": "2024-03-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["account"] == {"id": account.pk, "name": account.name}
    assert body["name"] == "Zhao Lei"
    assert body["phone"] == "+86 10 6554 1234"
    assert body["email"] == "zhao.lei@example.com"
    assert body["interaction_level"] == "never_met"
    assert body["version"] == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "A", "phone": "12345"}, "phone"),
        ({"name": "A", "phone": "call me maybe"}, "phone"),
        ({"name": "A", "email": "not-an-email"}, "email"),
        ({"name": "A", "relationship_status": "besties"}, "relationship_status"),
        ({"name": "A", "first_contact_on": "yesterday"}, "first_contact_on"),
        ({"name": ""}, "name"),
        ({"name": "A" * 81}, "name"),
        ({"name": "A", "reports_to": "boss"}, "reports_to"),
        ({"name": "A", "reports_to": 999999}, "reports_to"),
    ],
)
def test_contact_validation(client_for, account, body, field):
    response = client_for("rep_owner").post(URL, {"account": account.pk, **body}, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_invalid_phone_on_update_is_400(client_for, contact):
    response = client_for("rep_owner").patch(url(contact), {"phone": "000"}, format="json")
    assert response.status_code == 400
    assert "phone" in response.json()


@pytest.mark.parametrize("account_id", [None, "abc", 0, -3, 10**30, True, 987654])
def test_account_must_be_a_visible_account(client_for, account, account_id):
    response = client_for("rep_owner").post(
        URL, {"account": account_id, "name": "A"}, format="json"
    )
    assert response.status_code == 400
    assert "account" in response.json()


def test_account_is_required(client_for, account):
    response = client_for("rep_owner").post(URL, {"name": "A"}, format="json")
    assert response.status_code == 400
    assert "account" in response.json()


def test_deleted_account_is_no_such_account(client_for, account):
    client = client_for("rep_owner")
    client.delete(f"/api/v1/accounts/{account.pk}/")
    response = client.post(URL, {"account": account.pk, "name": "A"}, format="json")
    assert response.status_code == 400
    assert response.json()["account"] == ["No such account."]


def test_account_cannot_change(client_for, contact, org):
    other = Account.objects.create(name="Second", owner=org["rep_owner"])
    AccountMember.objects.create(account=other, user=org["rep_owner"], role="account_manager")
    client = client_for("rep_owner")
    response = client.patch(url(contact), {"account": other.pk}, format="json")
    assert response.status_code == 400
    assert "account" in response.json()
    contact.refresh_from_db()
    assert contact.account_id != other.pk
    # sending the same account back is fine
    same = client.patch(
        url(contact), {"account": contact.account_id, "title": "CTO"}, format="json"
    )
    assert same.status_code == 200


def test_reports_to_must_be_at_the_same_account(client_for, org, contact):
    other = Account.objects.create(name="Second", owner=org["rep_owner"])
    AccountMember.objects.create(account=other, user=org["rep_owner"], role="account_manager")
    stranger = Contact.objects.create(account=other, name="Stranger")
    response = client_for("rep_owner").patch(
        url(contact), {"reports_to": stranger.pk}, format="json"
    )
    assert response.status_code == 400
    assert "reports_to" in response.json()


def test_reports_to_cycle_is_400(client_for, account):
    ceo = Contact.objects.create(account=account, name="CEO")
    cio = Contact.objects.create(account=account, name="CIO", reports_to=ceo)
    manager = Contact.objects.create(account=account, name="IT manager", reports_to=cio)
    client = client_for("rep_owner")
    response = client.patch(url(ceo), {"reports_to": manager.pk}, format="json")
    assert response.status_code == 400
    assert "reports_to" in response.json()
    self_loop = client.patch(url(ceo), {"reports_to": ceo.pk}, format="json")
    assert self_loop.status_code == 400
    assert "reports_to" in self_loop.json()
    ok = client.patch(url(manager), {"reports_to": ceo.pk}, format="json")
    assert ok.status_code == 200
    assert ok.json()["reports_to"] == {"id": ceo.pk, "name": "CEO"}
    cleared = client.patch(url(manager), {"reports_to": None}, format="json")
    assert cleared.status_code == 200 and cleared.json()["reports_to"] is None


def test_interaction_level_is_derived_and_read_only(client_for, contact, org):
    now = timezone.now()
    for days in (1, 2, 3):
        activity = Activity.objects.create(
            kind="call",
            subject=f"call {days}",
            occurred_at=now - timedelta(days=days),
            account=contact.account,
            owner=org["rep_owner"],
        )
        activity.participants.set([contact])
    client = client_for("rep_owner")
    assert client.get(url(contact)).json()["interaction_level"] == "repeated"
    listed = client.get(URL).json()["results"]
    assert listed[0]["interaction_level"] == "repeated"
    response = client.patch(url(contact), {"interaction_level": "deep"}, format="json")
    assert response.status_code == 200
    assert response.json()["interaction_level"] == "repeated"


def test_version_conflict_is_409(client_for, contact):
    client_for("triangle").patch(url(contact), {"title": "CTO"}, format="json")
    response = client_for("rep_owner").patch(
        url(contact), {"title": "CEO", "version": 1}, format="json"
    )
    assert response.status_code == 409
    contact.refresh_from_db()
    assert contact.title == "CTO"


def test_delete_restore_history(client_for, contact):
    client = client_for("rep_owner")
    client.patch(url(contact), {"title": "CTO"}, format="json")
    assert client.delete(url(contact)).status_code == 204
    assert contact.pk not in ids(client.get(URL))
    assert client.get(url(contact, "history/")).status_code == 200
    restored = client.post(url(contact, "restore/"))
    assert restored.status_code == 200
    assert restored.json()["title"] == "CTO"
    kinds = [entry["kind"] for entry in client.get(url(contact, "history/")).json()]
    assert kinds[-1] == "created"


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "wang"}, {"Wang Wei"}),
        ({"q": "cio"}, {"Wang Wei"}),
        ({"q": "13800138000"}, {"Wang Wei"}),
        ({"q": "finance"}, {"Liu Fang"}),
        ({"q": "liu@"}, {"Liu Fang"}),
        ({"relationship_status": "positive"}, {"Liu Fang"}),
        ({"orientation": "innovative"}, {"Liu Fang"}),
    ],
)
def test_contact_filters(client_for, contact, params, expected):
    Contact.objects.create(
        account=contact.account,
        name="Liu Fang",
        department="Finance",
        email="liu@example.com",
        relationship_status="positive",
        orientation="innovative",
    )
    response = client_for("rep_owner").get(URL, params)
    assert response.status_code == 200
    assert {row["name"] for row in response.json()["results"]} == expected


def test_contact_account_filter_and_ordering(client_for, contact, org):
    other = Account.objects.create(name="AAA First", owner=org["rep_owner"])
    Contact.objects.create(account=other, name="Zed")
    client = client_for("rep_owner")
    assert ids(client.get(URL, {"account": contact.account_id})) == {contact.pk}
    names = [r["name"] for r in client.get(URL, {"ordering": "account"}).json()["results"]]
    assert names == ["Zed", "Wang Wei"]
    assert client.get(URL, {"ordering": "notes"}).status_code == 400
