"""The deal room's steps through its pages, and the pipeline's pages."""

from datetime import date

import pytest
from django.urls import reverse

from winroom.deals import actions
from winroom.deals.models import Competitor, Deal, DealEvent, Stage, WinRatePoint
from winroom.testing.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_created_deal_is_graded_and_not_computed(deal):
    assert deal.grade == "b"
    assert deal.stage.number == 1
    assert deal.win_rate is None and deal.win_rate_status == "not_computed"
    assert deal.members.get().user == deal.owner


def test_pages_render(company, client, deal):
    client.force_login(company.owner)
    for url in [
        reverse("deals:list"),
        reverse("deals:list") + f"?stale=true&band=none&sort=-amount&team={company.east.pk}",
        reverse("deals:board"),
        reverse("deals:create"),
        reverse("deals:detail", args=[deal.pk]),
        reverse("deals:edit", args=[deal.pk]),
        reverse("deals:history", args=[deal.pk]),
        reverse("deals:curve", args=[deal.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_whole_life_through_the_pages(company, client, deal):
    client.force_login(company.owner)
    room = reverse("deals:detail", args=[deal.pk])
    stage2 = Stage.objects.get(number=2)
    # refused: no compelling event yet
    client.post(reverse("deals:advance", args=[deal.pk]), {"stage": stage2.pk})
    assert Deal.objects.get(pk=deal.pk).stage.number == 1
    page = client.get(room).content.decode()
    assert "compelling event" in page or "必要" in page
    client.post(
        reverse("deals:event_add", args=[deal.pk]),
        {"description": "市政府要求年底前上线", "due_on": "2026-12-31"},
    )
    client.post(reverse("deals:competitor_add", args=[deal.pk]), {"new_name": "华为"})
    client.post(reverse("deals:competitor_add", args=[deal.pk]), {"new_name": "海康威视"})
    entries = list(deal.competitors.all())
    assert len(entries) == 2
    client.post(
        reverse("deals:quote_add", args=[deal.pk, entries[0].pk]),
        {"amount": "3000000", "quoted_on": "2026-11-01", "source": "内线"},
    )
    data = {"has_inside_coach": "yes", "our_fit": "4", "our_closeness": "4"}
    data.update({f"fit_{entries[0].pk}": "4", f"closeness_{entries[0].pk}": "3"})
    data.update({f"fit_{entries[1].pk}": "2", f"closeness_{entries[1].pk}": "2"})
    client.post(reverse("deals:questionnaire", args=[deal.pk]), data)
    deal.refresh_from_db()
    # 16 / (16 + 12 + 4) = 0.5, coach present
    assert str(deal.win_rate) == "0.5000"
    client.force_login(company.manager)
    questionnaire = deal.questionnaires.first()
    client.post(reverse("deals:questionnaire_review", args=[deal.pk, questionnaire.pk]))
    questionnaire.refresh_from_db()
    assert questionnaire.reviewed_by == company.manager
    client.force_login(company.owner)
    people = [company.contact] + [ContactFactory(account=company.account) for _ in range(3)]
    for person, role in zip(
        people, ["approver", "decision_maker", "evaluator", "user"], strict=True
    ):
        response = client.post(
            reverse("deals:person_map", args=[deal.pk]),
            {"contact": person.pk, "decision_role": role, "relationship_status": "positive"},
        )
        assert response.status_code == 302
    assert deal.people.count() == 4
    response = client.post(
        reverse("deals:advance", args=[deal.pk]),
        {"stage": stage2.pk},
    )
    assert Deal.objects.get(pk=deal.pk).stage.number == 2
    client.force_login(company.manager)
    client.post(
        reverse("deals:review_add", args=[deal.pk]),
        {
            "held_on": "2026-11-20",
            "elements": ["win_rate", "strategy"],
            "decisions": "加强高层拜访",
            "new_action": "约见局长",
            "new_action_due": "2026-11-30",
        },
    )
    assert deal.reviews.count() == 1
    assert deal.actions.filter(title="约见局长").exists()
    client.force_login(company.owner)
    winner = Competitor.objects.get(name="华为")
    client.post(reverse("deals:close", args=[deal.pk]), {"status": "lost"})
    assert Deal.objects.get(pk=deal.pk).status == "open"  # reason and winner required
    client.post(reverse("deals:close", args=[deal.pk]), {"status": "won"})
    deal.refresh_from_db()
    assert deal.status == "won" and deal.closed_at is not None
    assert winner.pk
    kinds = set(DealEvent.objects.filter(deal=deal).values_list("kind", flat=True))
    assert {
        "created",
        "stage",
        "status",
        "questionnaire",
        "competitor",
        "compelling_event",
    } <= kinds
    causes = list(WinRatePoint.objects.filter(deal=deal).values_list("cause", flat=True))
    assert any("questionnaire" in c or "问卷" in c for c in causes)


def test_snapshot_is_idempotent_per_week(deal):
    first = actions.snapshot_win_rates()
    second = actions.snapshot_win_rates()
    assert first["created"] == 1 and second["created"] == 0
    assert WinRatePoint.objects.filter(deal=deal, week__isnull=False).count() == 1


def test_board_drag_refusal_explains(company, client, deal):
    client.force_login(company.owner)
    response = client.post(
        reverse("deals:advance", args=[deal.pk]),
        {"stage": Stage.objects.get(number=2).pk},
        headers={"Accept": "application/json"},
    )
    body = response.json()
    assert body["ok"] is False and body["message"]


@pytest.mark.parametrize("role", ["teammate", "outsider", "other_manager"])
def test_outsiders_are_refused(company, client, deal, role):
    client.force_login(getattr(company, role))
    assert client.get(reverse("deals:detail", args=[deal.pk])).status_code == 404
    assert client.get(reverse("deals:curve", args=[deal.pk])).status_code == 404
    response = client.post(
        reverse("deals:event_add", args=[deal.pk]), {"description": "x", "due_on": ""}
    )
    assert response.status_code == 404
    assert not deal.compelling_events.exists()
    ids = {d.pk for d in client.get(reverse("deals:list")).context["page"]}
    assert deal.pk not in ids
    board = client.get(reverse("deals:board")).context["columns"]
    assert all(deal.pk not in {d.pk for d in cards} for _, cards in board)


@pytest.mark.parametrize("role", ["manager", "director", "admin"])
def test_managers_see_the_deal(company, client, deal, role):
    client.force_login(getattr(company, role))
    assert client.get(reverse("deals:detail", args=[deal.pk])).status_code == 200


def test_grade_bounds(company):
    cases = {"5000000": "a", "4999999.99": "b", "1000000": "b", "200000": "c", "199999": "d"}
    for amount, grade in cases.items():
        deal = actions.create_deal(
            by=company.owner, data={"account": company.account, "name": amount, "amount": amount}
        )
        assert deal.grade == grade, amount
    assert date.today()


def test_refused_move_keeps_the_typed_milestones_and_reconfirm_checkbox(company, client, deal):
    client.force_login(company.owner)
    actions.record_compelling_event(deal, by=company.owner, description="年底上线")
    stage2, stage3 = Stage.objects.get(number=2), Stage.objects.get(number=3)
    client.post(reverse("deals:advance", args=[deal.pk]), {"stage": stage2.pk})
    assert Deal.objects.get(pk=deal.pk).stage == stage2
    # refused (team of one), but the approval date typed with it is kept
    response = client.post(
        reverse("deals:advance", args=[deal.pk]),
        {"stage": stage3.pk, "internal_approved_on": "2026-11-20", "reconfirm_event": "on"},
        follow=True,
    )
    deal.refresh_from_db()
    assert deal.stage == stage2
    assert str(deal.internal_approved_on) == "2026-11-20"
    page = response.content.decode()
    assert "deal_team" not in page  # the reason is in words, not a code
    client.post(
        reverse("deals:member_add", args=[deal.pk]),
        {"user": company.teammate.pk, "role": "solution_manager"},
    )
    assert deal.members.count() == 2
    client.post(
        reverse("deals:advance", args=[deal.pk]), {"stage": stage3.pk, "reconfirm_event": "on"}
    )
    assert Deal.objects.get(pk=deal.pk).stage == stage3


def test_owner_cannot_be_removed_from_the_deal_team(company, client, deal):
    client.force_login(company.owner)
    owner_row = deal.members.get(user=company.owner)
    client.post(reverse("deals:member_remove", args=[deal.pk, owner_row.pk]))
    assert deal.members.filter(pk=owner_row.pk).exists()


def test_outsider_cannot_join_the_team(company, client, deal):
    client.force_login(company.outsider)
    response = client.post(
        reverse("deals:member_add", args=[deal.pk]),
        {"user": company.outsider.pk, "role": "solution_manager"},
    )
    assert response.status_code == 404
    assert not deal.members.filter(user=company.outsider).exists()


def test_health_score_is_kept_and_filterable(company, client, deal):
    deal.refresh_from_db()
    assert deal.health_score is not None
    client.force_login(company.owner)
    page = client.get(reverse("deals:detail", args=[deal.pk]))
    assert page.context["health"].score == deal.health_score
    band = "good" if deal.health_score >= 80 else ("medium" if deal.health_score >= 50 else "low")
    other = {"good": "low", "medium": "good", "low": "good"}[band]
    listed = {d.pk for d in client.get(reverse("deals:list") + f"?health={band}").context["page"]}
    assert deal.pk in listed
    listed = {d.pk for d in client.get(reverse("deals:list") + f"?health={other}").context["page"]}
    assert deal.pk not in listed
