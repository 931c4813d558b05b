"""The deal room's steps through the API: each one calls its action, refusals are 400s."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from winroom.deals import actions
from winroom.deals.models import (
    Action,
    Competitor,
    Deal,
    DealEvent,
    DealMember,
    DealPerson,
    Questionnaire,
    TeamRole,
)
from winroom.testing.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


def url(deal, suffix=""):
    return f"/api/v1/deals/{deal.pk}/{suffix}"


def _in_a_month():
    return (timezone.localdate() + timedelta(days=30)).isoformat()


def post(client, path, body=None):
    return client.post(path, body or {}, format="json")


# -- stages ----------------------------------------------------------------------------


def test_advance_refusal_names_what_is_missing(api, deal, stages):
    response = post(api("owner"), url(deal, "advance/"), {"stage": stages[2].pk})
    assert response.status_code == 400
    (message,) = response.json()["detail"]
    assert "Verify opportunity" in message
    assert "a compelling event is recorded" in message
    assert Deal.objects.get(pk=deal.pk).stage.number == 1


def test_advance_by_id_or_number_and_the_stage_changes(api, company, room, stages):
    deal = room["deal"]
    client = api("owner")
    response = post(client, url(deal, "advance/"), {"stage": stages[2].pk})
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == {
        "id": stages[2].pk,
        "number": 2,
        "name": "Project initiation",
    }
    assert response.json()["version"] == deal.version + 1
    # stage 2 needs the approval, a team of two and the event re-confirmed in this stage
    refused = post(client, url(deal, "advance/"), {"stage_number": 3})
    assert refused.status_code == 400
    assert "the compelling event is re-confirmed in this stage" in refused.json()["detail"][0]
    DealMember.objects.create(deal=deal, user=company.teammate, role=TeamRole.SOLUTION_MANAGER)
    assert (
        post(client, url(deal, f"compelling-events/{room['event'].pk}/confirm/")).status_code == 200
    )
    response = post(
        client, url(deal, "advance/"), {"stage_number": 3, "internal_approved_on": "2026-11-20"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage"]["number"] == 3
    assert response.json()["internal_approved_on"] == "2026-11-20"
    # moving back needs no criterion
    assert post(client, url(deal, "advance/"), {"stage_number": 2}).status_code == 200
    changes = client.get(url(deal, "stage-changes/")).json()
    assert [(c["kind"], c["old"], c["new"]) for c in changes] == [
        ("stage", "Needs analysis", "Project initiation"),
        ("stage", "Project initiation", "Needs analysis"),
        ("stage", "Verify opportunity", "Project initiation"),
    ]
    assert all(c["by"]["id"] == company.owner.pk for c in changes)
    events = client.get(url(deal, "events/")).json()
    assert events["count"] == DealEvent.objects.filter(deal=deal).count()


def test_refused_advance_keeps_the_milestones_typed(api, room):
    deal = room["deal"]
    client = api("owner")
    post(client, url(deal, "advance/"), {"stage_number": 2})
    response = post(
        client, url(deal, "advance/"), {"stage_number": 3, "internal_approved_on": "2026-11-20"}
    )
    assert response.status_code == 400
    message = response.json()["detail"][0]
    assert "the compelling event is re-confirmed in this stage" in message
    assert "internal approval" not in message  # recorded before the check
    stored = Deal.objects.get(pk=deal.pk)
    assert stored.internal_approved_on.isoformat() == "2026-11-20"
    assert stored.stage.number == 2


def test_advance_with_the_event_reconfirmed_and_the_team_formed(api, company, room):
    deal = room["deal"]
    client = api("owner")
    post(client, url(deal, "advance/"), {"stage_number": 2})
    added = post(
        client, url(deal, "members/"), {"user": company.teammate.pk, "role": "solution_manager"}
    )
    assert added.status_code == 201, added.content
    response = post(
        client,
        url(deal, "advance/"),
        {"stage_number": 3, "internal_approved_on": "2026-11-20", "reconfirm_event": True},
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage"]["number"] == 3
    assert deal.compelling_events.get().confirmed_in_stage == 2


def test_deal_team(api, company, deal):
    client = api("owner")
    listed = client.get(url(deal, "members/")).json()
    assert [(m["user"]["id"], m["role"]) for m in listed] == [(company.owner.pk, "account_manager")]
    added = post(
        client, url(deal, "members/"), {"user": company.member.pk, "role": "solution_manager"}
    )
    assert added.status_code == 201
    # the new member now sees the deal; adding them again changes the role
    assert api("member").get(url(deal)).status_code == 200
    again = post(
        client, url(deal, "members/"), {"user": company.member.pk, "role": "delivery_manager"}
    )
    assert again.status_code == 200 and again.json()["role"] == "delivery_manager"
    for body, field in [
        ({"user": company.deactivated.pk, "role": "solution_manager"}, "user"),
        ({"user": 999999, "role": "solution_manager"}, "user"),
        ({"user": company.teammate.pk, "role": "boss"}, "role"),
        ({"role": "solution_manager"}, "user"),
    ]:
        response = post(client, url(deal, "members/"), body)
        assert response.status_code == 400 and field in response.json(), body
    owner_row = deal.members.get(user=company.owner)
    refused = client.delete(url(deal, f"members/{owner_row.pk}/"))
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": ["The owner stays on the deal team; reassign the deal instead."]
    }
    member_row = deal.members.get(user=company.member)
    assert client.delete(url(deal, f"members/{member_row.pk}/")).status_code == 204
    assert api("member").get(url(deal)).status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "stage"),
        ({"stage": 999999}, "stage"),
        ({"stage": "abc"}, "stage"),
        ({"stage_number": 99}, "stage_number"),
        ({"stage_number": 0}, "stage_number"),
        ({"stage": "{stage1}", "stage_number": 2}, "stage_number"),
        ({"stage_number": 2, "tender_issued_on": "soon"}, "tender_issued_on"),
    ],
)
def test_advance_bad_input(api, room, stages, body, field):
    if body.get("stage") == "{stage1}":
        body["stage"] = stages[1].pk
    response = post(api("owner"), url(room["deal"], "advance/"), body)
    assert response.status_code == 400
    assert field in response.json()


def test_advance_same_stage_and_skip_are_explained(api, room):
    client = api("owner")
    same = post(client, url(room["deal"], "advance/"), {"stage_number": 1})
    assert same.json() == {
        "detail": ["This move is not allowed: the deal is already in that stage."]
    }
    skip = post(client, url(room["deal"], "advance/"), {"stage_number": 4})
    assert "stages cannot be skipped" in skip.json()["detail"][0]


def test_closed_deal_does_not_advance(api, room):
    client = api("owner")
    assert post(client, url(room["deal"], "close/"), {"status": "abandoned"}).status_code == 200
    response = post(client, url(room["deal"], "advance/"), {"stage_number": 2})
    assert response.json() == {"detail": ["This opportunity is closed; reopen it first."]}


def test_grade_override(api, deal):
    client = api("owner")
    refused = post(client, url(deal, "grade/"), {"grade": "a"})
    assert refused.json() == {"grade_override_reason": ["Say why the grade is overridden."]}
    response = post(client, url(deal, "grade/"), {"grade": "a", "reason": "标杆客户"})
    assert response.status_code == 200
    assert response.json()["grade"] == "a"
    assert response.json()["grade_override"] == "a"
    assert response.json()["grade_override_by"]["id"] == deal.owner_id
    response = post(client, url(deal, "grade/"), {"grade": ""})
    assert response.json()["grade"] == "b" and response.json()["grade_override"] == ""
    assert post(client, url(deal, "grade/"), {"grade": "z"}).status_code == 400


# -- compelling events -----------------------------------------------------------------


def test_compelling_events(api, company, deal):
    client = api("owner")
    response = post(
        client,
        url(deal, "compelling-events/"),
        {"description": "  年底前必须上线  ", "due_on": "2026-12-31", "confirmed_in_stage": 5},
    )
    assert response.status_code == 201, response.content
    event = response.json()
    assert event["description"] == "年底前必须上线"
    assert event["confirmed_in_stage"] == 1 and event["withdrawn"] is False
    assert event["confirmed_by"]["id"] == company.owner.pk
    assert Deal.objects.get(pk=deal.pk).win_rate_status == "not_assessed"
    listed = client.get(url(deal, "compelling-events/")).json()
    assert [e["id"] for e in listed] == [event["id"]]
    withdrawn = post(
        client, url(deal, f"compelling-events/{event['id']}/confirm/"), {"holds": False}
    )
    assert withdrawn.json()["withdrawn"] is True
    assert Deal.objects.get(pk=deal.pk).win_rate_status == "not_computed"
    held = post(client, url(deal, f"compelling-events/{event['id']}/confirm/"), {"holds": True})
    assert held.json()["withdrawn"] is False
    for bad in (
        {"description": ""},
        {"description": "x" * 301},
        {"description": "x", "due_on": "x"},
    ):
        assert post(client, url(deal, "compelling-events/"), bad).status_code == 400
    assert (
        post(
            client, url(deal, f"compelling-events/{event['id']}/confirm/"), {"holds": "perhaps"}
        ).status_code
        == 400
    )


# -- competitors -----------------------------------------------------------------------


def test_competitors_list_quotes_and_latest_assessment(api, room):
    body = api("owner").get(url(room["deal"], "competitors/")).json()
    huawei, hik = body
    assert huawei["competitor"]["name"] == "华为"
    assert huawei["quotes"][0]["amount"] == "3000000.00"
    assert huawei["quotes"][0]["quoted_on"] == "2026-11-01"
    assert huawei["assessment"] == {"fit": 4, "closeness": 3, "strength": 12}
    assert hik["assessment"] == {"fit": 2, "closeness": 2, "strength": 4}


def test_add_competitor_by_id_or_name(api, room):
    deal = room["deal"]
    client = api("owner")
    zte = Competitor.objects.create(name="中兴")
    by_id = post(client, url(deal, "competitors/"), {"competitor": zte.pk, "notes": "价格低"})
    assert by_id.status_code == 201, by_id.content
    assert by_id.json()["competitor"] == {"id": zte.pk, "name": "中兴"}
    assert by_id.json()["assessment"] is None
    by_name = post(client, url(deal, "competitors/"), {"competitor": "  新华三  "})
    assert by_name.status_code == 201
    assert Competitor.objects.filter(name="新华三").count() == 1
    # the library's spelling wins; adding it twice is refused
    again = post(client, url(deal, "competitors/"), {"competitor": "新华三"})
    assert again.json() == {"competitor": ["This competitor is already in the deal."]}
    assert Competitor.objects.filter(name__iexact="新华三").count() == 1
    # unknown competitors now make the win rate capped and flagged
    assert client.get(url(deal, "win-rate/")).json()["competitors_unknown"] is True


def test_add_competitor_by_name_matches_any_letter_case(api, deal):
    Competitor.objects.create(name="Cisco")
    response = post(api("owner"), url(deal, "competitors/"), {"competitor": "cisco"})
    assert response.json()["competitor"]["name"] == "Cisco"
    assert Competitor.objects.count() == 1


@pytest.mark.parametrize(
    "value", [999999, 0, -3, True, None, "", "   ", "x" * 121, [1], {"id": 1}, 10**30]
)
def test_add_competitor_bad_values(api, deal, value):
    response = post(api("owner"), url(deal, "competitors/"), {"competitor": value})
    assert response.status_code == 400
    assert "competitor" in response.json()
    assert not deal.competitors.exists()


def test_a_removed_library_entry_is_not_recreated_by_name(api, company, deal):
    Competitor.objects.create(name="华为", deleted_at="2026-01-01T00:00:00Z")
    response = post(api("owner"), url(deal, "competitors/"), {"competitor": "华为"})
    assert response.status_code == 400
    assert "ask an administrator to restore it" in response.json()["competitor"][0]
    assert Competitor.all_objects.count() == 1


def test_remove_competitor(api, room):
    deal, entry = room["deal"], room["entry"]
    client = api("owner")
    assert client.delete(url(deal, f"competitors/{entry.pk}/")).status_code == 204
    assert not deal.competitors.filter(pk=entry.pk).exists()
    assert client.delete(url(deal, f"competitors/{entry.pk}/")).status_code == 404
    assert DealEvent.objects.filter(deal=deal, kind="competitor", old="华为").exists()


def test_quotes(api, company, room):
    deal, entry = room["deal"], room["other_entry"]
    client = api("owner")
    path = url(deal, f"competitors/{entry.pk}/quotes/")
    response = post(
        client, path, {"amount": "2800000.50", "quoted_on": "2026-11-05", "source": "内线"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["recorded_by"]["id"] == company.owner.pk
    assert entry.quotes.get().amount == Decimal("2800000.50")
    for bad in (
        {"amount": "-1", "quoted_on": "2026-11-05"},
        {"amount": "1e20", "quoted_on": "2026-11-05"},
        {"amount": "abc", "quoted_on": "2026-11-05"},
        {"amount": "1"},
        {"amount": "1", "quoted_on": "2026-11-05", "source": "x" * 201},
    ):
        assert post(client, path, bad).status_code == 400, bad
    assert entry.quotes.count() == 1


# -- questionnaire ---------------------------------------------------------------------


def test_questionnaire_versions_and_win_rate(api, company, room):
    deal, huawei, hik = room["deal"], room["entry"], room["other_entry"]
    client = api("owner")
    response = post(
        client,
        url(deal, "questionnaire/"),
        {
            "has_inside_coach": False,
            "our_fit": 3,
            "our_closeness": 3,
            "competitors": [
                {"entry": huawei.pk, "fit": 5, "closeness": 5},
                {"entry": hik.pk, "fit": 2, "closeness": None},
            ],
        },
    )
    assert response.status_code == 201, response.content
    answered = response.json()
    assert answered["answered_by"]["id"] == company.owner.pk
    assert answered["reviewed_by"] is None
    assert {
        (c["entry"], c["fit"], c["closeness"], c["strength"]) for c in answered["competitors"]
    } == {
        (huawei.pk, 5, 5, 25),
        (hik.pk, 2, None, None),
    }
    history = client.get(url(deal, "questionnaire/")).json()
    assert history["latest"]["id"] == answered["id"]
    assert [v["id"] for v in history["versions"]] == [answered["id"], room["questionnaire"].pk]
    # 9 / (9 + 25) capped at 0.5 (one competitor unknown) → 0.2647, × 0.7 without a coach
    win_rate = client.get(url(deal, "win-rate/")).json()
    assert win_rate["status"] == "computed"
    assert win_rate["rate"] == "0.1853"
    assert win_rate["rank"] == 2
    assert win_rate["competitors_unknown"] is True
    assert "no_inside_coach" in win_rate["reasons"]
    assert {"code": "no_inside_coach_multiplier", "value": "0.7", "subject": ""} in win_rate[
        "factors"
    ]
    assert "No inside coach: × 0.7, applied last." in win_rate["explanation"]
    assert win_rate["band"] == "pipeline"
    assert Deal.objects.get(pk=deal.pk).win_rate == Decimal("0.1853")
    curve = client.get(url(deal, "win-rate/curve/")).json()["points"]
    assert curve[-1]["rate"] == "0.1853" and curve[-1]["status"] == "computed"
    assert curve[-1]["cause"]


def test_questionnaire_refusals(api, company, room, other_deal):
    deal = room["deal"]
    client = api("owner")
    path = url(deal, "questionnaire/")
    foreign_entry = actions.add_competitor(
        other_deal, by=company.outsider, competitor=Competitor.objects.create(name="浪潮")
    )
    elsewhere = ContactFactory(account=AccountFactory(owner=company.owner))
    cases = [
        ({}, "has_inside_coach"),
        ({"has_inside_coach": True, "our_fit": 6}, "our_fit"),
        ({"has_inside_coach": True, "our_closeness": 0}, "our_closeness"),
        ({"has_inside_coach": True, "inside_coach": elsewhere.pk}, "inside_coach"),
        ({"has_inside_coach": True, "competitors": [{"entry": foreign_entry.pk}]}, "competitors"),
        (
            {
                "has_inside_coach": True,
                "competitors": [{"entry": room["entry"].pk}, {"entry": room["entry"].pk}],
            },
            "competitors",
        ),
        (
            {"has_inside_coach": True, "competitors": [{"entry": room["entry"].pk, "fit": 9}]},
            "competitors",
        ),
        ({"has_inside_coach": True, "competitors": "all"}, "competitors"),
    ]
    for body, field in cases:
        response = post(client, path, body)
        assert response.status_code == 400, body
        assert field in response.json(), (body, response.json())
    assert Questionnaire.objects.filter(deal=deal).count() == 1


def test_questionnaire_review_is_for_the_owners_manager(api, company, room):
    deal, questionnaire = room["deal"], room["questionnaire"]
    path = url(deal, f"questionnaire/{questionnaire.pk}/review/")
    refused = post(api("owner"), path)
    assert refused.status_code == 400
    assert refused.json() == {"detail": ["The questionnaire is reviewed by the owner's manager."]}
    reviewed = post(api("manager"), path)
    assert reviewed.status_code == 200
    assert reviewed.json()["reviewed_by"]["id"] == company.manager.pk
    assert reviewed.json()["reviewed_at"]


def test_not_computed_win_rate_says_why(api, deal):
    body = api("owner").get(url(deal, "win-rate/")).json()
    assert body["status"] == "not_computed"
    assert body["rate"] is None and body["rank"] is None and body["band"] == "none"
    assert body["reasons"] == ["no_compelling_event"]
    assert body["explanation"] == ["Compelling event recorded: no"]
    assert body["summary"].startswith("Not computed")


# -- decision map ----------------------------------------------------------------------


def test_decision_map(api, company, room):
    deal = room["deal"]
    client = api("owner")
    body = client.get(url(deal, "decision-map/")).json()
    (person,) = body["people"]
    assert person["contact"] == {
        "id": company.contact.pk,
        "name": company.contact.name,
        "title": company.contact.title,
    }
    assert person["decision_role"] == "decision_maker"
    assert person["suggested_strategy"] == "motivate"
    assert [r["code"] for r in body["missing_roles"]] == ["approver", "evaluator", "user"]
    # a new person: 201 with the suggestion for their status
    cfo = ContactFactory(account=company.account, name="赵财务", title="CFO")
    response = post(
        client,
        url(deal, "decision-map/"),
        {
            "contact": cfo.pk,
            "decision_role": "approver",
            "relationship_status": "strong_negative",
            "motivation": "升职",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["suggested_strategy"] == "suppress"
    # the same person again updates; what is not sent is kept
    response = post(client, url(deal, "decision-map/"), {"contact": cfo.pk, "need": "降本"})
    assert response.status_code == 200
    assert response.json()["decision_role"] == "approver"
    assert response.json()["motivation"] == "升职"
    assert response.json()["need"] == "降本"
    assert DealPerson.objects.filter(deal=deal).count() == 2
    body = client.get(url(deal, "decision-map/")).json()
    assert [r["code"] for r in body["missing_roles"]] == ["evaluator", "user"]


def test_decision_map_refusals(api, company, room):
    deal = room["deal"]
    client = api("owner")
    path = url(deal, "decision-map/")
    elsewhere = ContactFactory(account=AccountFactory(owner=company.owner))
    departed = post(client, path, {"contact": company.contact.pk, "strategy": "suppress"})
    assert departed.json() == {
        "strategy_reason": ["Say why you depart from the suggested strategy."]
    }
    with_reason = post(
        client,
        path,
        {"contact": company.contact.pk, "strategy": "suppress", "strategy_reason": "他在搅局"},
    )
    assert with_reason.status_code == 200
    for body, field in [
        ({"contact": elsewhere.pk}, "contact"),
        ({"contact": 999999}, "contact"),
        ({}, "contact"),
        ({"contact": company.contact.pk, "decision_role": "king"}, "decision_role"),
        ({"contact": company.contact.pk, "relationship_status": "love"}, "relationship_status"),
    ]:
        response = post(client, path, body)
        assert response.status_code == 400 and field in response.json(), body


def test_unmap_person(api, room):
    deal, person = room["deal"], room["person"]
    client = api("owner")
    assert client.delete(url(deal, f"decision-map/{person.pk}/")).status_code == 204
    assert not DealPerson.objects.filter(pk=person.pk).exists()
    assert client.delete(url(deal, f"decision-map/{person.pk}/")).status_code == 404


# -- actions and reviews ---------------------------------------------------------------


def test_actions(api, company, room):
    deal = room["deal"]
    client = api("owner")
    response = post(
        client,
        url(deal, "actions/"),
        {"title": "安排技术交流", "due_on": _in_a_month(), "person": company.contact.pk},
    )
    assert response.status_code == 201, response.content
    added = response.json()
    assert added["owner"]["id"] == company.owner.pk
    assert added["person"]["id"] == company.contact.pk
    assert added["status"] == "open" and added["overdue"] is False
    done = client.patch(url(deal, f"actions/{added['id']}/"), {"status": "done"}, format="json")
    assert done.status_code == 200
    assert done.json()["status"] == "done" and done.json()["done_at"]
    reopened = client.patch(url(deal, f"actions/{added['id']}/"), {"status": "open"}, format="json")
    assert reopened.json()["status"] == "open" and reopened.json()["done_at"] is None
    assert (
        client.patch(
            url(deal, f"actions/{added['id']}/"), {"status": "cancelled"}, format="json"
        ).status_code
        == 400
    )
    assert client.delete(url(deal, f"actions/{added['id']}/")).status_code == 204
    assert Action.all_objects.get(pk=added["id"]).is_deleted
    assert added["id"] not in [a["id"] for a in client.get(url(deal, "actions/")).json()]


def test_action_refusals(api, company, room):
    deal = room["deal"]
    client = api("owner")
    elsewhere = ContactFactory(account=AccountFactory(owner=company.owner))
    cases = [
        ({"title": "x", "due_on": "2026-12-05", "owner": company.teammate.pk}, "owner"),
        ({"title": "x", "due_on": "2026-12-05", "owner": company.deactivated.pk}, "owner"),
        ({"title": "x", "due_on": "2026-12-05", "person": elsewhere.pk}, "person"),
        ({"title": "", "due_on": "2026-12-05"}, "title"),
        ({"title": "x"}, "due_on"),
        ({"title": "x", "due_on": "2026-12-05", "status": "done", "done_at": "x"}, None),
    ]
    for body, field in cases:
        response = post(client, url(deal, "actions/"), body)
        if field is None:  # read-only fields are ignored
            assert response.status_code == 201 and response.json()["status"] == "open"
            continue
        assert response.status_code == 400 and field in response.json(), (body, response.json())


def test_manager_assigns_an_action_to_a_rep(api, company, room):
    response = post(
        api("manager"),
        url(room["deal"], "actions/"),
        {"title": "准备方案", "due_on": "2026-12-05", "owner": company.teammate.pk},
    )
    assert response.status_code == 201
    assert response.json()["owner"]["id"] == company.teammate.pk


def test_reviews_are_held_by_the_owners_manager(api, company, room):
    deal = room["deal"]
    refused = post(api("owner"), url(deal, "reviews/"), {"decisions": "自评"})
    assert refused.json() == {"detail": ["Coaching reviews are held by the owner's manager."]}
    response = post(
        api("director"),
        url(deal, "reviews/"),
        {
            "held_on": "2026-11-24",
            "elements": ["win_rate", "decision_map", "win_rate"],
            "decisions": "补齐评估角色",
            "new_actions": [{"title": "约见评估组", "due_on": "2026-12-01"}],
            "manager": company.owner.pk,
        },
    )
    assert response.status_code == 201, response.content
    review = response.json()
    assert review["manager"]["id"] == company.director.pk
    assert review["rep"]["id"] == company.owner.pk
    assert review["elements"] == ["win_rate", "decision_map"]
    action = deal.actions.get(title="约见评估组")
    assert action.owner == company.owner and action.linked_to == "review"
    listed = api("owner").get(url(deal, "reviews/")).json()
    assert listed[0]["id"] == review["id"]
    bad = post(api("manager"), url(deal, "reviews/"), {"elements": ["astrology"]})
    assert bad.status_code == 400 and "elements" in bad.json()


# -- closing ---------------------------------------------------------------------------


def test_close_lost_needs_reason_and_winner(api, room):
    deal = room["deal"]
    client = api("owner")
    refused = post(client, url(deal, "close/"), {"status": "lost"})
    assert refused.status_code == 400
    assert set(refused.json()) == {"lost_reason", "winner"}
    winner = room["entry"].competitor
    response = post(
        client, url(deal, "close/"), {"status": "lost", "lost_reason": "价格", "winner": winner.pk}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "lost" and body["winner"]["id"] == winner.pk
    assert body["closed_at"]
    again = post(client, url(deal, "close/"), {"status": "won"})
    assert again.json() == {"status": ["This opportunity is closed; reopen it first."]}
    reopened = post(client, url(deal, "reopen/"))
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "open" and reopened.json()["closed_at"] is None
    assert post(client, url(deal, "reopen/")).json() == {
        "status": ["This opportunity is not closed."]
    }


def test_close_won_and_no_decision(api, room, other_deal, company):
    client = api("owner")
    response = post(client, url(room["deal"], "close/"), {"status": "won"})
    assert response.json()["status"] == "won"
    assert response.json()["contract_signed_on"]
    no_decision = post(
        api("outsider"),
        url(other_deal, "close/"),
        {"status": "lost", "lost_reason": "预算取消", "no_decision": True},
    )
    assert no_decision.status_code == 200
    assert no_decision.json()["no_decision"] is True


@pytest.mark.parametrize(
    "body",
    [{}, {"status": "open"}, {"status": "won", "winner": 999999}, {"status": "maybe"}],
)
def test_close_bad_input(api, room, body):
    response = post(api("owner"), url(room["deal"], "close/"), body)
    assert response.status_code == 400
    assert Deal.objects.get(pk=room["deal"].pk).status == "open"
