"""Accounts: writes through the actions, validation, versions, team, org chart, filters."""

import pytest

from winroom.accounts.models import Account, AccountMember, Contact

from .conftest import ids


def url(account=None, suffix=""):
    return f"/api/v1/accounts/{account.pk}/{suffix}" if account else "/api/v1/accounts/"


# -- create ----------------------------------------------------------------------------


def test_create_defaults_owner_to_caller(client_for, org):
    response = client_for("rep_owner").post(
        url(), {"name": "  China   Mobile ", "industry": "telecom"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "China Mobile"
    assert body["owner"] == {"id": org["rep_owner"].pk, "name": "Rep Owner"}
    assert body["version"] == 1
    assert [m["user"]["id"] for m in body["members"]] == [org["rep_owner"].pk]
    assert response["ETag"] == '"1"'


def test_manager_creates_for_own_rep(client_for, org):
    response = client_for("manager_a").post(
        url(), {"name": "CRRC", "owner": org["rep_peer"].pk}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["owner"]["id"] == org["rep_peer"].pk


def test_rep_cannot_create_for_someone_else(client_for, org):
    response = client_for("rep_owner").post(
        url(), {"name": "CRRC", "owner": org["rep_peer"].pk}, format="json"
    )
    assert response.status_code == 400
    assert "owner" in response.json()
    assert not Account.objects.filter(name="CRRC").exists()


def test_owner_must_be_an_active_user(client_for, org):
    for owner in (org["inactive"].pk, 99999, "abc", True, None):
        response = client_for("admin").post(url(), {"name": "X", "owner": owner}, format="json")
        assert response.status_code == 400, owner
        assert "owner" in response.json()


def test_server_fields_cannot_be_written(client_for, org):
    response = client_for("rep_owner").post(
        url(),
        {
            "name": "Haier",
            "id": 4242,
            "version": 77,
            "created_at": "2001-01-01T00:00:00Z",
            "deleted_at": "2001-01-01T00:00:00Z",
            "deleted_by": org["admin"].pk,
            "name_key": "something else",
            "members": [{"user": org["admin"].pk, "role": "delivery_manager"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    account = Account.objects.get(name="Haier")
    assert account.pk != 4242
    assert account.version == 1
    assert account.deleted_at is None and account.deleted_by is None
    assert account.name_key == "haier"
    assert account.created_at.year > 2001
    assert list(account.members.values_list("user_id", flat=True)) == [org["rep_owner"].pk]


@pytest.mark.parametrize(
    "name", ["sinopec shanghai", "SINOPEC  SHANGHAI", "Ｓｉｎｏｐｅｃ Ｓｈａｎｇｈａｉ"]
)
def test_duplicate_name_is_400_on_name(client_for, account, name):
    response = client_for("rep_owner").post(url(), {"name": name}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["name"]
    assert "already exists" in response.json()["name"][0]


def test_duplicate_name_of_invisible_account_is_also_refused(client_for, account):
    # uniqueness is company-wide (the model's rule); the message names no record
    response = client_for("rep_other").post(url(), {"name": "Sinopec Shanghai"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["name"]


def test_rename_onto_existing_name_is_400(client_for, account, org):
    other = Account.objects.create(name="Other Co", owner=org["rep_owner"])
    AccountMember.objects.create(account=other, user=org["rep_owner"], role="account_manager")
    response = client_for("rep_owner").patch(
        url(other), {"name": "SINOPEC shanghai"}, format="json"
    )
    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "ok", "industry": "bogus"}, "industry"),
        ({"name": "ok", "website": "not a url"}, "website"),
        ({"name": "ok", "status": ["active"]}, "status"),
        ({"name": {"zh": "名称"}}, "name"),
        ({"name": "nul\x00byte"}, "name"),
    ],
)
def test_field_validation(client_for, org, body, field):
    response = client_for("rep_owner").post(url(), body, format="json")
    assert response.status_code == 400
    assert field in response.json()


# -- update and versions --------------------------------------------------------------


def test_update_bumps_version(client_for, account):
    client = client_for("rep_owner")
    response = client.patch(url(account), {"status": "active", "version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response.json()["status"] == "active"
    assert response["ETag"] == '"2"'


def test_stale_version_in_body_is_409(client_for, account):
    client_for("triangle").patch(url(account), {"region": "Pudong"}, format="json")
    response = client_for("rep_owner").patch(
        url(account), {"region": "Minhang", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    account.refresh_from_db()
    assert account.region == "Pudong"


@pytest.mark.parametrize("header", ["1", '"1"', 'W/"1"'])
def test_stale_if_match_is_409(client_for, account, header):
    client_for("triangle").patch(url(account), {"region": "Pudong"}, format="json")
    response = client_for("rep_owner").patch(
        url(account), {"region": "Minhang"}, format="json", HTTP_IF_MATCH=header
    )
    assert response.status_code == 409


def test_current_if_match_passes(client_for, account):
    client = client_for("rep_owner")
    etag = client.get(url(account))["ETag"]
    response = client.patch(url(account), {"region": "X"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    stale = client.patch(url(account), {"region": "Y"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409


@pytest.mark.parametrize("header", ["abc", '"-1"', "1, 2", '"99999999999999999999999"'])
def test_malformed_if_match_is_400(client_for, account, header):
    response = client_for("rep_owner").patch(
        url(account), {"region": "X"}, format="json", HTTP_IF_MATCH=header
    )
    assert response.status_code == 400
    assert "version" in response.json()


@pytest.mark.parametrize("version", ["abc", 0, -1, 10**30, 1.5, [1]])
def test_malformed_version_is_400(client_for, account, version):
    response = client_for("rep_owner").patch(
        url(account), {"region": "X", "version": version}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()


def test_put_replaces_the_record(client_for, account, org):
    client = client_for("rep_owner")
    body = client.get(url(account)).json()
    body.update({"description": "Refinery", "owner": body["owner"]["id"]})
    response = client.put(url(account), body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["description"] == "Refinery"


def test_put_needs_the_name(client_for, account):
    response = client_for("rep_owner").put(url(account), {"region": "X"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


# -- delete, restore, history ---------------------------------------------------------


def test_delete_is_soft_and_restore_brings_back(client_for, account, contact):
    client = client_for("rep_owner")
    assert client.delete(url(account)).status_code == 204
    assert client.get(url(account)).status_code == 404
    assert account.pk not in ids(client.get(url()))
    assert Account.all_objects.filter(pk=account.pk).exists()
    assert client.delete(url(account)).status_code == 404  # already in the bin
    response = client.post(url(account, "restore/"))
    assert response.status_code == 200
    assert response.json()["id"] == account.pk
    assert client.get(f"/api/v1/contacts/{contact.pk}/").status_code == 200


def test_restore_refused_when_name_was_taken(client_for, account, org):
    client = client_for("rep_owner")
    assert client.delete(url(account)).status_code == 204
    assert client.post(url(), {"name": "Sinopec Shanghai"}, format="json").status_code == 201
    response = client.post(url(account, "restore/"))
    assert response.status_code == 400
    assert "name" in response.json()


def test_history_lists_changes(client_for, account, org):
    client = client_for("rep_owner")
    client.patch(url(account), {"region": "Pudong", "status": "active"}, format="json")
    client.delete(url(account))
    response = client.get(url(account, "history/"))  # history works from the bin too
    assert response.status_code == 200
    entries = response.json()
    assert set(entries[0]) == {"when", "who", "kind", "changes"}
    change = next(e for e in entries if any(c["new"] == "Pudong" for c in e["changes"]))
    assert change["who"] == "Rep Owner"
    fields = {c["field"]: c for c in change["changes"]}
    assert fields["region"]["old"] == "Shanghai"
    assert fields["status"]["new"] == "Active"
    assert entries[-1]["kind"] == "created"


# -- account team --------------------------------------------------------------------


def test_members_add_change_remove(client_for, account, org):
    client = client_for("rep_owner")
    members_url = url(account, "members/")
    added = client.post(
        members_url, {"user": org["rep_peer"].pk, "role": "delivery_manager"}, format="json"
    )
    assert added.status_code == 201, added.content
    assert added.json()["user"] == {"id": org["rep_peer"].pk, "name": "Rep Peer"}
    # the new member now sees the account
    assert client_for("rep_peer").get(url(account)).status_code == 200
    changed = client.post(
        members_url, {"user": org["rep_peer"].pk, "role": "solution_manager"}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["role"] == "solution_manager"
    listed = client.get(members_url).json()
    assert {m["user"]["id"] for m in listed} == {
        org["rep_owner"].pk,
        org["triangle"].pk,
        org["rep_peer"].pk,
    }
    removed = client.delete(f"{members_url}{added.json()['id']}/")
    assert removed.status_code == 204
    assert client_for("rep_peer").get(url(account)).status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({"user": 99999, "role": "delivery_manager"}, "user"),
        ({"user": "x", "role": "delivery_manager"}, "user"),
        ({"role": "delivery_manager"}, "user"),
        ({"user": 1, "role": "boss"}, "role"),
    ],
)
def test_member_validation(client_for, account, body, field):
    response = client_for("rep_owner").post(url(account, "members/"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_inactive_user_cannot_join(client_for, account, org):
    response = client_for("rep_owner").post(
        url(account, "members/"),
        {"user": org["inactive"].pk, "role": "delivery_manager"},
        format="json",
    )
    assert response.status_code == 400
    assert "user" in response.json()


def test_member_of_another_account_is_404(client_for, account, other_account, org):
    foreign = other_account.members.first()
    client = client_for("admin")
    assert client.delete(url(account, f"members/{foreign.pk}/")).status_code == 404
    assert client.delete(url(account, "members/abc/")).status_code == 404
    assert AccountMember.objects.filter(pk=foreign.pk).exists()


# -- org chart -----------------------------------------------------------------------


def test_org_chart(client_for, account):
    ceo = Contact.objects.create(account=account, name="Zhang CEO", title="CEO")
    cio = Contact.objects.create(account=account, name="Wang CIO", reports_to=ceo)
    gone = Contact.objects.create(account=account, name="Gone", reports_to=ceo)
    orphan = Contact.objects.create(account=account, name="Orphan", reports_to=gone)
    client = client_for("rep_owner")
    assert client.delete(f"/api/v1/contacts/{gone.pk}/").status_code == 204
    response = client.get(url(account, "org-chart/"))
    assert response.status_code == 200
    body = response.json()
    assert body["account"] == {"id": account.pk, "name": account.name}
    nodes = {node["id"]: node for node in body["nodes"]}
    assert set(nodes) == {ceo.pk, cio.pk, orphan.pk}
    assert nodes[cio.pk]["reports_to"] == ceo.pk
    assert nodes[orphan.pk]["reports_to"] is None  # the boss is in the recycle bin
    assert set(body["roots"]) == {ceo.pk, orphan.pk}
    assert set(nodes[ceo.pk]) == {
        "id",
        "name",
        "title",
        "department",
        "reports_to",
        "relationship_status",
        "relationship_colour",
        "interaction_level",
    }
    assert nodes[ceo.pk]["interaction_level"] == "never_met"


# -- filters and ordering ------------------------------------------------------------


@pytest.fixture
def accounts(org):
    owner = org["rep_owner"]
    made = {}
    for name, industry, status, region in [
        ("Alpha Energy", "energy", "active", "Beijing"),
        ("Beta Bank", "finance", "target", "Shanghai"),
        ("Gamma Motors", "automotive", "dormant", "Beijing"),
    ]:
        made[name] = Account.objects.create(
            name=name, industry=industry, status=status, region=region, owner=owner
        )
    return made


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "bank"}, {"Beta Bank"}),
        ({"q": "ＢＡＮＫ"}, {"Beta Bank"}),
        ({"q": "beijing"}, {"Alpha Energy", "Gamma Motors"}),
        ({"industry": "energy"}, {"Alpha Energy"}),
        ({"status": "dormant"}, {"Gamma Motors"}),
        ({"region": "shanghai"}, {"Beta Bank"}),
        ({"q": "  "}, {"Alpha Energy", "Beta Bank", "Gamma Motors"}),
    ],
)
def test_account_filters(client_for, accounts, params, expected):
    response = client_for("rep_owner").get(url(), params)
    assert response.status_code == 200
    assert {row["name"] for row in response.json()["results"]} == expected


def test_owner_filter(client_for, accounts, org, account):
    client = client_for("admin")
    response = client.get(url(), {"owner": org["rep_owner"].pk})
    assert response.json()["count"] == 4
    assert client.get(url(), {"owner": org["rep_peer"].pk}).json()["count"] == 0


def test_ordering(client_for, accounts):
    client = client_for("rep_owner")
    names = [r["name"] for r in client.get(url(), {"ordering": "-name"}).json()["results"]]
    assert names == ["Gamma Motors", "Beta Bank", "Alpha Energy"]
    names = [r["name"] for r in client.get(url(), {"ordering": "region,-name"}).json()["results"]]
    assert names == ["Gamma Motors", "Alpha Energy", "Beta Bank"]


@pytest.mark.parametrize(
    "params",
    [
        {"ordering": "owner__password"},
        {"ordering": "name_key"},
        {"ordering": "deleted_by"},
        {"industry": "bogus"},
        {"owner": "abc"},
        {"owner": "1.5"},
        {"owner": str(10**30)},
        {"q": "x" * 5000},
    ],
)
def test_bad_filters_are_400(client_for, accounts, params):
    assert client_for("rep_owner").get(url(), params).status_code == 400


def test_pagination(client_for, accounts):
    response = client_for("rep_owner").get(url(), {"page_size": 2})
    body = response.json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert client_for("rep_owner").get(url(), {"page": 99}).status_code == 404
