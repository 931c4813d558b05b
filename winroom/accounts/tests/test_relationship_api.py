"""The ESP+ relationship API: scores with inputs, gaps, tiers, level history, the seven
elements and the action catalogue; every endpoint refuses those who may not read."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from winroom.accounts.api.relationships import (
    AccountRelationshipViewSet,
    ContactRelationshipViewSet,
    RelationshipActionViewSet,
)
from winroom.accounts.models import (
    Contact,
    RelationshipActionType,
    RelationshipLevelChange,
    SupplierTierAssessment,
)
from winroom.activities.actions import log_activity
from winroom.deals import actions as deal_actions
from winroom.testing.factories import ContactFactory

pytestmark = pytest.mark.django_db

MY_VIEWSETS = (AccountRelationshipViewSet, ContactRelationshipViewSet, RelationshipActionViewSet)


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def log(company, contact, codes, days_ago=0):
    log_activity(
        by=company.owner,
        data={
            "account": contact.account,
            "kind": "meeting",
            "subject": "技术交流",
            "notes": "",
            "occurred_at": timezone.now() - timedelta(days=days_ago),
            "participants": [contact],
            "relationship_actions": [RelationshipActionType.objects.get(code=c) for c in codes],
        },
    )


@pytest.fixture
def scored(company):
    """The fixture account with a key executive (hq visit: 5 × 1.5) and a gap."""
    contact = company.contact
    Contact.objects.filter(pk=contact.pk).update(level="executive", marked_key=True)
    log(company, contact, ["hq_visit"])
    deal = deal_actions.create_deal(
        by=company.owner, data={"account": company.account, "name": "项目", "amount": "100"}
    )
    approver = ContactFactory(account=company.account, name="张批准")
    deal_actions.map_person(deal, by=company.owner, contact=approver, decision_role="approver")
    SupplierTierAssessment.objects.create(account=company.account, tier=3, evidence="服务")
    return company


def test_account_relationship_shows_the_score_with_its_inputs(scored):
    response = api(scored.owner).get(f"/api/v1/account-relationships/{scored.account.pk}/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert Decimal(data["score"]) == Decimal("3.8")  # (7.5 + 0) / 2 = 3.75 → 3.8
    assert data["rule"]["window_days"] == 365
    people = {p["contact"]["name"]: p for p in data["key_contacts"]}
    assert set(people) == {"王建国", "张批准"}
    ceo = people["王建国"]["score"]
    assert Decimal(ceo["score"]) == Decimal("7.5") and Decimal(ceo["coefficient"]) == 1.5
    assert ceo["actions_counted"] == 1 and ceo["counted"][0]["code"] == "hq_visit"
    assert people["张批准"]["holds_decision_role"] is True
    assert sum(data["level_distribution"].values()) == 2
    assert [g["role"] for g in data["coverage_gaps"]] == ["approver"]
    assert data["coverage_gaps"][0]["contacts"][0]["name"] == "张批准"
    assert data["supplier_tier"]["tier"] == 3


def test_portfolio_list_matches_the_detail(scored):
    response = api(scored.manager).get("/api/v1/account-relationships/", {"sort": "-score"})
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == scored.account.pk
    assert Decimal(row["score"]) == Decimal("3.8")
    assert row["coverage_gap_count"] == 1 and row["supplier_tier"] == 3
    assert row["level_distribution"]["neutral"] == 2
    assert (
        api(scored.manager).get("/api/v1/account-relationships/", {"tier": "5"}).json()["count"]
        == 0
    )


def test_supplier_tier_history_and_assessment(scored):
    url = f"/api/v1/account-relationships/{scored.account.pk}/supplier-tiers/"
    client = api(scored.member)
    missing = client.post(url, {"tier": 4, "evidence": "  "}, format="json")
    assert missing.status_code == 400 and "evidence" in missing.json()
    assert client.post(url, {"tier": 9, "evidence": "x"}, format="json").status_code == 400
    created = client.post(url, {"tier": 4, "evidence": "解决了排班问题"}, format="json")
    assert created.status_code == 201
    assert created.json()["assessed_by"]["id"] == scored.member.pk
    history = client.get(url).json()
    assert [h["tier"] for h in history] == [4, 3]


def test_contact_relationship_level_history_and_elements(scored):
    contact = scored.contact
    RelationshipLevelChange.objects.create(contact=contact, old="neutral", new="supporter")
    client = api(scored.owner)
    data = client.get(f"/api/v1/contact-relationships/{contact.pk}/").json()
    assert Decimal(data["score"]["score"]) == Decimal("7.5")
    assert data["is_key"] is True
    assert data["level_changes"][0]["new"] == "supporter"
    assert data["elements"]["values"]["frequency"] == 2  # one interaction in 90 days
    changes = client.get(f"/api/v1/contact-relationships/{contact.pk}/level-changes/").json()
    assert changes == [{"old": "neutral", "new": "supporter", "at": changes[0]["at"]}]


def test_judged_elements_are_written_with_version_and_409(scored):
    contact = scored.contact
    url = f"/api/v1/contact-relationships/{contact.pk}/elements/"
    client = api(scored.owner)
    read = client.get(url)
    version = read.json()["version"]
    assert read["ETag"] == f'"{version}"'
    saved = client.patch(url, {"value": 4, "depth": 2, "version": version}, format="json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["values"]["value"] == 4
    contact.refresh_from_db()
    assert (contact.element_value, contact.element_depth) == (4, 2)
    stale = client.patch(url, {"value": 1, "version": version}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == version + 1
    stale_header = client.patch(url, {"value": 1}, format="json", HTTP_IF_MATCH=f'"{version}"')
    assert stale_header.status_code == 409
    derived = client.patch(url, {"frequency": 5}, format="json")
    assert derived.status_code == 400 and "frequency" in derived.json()
    assert client.patch(url, {"value": 6}, format="json").status_code == 400
    contact.refresh_from_db()
    assert contact.element_value == 4


def test_account_elements_comparison(scored):
    Contact.objects.filter(pk=scored.contact.pk).update(element_value=5)
    response = api(scored.director).get(
        f"/api/v1/account-relationships/{scored.account.pk}/elements/"
    )
    assert response.status_code == 200
    data = response.json()
    assert {p["contact"]["name"] for p in data["people"]} == {"王建国", "张批准"}
    value = next(e for e in data["extremes"] if e["element"] == "value")
    assert value["strongest"] == 5 and value["strongest_by"] == ["王建国"]


def test_catalogue_is_read_by_everyone_and_written_by_administrators(company):
    rep = api(company.teammate)
    listed = rep.get("/api/v1/relationship-actions/")
    assert listed.status_code == 200 and listed.json()["count"] >= 5
    entry = RelationshipActionType.objects.get(code="hq_visit")
    assert (
        rep.post(
            "/api/v1/relationship-actions/",
            {"code": "x", "name": "x", "points": "1"},
            format="json",
        ).status_code
        == 404
    )
    assert (
        rep.patch(
            f"/api/v1/relationship-actions/{entry.pk}/", {"points": "50"}, format="json"
        ).status_code
        == 404
    )
    assert rep.delete(f"/api/v1/relationship-actions/{entry.pk}/").status_code in (404, 405)
    entry.refresh_from_db()
    assert entry.points == Decimal(5)
    assert not RelationshipActionType.objects.filter(code="x").exists()
    admin = api(company.admin)
    created = admin.post(
        "/api/v1/relationship-actions/",
        {"code": "site_tour", "name": "参观工厂", "points": "3"},
        format="json",
    )
    assert created.status_code == 201
    changed = admin.patch(
        f"/api/v1/relationship-actions/{entry.pk}/", {"active": False}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["active"] is False
    assert admin.delete(f"/api/v1/relationship-actions/{entry.pk}/").status_code == 405
    assert api().get("/api/v1/relationship-actions/").status_code in (401, 403)


def _my_routes():
    """Every URL of this module's viewsets, from the URLconf (a new one joins by itself)."""
    routes = []
    for pattern in get_resolver().url_patterns:
        if str(pattern.pattern) != "api/v1/":
            continue
        for inner in pattern.url_patterns:
            for route in getattr(inner, "url_patterns", [inner]):
                cls = getattr(route.callback, "cls", None)
                if cls in MY_VIEWSETS and "format" not in str(route.pattern):
                    routes.append(route)
    return routes


@pytest.mark.parametrize("role", ["teammate", "outsider", "other_manager"])
def test_every_endpoint_refuses_who_may_not_read_the_account(scored, role):
    client = api(getattr(scored, role))
    contact, account = scored.contact, scored.account
    before = (
        Contact.objects.get(pk=contact.pk).version,
        SupplierTierAssessment.objects.count(),
        RelationshipActionType.objects.count(),
    )
    routes = _my_routes()
    assert len(routes) >= 7
    for route in routes:
        cls = route.callback.cls
        path = str(route.pattern).removeprefix("^").removesuffix("$")
        detail = "(?P<pk>" in path
        if cls is RelationshipActionViewSet:
            continue  # the catalogue is public to active users (tested above)
        if not detail:
            response = client.get("/api/v1/" + path)
            assert response.status_code == 200
            assert account.pk not in {r["id"] for r in response.json()["results"]}
            continue
        pk = account.pk if cls is AccountRelationshipViewSet else contact.pk
        url = "/api/v1/" + path.replace("(?P<pk>[^/.]+)", str(pk))
        for method in ("get", "post", "patch", "put"):
            response = getattr(client, method)(
                url, {"tier": 5, "evidence": "x", "value": 1}, format="json"
            )
            assert response.status_code in (404, 405), (url, method, response.status_code)
    after = (
        Contact.objects.get(pk=contact.pk).version,
        SupplierTierAssessment.objects.count(),
        RelationshipActionType.objects.count(),
    )
    assert after == before


def test_anonymous_and_deactivated_are_refused(scored):
    from rest_framework.authtoken.models import Token

    url = f"/api/v1/account-relationships/{scored.account.pk}/"
    assert api().get(url).status_code in (401, 403)
    token, _created = Token.objects.get_or_create(user=scored.deactivated)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(url).status_code == 401
    assert client.get("/api/v1/relationship-actions/").status_code == 401


def test_schema_documents_the_relationship_endpoints(company):
    response = api(company.owner).get("/api/v1/schema/", {"format": "json"})
    paths = response.json()["paths"]
    for path in [
        "/api/v1/account-relationships/",
        "/api/v1/account-relationships/{id}/",
        "/api/v1/account-relationships/{id}/supplier-tiers/",
        "/api/v1/account-relationships/{id}/elements/",
        "/api/v1/contact-relationships/{id}/",
        "/api/v1/contact-relationships/{id}/level-changes/",
        "/api/v1/contact-relationships/{id}/elements/",
        "/api/v1/relationship-actions/",
    ]:
        assert path in paths, path
