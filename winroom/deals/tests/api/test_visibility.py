"""Every deal route, sub-resources included: an invisible deal is 404 (never 403), nothing
changes, and a deactivated user's token is refused outright.

Each route is listed once in ROUTES; the tests run it for the owner (it works), for every
kind of outsider (404, no change) and for the deactivated user (401, no change).
"""

import pytest

from winroom.deals.models import (
    Action,
    CompellingEvent,
    Competitor,
    Deal,
    DealCompetitor,
    DealEvent,
    DealMember,
    DealPerson,
    Questionnaire,
    Quote,
    Review,
)

from .conftest import OUTSIDERS, READERS

pytestmark = pytest.mark.django_db


def r(method, path, body=None, ok=200, who="owner"):
    """One route: how to call it, and what the owner (or ``who``) gets when allowed."""
    return pytest.param(method, path, body or {}, ok, who, id=f"{method} {path}")


ROUTES = [
    r("get", "{deal}/"),
    r("patch", "{deal}/", {"name": "改名"}),
    r("put", "{deal}/", {"account": "{account}", "name": "改名"}),
    r("delete", "{deal}/", ok=204),
    r("get", "{deal}/history/"),
    r("get", "{deal}/members/"),
    r("post", "{deal}/members/", {"user": "{teammate}", "role": "solution_manager"}, ok=201),
    r("delete", "{deal}/members/{member}/", ok=204),
    r("post", "{deal}/advance/", {"stage_number": 2}),
    r("post", "{deal}/grade/", {"grade": "a", "reason": "标杆客户"}),
    r("get", "{deal}/stage-changes/"),
    r("get", "{deal}/events/"),
    r("get", "{deal}/compelling-events/"),
    r("post", "{deal}/compelling-events/", {"description": "新的必要事件"}, ok=201),
    r("post", "{deal}/compelling-events/{event}/confirm/", {"holds": False}),
    r("get", "{deal}/competitors/"),
    r("post", "{deal}/competitors/", {"competitor": "新华三"}, ok=201),
    r("delete", "{deal}/competitors/{entry}/", ok=204),
    r(
        "post",
        "{deal}/competitors/{entry}/quotes/",
        {"amount": "100", "quoted_on": "2026-11-02"},
        ok=201,
    ),
    r("get", "{deal}/questionnaire/"),
    r("post", "{deal}/questionnaire/", {"has_inside_coach": False, "our_fit": 2}, ok=201),
    r("post", "{deal}/questionnaire/{questionnaire}/review/", who="manager"),
    r("get", "{deal}/decision-map/"),
    r("post", "{deal}/decision-map/", {"contact": "{contact}", "need": "省钱"}),
    r("delete", "{deal}/decision-map/{person}/", ok=204),
    r("get", "{deal}/win-rate/"),
    r("get", "{deal}/win-rate/curve/"),
    r("get", "{deal}/actions/"),
    r("post", "{deal}/actions/", {"title": "再次拜访", "due_on": "2026-12-10"}, ok=201),
    r("patch", "{deal}/actions/{action}/", {"status": "done"}),
    r("delete", "{deal}/actions/{action}/", ok=204),
    r("get", "{deal}/reviews/"),
    r("post", "{deal}/reviews/", {"decisions": "推进"}, ok=201, who="manager"),
    r("post", "{deal}/close/", {"status": "abandoned"}),
    r("post", "{deal}/reopen/", ok=400),  # the deal is open: refused, but reached
]


def fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    return value


def body_of(body, ids):
    """Placeholders for ids become numbers where the API wants numbers."""
    filled = fill(body, ids)
    for key in ("account", "contact", "user"):
        if key in filled:
            filled[key] = int(filled[key])
    return filled


@pytest.fixture
def ids(company, room):
    return {
        "deal": f"/api/v1/deals/{room['deal'].pk}",
        "account": str(company.account.pk),
        "contact": str(company.contact.pk),
        "teammate": str(company.teammate.pk),
        "member": room["member"].pk,
        "event": room["event"].pk,
        "entry": room["entry"].pk,
        "questionnaire": room["questionnaire"].pk,
        "person": room["person"].pk,
        "action": room["action"].pk,
    }


def state(deal):
    """Everything a write could change, in one comparable value."""
    row = Deal.all_objects.get(pk=deal.pk)
    return {
        "deal": (row.version, row.name, row.status, row.grade, row.deleted_at, row.stage_id),
        "events": DealEvent.objects.filter(deal=deal).count(),
        "members": list(DealMember.objects.filter(deal=deal).values_list("user", "role")),
        "compelling": list(
            CompellingEvent.objects.filter(deal=deal).values_list("withdrawn", "confirmed_at")
        ),
        "competitors": DealCompetitor.objects.filter(deal=deal).count(),
        "library": Competitor.all_objects.count(),
        "quotes": Quote.objects.filter(deal_competitor__deal=deal).count(),
        "questionnaires": list(
            Questionnaire.objects.filter(deal=deal).values_list("pk", "reviewed_by")
        ),
        "people": list(DealPerson.objects.filter(deal=deal).values_list("pk", "need")),
        "actions": list(
            Action.all_objects.filter(deal=deal).values_list("pk", "status", "deleted_at")
        ),
        "reviews": Review.objects.filter(deal=deal).count(),
    }


def call(client, method, path, body):
    return getattr(client, method)(path, body, format="json")


@pytest.mark.parametrize("method, path, body, ok, who", ROUTES)
def test_route_works_for_those_who_see_the_deal(api, ids, method, path, body, ok, who):
    response = call(api(who), method, fill(path, ids), body_of(body, ids))
    assert response.status_code == ok, response.content


@pytest.mark.parametrize("role", OUTSIDERS)
@pytest.mark.parametrize("method, path, body, ok, who", ROUTES)
def test_route_is_404_for_outsiders(api, ids, room, role, method, path, body, ok, who):
    before = state(room["deal"])
    response = call(api(role), method, fill(path, ids), body_of(body, ids))
    assert response.status_code == 404, response.content
    assert state(room["deal"]) == before


@pytest.mark.parametrize("method, path, body, ok, who", ROUTES)
def test_route_is_401_for_a_deactivated_token(api, ids, room, method, path, body, ok, who):
    before = state(room["deal"])
    response = call(api("deactivated"), method, fill(path, ids), body_of(body, ids))
    assert response.status_code == 401, response.content
    assert state(room["deal"]) == before


@pytest.mark.parametrize("role", READERS)
def test_readers_get_every_read_route(api, ids, role):
    client = api(role)
    for method, path, _body, _ok, _who in (p.values for p in ROUTES):
        if method == "get":
            assert client.get(fill(path, ids)).status_code == 200, (role, path)


@pytest.mark.parametrize("role", READERS + OUTSIDERS)
def test_list_shows_the_deal_to_readers_only(api, room, other_deal, role):
    response = api(role).get("/api/v1/deals/")
    assert response.status_code == 200
    listed = {row["id"] for row in response.json()["results"]}
    assert (room["deal"].pk in listed) is (role in READERS)
    assert response.json()["count"] == len(listed)
    sees_other = role in {"outsider", "other_manager", "director", "admin"}
    assert (other_deal.pk in listed) is sees_other


@pytest.mark.parametrize("role", OUTSIDERS)
def test_filters_by_a_hidden_account_or_owner_show_nothing(api, company, room, role):
    client = api(role)
    for params in ({"account": company.account.pk}, {"owner": company.owner.pk}):
        response = client.get("/api/v1/deals/", params)
        assert response.status_code == 200
        assert room["deal"].pk not in {row["id"] for row in response.json()["results"]}


def test_deactivated_token_lists_nothing(api, room):
    assert api("deactivated").get("/api/v1/deals/").status_code == 401
    assert api("deactivated").get("/api/v1/competitors/").status_code == 401


def test_outsider_cannot_create_a_deal_at_the_hidden_account(api, company):
    response = api("outsider").post(
        "/api/v1/deals/", {"account": company.account.pk, "name": "偷偷建"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"account": ["No such account."]}
    assert not Deal.objects.filter(name="偷偷建").exists()


def test_restore_is_404_for_outsiders(api, room):
    deal = room["deal"]
    assert api("owner").delete(f"/api/v1/deals/{deal.pk}/").status_code == 204
    for role in OUTSIDERS:
        assert api(role).post(f"/api/v1/deals/{deal.pk}/restore/").status_code == 404
    assert Deal.all_objects.get(pk=deal.pk).is_deleted
    assert api("deactivated").post(f"/api/v1/deals/{deal.pk}/restore/").status_code == 401
    assert api("manager").post(f"/api/v1/deals/{deal.pk}/restore/").status_code == 200
    assert not Deal.all_objects.get(pk=deal.pk).is_deleted


def test_a_deleted_deal_is_404_everywhere(api, ids, room):
    client = api("owner")
    assert client.delete(f"/api/v1/deals/{room['deal'].pk}/").status_code == 204
    for method, path, body, _ok, _who in (p.values for p in ROUTES):
        if path == "{deal}/history/":
            continue  # history stays readable in the recycle bin
        response = call(client, method, fill(path, ids), body_of(body, ids))
        assert response.status_code == 404, (method, path)


SUB_ROUTES = [
    ("delete", "members/{member}/", {}),
    ("post", "compelling-events/{event}/confirm/", {"holds": False}),
    ("delete", "competitors/{entry}/", {}),
    ("post", "competitors/{entry}/quotes/", {"amount": "1", "quoted_on": "2026-11-02"}),
    ("post", "questionnaire/{questionnaire}/review/", {}),
    ("delete", "decision-map/{person}/", {}),
    ("patch", "actions/{action}/", {"status": "done"}),
    ("delete", "actions/{action}/", {}),
]


@pytest.mark.parametrize("method, path, body", SUB_ROUTES)
def test_ids_of_another_deal_are_404_on_your_own_deal(
    api, company, ids, room, other_deal, method, path, body
):
    """The outsider owns ``other_deal``; the ids in the path belong to the owner's deal."""
    before = state(room["deal"])
    url = f"/api/v1/deals/{other_deal.pk}/" + path.format(**ids)
    client = api("other_manager" if "review" in path else "outsider")
    response = call(client, method, url, body)
    assert response.status_code == 404, response.content
    assert state(room["deal"]) == before


@pytest.mark.parametrize("method, path, body", SUB_ROUTES)
@pytest.mark.parametrize("bad", ["abc", "0", "-1", str(10**30), "1.5"])
def test_malformed_sub_ids_are_404(api, room, method, path, body, bad):
    url = f"/api/v1/deals/{room['deal'].pk}/" + path.format(
        event=bad, entry=bad, questionnaire=bad, person=bad, action=bad, member=bad
    )
    assert call(api("owner"), method, url, body).status_code == 404


@pytest.mark.parametrize("bad", ["abc", "0", str(10**30)])
def test_malformed_deal_ids_are_404(api, room, bad):
    client = api("owner")
    assert client.get(f"/api/v1/deals/{bad}/").status_code == 404
    assert client.get(f"/api/v1/deals/{bad}/win-rate/").status_code == 404
    assert client.post(f"/api/v1/deals/{bad}/close/", {}, format="json").status_code == 404


def test_no_route_answers_403(api, ids, room):
    """A refusal never confirms that the deal exists."""
    client = api("outsider")
    codes = {
        call(client, m, fill(p, ids), body_of(b, ids)).status_code
        for m, p, b, _ok, _who in (x.values for x in ROUTES)
    }
    assert codes == {404}
