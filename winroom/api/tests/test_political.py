"""API of the political map (influence circles and lines) and of the indicators a contact
meets: shapes, rules, 409 on a stale version, and the visibility rule on every route."""

import pytest

from winroom.accounts import actions
from winroom.accounts.models import (
    Contact,
    ContactIndicator,
    InfluenceCircle,
    InfluenceLine,
    LevelIndicator,
)

from .conftest import VISIBILITY, ids

ROLES = list(VISIBILITY)


def expected(role, ok=200):
    return ok if VISIBILITY[role] else 404


@pytest.fixture
def boss(account, contact):
    return Contact.objects.create(account=account, name="Zhang Min", title="CEO")


@pytest.fixture
def circle(org, account, contact, boss):
    return actions.create_circle(
        by=org["rep_owner"],
        account=account,
        data={"name": "Tech", "colour": "#1971c2", "members": [contact, boss]},
    )


@pytest.fixture
def line(org, account, contact, boss):
    return actions.draw_influence_line(
        by=org["rep_owner"], account=account, data={"source": contact, "target": boss}
    )


def test_circle_crud(client_for, account, contact, boss):
    client = client_for("rep_owner")
    response = client.post(
        "/api/v1/influence-circles/",
        {"account": account.pk, "name": "Reformers", "colour": "#2f9e44", "members": [boss.pk]},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["members"] == [{"id": boss.pk, "name": "Zhang Min"}]
    assert body["version"] == 1
    url = f"/api/v1/influence-circles/{body['id']}/"
    response = client.patch(
        url, {"name": "Reform", "members": [boss.pk, contact.pk], "version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    assert {m["id"] for m in response.json()["members"]} == {boss.pk, contact.pk}
    stale = client.patch(url, {"name": "Stale", "version": 1}, format="json")
    assert stale.status_code == 409
    assert InfluenceCircle.objects.get(pk=body["id"]).name == "Reform"
    assert ids(client.get(f"/api/v1/influence-circles/?account={account.pk}")) == {body["id"]}
    assert client.delete(url).status_code == 204
    assert InfluenceCircle.all_objects.get(pk=body["id"]).is_deleted
    assert client.post(url + "restore/").status_code == 200


def test_circle_refuses_bad_input(client_for, account, other_contact):
    client = client_for("rep_owner")
    bad_colour = client.post(
        "/api/v1/influence-circles/",
        {"account": account.pk, "name": "X", "colour": "blue"},
        format="json",
    )
    assert bad_colour.status_code == 400 and "colour" in bad_colour.json()
    # a person of an account the caller cannot see reads as nonexistent
    hidden = client.post(
        "/api/v1/influence-circles/",
        {"account": account.pk, "name": "X", "members": [other_contact.pk]},
        format="json",
    )
    assert hidden.status_code == 400 and "members" in hidden.json()
    assert not InfluenceCircle.objects.exists()


def test_circle_refuses_a_member_of_another_visible_account(client_for, org, account):
    from winroom.accounts.models import Account

    mine = Account.objects.create(name="Second", owner=org["rep_owner"])
    stranger = Contact.objects.create(account=mine, name="Elsewhere")
    response = client_for("rep_owner").post(
        "/api/v1/influence-circles/",
        {"account": account.pk, "name": "X", "members": [stranger.pk]},
        format="json",
    )
    assert response.status_code == 400 and "members" in response.json()


def test_line_crud_and_rules(client_for, account, contact, boss):
    client = client_for("rep_owner")
    response = client.post(
        "/api/v1/influence-lines/",
        {"account": account.pk, "source": contact.pk, "target": boss.pk, "strength": 3},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["source"]["id"], body["target"]["id"], body["strength"]) == (
        contact.pk,
        boss.pk,
        3,
    )
    twin = client.post(
        "/api/v1/influence-lines/",
        {"account": account.pk, "source": contact.pk, "target": boss.pk, "strength": 1},
        format="json",
    )
    assert twin.status_code == 400 and "target" in twin.json()
    self_line = client.post(
        "/api/v1/influence-lines/",
        {"account": account.pk, "source": boss.pk, "target": boss.pk},
        format="json",
    )
    assert self_line.status_code == 400
    for strength in (0, 4, "x"):
        out = client.post(
            "/api/v1/influence-lines/",
            {"account": account.pk, "source": boss.pk, "target": contact.pk, "strength": strength},
            format="json",
        )
        assert out.status_code == 400 and "strength" in out.json()
    url = f"/api/v1/influence-lines/{body['id']}/"
    assert client.patch(url, {"strength": 1}, headers={"If-Match": '"1"'}).status_code == 200
    assert client.patch(url, {"strength": 2}, headers={"If-Match": '"1"'}).status_code == 409
    assert InfluenceLine.objects.get().strength == 1
    assert ids(client.get(f"/api/v1/influence-lines/?contact={boss.pk}")) == {body["id"]}
    assert client.delete(url).status_code == 204
    assert not InfluenceLine.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_circle_routes_follow_the_visibility_rule(role, client_for, account, circle, boss):
    client = client_for(role)
    url = f"/api/v1/influence-circles/{circle.pk}/"
    assert (circle.pk in ids(client.get("/api/v1/influence-circles/"))) is VISIBILITY[role]
    assert client.get(url).status_code == expected(role)
    assert client.get(url + "history/").status_code == expected(role)
    response = client.patch(url, {"name": "Renamed"}, format="json")
    assert response.status_code == expected(role)
    assert (InfluenceCircle.objects.get(pk=circle.pk).name == "Renamed") is VISIBILITY[role]
    created = client.post(
        "/api/v1/influence-circles/", {"account": account.pk, "name": "New"}, format="json"
    )
    assert created.status_code == (201 if VISIBILITY[role] else 400)
    assert InfluenceCircle.objects.filter(name="New").exists() is VISIBILITY[role]
    response = client.delete(url)
    assert response.status_code == expected(role, 204)
    assert InfluenceCircle.all_objects.get(pk=circle.pk).is_deleted is VISIBILITY[role]
    if not VISIBILITY[role]:  # the owner deletes; the outsider cannot restore it either
        client_for("rep_owner").delete(url)
    assert client.post(url + "restore/").status_code == expected(role)
    assert InfluenceCircle.all_objects.get(pk=circle.pk).is_deleted is not VISIBILITY[role]


@pytest.mark.parametrize("role", ROLES)
def test_line_routes_follow_the_visibility_rule(role, client_for, account, line, contact, boss):
    client = client_for(role)
    url = f"/api/v1/influence-lines/{line.pk}/"
    assert (line.pk in ids(client.get("/api/v1/influence-lines/"))) is VISIBILITY[role]
    assert client.get(url).status_code == expected(role)
    assert client.get(url + "history/").status_code == expected(role)
    assert client.patch(url, {"strength": 3}, format="json").status_code == expected(role)
    assert (InfluenceLine.objects.get(pk=line.pk).strength == 3) is VISIBILITY[role]
    created = client.post(
        "/api/v1/influence-lines/",
        {"account": account.pk, "source": boss.pk, "target": contact.pk},
        format="json",
    )
    assert created.status_code == (201 if VISIBILITY[role] else 400)
    assert InfluenceLine.objects.filter(source=boss).exists() is VISIBILITY[role]
    assert client.delete(url).status_code == expected(role, 204)
    assert InfluenceLine.all_objects.get(pk=line.pk).is_deleted is VISIBILITY[role]
    if not VISIBILITY[role]:
        client_for("rep_owner").delete(url)
    assert client.post(url + "restore/").status_code == expected(role)


def test_contact_indicators_are_readable_and_writable(client_for, contact):
    client = client_for("rep_owner")
    url = f"/api/v1/contacts/{contact.pk}/"
    body = client.get(url).json()
    assert body["indicators"] == [] and body["relationship_level"] == "neutral"
    response = client.patch(
        url, {"indicators": ["gives_information", "backs_key_decisions"]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert sorted(response.json()["indicators"]) == ["backs_key_decisions", "gives_information"]
    assert ContactIndicator.objects.filter(contact=contact).count() == 2
    unknown = client.patch(url, {"indicators": ["plays_golf"]}, format="json")
    assert unknown.status_code == 400 and "indicators" in unknown.json()
    assert ContactIndicator.objects.filter(contact=contact).count() == 2


@pytest.mark.parametrize("role", ["rep_peer", "rep_other", "manager_b"])
def test_contact_indicators_of_a_hidden_contact_cannot_be_written(role, client_for, contact):
    response = client_for(role).patch(
        f"/api/v1/contacts/{contact.pk}/", {"indicators": ["takes_part"]}, format="json"
    )
    assert response.status_code == 404
    assert not ContactIndicator.objects.filter(contact=contact).exists()
    assert LevelIndicator.objects.filter(code="takes_part").exists()
