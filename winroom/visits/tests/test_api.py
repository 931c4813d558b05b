"""The visits API: the same rules as the pages, refusals as 404, 409 on a stale version."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from winroom.deals.models import Action
from winroom.visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db

URL = "/api/v1/visits/"
READERS = ["owner", "manager", "director", "admin", "member"]
OUTSIDERS = ["teammate", "outsider", "other_manager"]
SCORES = dict.fromkeys(["prepare", "understand", "present", "commit", "evaluate"], 4)


@pytest.fixture
def api(company):
    def make(who):
        user = getattr(company, who) if isinstance(who, str) else who
        if user.language != "en":
            user.language = "en"
            user.save(update_fields=["language"])
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def state(visit):
    row = Visit.all_objects.get(pk=visit.pk)
    return (
        row.version,
        row.status,
        row.objective,
        row.rep_prepare,
        row.mgr_prepare,
        row.deleted_at,
        Action.all_objects.count(),
    )


def test_plan_a_visit(api, company, deal):
    response = api("owner").post(
        URL,
        {
            "account": company.account.pk,
            "deal": deal.pk,
            "people": [company.contact.pk],
            "planned_at": "2030-05-06T10:00:00+08:00",
            "objective": "确认预算",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"]["id"] == company.owner.pk and body["status"] == "planned"
    assert body["people"] == [{"id": company.contact.pk, "name": company.contact.name}]
    assert body["rep_scores"]["prepare"] is None


def test_plan_refuses_a_deal_of_another_account_or_a_hidden_one(api, company, deal):
    from winroom.deals import actions as deal_actions
    from winroom.testing.factories import AccountFactory

    theirs = AccountFactory(owner=company.outsider)
    their_deal = deal_actions.create_deal(
        by=company.outsider, data={"account": theirs, "name": "x", "amount": "1"}
    )
    body = {"account": company.account.pk, "planned_at": "2030-05-06T10:00:00+08:00"}
    response = api("owner").post(URL, {**body, "deal": their_deal.pk}, format="json")
    assert response.status_code == 400 and response.json() == {"deal": ["No such opportunity."]}
    response = api("outsider").post(URL, body, format="json")
    assert response.status_code == 400 and response.json() == {"account": ["No such account."]}
    assert not Visit.objects.exists()


def test_list_filters_and_visibility(api, company, visit, done_visit):
    for who in READERS:
        rows = api(who).get(URL).json()["results"]
        assert {r["id"] for r in rows} == {visit.pk, done_visit.pk}, who
    for who in OUTSIDERS:
        assert api(who).get(URL).json()["results"] == [], who
    client = api("owner")
    assert [r["id"] for r in client.get(URL, {"status": "done"}).json()["results"]] == [
        done_visit.pk
    ]
    assert client.get(URL, {"account": company.account.pk}).json()["count"] == 2
    assert client.get(URL, {"deal": visit.deal_id}).json()["count"] == 2
    assert client.get(URL, {"owner": company.teammate.pk}).json()["count"] == 0
    after = (timezone.now() + timedelta(hours=1)).isoformat()
    assert [r["id"] for r in client.get(URL, {"planned_after": after}).json()["results"]] == [
        visit.pk
    ]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_every_route_is_404_for_outsiders(api, company, done_visit, who):
    client = api(who)
    before = state(done_visit)
    path = f"{URL}{done_visit.pk}/"
    for method, suffix, body in [
        ("get", "", {}),
        ("patch", "", {"objective": "改"}),
        ("put", "", {"account": company.account.pk, "planned_at": "2030-01-01T10:00:00Z"}),
        ("delete", "", {}),
        ("get", "history/", {}),
        ("post", "record/", {"scores": SCORES}),
        ("post", "evaluate/", {"scores": SCORES}),
    ]:
        response = getattr(client, method)(path + suffix, body, format="json")
        assert response.status_code == 404, (method, suffix, response.content)
    assert state(done_visit) == before


def test_account_member_reads_but_cannot_write(api, done_visit):
    client = api("member")
    before = state(done_visit)
    assert client.get(f"{URL}{done_visit.pk}/").status_code == 200
    assert (
        client.patch(f"{URL}{done_visit.pk}/", {"objective": "改"}, format="json").status_code
        == 404
    )
    assert client.post(f"{URL}{done_visit.pk}/record/", {}, format="json").status_code == 404
    assert state(done_visit) == before


def test_record_and_evaluate(api, company, visit):
    Visit.objects.filter(pk=visit.pk).update(planned_at=timezone.now() - timedelta(days=1))
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = api("owner").post(
        f"{URL}{visit.pk}/record/",
        {
            "commitment": "won",
            "outcome": "顺利",
            "next_steps": "发报价\n约演示",
            "scores": SCORES,
            "action_owner": company.owner.pk,
            "action_due_on": due,
            "version": 1,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "done" and body["effective"] is True
    assert body["rep_scores"]["commit"] == 4 and body["manager_scores"]["commit"] is None
    assert Action.objects.filter(deal=visit.deal).count() == 2
    # the rep may not evaluate themself; the manager may not record for the rep
    assert (
        api("owner")
        .post(f"{URL}{visit.pk}/evaluate/", {"scores": SCORES}, format="json")
        .status_code
        == 404
    )
    assert (
        api("manager")
        .post(f"{URL}{visit.pk}/record/", {"scores": SCORES}, format="json")
        .status_code
        == 404
    )
    response = api("manager").post(
        f"{URL}{visit.pk}/evaluate/",
        {"scores": {**SCORES, "commit": 2}, "note": "追问不够", "version": body["version"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["manager_scores"]["commit"] == 2 and body["rep_scores"]["commit"] == 4
    assert body["manager_scored_by"]["id"] == company.manager.pk


def test_scores_out_of_range_are_400(api, company, done_visit):
    response = api("manager").post(
        f"{URL}{done_visit.pk}/evaluate/", {"scores": {**SCORES, "present": 6}}, format="json"
    )
    assert response.status_code == 400 and "scores" in response.json()


def test_a_stale_version_is_409(api, company, done_visit):
    client = api("owner")
    path = f"{URL}{done_visit.pk}/"
    assert client.patch(path, {"objective": "一", "version": 1}, format="json").status_code == 200
    response = client.patch(path, {"objective": "二", "version": 1}, format="json")
    assert response.status_code == 409 and response.json()["current_version"] == 2
    response = api("manager").post(
        f"{path}evaluate/", {"scores": SCORES, "version": 1}, format="json"
    )
    assert response.status_code == 409
    done_visit.refresh_from_db()
    assert done_visit.objective == "一" and done_visit.mgr_prepare is None


def test_a_planned_visit_cannot_be_evaluated(api, visit):
    response = api("manager").post(f"{URL}{visit.pk}/evaluate/", {"scores": SCORES}, format="json")
    assert response.status_code == 400
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.PLANNED


def test_deactivated_token_is_refused(api, done_visit):
    assert api("deactivated").get(URL).status_code == 401


def test_list_query_count_is_flat(api, company, deal, django_assert_max_num_queries):
    from .conftest import make_visit

    for _n in range(15):
        make_visit(company.owner, company.account, deal=deal).people.set([company.contact])
    client = api("owner")
    with django_assert_max_num_queries(10):
        assert client.get(URL).status_code == 200


def test_schema_documents_the_visit_routes(api):
    from drf_spectacular.validation import validate_schema

    schema = api("owner").get("/api/v1/schema/", {"format": "json"}).json()
    validate_schema(schema)
    for path in [
        "/api/v1/visits/",
        "/api/v1/visits/{id}/",
        "/api/v1/visits/{id}/record/",
        "/api/v1/visits/{id}/evaluate/",
    ]:
        assert path in schema["paths"], path
    names = {p["name"] for p in schema["paths"]["/api/v1/visits/"]["get"]["parameters"]}
    assert {"account", "deal", "owner", "status", "planned_after", "planned_before"} <= names
