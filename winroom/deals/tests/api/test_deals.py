"""Opportunities through the API: list and filters, read, create, update, delete."""

from decimal import Decimal

import pytest
from django.utils import timezone

from winroom.deals import actions
from winroom.deals.models import Deal, DealEvent, DealMember, ProductLine, Stage, TeamRole
from winroom.testing.factories import AccountFactory

pytestmark = pytest.mark.django_db


def url(deal=None, suffix=""):
    return f"/api/v1/deals/{deal.pk}/{suffix}" if deal else "/api/v1/deals/"


def listed(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# -- read ------------------------------------------------------------------------------


def test_detail_shape(api, company, room):
    deal = room["deal"]
    response = api("owner").get(url(deal))
    assert response.status_code == 200
    assert response["ETag"] == f'"{deal.version}"'
    body = response.json()
    assert body["id"] == deal.pk
    assert body["account"] == {"id": company.account.pk, "name": company.account.name}
    assert body["owner"]["id"] == company.owner.pk
    owner_row = deal.members.get(user=company.owner)
    assert body["members"] == [
        {
            "id": owner_row.pk,
            "user": {"id": company.owner.pk, "name": str(company.owner)},
            "role": "account_manager",
            "role_display": "Account manager",
        },
        {
            "id": room["member"].pk,
            "user": {"id": company.director.pk, "name": str(company.director)},
            "role": "delivery_manager",
            "role_display": "Delivery manager",
        },
    ]
    stage = Stage.objects.get(number=1)
    assert body["stage"] == {"id": stage.pk, "number": 1, "name": "Verify opportunity"}
    assert body["grade"] == "b"
    assert body["win_rate"] == "0.5000"
    assert body["win_rate_status"] == "computed"
    assert body["band"] == "best_case"
    assert body["status"] == "open"
    assert body["version"] == deal.version


def test_list_is_paginated_and_newest_first(api, company, deal):
    second = actions.create_deal(
        by=company.owner, data={"account": company.account, "name": "二期", "amount": "100"}
    )
    response = api("owner").get(url(), {"page_size": 1})
    assert response.json()["count"] == 2
    assert listed(response) == [second.pk]


@pytest.fixture
def pipeline(company, room, stages):
    """Three more deals of the owner at various grades, stages and outcomes."""
    small = actions.create_deal(
        by=company.owner,
        data={"account": company.account, "name": "小额维保", "amount": "50000"},
    )
    other_account = AccountFactory(name="杭州地铁", owner=company.owner)
    hangzhou = actions.create_deal(
        by=company.owner,
        data={"account": other_account, "name": "杭州线网", "amount": "6000000"},
    )
    Deal.objects.filter(pk=hangzhou.pk).update(stage=stages[3], win_rate=Decimal("0.8"))
    lost = actions.create_deal(
        by=company.manager,
        data={"account": company.account, "name": "旧系统替换", "amount": "300000"},
    )
    Deal.objects.filter(pk=lost.pk).update(status="lost", win_rate=Decimal("0.1"))
    return {"room": room["deal"], "small": small, "hangzhou": hangzhou, "lost": lost}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, {"room", "small", "hangzhou", "lost"}),
        ({"q": "杭州"}, {"hangzhou"}),  # the account's name
        ({"q": "  维保 "}, {"small"}),  # the deal's name, spaces trimmed
        ({"status": "lost"}, {"lost"}),
        ({"status": "open"}, {"room", "small", "hangzhou"}),
        ({"stage_number": 3}, {"hangzhou"}),
        ({"grade": "d"}, {"small"}),
        ({"grade": "a"}, {"hangzhou"}),
        ({"band": "commit"}, {"hangzhou"}),
        ({"band": "best_case"}, {"room"}),
        ({"band": "pipeline"}, {"lost"}),
        ({"band": "none"}, {"small"}),
    ],
)
def test_filters(api, pipeline, params, expected):
    response = api("manager").get(url(), params)
    names = {name for name, deal in pipeline.items() if deal.pk in listed(response)}
    assert names == expected


def test_filter_by_stage_id_owner_and_account(api, company, pipeline, stages):
    client = api("manager")
    assert listed(client.get(url(), {"stage": stages[3].pk})) == [pipeline["hangzhou"].pk]
    mine = set(listed(client.get(url(), {"owner": company.manager.pk})))
    assert mine == {pipeline["lost"].pk}
    at_account = set(listed(client.get(url(), {"account": pipeline["hangzhou"].account_id})))
    assert at_account == {pipeline["hangzhou"].pk}


def test_ordering_is_whitelisted(api, pipeline):
    client = api("manager")
    by_amount = listed(client.get(url(), {"ordering": "-amount"}))
    assert by_amount[0] == pipeline["hangzhou"].pk
    assert by_amount[-1] == pipeline["small"].pk
    assert listed(client.get(url(), {"ordering": "stage,name"}))[-1] == pipeline["hangzhou"].pk
    for bad in ("owner__password", "deleted_at", "account__owner__password"):
        assert client.get(url(), {"ordering": bad}).status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {"band": "excellent"},
        {"status": "zombie"},
        {"stage": "abc"},
        {"stage_number": "0"},
        {"stage_number": "2.5"},
        {"owner": str(10**30)},
        {"grade": "z"},
        {"q": "x" * 500},
    ],
)
def test_bad_filter_values_are_400(api, deal, params):
    assert api("owner").get(url(), params).status_code == 400


# -- create ----------------------------------------------------------------------------


def test_create(api, company):
    line = ProductLine.objects.create(name="综合监控")
    response = api("owner").post(
        url(),
        {
            "account": company.account.pk,
            "name": "二号线改造",
            "amount": "1200000",
            "expected_close": "2026-12-31",
            "product_lines": [line.pk],
            "source": "tender",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"]["id"] == company.owner.pk
    assert body["stage"]["number"] == 1
    assert body["grade"] == "b"
    assert body["win_rate"] is None and body["win_rate_status"] == "not_computed"
    assert body["product_lines"] == [{"id": line.pk, "name": "综合监控"}]
    assert body["version"] == 1
    assert response["ETag"] == '"1"'
    deal = Deal.objects.get(pk=body["id"])
    assert DealEvent.objects.filter(deal=deal, kind="created").exists()
    assert deal.members.get().user == company.owner


def test_create_ignores_what_the_method_derives(api, company, stages):
    response = api("owner").post(
        url(),
        {
            "account": company.account.pk,
            "name": "想直接赢",
            "amount": "300000",
            "status": "won",
            "grade": "a",
            "grade_override": "a",
            "win_rate": "0.99",
            "win_rate_status": "computed",
            "stage": stages[7].pk,
            "version": 42,
            "deleted_at": "2026-01-01T00:00:00Z",
            "closed_at": "2026-01-01T00:00:00Z",
            "contract_signed_on": "2026-01-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    deal = Deal.objects.get(pk=response.json()["id"])
    assert deal.status == "open"
    assert deal.grade == "c" and deal.grade_override == ""
    assert deal.win_rate is None and deal.win_rate_status == "not_computed"
    assert deal.stage.number == 1
    assert deal.version == 1
    assert deal.deleted_at is None and deal.closed_at is None
    assert deal.contract_signed_on is None


def test_account_team_member_may_create_a_deal_there(api, company):
    """``member`` is on the account's team (not on any deal): the account is writable."""
    response = api("member").post(
        url(), {"account": company.account.pk, "name": "方案先行"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["owner"]["id"] == company.member.pk


def test_create_for_someone_else(api, company):
    # a rep cannot hand a new deal to a peer; their manager can
    body = {"account": company.account.pk, "name": "代建", "owner": company.teammate.pk}
    refused = api("owner").post(url(), body, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"owner": ["You cannot assign records to this person."]}
    created = api("manager").post(url(), body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["owner"]["id"] == company.teammate.pk


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "无客户"}, "account"),
        ({"account": "abc", "name": "x"}, "account"),
        ({"account": 10**30, "name": "x"}, "account"),
        ({"account": None, "name": "x"}, "account"),
        ({"account": "{account}", "name": ""}, "name"),
        ({"account": "{account}", "name": "x" * 201}, "name"),
        ({"account": "{account}", "name": "x", "amount": "-1"}, "amount"),
        ({"account": "{account}", "name": "x", "amount": "1e30"}, "amount"),
        ({"account": "{account}", "name": "x", "source": "cold_call"}, "source"),
        ({"account": "{account}", "name": "x", "owner": "{deactivated}"}, "owner"),
        ({"account": "{account}", "name": "x", "product_lines": [999999]}, "product_lines"),
        ({"account": "{account}", "name": "x", "expected_close": "31/12/2026"}, "expected_close"),
    ],
)
def test_create_refusals_are_field_errors(api, company, body, field):
    values = {"account": company.account.pk, "deactivated": company.deactivated.pk}
    body = {
        key: (int(value.format(**values)) if isinstance(value, str) and "{" in value else value)
        for key, value in body.items()
    }
    response = api("owner").post(url(), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_create_at_a_deleted_account_is_refused(api, company):
    company.account.deleted_at = timezone.now()
    company.account.save()
    response = api("owner").post(url(), {"account": company.account.pk, "name": "x"}, format="json")
    assert response.json() == {"account": ["No such account."]}


# -- update ----------------------------------------------------------------------------


def test_patch(api, deal):
    response = api("owner").patch(
        url(deal), {"name": "新名字", "amount": "6000000", "version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "新名字"
    assert body["grade"] == "a"  # regraded by the action
    assert body["version"] == 2
    assert response["ETag"] == '"2"'
    assert DealEvent.objects.filter(deal=deal, kind="amount").exists()
    assert DealEvent.objects.filter(deal=deal, kind="grade", new="A").exists()


def test_put_round_trip(api, deal):
    client = api("owner")
    body = client.get(url(deal)).json()
    writable = {
        key: body[key]
        for key in (
            "name",
            "amount",
            "expected_close",
            "source",
            "partner",
            "partner_led",
            "sole_source",
            "internal_approved_on",
            "competitive_strategy",
            "tactics",
            "value_proposition",
            "version",
        )
    }
    writable.update(
        account=body["account"]["id"], owner=body["owner"]["id"], product_lines=[], tactics="快"
    )
    response = client.put(url(deal), writable, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["tactics"] == "快"


def test_stale_version_is_409(api, deal):
    client = api("owner")
    assert client.patch(url(deal), {"name": "一"}, format="json").status_code == 200
    response = client.patch(url(deal), {"name": "二", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert Deal.objects.get(pk=deal.pk).name == "一"


def test_if_match_header(api, deal):
    client = api("owner")
    assert (
        client.patch(url(deal), {"name": "x"}, format="json", HTTP_IF_MATCH='"7"').status_code
        == 409
    )
    assert (
        client.patch(url(deal), {"name": "x"}, format="json", HTTP_IF_MATCH="seven").status_code
        == 400
    )
    response = client.patch(url(deal), {"name": "x"}, format="json", HTTP_IF_MATCH='W/"1"')
    assert response.status_code == 200
    assert response["ETag"] == '"2"'


def test_update_never_applies_derived_or_protected_fields(api, company, room, stages):
    deal = room["deal"]
    before = Deal.objects.get(pk=deal.pk)
    response = api("owner").patch(
        url(deal),
        {
            "status": "won",
            "win_rate": "0.99",
            "win_rate_status": "not_assessed",
            "grade": "a",
            "grade_override": "a",
            "grade_override_reason": "我说了算",
            "stage": stages[7].pk,
            "stage_changed_at": "2020-01-01T00:00:00Z",
            "deleted_at": "2026-01-01T00:00:00Z",
            "closed_at": "2026-01-01T00:00:00Z",
            "winner": 1,
            "tender_issued_on": "2026-01-01",
            "contract_signed_on": "2026-01-01",
            "last_activity_at": "2026-01-01T00:00:00Z",
            "created_at": "2020-01-01T00:00:00Z",
            "id": 999,
            "members": [{"user": company.teammate.pk, "role": "solution_manager"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    after = Deal.objects.get(pk=deal.pk)
    for field in (
        "status",
        "win_rate",
        "win_rate_status",
        "grade",
        "grade_override",
        "stage_id",
        "stage_changed_at",
        "deleted_at",
        "closed_at",
        "winner_id",
        "tender_issued_on",
        "contract_signed_on",
        "created_at",
    ):
        assert getattr(after, field) == getattr(before, field), field
    assert not DealMember.objects.filter(deal=deal, user=company.teammate).exists()
    assert after.pk == deal.pk


def test_version_in_the_body_is_a_check_not_a_value(api, deal):
    response = api("owner").patch(url(deal), {"version": 1}, format="json")
    assert response.json()["version"] == 2
    assert api("owner").patch(url(deal), {"version": 50}, format="json").status_code == 409
    assert Deal.objects.get(pk=deal.pk).version == 2


@pytest.mark.parametrize("version", [0, -1, "abc", 2**40, True])
def test_bad_versions_are_400(api, deal, version):
    response = api("owner").patch(url(deal), {"version": version}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()


def test_account_cannot_change(api, company, deal):
    other = AccountFactory(name="南京地铁", owner=company.owner)
    client = api("owner")
    response = client.patch(url(deal), {"account": other.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"account": ["An opportunity's account cannot be changed."]}
    assert Deal.objects.get(pk=deal.pk).account == company.account
    same = client.patch(
        url(deal), {"account": company.account.pk, "name": "同一客户"}, format="json"
    )
    assert same.status_code == 200


def test_reassignment_needs_the_right(api, company, deal):
    # a deal-team member may edit but not reassign; the owner cannot give to a peer
    DealMember.objects.create(deal=deal, user=company.member, role=TeamRole.SOLUTION_MANAGER)
    member = api("member")
    assert member.patch(url(deal), {"tactics": "侧翼"}, format="json").status_code == 200
    refused = member.patch(url(deal), {"owner": company.member.pk}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {
        "owner": ["Only the owner, their managers or an administrator may reassign."]
    }
    refused = api("owner").patch(url(deal), {"owner": company.teammate.pk}, format="json")
    assert refused.status_code == 400
    assert Deal.objects.get(pk=deal.pk).owner == company.owner
    # keeping the current owner is not a reassignment
    assert member.patch(url(deal), {"owner": company.owner.pk}, format="json").status_code == 200


def test_manager_hands_the_deal_over(api, company, deal):
    response = api("manager").patch(url(deal), {"owner": company.teammate.pk}, format="json")
    assert response.status_code == 200, response.content
    roles = {m["user"]["id"]: m["role"] for m in response.json()["members"]}
    assert roles == {company.teammate.pk: "account_manager"}
    assert DealEvent.objects.filter(deal=deal, kind="owner").exists()
    assert api("teammate").get(url(deal)).status_code == 200
    assert api("owner").get(url(deal)).status_code == 404


def test_closed_deal_can_still_be_edited_but_not_reopened_through_update(api, room):
    deal = room["deal"]
    client = api("owner")
    assert (
        client.post(url(deal, "close/"), {"status": "abandoned"}, format="json").status_code == 200
    )
    response = client.patch(url(deal), {"status": "open", "tactics": "复盘"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "abandoned"


# -- delete ----------------------------------------------------------------------------


def test_delete_is_soft_and_restorable(api, company, deal):
    client = api("owner")
    assert client.delete(url(deal)).status_code == 204
    stored = Deal.all_objects.get(pk=deal.pk)
    assert stored.deleted_at is not None and stored.deleted_by == company.owner
    assert client.get(url(deal)).status_code == 404
    assert deal.pk not in listed(client.get(url()))
    assert client.get(url(deal, "history/")).status_code == 200
    assert client.delete(url(deal)).status_code == 404
    response = client.post(url(deal, "restore/"))
    assert response.status_code == 200
    assert response.json()["id"] == deal.pk
    assert Deal.objects.filter(pk=deal.pk).exists()


def test_restore_of_a_living_deal_is_404(api, deal):
    assert api("owner").post(url(deal, "restore/")).status_code == 404
