"""The visibility rule over every route: allowed, or 404 — never 403, never in a list.

Roles (see conftest): the owner, a rep on the same team, an iron-triangle member from
another team, a rep of the other team, the owner's manager, the other team's manager,
the director above both teams, an administrator and a deactivated user.
"""

import pytest

from winroom.accounts.models import Account, Contact
from winroom.activities.models import Activity

from .conftest import OUTSIDERS, READERS, VISIBILITY, ids

ROLES = list(VISIBILITY)


def expected(role, ok=200):
    return ok if VISIBILITY[role] else 404


# -- accounts --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_account_list(role, client_for, account, other_account):
    listed = ids(client_for(role).get("/api/v1/accounts/"))
    assert (account.pk in listed) is VISIBILITY[role]
    # the other team's account: its owner's side only
    sees_other = role in {"rep_other", "manager_b", "director", "admin"}
    assert (other_account.pk in listed) is sees_other


@pytest.mark.parametrize("role", ROLES)
def test_account_list_count_never_counts_hidden_records(role, client_for, account):
    response = client_for(role).get("/api/v1/accounts/")
    assert response.json()["count"] == len(response.json()["results"])


@pytest.mark.parametrize("role", ROLES)
def test_account_detail(role, client_for, account):
    assert client_for(role).get(f"/api/v1/accounts/{account.pk}/").status_code == expected(role)


@pytest.mark.parametrize("role", ROLES)
def test_account_update(role, client_for, account):
    response = client_for(role).patch(
        f"/api/v1/accounts/{account.pk}/", {"region": "Pudong"}, format="json"
    )
    assert response.status_code == expected(role)
    account.refresh_from_db()
    assert (account.region == "Pudong") is VISIBILITY[role]


@pytest.mark.parametrize("role", ROLES)
def test_account_delete(role, client_for, account):
    response = client_for(role).delete(f"/api/v1/accounts/{account.pk}/")
    assert response.status_code == expected(role, 204)
    assert Account.all_objects.get(pk=account.pk).is_deleted is VISIBILITY[role]


@pytest.mark.parametrize("role", ROLES)
def test_account_restore(role, client_for, account):
    assert client_for("rep_owner").delete(f"/api/v1/accounts/{account.pk}/").status_code == 204
    response = client_for(role).post(f"/api/v1/accounts/{account.pk}/restore/")
    assert response.status_code == expected(role)
    assert Account.all_objects.get(pk=account.pk).is_deleted is not VISIBILITY[role]


@pytest.mark.parametrize("role", ROLES)
def test_account_history(role, client_for, account):
    response = client_for(role).get(f"/api/v1/accounts/{account.pk}/history/")
    assert response.status_code == expected(role)


@pytest.mark.parametrize("role", ROLES)
def test_account_org_chart(role, client_for, account, contact):
    response = client_for(role).get(f"/api/v1/accounts/{account.pk}/org-chart/")
    assert response.status_code == expected(role)


@pytest.mark.parametrize("role", ROLES)
def test_account_members(role, client_for, org, account):
    client = client_for(role)
    assert client.get(f"/api/v1/accounts/{account.pk}/members/").status_code == expected(role)
    response = client.post(
        f"/api/v1/accounts/{account.pk}/members/",
        {"user": org["rep_peer"].pk, "role": "delivery_manager"},
        format="json",
    )
    assert response.status_code == expected(role, 201)
    assert account.members.filter(user=org["rep_peer"]).exists() is VISIBILITY[role]


@pytest.mark.parametrize("role", ROLES)
def test_account_member_removal(role, client_for, org, account):
    member = account.members.get(user=org["triangle"])
    response = client_for(role).delete(f"/api/v1/accounts/{account.pk}/members/{member.pk}/")
    assert response.status_code == expected(role, 204)
    assert account.members.filter(pk=member.pk).exists() is not VISIBILITY[role]


@pytest.mark.parametrize("role", ROLES)
def test_reassignment(role, client_for, org, account):
    """Only the owner's managers and admins may hand the account to a peer rep: a rep can
    assign only to themselves, a team member may edit but not reassign."""
    response = client_for(role).patch(
        f"/api/v1/accounts/{account.pk}/", {"owner": org["rep_peer"].pk}, format="json"
    )
    account.refresh_from_db()
    if role in {"manager_a", "director", "admin"}:
        assert response.status_code == 200, response.content
        assert response.json()["owner"]["id"] == org["rep_peer"].pk
        assert account.owner == org["rep_peer"]
    elif VISIBILITY[role]:
        assert role in {"rep_owner", "triangle"}
        assert response.status_code == 400
        assert "owner" in response.json()
        assert account.owner == org["rep_owner"]
    else:
        assert response.status_code == 404
        assert account.owner == org["rep_owner"]


@pytest.mark.parametrize("role", ROLES)
def test_may_keep_owner_unchanged(role, client_for, org, account):
    """Sending the current owner back (a PUT round-trip) is not a reassignment."""
    response = client_for(role).patch(
        f"/api/v1/accounts/{account.pk}/",
        {"owner": org["rep_owner"].pk, "region": "Minhang"},
        format="json",
    )
    assert response.status_code == expected(role)


def test_owner_hands_over_within_scope(client_for, org, account):
    """A manager hands the account to a rep of their team; the new owner becomes AM."""
    response = client_for("manager_a").patch(
        f"/api/v1/accounts/{account.pk}/", {"owner": org["rep_peer"].pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["owner"] == {"id": org["rep_peer"].pk, "name": "Rep Peer"}
    roles = {m["user"]["id"]: m["role"] for m in response.json()["members"]}
    assert roles[org["rep_peer"].pk] == "account_manager"
    # and now rep_peer sees it while rep_owner (no longer a member) does not
    assert client_for("rep_peer").get(f"/api/v1/accounts/{account.pk}/").status_code == 200
    assert client_for("rep_owner").get(f"/api/v1/accounts/{account.pk}/").status_code == 404


def test_other_team_manager_cannot_reassign_even_to_own_rep(client_for, org, account):
    response = client_for("manager_b").patch(
        f"/api/v1/accounts/{account.pk}/", {"owner": org["rep_other"].pk}, format="json"
    )
    assert response.status_code == 404


def test_inactive_user_does_nothing(client_for, account):
    client = client_for("inactive")
    assert client.get("/api/v1/accounts/").status_code == 401
    assert client.get(f"/api/v1/accounts/{account.pk}/").status_code == 401
    assert client.delete(f"/api/v1/accounts/{account.pk}/").status_code == 401
    assert not Account.all_objects.get(pk=account.pk).is_deleted


# -- contacts --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_contact_routes(role, client_for, contact, other_contact):
    client = client_for(role)
    listed = ids(client.get("/api/v1/contacts/"))
    assert (contact.pk in listed) is VISIBILITY[role]
    assert client.get(f"/api/v1/contacts/{contact.pk}/").status_code == expected(role)
    assert client.get(f"/api/v1/contacts/{contact.pk}/history/").status_code == expected(role)
    response = client.patch(f"/api/v1/contacts/{contact.pk}/", {"title": "CTO"}, format="json")
    assert response.status_code == expected(role)
    assert client.delete(f"/api/v1/contacts/{contact.pk}/").status_code == expected(role, 204)
    assert Contact.all_objects.get(pk=contact.pk).is_deleted is VISIBILITY[role]


@pytest.mark.parametrize("role", ROLES)
def test_contact_restore(role, client_for, contact):
    assert client_for("rep_owner").delete(f"/api/v1/contacts/{contact.pk}/").status_code == 204
    response = client_for(role).post(f"/api/v1/contacts/{contact.pk}/restore/")
    assert response.status_code == expected(role)
    assert Contact.all_objects.get(pk=contact.pk).is_deleted is not VISIBILITY[role]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_contact_filter_by_hidden_account_shows_nothing(role, client_for, account, contact):
    response = client_for(role).get("/api/v1/contacts/", {"account": account.pk})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_contacts_of_a_deleted_account_disappear(client_for, account, contact):
    client = client_for("rep_owner")
    assert client.delete(f"/api/v1/accounts/{account.pk}/").status_code == 204
    assert contact.pk not in ids(client.get("/api/v1/contacts/"))
    assert client.get(f"/api/v1/contacts/{contact.pk}/").status_code == 404


# -- activities ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_activity_routes(role, client_for, activity):
    client = client_for(role)
    listed = ids(client.get("/api/v1/activities/"))
    assert (activity.pk in listed) is VISIBILITY[role]
    assert client.get(f"/api/v1/activities/{activity.pk}/").status_code == expected(role)
    assert client.get(f"/api/v1/activities/{activity.pk}/history/").status_code == expected(role)
    response = client.patch(
        f"/api/v1/activities/{activity.pk}/", {"subject": "Renamed"}, format="json"
    )
    assert response.status_code == expected(role)
    assert client.delete(f"/api/v1/activities/{activity.pk}/").status_code == expected(role, 204)
    assert Activity.all_objects.get(pk=activity.pk).is_deleted is VISIBILITY[role]


@pytest.mark.parametrize("role", ROLES)
def test_activity_restore(role, client_for, activity):
    assert client_for("rep_owner").delete(f"/api/v1/activities/{activity.pk}/").status_code == 204
    response = client_for(role).post(f"/api/v1/activities/{activity.pk}/restore/")
    assert response.status_code == expected(role)
    assert Activity.all_objects.get(pk=activity.pk).is_deleted is not VISIBILITY[role]


# -- hidden things never leak through references ------------------------------------


@pytest.mark.parametrize("role", OUTSIDERS)
def test_cannot_add_contact_to_hidden_account(role, client_for, account):
    response = client_for(role).post(
        "/api/v1/contacts/", {"account": account.pk, "name": "Spy"}, format="json"
    )
    missing = client_for(role).post(
        "/api/v1/contacts/", {"account": 987654, "name": "Spy"}, format="json"
    )
    assert response.status_code == missing.status_code == 400
    assert response.json()["account"] == missing.json()["account"] == ["No such account."]
    assert not Contact.objects.filter(name="Spy").exists()


@pytest.mark.parametrize("role", OUTSIDERS)
def test_cannot_log_activity_at_hidden_account(role, client_for, account):
    response = client_for(role).post(
        "/api/v1/activities/",
        {"account": account.pk, "kind": "call", "subject": "Spy"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["account"] == ["No such account."]


@pytest.mark.parametrize("role", READERS)
def test_readers_can_add_contacts(role, client_for, account):
    response = client_for(role).post(
        "/api/v1/contacts/", {"account": account.pk, "name": f"New {role}"}, format="json"
    )
    assert response.status_code == 201, response.content


def test_cannot_name_hidden_contact_as_participant(client_for, account, other_contact):
    response = client_for("rep_owner").post(
        "/api/v1/activities/",
        {
            "account": account.pk,
            "kind": "call",
            "subject": "x",
            "participants": [other_contact.pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["participants"] == ["No such contact."]


def test_restore_only_finds_deleted_records(client_for, account):
    response = client_for("rep_owner").post(f"/api/v1/accounts/{account.pk}/restore/")
    assert response.status_code == 404
