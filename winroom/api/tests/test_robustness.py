"""Malformed input gets a 4xx with a message — never a 500, never a database error."""

import json

import pytest

BIG = 10**30


@pytest.fixture
def client(client_for, account, contact, activity):
    return client_for("rep_owner")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/accounts/abc/",
        "/api/v1/accounts/0/",
        "/api/v1/accounts/-1/",
        "/api/v1/accounts/1.5/",
        f"/api/v1/accounts/{BIG}/",
        "/api/v1/accounts/%00/",
        "/api/v1/accounts/０１/",
        "/api/v1/contacts/abc/",
        f"/api/v1/contacts/{BIG}/",
        "/api/v1/activities/abc/",
        f"/api/v1/activities/{BIG}/",
        "/api/v1/accounts/abc/history/",
        "/api/v1/accounts/abc/org-chart/",
        "/api/v1/accounts/abc/members/",
        f"/api/v1/contacts/{BIG}/history/",
    ],
)
def test_bad_ids_in_urls_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "method, path",
    [
        ("patch", "/api/v1/accounts/abc/"),
        ("put", f"/api/v1/contacts/{BIG}/"),
        ("delete", "/api/v1/activities/abc/"),
        ("post", "/api/v1/accounts/abc/restore/"),
        ("post", f"/api/v1/contacts/{BIG}/restore/"),
        ("delete", "/api/v1/accounts/abc/members/1/"),
    ],
)
def test_bad_ids_in_write_urls_are_404(client, method, path):
    response = getattr(client, method)(path, {}, format="json")
    assert response.status_code == 404


def test_bad_member_id_is_404(client, account):
    for member in ("abc", str(BIG), "0"):
        response = client.delete(f"/api/v1/accounts/{account.pk}/members/{member}/")
        assert response.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[" * 100_000,
        '"a string"',
        "[1, 2]",
        "null",
        '{"name": NaN}',
        '{"name": "x", "owner": 1e400}',
        '{"name": "\\ud800"}',
        '{"name": "' + "x" * 100_000 + '"}',
        '{"name": "ok", "website": "http://' + "a" * 100_000 + '.com"}',
    ],
)
def test_malformed_bodies_are_400(client, body):
    response = client.post("/api/v1/accounts/", body, content_type="application/json")
    assert response.status_code == 400, response.content


def test_deep_json_on_update_is_400(client, account):
    response = client.patch(
        f"/api/v1/accounts/{account.pk}/", "{" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400


def test_wrong_content_type_is_415(client):
    response = client.post("/api/v1/accounts/", "name=x", content_type="text/plain")
    assert response.status_code == 415


def test_form_encoded_bodies_work(client, account, contact):
    response = client.post(
        "/api/v1/activities/",
        {
            "account": account.pk,
            "kind": "call",
            "subject": "form",
            "participants": [contact.pk],
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["participants"][0]["id"] == contact.pk


@pytest.mark.parametrize(
    "occurred_at",
    [
        "0001-01-01T00:00:00+08:00",
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59-12:00",
        "2024-13-01T00:00:00",
        12345,
        None,
    ],
)
def test_out_of_range_dates_are_400(client, account, occurred_at):
    response = client.post(
        "/api/v1/activities/",
        {"account": account.pk, "kind": "call", "subject": "x", "occurred_at": occurred_at},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "occurred_at" in response.json()


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "q=" + "x" * 5000,
        "owner=" + str(BIG),
        "owner=-5",
        "owner=abc",
        "industry=%00",
        "ordering=;drop table",
        "ordering=owner__password",
        "region=" + "x" * 100,
    ],
)
def test_bad_account_filters_are_400(client, query):
    assert client.get(f"/api/v1/accounts/?{query}").status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "occurred_after=0001-01-01T00:00:00%2B08:00",
        "occurred_before=9999-12-31T23:59:59-12:00",
        "occurred_after=garbage",
        "contact=" + str(BIG),
        "account=1.5",
    ],
)
def test_bad_activity_filters_are_400(client, query):
    assert client.get(f"/api/v1/activities/?{query}").status_code == 400


@pytest.mark.parametrize("query", ["page=abc", f"page={BIG}", "page=0", "page=-1"])
def test_bad_pages_are_404(client, query):
    assert client.get(f"/api/v1/accounts/?{query}").status_code == 404


def test_bad_page_size_falls_back(client):
    for size in ("abc", "0", "-3", str(BIG)):
        response = client.get(f"/api/v1/accounts/?page_size={size}")
        assert response.status_code == 200


@pytest.mark.parametrize(
    "field, value",
    [
        ("account", {"id": 1}),
        ("account", [1]),
        ("account", "1; drop"),
        ("reports_to", BIG),
        ("reports_to", -1),
        ("reports_to", 1.0),
        ("name", ["list"]),
        ("first_contact_on", "0000-00-00"),
        ("relationship_status", None),
    ],
)
def test_wrong_types_on_contacts_are_400(client, account, field, value):
    body = {"account": account.pk, "name": "ok", field: value}
    response = client.post("/api/v1/contacts/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400, response.content
    assert field in response.json()
