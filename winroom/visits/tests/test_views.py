"""The visit pages: planning (with the deal room's suggestions), recording, evaluation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from winroom.deals.models import Action
from winroom.visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db

STEPS = ["prepare", "understand", "present", "commit", "evaluate"]


def plan_data(company, deal=None, **extra):
    data = {
        "account": company.account.pk,
        "deal": deal.pk if deal else "",
        "people": [company.contact.pk],
        "planned_at": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "objective": "确认预算",
        "reason": "预算评审前",
        "questions": "谁批预算？",
        "commitment_ask": "安排高层会面",
        "materials": "方案书",
    }
    data.update(extra)
    return data


def record_data(visit, **extra):
    data = {
        "version": visit.version,
        "visited_on": timezone.localdate().isoformat(),
        "outcome": "客户认可方案",
        "commitment": "won",
        "next_steps": "发送报价\n- 安排演示",
        **{f"rep_{s}": 4 for s in STEPS},
    }
    data.update(extra)
    return data


def evaluate_data(visit, score=2, **extra):
    return {
        "version": visit.version,
        "manager_note": "准备不足",
        **{f"mgr_{s}": score for s in STEPS},
        **extra,
    }


def test_owner_plans_a_visit_for_a_deal(company, deal, login):
    client = login(company.owner)
    response = client.post(reverse("visits:create"), plan_data(company, deal))
    visit = Visit.objects.get()
    assert response.status_code == 302 and response.url == reverse("visits:detail", args=[visit.pk])
    assert visit.owner == company.owner and visit.deal == deal
    assert list(visit.people.all()) == [company.contact]
    assert visit.status == VisitStatus.PLANNED and not visit.effective


def test_plan_from_a_deal_risk_is_prefilled_with_suggestions(company, deal, login):
    client = login(company.owner)
    response = client.get(
        reverse("visits:create"),
        {"deal": deal.pk, "risk": "urgency", "person": company.contact.pk},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["deal"] == deal.pk
    assert form.initial["people"] == [company.contact.pk]
    assert form.initial["objective"]  # the risk's suggested action
    suggestions = response.context["suggestions"]
    assert "urgency" in {r["code"] for r in suggestions["risks"]}
    assert len(suggestions["roles"]) == 4  # nobody is on the map yet
    assert b'data-fill="objective"' in response.content


def test_deal_room_offers_to_plan_a_visit_per_risk(company, deal, login):
    response = login(company.owner).get(reverse("deals:detail", args=[deal.pk]))
    assert f"?deal={deal.pk}&risk=urgency" in response.content.decode()


def test_suggestions_partial(company, deal, login):
    client = login(company.owner)
    response = client.get(reverse("visits:suggestions"), {"deal": deal.pk})
    assert response.status_code == 200 and b"suggested-risks" in response.content
    assert (
        login(company.outsider).get(reverse("visits:suggestions"), {"deal": deal.pk}).status_code
        == 404
    )


def test_plan_refuses_a_deal_of_another_account_and_keeps_the_input(company, login):
    from winroom.deals import actions as deal_actions
    from winroom.testing.factories import AccountFactory

    other = AccountFactory(name="杭州地铁", owner=company.owner)
    other_deal = deal_actions.create_deal(
        by=company.owner, data={"account": other, "name": "杭州项目", "amount": "1"}
    )
    client = login(company.owner)
    response = client.post(reverse("visits:create"), plan_data(company, other_deal))
    assert response.status_code == 200
    assert "deal" in response.context["form"].errors
    assert response.context["form"]["objective"].value() == "确认预算"
    assert not Visit.objects.exists()


def test_outsider_cannot_plan_at_a_hidden_account(company, deal, login):
    client = login(company.outsider)
    assert client.get(reverse("visits:create"), {"account": company.account.pk}).status_code == 404
    assert client.get(reverse("visits:create"), {"deal": deal.pk}).status_code == 404
    response = client.post(reverse("visits:create"), plan_data(company))
    assert response.status_code == 200 and "account" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_plan_edit_with_a_stale_version_is_refused_and_input_kept(company, visit, login):
    client = login(company.owner)
    url = reverse("visits:edit", args=[visit.pk])
    first = client.post(url, {**plan_data(company, visit.deal), "version": visit.version})
    assert first.status_code == 302
    stale = client.post(
        url, {**plan_data(company, visit.deal, objective="我的改动"), "version": visit.version}
    )
    assert stale.status_code == 200
    assert stale.context["form"].non_field_errors()
    assert stale.context["form"]["objective"].value() == "我的改动"
    visit.refresh_from_db()
    assert visit.objective == "确认预算" and visit.version == 2


def test_manager_may_edit_the_plan(company, visit, login):
    url = reverse("visits:edit", args=[visit.pk])
    response = login(company.manager).post(
        url, {**plan_data(company, visit.deal, objective="经理改"), "version": visit.version}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.objective == "经理改" and visit.owner == company.owner


def test_account_member_reads_but_cannot_change(company, visit, login):
    client = login(company.member)
    assert client.get(reverse("visits:detail", args=[visit.pk])).status_code == 200
    response = client.post(
        reverse("visits:edit", args=[visit.pk]), {**plan_data(company), "version": 1}
    )
    assert response.status_code == 404
    visit.refresh_from_db()
    assert visit.version == 1


def _past(visit, days=1):
    visit.planned_at = timezone.now() - timedelta(days=days)
    visit.save()
    return Visit.objects.get(pk=visit.pk)


def test_rep_records_with_scores_and_next_steps_become_actions(company, visit, login):
    visit = _past(visit)
    client = login(company.owner)
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        reverse("visits:record", args=[visit.pk]),
        record_data(visit, make_actions="on", action_owner=company.owner.pk, action_due_on=due),
    )
    assert response.status_code == 302, response.context["form"].errors
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE and visit.recorded_at is not None
    assert visit.effective
    assert visit.rep_scores()["prepare"] == 4
    assert all(v is None for v in visit.manager_scores().values())
    titles = set(Action.objects.filter(deal=visit.deal).values_list("title", flat=True))
    assert titles == {"发送报价", "安排演示"}
    page = client.get(reverse("visits:detail", args=[visit.pk]))
    assert b'data-testid="verdict"' in page.content and b"visit-actions" in page.content


def test_record_without_commitment_is_kept_and_shown_not_effective(company, visit, login):
    visit = _past(visit)
    client = login(company.owner)
    response = client.post(
        reverse("visits:record", args=[visit.pk]), record_data(visit, commitment="")
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE and not visit.effective
    page = client.get(reverse("visits:detail", args=[visit.pk]))
    assert page.context["verdict"]["result"].reasons == ("commitment_unanswered",)


def test_a_future_visit_cannot_be_recorded(company, visit, login):
    client = login(company.owner)
    response = client.post(
        reverse("visits:record", args=[visit.pk]),
        record_data(visit, visited_on=(timezone.localdate() + timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 200 and "visited_on" in response.context["form"].errors
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


@pytest.mark.parametrize("who", ["manager", "director", "admin", "member", "outsider", "teammate"])
def test_only_the_rep_records(company, visit, login, who):
    visit = _past(visit)
    response = login(getattr(company, who)).post(
        reverse("visits:record", args=[visit.pk]), record_data(visit)
    )
    assert response.status_code == 404
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED and visit.rep_prepare is None


@pytest.mark.parametrize("who", ["manager", "director", "admin"])
def test_managers_and_admins_evaluate(company, done_visit, login, who):
    user = getattr(company, who)
    response = login(user).post(
        reverse("visits:evaluate", args=[done_visit.pk]), evaluate_data(done_visit)
    )
    assert response.status_code == 302
    done_visit.refresh_from_db()
    assert done_visit.mgr_prepare == 2 and done_visit.manager_scored_by == user
    assert done_visit.rep_prepare == 3  # the rep's own view is untouched


@pytest.mark.parametrize("who", ["owner", "member", "teammate", "outsider", "other_manager"])
def test_no_one_else_evaluates(company, done_visit, login, who):
    response = login(getattr(company, who)).post(
        reverse("visits:evaluate", args=[done_visit.pk]), evaluate_data(done_visit)
    )
    assert response.status_code == 404
    done_visit.refresh_from_db()
    assert done_visit.mgr_prepare is None and done_visit.manager_scored_at is None


def test_the_rep_cannot_smuggle_manager_scores_into_the_record(company, done_visit, login):
    response = login(company.owner).post(
        reverse("visits:record", args=[done_visit.pk]),
        record_data(done_visit, mgr_prepare=5, manager_note="自评"),
    )
    assert response.status_code == 302
    done_visit.refresh_from_db()
    assert done_visit.mgr_prepare is None and done_visit.manager_note == ""


def test_the_manager_cannot_change_the_rep_scores(company, done_visit, login):
    response = login(company.manager).post(
        reverse("visits:evaluate", args=[done_visit.pk]),
        evaluate_data(done_visit, rep_prepare=1, outcome="改写"),
    )
    assert response.status_code == 302
    done_visit.refresh_from_db()
    assert done_visit.rep_prepare == 3 and done_visit.outcome == ""


def test_a_planned_visit_cannot_be_evaluated_yet(company, visit, login):
    response = login(company.manager).post(
        reverse("visits:evaluate", args=[visit.pk]), evaluate_data(visit)
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    visit.refresh_from_db()
    assert visit.mgr_prepare is None


def test_the_rep_sees_both_views_side_by_side(company, done_visit, login):
    login(company.manager).post(
        reverse("visits:evaluate", args=[done_visit.pk]), evaluate_data(done_visit)
    )
    page = login(company.owner).get(reverse("visits:detail", args=[done_visit.pk]))
    rows = {row["step"]: (row["rep"], row["manager"]) for row in page.context["scores"]}
    assert rows["prepare"] == (3, 2)
    assert b"manager-note" in page.content


def test_evaluation_with_a_stale_version_is_refused(company, done_visit, login):
    client = login(company.manager)
    url = reverse("visits:evaluate", args=[done_visit.pk])
    assert client.post(url, evaluate_data(done_visit, score=4)).status_code == 302
    stale = client.post(url, evaluate_data(done_visit, score=1))
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    done_visit.refresh_from_db()
    assert done_visit.mgr_prepare == 4


def test_list_shows_only_visible_visits_with_a_pinned_query_count(
    company, deal, login, django_assert_max_num_queries
):
    from .conftest import make_visit

    for _n in range(12):
        make_visit(company.owner, company.account, deal=deal)
    hidden_account = __import__(
        "winroom.testing.factories", fromlist=["AccountFactory"]
    ).AccountFactory(owner=company.outsider)
    hidden = make_visit(company.outsider, hidden_account)
    client = login(company.owner)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("visits:list"))
    assert response.status_code == 200
    listed = {v.pk for v in response.context["page"]}
    assert len(listed) == 12 and hidden.pk not in listed
