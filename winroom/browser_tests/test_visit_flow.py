"""Issue 5 acceptance in a real browser: a rep plans a visit from a deal risk seen on Today,
records it with a commitment and scores the five steps; the manager scores the same visit;
both see the skills chart move."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from winroom.deals import actions as deal_actions
from winroom.org.models import Role
from winroom.testing.factories import AccountFactory, ContactFactory, TeamFactory, UserFactory
from winroom.visits.models import Visit, VisitStatus

pytestmark = pytest.mark.browser

STEPS = ["prepare", "understand", "present", "commit", "evaluate"]

# What the radar draws: both series of the skills chart, straight from ECharts.
READ_RADAR = """() => {
  const chart = echarts.getInstanceByDom(document.getElementById('skills-radar'));
  return chart.getOption().series[0].data.map((s) => s.value);
}"""


@pytest.fixture
def east(transactional_db):
    """HQ → East (manager: rep1's manager); rep1 owns an account with a person and a deal."""
    director = UserFactory(username="director", role=Role.MANAGER)
    hq = TeamFactory(name="全国销售部", manager=director)
    manager = UserFactory(username="manager", display_name="李经理", role=Role.MANAGER)
    team = TeamFactory(name="华东", parent=hq, manager=manager)
    manager.team = team
    manager.save()
    rep1 = UserFactory(username="rep1", display_name="张三", role=Role.REP, team=team)
    account = AccountFactory(name="苏州轨道交通集团", owner=rep1)
    contact = ContactFactory(account=account, name="周总", title="信息中心主任")
    deal = deal_actions.create_deal(
        by=rep1, data={"account": account, "name": "苏州线网云平台", "amount": "2600000"}
    )
    return {"rep1": rep1, "manager": manager, "contact": contact, "deal": deal}


def skills_data(page):
    page.goto("/visits/skills/")
    page.locator('[data-testid=skills-radar][data-ready="1"]').wait_for()
    data = json.loads(page.locator("#skills-data").text_content())
    return data, page.evaluate(READ_RADAR)


def log_out(page):
    page.get_by_test_id("logout").click()
    page.wait_for_url(re.compile(r"/login/"))


def test_plan_record_evaluate_and_the_skills_move(page, east, log_in):
    deal = east["deal"]
    # ---- rep1 starts the day on Today: the deal is among the health risks
    log_in(page, "rep1")
    before, _radar = skills_data(page)
    assert before["rep"] == [None] * 5 and before["manager"] == [None] * 5
    page.goto("/today/")
    health = page.get_by_test_id("section-health")
    health.locator(f'a[href^="/deals/{deal.pk}/"]').first.click()
    page.wait_for_url(re.compile(rf"/deals/{deal.pk}/"))

    # ---- plan a visit from the deal's urgency risk: the suggestion is the objective
    page.get_by_test_id("plan-visit-urgency").click()
    page.wait_for_url(re.compile(r"/visits/new/\?"))
    form = page.get_by_test_id("visit-form")
    expect(form.locator("#id_objective")).not_to_have_value("")
    suggestions = page.get_by_test_id("suggestions")
    expect(suggestions.locator("[data-risk=urgency]")).to_be_visible()
    suggestions.get_by_test_id("suggested-roles").locator("[data-fill=questions]").first.click()
    expect(form.locator("#id_questions")).not_to_have_value("")
    held = timezone.localtime() - timedelta(hours=1)
    form.locator("#id_planned_at").fill(held.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label(re.compile("周总")).check()
    form.locator("#id_commitment_ask").fill("同意安排技术交流")
    form.get_by_test_id("save").click()
    page.wait_for_url(re.compile(r"/visits/\d+/$"))
    visit = Visit.objects.get()
    assert visit.deal == deal and visit.owner == east["rep1"]
    assert visit.objective and visit.questions
    assert list(visit.people.all()) == [east["contact"]]

    # ---- record it with the commitment won and the rep's five scores
    page.get_by_test_id("record").click()
    record = page.get_by_test_id("record-form")
    record.locator("#id_outcome").fill("客户同意下周技术交流")
    record.locator('input[name=commitment][value="won"]').check()
    record.locator("#id_next_steps").fill("准备技术交流材料")
    for step in STEPS:
        record.locator(f'input[name=rep_{step}][value="4"]').check()
    record.locator('input[name=rep_commit][value="3"]').check()
    record.get_by_test_id("save").click()
    page.wait_for_url(re.compile(rf"/visits/{visit.pk}/$"))
    expect(page.get_by_test_id("verdict").get_by_test_id("effective")).to_have_class(
        re.compile("bg-success")
    )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE and visit.effective and visit.commitment == "won"
    after_rep, radar = skills_data(page)
    assert after_rep["rep"] == [4, 4, 4, 3, 4] and after_rep["manager"] == [None] * 5
    assert radar[0] == [4, 4, 4, 3, 4]
    log_out(page)

    # ---- the manager finds it on Today and scores the same five steps
    log_in(page, "manager")
    page.goto("/today/")
    page.get_by_test_id("section-score").locator(
        f'a[href="/visits/{visit.pk}/evaluate/"]'
    ).first.click()
    evaluate = page.get_by_test_id("evaluate-form")
    for step in STEPS:
        evaluate.locator(f'input[name=mgr_{step}][value="3"]').check()
    evaluate.locator('input[name=mgr_commit][value="2"]').check()
    evaluate.locator("#id_manager_note").fill("承诺环节可以更直接")
    evaluate.get_by_test_id("save").click()
    page.wait_for_url(re.compile(rf"/visits/{visit.pk}/$"))
    expect(page.get_by_test_id("mgr-commit")).to_have_text("2")
    expect(page.get_by_test_id("rep-commit")).to_have_text("3")
    manager_view, radar = skills_data(page)
    assert manager_view["manager"] == [3, 3, 3, 2, 3]
    assert radar[1] == [3, 3, 3, 2, 3]
    log_out(page)

    # ---- rep1 sees both views side by side, and the chart has moved
    log_in(page, "rep1")
    final, radar = skills_data(page)
    assert final["rep"] == [4, 4, 4, 3, 4] and final["manager"] == [3, 3, 3, 2, 3]
    assert final != before and radar == [[4, 4, 4, 3, 4], [3, 3, 3, 2, 3]]
    assert page.js_errors == [] and page.static_failures == []
