"""The plans API: plans with nested sections, canvases with computed fit and gaps, links.
Same rule as the pages: an outsider gets 404 on every route and nothing changes; a stale
version is a 409."""

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from winroom.plans import actions
from winroom.plans.models import AccountPlan, CustomerLink, FitCanvas

from .conftest import OUTSIDERS, READERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(company):
    def make(who):
        user = getattr(company, who) if isinstance(who, str) else who
        user.language = "en"
        user.save(update_fields=["language"])
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def ids(company, plan, canvas, lines):
    link, _token = actions.create_link(canvas, by=company.owner)
    return {
        "plan": plan.pk,
        "canvas": canvas.pk,
        "initiative": plan.initiatives.first().pk,
        "unit": plan.units.first().pk,
        "line": lines[1].pk,
        "goal": plan.goals.first().pk,
        "action": plan.actions.first().pk,
        "link": link.pk,
        "account": company.account.pk,
        "contact": company.contact.pk,
        "owner": company.owner.pk,
    }


def r(method, path, body=None, ok=200):
    return pytest.param(method, path, body or {}, ok, id=f"{method} {path}")


ROUTES = [
    r("get", "account-plans/{plan}/"),
    r("patch", "account-plans/{plan}/", {"strategy": "改"}),
    r("put", "account-plans/{plan}/", {"strategy": "改", "status": "active"}),
    r("delete", "account-plans/{plan}/", ok=204),
    r("get", "account-plans/{plan}/history/"),
    r("post", "account-plans/{plan}/initiatives/", {"initiative": "新"}, ok=201),
    r("delete", "account-plans/{plan}/initiatives/{initiative}/", ok=204),
    r("post", "account-plans/{plan}/business-units/", {"name": "新单元"}, ok=201),
    r("delete", "account-plans/{plan}/business-units/{unit}/", ok=204),
    r(
        "post",
        "account-plans/{plan}/whitespace/",
        {"business_unit": "{unit}", "product_line": "{line}", "state": "open"},
    ),
    r(
        "post",
        "account-plans/{plan}/goals/",
        {"contact": "{contact}", "target_level": "iron_supporter"},
        ok=201,
    ),
    r("delete", "account-plans/{plan}/goals/{goal}/", ok=204),
    r("post", "account-plans/{plan}/actions/", {"title": "新", "due_on": "2026-12-01"}, ok=201),
    r("patch", "account-plans/{plan}/actions/{action}/", {"status": "done"}),
    r("delete", "account-plans/{plan}/actions/{action}/", ok=204),
    r("get", "canvases/{canvas}/"),
    r("patch", "canvases/{canvas}/", {"our_scores": {"strategy": 1}}),
    r("delete", "canvases/{canvas}/", ok=204),
    r("get", "canvases/{canvas}/history/"),
    r("get", "canvases/{canvas}/links/"),
    r("post", "canvases/{canvas}/links/", {"days": 5}, ok=201),
    r("post", "canvases/{canvas}/links/{link}/revoke/"),
]


def fill(value, ids):
    if isinstance(value, str):
        text = value.format(**ids)
        return int(text) if text.isdigit() and value.startswith("{") else text
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


def snapshot():
    return (
        list(AccountPlan.all_objects.values_list("pk", "version", "deleted_at", "strategy")),
        list(FitCanvas.all_objects.values_list("pk", "version", "deleted_at")),
        list(CustomerLink.objects.values_list("pk", "revoked_at")),
        [
            (p.initiatives.count(), p.units.count(), p.cells.count(), p.goals.count())
            for p in AccountPlan.all_objects.all()
        ],
        sorted(
            (a.pk, a.status, a.deleted_at is None)
            for p in AccountPlan.all_objects.all()
            for a in p.actions.model.all_objects.filter(plan=p)
        ),
    )


@pytest.mark.parametrize(("method", "path", "body", "ok"), ROUTES)
def test_owner_reaches_every_route(api, ids, method, path, body, ok):
    response = getattr(api("owner"), method)(
        f"/api/v1/{fill(path, ids)}", fill(body, ids), format="json"
    )
    assert response.status_code == ok, response.content


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize(("method", "path", "body", "ok"), ROUTES)
def test_outsiders_get_404_and_nothing_changes(api, ids, who, method, path, body, ok):
    before = snapshot()
    response = getattr(api(who), method)(
        f"/api/v1/{fill(path, ids)}", fill(body, ids), format="json"
    )
    assert response.status_code == 404, response.content
    assert snapshot() == before


@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_plan_and_canvas(api, ids, who):
    client = api(who)
    assert ids["plan"] in {p["id"] for p in client.get("/api/v1/account-plans/").json()["results"]}
    assert ids["canvas"] in {c["id"] for c in client.get("/api/v1/canvases/").json()["results"]}


@pytest.mark.parametrize("who", OUTSIDERS)
def test_lists_leave_out_what_outsiders_may_not_read(api, ids, who):
    client = api(who)
    assert ids["plan"] not in {
        p["id"] for p in client.get("/api/v1/account-plans/").json()["results"]
    }
    assert ids["canvas"] not in {c["id"] for c in client.get("/api/v1/canvases/").json()["results"]}


def test_deactivated_user_is_refused(api, ids, company):
    client = api("owner")
    company.owner.is_active = False
    company.owner.save()
    assert client.get(f"/api/v1/account-plans/{ids['plan']}/").status_code == 401


def test_plan_detail_nests_every_section(api, ids):
    data = api("owner").get(f"/api/v1/account-plans/{ids['plan']}/").json()
    assert data["strategy"] == "打造智慧地铁"
    assert [i["initiative"] for i in data["initiatives"]] == ["线网指挥中心"]
    assert [u["name"] for u in data["business_units"]] == ["运营公司", "维保公司"]
    assert len(data["whitespace"]) == 4  # 2 units × 2 product lines
    owned = [c for c in data["whitespace"] if not c["suggested"]]
    assert [(c["business_unit"]["name"], c["state"]) for c in owned] == [("运营公司", "owned")]
    assert data["goals"][0]["target_level"] == "supporter"
    assert data["actions"][0]["title"] == "拜访王主任"
    assert data["progress"] == {"done": 0, "total": 1, "overdue": 0, "percent": 0}


def test_create_plan_and_duplicate_year(api, company):
    client = api("owner")
    response = client.post(
        "/api/v1/account-plans/", {"account": company.account.pk, "year": 2027}, format="json"
    )
    assert response.status_code == 201, response.content
    response = client.post(
        "/api/v1/account-plans/", {"account": company.account.pk, "year": 2027}, format="json"
    )
    assert response.status_code == 400 and "year" in response.json()
    # an account the caller may not see is reported as nonexistent
    response = api("outsider").post(
        "/api/v1/account-plans/", {"account": company.account.pk, "year": 2028}, format="json"
    )
    assert response.status_code == 400 and "account" in response.json()
    assert not AccountPlan.objects.filter(year=2028).exists()


def test_stale_version_is_409(api, plan):
    client = api("owner")
    version = plan.version
    assert (
        client.patch(
            f"/api/v1/account-plans/{plan.pk}/",
            {"strategy": "一", "version": version},
            format="json",
        ).status_code
        == 200
    )
    response = client.patch(
        f"/api/v1/account-plans/{plan.pk}/", {"strategy": "二", "version": version}, format="json"
    )
    assert response.status_code == 409
    plan.refresh_from_db()
    assert plan.strategy == "一"
    action = plan.actions.get()
    url = f"/api/v1/account-plans/{plan.pk}/actions/{action.pk}/"
    assert (
        client.patch(url, {"status": "done", "version": action.version}, format="json").status_code
        == 200
    )
    assert (
        client.patch(url, {"status": "open", "version": action.version}, format="json").status_code
        == 409
    )


def test_canvas_fit_and_read_only_customer_scores(api, canvas):
    FitCanvas.objects.filter(pk=canvas.pk).update(
        customer_scores={"strategy": 1, "relationship": 5}
    )
    client = api("owner")
    data = client.get(f"/api/v1/canvases/{canvas.pk}/").json()
    assert data["fit"]["our_fit"] == "4.3"
    assert data["fit"]["customer_fit"] == "3.0"
    assert [g["element"] for g in data["fit"]["gaps"]] == ["strategy"]
    response = client.patch(
        f"/api/v1/canvases/{canvas.pk}/",
        {"customer_scores": {"strategy": 5}, "our_scores": {"strategy": 2}},
        format="json",
    )
    assert response.status_code == 200
    canvas.refresh_from_db()
    assert canvas.customer_scores["strategy"] == 1
    assert canvas.our_scores == {"strategy": 2}
    bad = client.patch(
        f"/api/v1/canvases/{canvas.pk}/", {"our_scores": {"strategy": 7}}, format="json"
    )
    assert bad.status_code == 400
    bad = client.patch(f"/api/v1/canvases/{canvas.pk}/", {"our_scores": {"luck": 3}}, format="json")
    assert bad.status_code == 400
    stale = client.patch(
        f"/api/v1/canvases/{canvas.pk}/", {"our_scores": {}, "version": 1}, format="json"
    )
    assert stale.status_code == 409


def test_links_created_once_and_revoked(api, canvas, client):
    owner = api("owner")
    response = owner.post(
        f"/api/v1/canvases/{canvas.pk}/links/", {"days": 3, "language": "en"}, format="json"
    )
    assert response.status_code == 201
    link = response.json()
    assert link["status"] == "active" and "/plans/c/" in link["url"]
    listed = owner.get(f"/api/v1/canvases/{canvas.pk}/links/").json()
    assert listed[0]["url"] is None  # the token is never shown again
    assert client.get(link["url"]).status_code == 200
    owner.post(f"/api/v1/canvases/{canvas.pk}/links/{link['id']}/revoke/")
    assert client.get(link["url"]).status_code == 410


def test_schema_has_the_routes_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in (
        "/api/v1/account-plans/{id}/:",
        "/api/v1/account-plans/{id}/whitespace/:",
        "/api/v1/account-plans/{id}/actions/{row_id}/:",
        "/api/v1/canvases/{id}/links/{link_id}/revoke/:",
    ):
        assert path in text, path
