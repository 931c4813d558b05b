"""A key-account opportunity's whole life in a real browser, as the rep and their manager.

The page is in Chinese (the product's default); the expected texts are the app's own
translations (``zh()``), so a reworded translation does not break the test. The deal team
has no screen yet, so its second member is added through the ORM (see ``test_deal_life``).
"""

import importlib
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from winroom.accounts.models import Contact
from winroom.deals import actions as deal_actions
from winroom.deals.models import (
    Action,
    CompellingEvent,
    Deal,
    DealCompetitor,
    DealMember,
    DealPerson,
    Quote,
    Review,
    Stage,
    TeamRole,
)
from winroom.org.models import Role
from winroom.testing.factories import AccountFactory, ContactFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.browser

ACCOUNT_NAME = "苏州工业园区管委会"
DEAL_NAME = "苏州工业园区智慧园区项目"
EVENT = "园区数字化考核 2026 年底前验收"
# contact → decision role on the map; 科长 is also the inside coach
PEOPLE = {
    "主任": "approver",
    "副主任": "decision_maker",
    "科长": "evaluator",
    "工程师": "user",
}
COACH = "科长"
# (fit, closeness) in the questionnaire: us 4×4=16, 西门子 4×3=12, 用友 2×2=4 → 16/32 = 50 %
COMPETITORS = {"西门子": (4, 3, "5800000"), "用友": (2, 2, "5200000")}

READ_CURVE = """() => {
  const chart = echarts.getInstanceByDom(document.getElementById('curve'));
  return chart.getOption().series[0].data.length;
}"""


def zh(text, **values):
    """The Chinese the page shows for an English msgid (with %-placeholders filled)."""
    with translation.override("zh-hans"):
        message = str(translation.gettext(text))
    return message % values if values else message


@dataclass
class Sales:
    rep1: object
    manager: object
    presales: object
    account: object


@pytest.fixture
def sales(transactional_db):
    """East (manager: rep1, presales) under HQ; rep1's account with four people."""
    # the stage template is seeded by a data migration, which a transactional test before
    # this one flushes away: put it back
    seed = importlib.import_module("winroom.deals.migrations.0002_default_stages")
    for number, code, criterion, role, departments in seed.STAGES:
        Stage.objects.get_or_create(
            code=code,
            defaults={
                "number": number,
                "exit_criterion": criterion,
                "lead_role": role,
                "departments": departments,
            },
        )
    director = UserFactory(username="director", role=Role.MANAGER)
    hq = TeamFactory(name="全国销售部", manager=director)
    director.team = hq
    director.save()
    manager = UserFactory(username="manager", display_name="李经理", role=Role.MANAGER)
    east = TeamFactory(name="华东", parent=hq, manager=manager)
    manager.team = east
    manager.save()
    rep1 = UserFactory(username="rep1", display_name="张三", role=Role.REP, team=east)
    presales = UserFactory(username="presales1", display_name="赵售前", role=Role.REP, team=east)
    account = AccountFactory(name=ACCOUNT_NAME, owner=rep1)
    titles = ["管委会主任", "常务副主任", "信息化科科长", "信息中心工程师"]
    for name, title in zip(PEOPLE, titles, strict=True):
        ContactFactory(account=account, name=name, title=title)
    return Sales(rep1=rep1, manager=manager, presales=presales, account=account)


def select_by_text(select, name):
    """Choose the option whose text is ``name`` or starts with "name · " (contacts, users)."""
    value = select.evaluate(
        """(el, name) => {
          const opt = [...el.options].find(
            (o) => o.text.trim() === name || o.text.trim().startsWith(name + ' · '));
          return opt ? opt.value : null;
        }""",
        name,
    )
    assert value, f"no option for {name!r} in {select.inner_text()!r}"
    select.select_option(value)


def submit(page, button):
    """Click a button of a plain (non-htmx) form and wait for the page it leads to."""
    with page.expect_navigation():
        button.click()


def current_stage(page):
    return page.get_by_test_id("stage-track").locator(".stage-step.current > span")


def error_alert(page):
    return page.locator(".alert-danger")


def reconfirm_event(page):
    submit(page, page.locator("#compelling-event").get_by_role("button", name=zh("Re-confirm")))
    expect(page.locator(".alert-success")).to_contain_text(zh("Compelling event updated."))


def advance(page, **milestones):
    """Move to the next stage (the form's default), filling milestone dates if given."""
    form = page.get_by_test_id("advance-form")
    for name, day in milestones.items():
        form.locator(f"[name={name}]").fill(day.isoformat())
    submit(page, form.get_by_test_id("advance"))


def log_out(page):
    page.get_by_test_id("logout").click()
    page.wait_for_url(re.compile(r"/login/$"))


def test_deal_life(page, sales, log_in):
    now = timezone.now()
    today = timezone.localdate()
    log_in(page, "rep1")

    # ---- a new opportunity: 6,000,000 CNY makes it an A deal in stage 1
    page.goto("/deals/new/")
    form = page.get_by_test_id("deal-form")
    select_by_text(form.locator("#id_account"), ACCOUNT_NAME)
    form.locator("#id_name").fill(DEAL_NAME)
    form.locator("#id_amount").fill("6000000")
    submit(page, form.get_by_test_id("save"))
    page.wait_for_url(re.compile(r"/deals/\d+/$"))
    deal_url = page.url
    expect(page.get_by_test_id("deal-name")).to_have_text(DEAL_NAME)
    expect(page.locator(".badge.grade-a")).to_have_text("A")
    expect(current_stage(page)).to_have_text("1")
    expect(page.get_by_test_id("deal-status")).to_have_text(zh("Open"))
    deal = Deal.objects.get(name=DEAL_NAME)
    assert (deal.grade, deal.owner, deal.account) == ("a", sales.rep1, sales.account)
    assert deal.stage.number == 1
    deal_actions.snapshot_win_rates(now=now - timedelta(days=14))

    # ---- stage 2 is refused without a compelling event, and the page says so
    expect(page.get_by_test_id("advance-preview")).to_contain_text(
        zh("a compelling event is recorded")
    )
    advance(page)
    expect(error_alert(page)).to_contain_text(zh("a compelling event is recorded"))
    expect(current_stage(page)).to_have_text("1")
    assert Deal.objects.get(pk=deal.pk).stage.number == 1
    expect(page.get_by_test_id("win-rate-value")).to_have_text(zh("not computed"))

    # ---- the compelling event
    form = page.get_by_test_id("event-form")
    form.locator("[name=description]").fill(EVENT)
    form.locator("[name=due_on]").fill((today + timedelta(days=200)).isoformat())
    form.locator("[name=evidence]").fill("管委会 2026 年工作报告")
    submit(page, form.get_by_role("button"))
    expect(page.locator("#compelling-event")).to_contain_text(EVENT)
    expect(page.get_by_test_id("win-rate-value")).to_have_text(zh("not assessed"))
    assert CompellingEvent.objects.filter(deal=deal, confirmed_in_stage=1).count() == 1

    # ---- two new competitors, typed in, each with a quote
    for name in COMPETITORS:
        form = page.get_by_test_id("competitor-form")
        form.locator("[name=new_name]").fill(name)
        submit(page, form.get_by_role("button"))
        expect(page.locator(".alert-success")).to_contain_text(zh("Competitor added."))
    table = page.get_by_test_id("competitors")
    for name, (_fit, _closeness, quote) in COMPETITORS.items():
        row = table.locator("tbody tr", has_text=name)
        row.locator("[name=amount]").fill(quote)
        row.locator("[name=source]").fill("渠道伙伴")
        submit(page, row.get_by_role("button", name="+"))
        expect(page.locator(".alert-success")).to_contain_text(zh("Quote recorded."))
    entries = {
        str(e.competitor): e
        for e in DealCompetitor.objects.filter(deal=deal).select_related("competitor")
    }
    assert set(entries) == set(COMPETITORS)
    for name, (_fit, _closeness, quote) in COMPETITORS.items():
        amounts = [str(q.amount) for q in Quote.objects.filter(deal_competitor=entries[name])]
        assert amounts == [f"{quote}.00"]
        grouped = f"{int(quote):,}"  # amounts are shown with thousands separators
        expect(table.locator("tbody tr", has_text=name)).to_contain_text(f"{grouped} (")

    # ---- the questionnaire: inside coach, our fit and closeness, the competitors'
    form = page.get_by_test_id("questionnaire-form")
    form.locator("[name=has_inside_coach][value=yes]").check()
    select_by_text(form.locator("[name=inside_coach]"), COACH)
    form.locator("[name=our_fit]").select_option("4")
    form.locator("[name=our_closeness]").select_option("4")
    for name, (fit, closeness, _quote) in COMPETITORS.items():
        form.locator(f"[name=fit_{entries[name].pk}]").select_option(str(fit))
        form.locator(f"[name=closeness_{entries[name].pk}]").select_option(str(closeness))
    submit(page, form.get_by_role("button", name=zh("Save answers")))
    expect(page.locator(".alert-success")).to_contain_text(zh("Questionnaire saved."))

    # ---- the win rate, and why: 16 / (16 + 12 + 4) = 50 %, rank 1, coach present
    expect(page.get_by_test_id("win-rate-value")).to_have_text("50%")
    factors = page.get_by_test_id("win-rate-factors")
    expect(factors.locator("li")).not_to_have_count(0)
    for line in (
        zh("Our strength (fit × closeness): %(v)s", v=16),
        zh("%(name)s's strength: %(v)s", name="西门子", v=12),
        zh("%(name)s's strength: %(v)s", name="用友", v=4),
        zh("Our rank among the assessed parties: %(v)s", v=1),
        zh("Inside coach: %(v)s", v=zh("yes")),
        zh("Win rate: %(v)s", v="50%"),
    ):
        expect(factors).to_contain_text(line)
    strengths = table.locator("tbody tr td:nth-child(4)")
    expect(strengths).to_have_text(["12", "4"])
    assert str(Deal.objects.get(pk=deal.pk).win_rate) == "0.5000"

    # ---- the decision map: four people, the four roles
    expect(page.get_by_test_id("missing-roles")).to_be_visible()
    for name, role in PEOPLE.items():
        page.locator("#decision-map details > summary").click()
        form = page.get_by_test_id("person-form")
        expect(form).to_be_visible()
        select_by_text(form.locator("[name=contact]"), name)
        form.locator("[name=decision_role]").select_option(role)
        if name == COACH:
            form.locator("[name=inside_coach]").check()
            form.locator("[name=relationship_status]").select_option("positive")
        submit(page, form.get_by_role("button", name=zh("Save")))
        expect(page.locator(".alert-success")).to_contain_text(zh("Decision map updated."))
    expect(page.get_by_test_id("missing-roles")).to_have_count(0)
    decision_map = page.get_by_test_id("decision-map")
    for name in PEOPLE:
        expect(decision_map).to_contain_text(name)
    for label in ("Approver", "Decision maker", "Evaluator", "User"):
        expect(decision_map).to_contain_text(zh(label))
    mapped = dict(
        DealPerson.objects.filter(deal=deal).values_list("contact__name", "decision_role")
    )
    assert mapped == PEOPLE
    deal_actions.snapshot_win_rates(now=now - timedelta(days=7))

    # ---- the manager reviews the questionnaire and holds a coaching review
    log_out(page)
    log_in(page, "manager")
    page.goto(deal_url)
    expect(page.get_by_test_id("reviewed")).to_have_count(0)
    submit(page, page.get_by_test_id("review-questionnaire"))
    expect(page.get_by_test_id("reviewed")).to_contain_text(
        zh("Reviewed by %(who)s.", who=str(sales.manager))
    )
    form = page.get_by_test_id("review-form")
    expect(form.locator("[name=held_on]")).to_have_value(today.isoformat())
    form.locator("[name=elements][value=compelling_event]").check()
    form.locator("[name=elements][value=win_rate]").check()
    form.locator("[name=elements][value=decision_map]").check()
    form.locator("[name=decisions]").fill("下周约副主任汇报方案")
    submit(page, form.get_by_role("button", name=zh("Record review")))
    expect(page.get_by_test_id("reviews")).to_contain_text("下周约副主任汇报方案")
    review = Review.objects.get(deal=deal)
    assert (review.manager, review.rep) == (sales.manager, sales.rep1)
    assert sorted(review.elements) == ["compelling_event", "decision_map", "win_rate"]
    log_out(page)

    # ---- back as the rep: stage 1 → 2 now that the compelling event is there
    log_in(page, "rep1")
    page.goto(deal_url)
    advance(page)
    expect(page.locator(".alert-success")).to_be_visible()
    expect(current_stage(page)).to_have_text("2")

    # ---- stage 2 → 3: re-confirm the event, internal approval, a deal team of two
    reconfirm_event(page)
    advance(page, internal_approved_on=today - timedelta(days=1))
    # refused: the deal team is only the rep, and there is no screen to add a member
    expect(error_alert(page)).to_be_visible()
    expect(current_stage(page)).to_have_text("2")
    DealMember.objects.create(deal=deal, user=sales.presales, role=TeamRole.SOLUTION_MANAGER)
    advance(page, internal_approved_on=today - timedelta(days=1))
    expect(current_stage(page)).to_have_text("3")

    # ---- stage 3 → 4: value proposition and competitive strategy (edit page), an action
    page.locator(f"a[href$='/deals/{deal.pk}/edit/']").click()
    page.wait_for_url(re.compile(r"/edit/$"))
    form = page.get_by_test_id("deal-form")
    form.locator("#id_value_proposition").fill("一体化平台，三个月上线，园区已有成功案例")
    form.locator("#id_competitive_strategy").select_option("flanking")
    submit(page, form.get_by_test_id("save"))
    page.wait_for_url(re.compile(r"/deals/\d+/$"))
    form = page.locator(f"form[action$='/deals/{deal.pk}/actions/']")
    form.locator("[name=title]").fill("向副主任汇报整体方案")
    select_by_text(form.locator("[name=person]"), "副主任")
    submit(page, form.get_by_role("button", name=zh("Add")))
    expect(page.get_by_test_id("actions")).to_contain_text("向副主任汇报整体方案")
    reconfirm_event(page)
    advance(page)
    expect(current_stage(page)).to_have_text("4")
    saved = Deal.objects.get(pk=deal.pk)
    assert saved.competitive_strategy == "flanking" and saved.value_proposition
    assert Action.objects.filter(deal=deal, status="open").count() == 1

    # ---- stages 4 → 5 → 6 → 7 on the tender's milestones, re-confirming each time
    for field, stage in (
        ("tender_influenced_on", 5),
        ("tender_issued_on", 6),
        ("bid_result_on", 7),
    ):
        # without the re-confirmation the move is refused and says why
        advance(page, **{field: today})
        expect(error_alert(page)).to_contain_text(
            zh("the compelling event is re-confirmed in this stage")
        )
        expect(current_stage(page)).to_have_text(str(stage - 1))
        reconfirm_event(page)
        advance(page, **{field: today})
        expect(current_stage(page)).to_have_text(str(stage))
    saved = Deal.objects.get(pk=deal.pk)
    assert saved.stage.number == 7
    assert (saved.tender_influenced_on, saved.tender_issued_on, saved.bid_result_on) == (
        today,
        today,
        today,
    )
    assert CompellingEvent.objects.get(deal=deal).confirmed_in_stage == 6

    # ---- the win-rate curve: a weekly point in each of three ISO weeks, plus the changes
    deal_actions.snapshot_win_rates(now=now)
    page.goto(deal_url)
    curve = page.locator('[data-testid=curve][data-ready="1"]')
    curve.wait_for()
    assert int(curve.get_attribute("data-weekly")) >= 3
    count = int(curve.get_attribute("data-count"))
    assert count > 3
    assert page.evaluate(READ_CURVE) == count

    # ---- closed as won
    form = page.get_by_test_id("close-form")
    form.locator("[name=status]").select_option("won")
    submit(page, form.get_by_test_id("close"))
    expect(page.get_by_test_id("deal-status")).to_have_text(zh("Won"))
    expect(page.get_by_test_id("close-form")).to_have_count(0)
    expect(page.get_by_test_id("advance-form")).to_have_count(0)
    saved = Deal.objects.get(pk=deal.pk)
    assert saved.status == "won" and saved.contract_signed_on == today
    assert Contact.objects.filter(account=sales.account).count() == 4

    assert page.js_errors == []
    assert page.static_failures == []
