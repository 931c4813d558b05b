"""The leads API: lists and the pool, a lead, its steps; visibility and refusals.

Who sees a lead held by ``owner`` (East): the owner, their manager, the director, an
administrator. Not: the teammate, the West ``member`` and ``outsider``, the other manager.
Everyone active sees a pooled lead. A deactivated token is refused outright (401).
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.validation import validate_schema

from winroom.accounts.models import Account
from winroom.deals.models import Deal
from winroom.leads.models import Lead, LeadRoute, LeadStatus
from winroom.testing.factories import AccountFactory

READERS = ["owner", "manager", "director", "admin"]
OUTSIDERS = ["teammate", "member", "outsider", "other_manager"]
URL = "/api/v1/leads/"


@pytest.fixture
def held(make_lead):
    return make_lead(company_name="杭州新客户科技有限公司", expected_size=Decimal(50_000))


@pytest.fixture
def pooled(make_lead):
    return make_lead(company_name="池中线索公司", owner=None, need_type="solution")


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def state(lead):
    row = Lead.all_objects.get(pk=lead.pk)
    return (
        row.version,
        row.status,
        row.owner_id,
        row.company_name,
        row.notes,
        row.deleted_at,
        row.qualified_deal_id,
        Deal.all_objects.count(),
        Account.all_objects.count(),
    )


# -- lists -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS + OUTSIDERS)
def test_list_shows_held_leads_to_readers_and_the_pool_to_all(api, held, pooled, role):
    response = api(role).get(URL)
    listed = ids(response)
    assert (held.pk in listed) is (role in READERS)
    assert pooled.pk in listed
    assert response.json()["count"] == len(listed)


def test_pool_lists_the_pool_only(api, held, pooled):
    for role in ("owner", "outsider"):
        assert ids(api(role).get(URL + "pool/")) == {pooled.pk}


def test_list_filters(api, company, held, pooled, channel):
    client = api("manager")
    assert ids(client.get(URL, {"status": "new"})) == {held.pk, pooled.pk}
    assert ids(client.get(URL, {"route": LeadRoute.KEY_ACCOUNT})) == {pooled.pk}
    assert ids(client.get(URL, {"route": LeadRoute.STANDARD})) == {held.pk}
    assert ids(client.get(URL, {"owner": company.owner.pk})) == {held.pk}
    assert ids(client.get(URL, {"tab": "pool"})) == {pooled.pk}
    assert ids(client.get(URL, {"tab": "mine"})) == set()
    assert ids(api("owner").get(URL, {"tab": "mine"})) == {held.pk}
    assert ids(client.get(URL, {"channel": channel.pk})) == {held.pk, pooled.pk}
    assert ids(client.get(URL, {"q": "池中"})) == {pooled.pk}
    assert client.get(URL, {"status": "bogus"}).status_code == 400
    assert client.get(URL, {"ordering": "password"}).status_code == 400


def test_filter_by_a_hidden_owner_shows_nothing(api, company, held):
    assert ids(api("outsider").get(URL, {"owner": company.owner.pk})) == set()


def test_list_query_count_does_not_grow(api, company, make_lead):
    client = api("admin")
    make_lead(company_name="一号")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    few = count()
    for n in range(10):
        make_lead(company_name=f"多{n}", owner=None if n % 2 else company.owner)
    assert count() == few


def test_deactivated_token_is_refused(api, held):
    client = api("deactivated")
    assert client.get(URL).status_code == 401
    assert client.post(f"{URL}{held.pk}/claim/").status_code == 401


# -- one lead --------------------------------------------------------------------------


def test_detail_explains_the_route(api, held):
    response = api("owner").get(f"{URL}{held.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["route"] == LeadRoute.STANDARD and "20,000" in body["route_explanation"]
    assert response["ETag"] == f'"{held.version}"'


def test_create_for_me_for_the_pool_and_refused_for_another_team(api, company):
    client = api("owner")
    mine = client.post(URL, {"company_name": "新公司", "expected_size": "1000"}, format="json")
    assert mine.status_code == 201, mine.content
    assert mine.json()["owner"]["id"] == company.owner.pk
    assert mine.json()["route"] == LeadRoute.SELF_SERVICE
    pool = client.post(URL, {"company_name": "池公司", "owner": None}, format="json")
    assert pool.status_code == 201 and pool.json()["in_pool"] is True
    refused = client.post(
        URL, {"company_name": "别人的", "owner": company.outsider.pk}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json() == {"owner": ["You cannot assign records to this person."]}
    assert not Lead.objects.filter(company_name="别人的").exists()


def test_validation_errors_are_in_the_callers_language(api):
    body = {"company_name": "坏电话公司", "phone": "12345"}
    english = api("owner").post(URL, body, format="json")
    assert english.status_code == 400 and "phone" in english.json()
    chinese = api("owner", language="zh-hans").post(
        URL, {**body, "company_name": ""}, format="json"
    )
    assert chinese.status_code == 400
    assert chinese.json()["company_name"] == ["该字段不能为空。"]
    assert not Lead.objects.filter(company_name="坏电话公司").exists()


def test_update_recomputes_the_route_and_409_on_a_stale_version(api, held):
    client = api("owner")
    response = client.patch(
        f"{URL}{held.pk}/",
        {"expected_size": "900000", "version": held.version, "status": "qualified"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["route"] == LeadRoute.KEY_ACCOUNT
    assert response.json()["status"] == LeadStatus.WORKING  # status is not writable
    stale = client.patch(
        f"{URL}{held.pk}/", {"company_name": "改名", "version": held.version}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == held.version + 1
    assert Lead.objects.get(pk=held.pk).company_name != "改名"


def test_a_pooled_lead_is_claimed_before_it_is_edited(api, company, pooled):
    client = api("outsider")
    before = state(pooled)
    response = client.patch(f"{URL}{pooled.pk}/", {"company_name": "抢改"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": ["Claim this lead from the pool first."]}
    assert client.post(f"{URL}{pooled.pk}/reject/", {"rejection_reason": "x"}).status_code == 400
    assert state(pooled) == before
    claimed = client.post(f"{URL}{pooled.pk}/claim/")
    assert claimed.status_code == 200 and claimed.json()["owner"]["id"] == company.outsider.pk
    again = api("owner").post(f"{URL}{pooled.pk}/claim/")
    assert again.status_code == 404  # no longer in the pool, and not the owner's to see
    assert api("admin").post(f"{URL}{pooled.pk}/claim/").status_code == 400


def test_note_touches(api, held):
    response = api("owner").post(f"{URL}{held.pk}/note/", {"note": "打过电话"}, format="json")
    assert response.status_code == 200
    assert "打过电话" in response.json()["notes"] and response.json()["first_touched_at"]
    assert api("owner").post(f"{URL}{held.pk}/note/", {}, format="json").status_code == 400


def test_reject_needs_a_reason(api, held):
    client = api("owner")
    for body in ({}, {"rejection_reason": "  "}):
        response = client.post(f"{URL}{held.pk}/reject/", body, format="json")
        assert response.status_code == 400
        assert response.json() == {"rejection_reason": ["Say why the lead is rejected."]}
    zh = api("owner", language="zh-hans").post(f"{URL}{held.pk}/reject/", {}, format="json")
    assert zh.status_code == 400 and zh.json()["rejection_reason"] != [
        "Say why the lead is rejected."
    ]
    assert Lead.objects.get(pk=held.pk).status == LeadStatus.NEW
    done = client.post(f"{URL}{held.pk}/reject/", {"rejection_reason": "预算不足"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == LeadStatus.REJECTED
    assert client.post(f"{URL}{held.pk}/reject/", {"rejection_reason": "再"}).status_code == 400


def test_qualify_offers_the_match_and_never_duplicates(api, company, make_lead):
    lead = make_lead(company_name="上海申通地铁集团", person_name="李明")
    client = api("owner")
    matches = client.get(f"{URL}{lead.pk}/account-matches/")
    assert matches.status_code == 200
    assert matches.json() == {
        "exact": [{"id": company.account.pk, "name": company.account.name}],
        "similar": [],
    }
    accounts = Account.all_objects.count()
    duplicate = client.post(f"{URL}{lead.pk}/qualify/", {"create_account": True}, format="json")
    assert duplicate.status_code == 400
    assert company.account.name in duplicate.json()["account"][0]
    both = client.post(
        f"{URL}{lead.pk}/qualify/",
        {"create_account": True, "account": company.account.pk},
        format="json",
    )
    assert both.status_code == 400
    assert Account.all_objects.count() == accounts
    done = client.post(
        f"{URL}{lead.pk}/qualify/",
        {"account": company.account.pk, "deal_name": "线网", "amount": "800000"},
        format="json",
    )
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["status"] == LeadStatus.QUALIFIED
    assert body["account"]["id"] == company.account.pk
    deal = Deal.objects.get(pk=body["qualified_deal"]["id"])
    assert deal.amount == Decimal(800_000) and deal.account == company.account
    assert Account.all_objects.count() == accounts


def test_qualify_on_a_similar_name_needs_confirmation(api, company, make_lead):
    AccountFactory(name="苏州精工机械有限公司", owner=company.owner)
    lead = make_lead(company_name="苏州精工机械制造有限公司")
    client = api("owner")
    similar = client.get(f"{URL}{lead.pk}/account-matches/").json()["similar"]
    assert [a["name"] for a in similar] == ["苏州精工机械有限公司"]
    refused = client.post(f"{URL}{lead.pk}/qualify/", {"create_account": True}, format="json")
    assert refused.status_code == 400 and "苏州精工机械有限公司" in refused.json()["account"][0]
    done = client.post(
        f"{URL}{lead.pk}/qualify/", {"create_account": True, "confirm_new": True}, format="json"
    )
    assert done.status_code == 200, done.content
    assert Account.objects.filter(name="苏州精工机械制造有限公司").exists()


def test_qualify_on_a_hidden_account_is_no_such_account(api, company, make_lead):
    hidden = AccountFactory(name="宝钢股份", owner=company.outsider)
    lead = make_lead(company_name="宝钢")
    before = state(lead)
    response = api("owner").post(f"{URL}{lead.pk}/qualify/", {"account": hidden.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"account": ["No such account."]}
    assert state(lead) == before


def test_delete_restore_and_history(api, held):
    client = api("owner")
    assert client.delete(f"{URL}{held.pk}/").status_code == 204
    assert client.get(f"{URL}{held.pk}/").status_code == 404
    assert client.post(f"{URL}{held.pk}/restore/").status_code == 200
    assert client.get(f"{URL}{held.pk}/history/").status_code == 200


# -- every route refuses who may not see the lead -------------------------------------

ROUTES = [
    ("get", "{lead}/", {}),
    ("patch", "{lead}/", {"company_name": "改"}),
    ("put", "{lead}/", {"company_name": "改"}),
    ("delete", "{lead}/", {}),
    ("post", "{lead}/restore/", {}),
    ("get", "{lead}/history/", {}),
    ("post", "{lead}/claim/", {}),
    ("post", "{lead}/note/", {"note": "x"}),
    ("get", "{lead}/account-matches/", {}),
    ("post", "{lead}/qualify/", {"create_account": True, "confirm_new": True}),
    ("post", "{lead}/reject/", {"rejection_reason": "x"}),
]


@pytest.mark.parametrize("role", OUTSIDERS)
@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_every_route_is_404_for_outsiders(api, held, role, method, path, body):
    before = state(held)
    url = URL + path.format(lead=held.pk)
    response = getattr(api(role), method)(url, body, format="json")
    assert response.status_code == 404, (role, method, path, response.content)
    assert state(held) == before


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_every_route_is_401_for_a_deactivated_token(api, held, method, path, body):
    before = state(held)
    response = getattr(api("deactivated"), method)(URL + path.format(lead=held.pk), body)
    assert response.status_code == 401
    assert state(held) == before


def test_unknown_and_malformed_ids_are_404(api):
    client = api("admin")
    for lead_id in ("999999", "abc", "99999999999999999999999"):
        assert client.get(f"{URL}{lead_id}/").status_code == 404


def test_the_router_has_no_route_this_file_does_not_test():
    from winroom.api.urls import router

    names = {url.name for url in router.urls if url.name and url.name.startswith("api-lead-")} - {
        "api-lead-list",
        "api-lead-pool",
    }
    tested = {
        "api-lead-detail",
        "api-lead-restore",
        "api-lead-history",
        "api-lead-claim",
        "api-lead-note",
        "api-lead-account-matches",
        "api-lead-qualify",
        "api-lead-reject",
    }
    assert names == tested


def test_schema_lists_the_lead_routes(api):
    response = api("owner").get("/api/v1/schema/", {"format": "json"})
    schema = response.json()
    validate_schema(schema)
    for path in [
        "/api/v1/leads/",
        "/api/v1/leads/pool/",
        "/api/v1/leads/{id}/",
        "/api/v1/leads/{id}/claim/",
        "/api/v1/leads/{id}/note/",
        "/api/v1/leads/{id}/account-matches/",
        "/api/v1/leads/{id}/qualify/",
        "/api/v1/leads/{id}/reject/",
    ]:
        assert path in schema["paths"], path
    request = schema["components"]["schemas"]["LeadRequest"]["properties"]
    for derived in ("status", "route", "qualified_deal", "first_touched_at", "notes"):
        assert derived not in request, derived
    pool = schema["paths"]["/api/v1/leads/pool/"]["get"]
    assert "Paginated" in pool["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
