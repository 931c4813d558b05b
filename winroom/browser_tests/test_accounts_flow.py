"""End-to-end flows in a real browser: accounts, contacts, the org chart, language, visibility."""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from winroom.accounts.models import Account, Contact
from winroom.org.models import Role
from winroom.testing.factories import AccountFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.browser

ACCOUNT_NAME = "苏州工业园区管委会"

# The chart's drawn reporting lines as a plain {name, children} tree (the root is the account
# itself; the chart is a graph whose "reports" links are the tree's edges).
READ_CHART = """() => {
  const el = document.getElementById('orgchart');
  const series = echarts.getInstanceByDom(el).getOption().series[0];
  const byId = new Map(series.data.filter((n) => !n.ring).map((n) => [n.id, n]));
  const kids = new Map();
  series.links.filter((l) => l.kind === 'reports').forEach((l) => {
    if (!kids.has(l.source)) kids.set(l.source, []);
    kids.get(l.source).push(l.target);
  });
  const strip = (id) => ({name: byId.get(id).name, children: (kids.get(id) || []).map(strip)});
  return [strip('root')];
}"""


@dataclass
class Sales:
    rep1: object
    rep3: object
    east: object
    west: object


@pytest.fixture
def sales(transactional_db):
    """The shape of winroom/conftest.py's ``company``: HQ → East (rep1), West (rep3)."""
    director = UserFactory(username="director", role=Role.MANAGER)
    hq = TeamFactory(name="全国销售部", manager=director)
    director.team = hq
    director.save()
    east_manager = UserFactory(username="manager", role=Role.MANAGER)
    west_manager = UserFactory(username="manager2", role=Role.MANAGER)
    east = TeamFactory(name="华东", parent=hq, manager=east_manager)
    west = TeamFactory(name="华西", parent=hq, manager=west_manager)
    for user, team in ((east_manager, east), (west_manager, west)):
        user.team = team
        user.save()
    rep1 = UserFactory(username="rep1", display_name="张三", role=Role.REP, team=east)
    rep3 = UserFactory(username="rep3", display_name="王五", role=Role.REP, team=west)
    return Sales(rep1=rep1, rep3=rep3, east=east, west=west)


def select_contact(select, name):
    """Choose a contact in a <select> whose options read "name" or "name · title"."""
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


def fill_contact(page, name, title, reports_to=None):
    form = page.get_by_test_id("contact-form")
    form.locator("#id_name").fill(name)
    form.locator("#id_title").fill(title)
    if reports_to:
        select_contact(form.locator("#id_reports_to"), reports_to)


def read_chart(page):
    page.locator('[data-testid=orgchart][data-ready="1"]').wait_for()
    return page.evaluate(READ_CHART)


def test_account_contacts_org_chart_language_and_visibility(page, sales, log_in):
    # ---- rep1 signs in; the interface is Chinese unless the person chooses otherwise
    page.goto("/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    log_in(page, "rep1")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("logout")).to_be_visible()

    # ---- a new account
    page.get_by_test_id("new-account").click()
    form = page.get_by_test_id("account-form")
    form.locator("#id_name").fill(ACCOUNT_NAME)
    form.locator("#id_industry").select_option("government")
    form.locator("#id_status").select_option("active")
    form.get_by_test_id("save").click()
    page.wait_for_url(re.compile(r"/accounts/\d+/$"))
    account_url = page.url
    expect(page.get_by_test_id("account-name")).to_have_text(ACCOUNT_NAME)
    account = Account.objects.get(name=ACCOUNT_NAME)
    assert account.owner == sales.rep1
    assert (account.industry, account.status) == ("government", "active")

    # ---- three people and who reports to whom, through the contact form
    page.get_by_test_id("add-contact").click()
    fill_contact(page, "主任", "管委会主任")
    page.get_by_test_id("save-add-another").click()
    expect(page.get_by_test_id("contact-form").locator("#id_name")).to_have_value("")
    fill_contact(page, "副主任", "常务副主任", reports_to="主任")
    page.get_by_test_id("save-add-another").click()
    expect(page.get_by_test_id("contact-form").locator("#id_name")).to_have_value("")
    fill_contact(page, "科长", "信息化科科长", reports_to="副主任")
    page.get_by_test_id("contact-form").get_by_test_id("save").click()
    page.wait_for_url(re.compile(r"/contacts/\d+/$"))
    people = {c.name: c for c in Contact.objects.filter(account=account)}
    assert set(people) == {"主任", "副主任", "科长"}
    assert people["科长"].reports_to == people["副主任"]
    assert people["副主任"].reports_to == people["主任"]

    # ---- the org chart draws the tree: account → 主任 → 副主任 → 科长
    response = page.goto(account_url)
    assert response is not None and response.ok
    tree = read_chart(page)
    assert page.get_by_test_id("orgchart").get_attribute("data-count") == "3"
    assert tree == [
        {
            "name": ACCOUNT_NAME,
            "children": [
                {
                    "name": "主任",
                    "children": [
                        {"name": "副主任", "children": [{"name": "科长", "children": []}]}
                    ],
                }
            ],
        }
    ]

    # ---- move 科长 to report straight to 主任 with the chart's in-place form (htmx)
    page.evaluate("window.__samePage = true")
    page.get_by_test_id("orgchart").evaluate("(el) => delete el.dataset.ready")
    reports_to_form = page.locator("#reports-to-form")
    select_contact(reports_to_form.locator("select[name=contact]"), "科长")
    select_contact(reports_to_form.locator("select[name=reports_to]"), "主任")
    reports_to_form.get_by_test_id("save-reports-to").click()
    tree = read_chart(page)
    assert page.evaluate("window.__samePage === true"), "the page reloaded"
    top = tree[0]["children"]
    assert [n["name"] for n in top] == ["主任"]
    under_director = sorted(top[0]["children"], key=lambda n: n["name"])
    assert under_director == [
        {"name": "副主任", "children": []},
        {"name": "科长", "children": []},
    ]
    assert Contact.objects.get(pk=people["科长"].pk).reports_to_id == people["主任"].pk
    # the swapped-in form is still there for the next move
    expect(page.locator("#reports-to-form select[name=contact]")).to_be_visible()
    assert page.js_errors == []
    assert page.static_failures == []

    # ---- English and back
    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == account_url
    expect(page.locator("nav").get_by_role("link", name="Accounts", exact=True)).to_be_visible()
    page.get_by_test_id("lang-zh-hans").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    # ---- log out
    page.get_by_test_id("logout").click()
    page.wait_for_url(re.compile(r"/login/$"))
    expect(page.locator("#id_username")).to_be_visible()

    # ---- rep3 (another team) can neither open the account nor see it listed
    log_in(page, "rep3")
    expect(page.locator("#results")).to_be_visible()
    assert ACCOUNT_NAME not in page.content()
    response = page.goto(account_url)
    assert response is not None and response.status == 404
    assert ACCOUNT_NAME not in page.content()
    response = page.goto(account_url + "org-chart.json")
    assert response is not None and response.status == 404
    page.goto("/accounts/")
    expect(page.locator("#results")).to_be_visible()
    assert ACCOUNT_NAME not in page.locator("body").inner_text()


def test_bad_input_keeps_what_was_typed_and_saves_nothing(page, sales, log_in):
    AccountFactory(name="Acme", owner=sales.rep3)
    log_in(page, "rep1")

    # ---- an account name that exists already (case-insensitively, someone else's)
    page.goto("/accounts/new/")
    form = page.get_by_test_id("account-form")
    form.locator("#id_name").fill("ACME")
    form.locator("#id_industry").select_option("finance")
    form.locator("#id_region").fill("苏州")
    form.get_by_test_id("save").click()
    error = page.locator(".invalid-feedback[data-field=name]")
    expect(error).to_be_visible()
    assert page.locator("#id_name").evaluate("(el) => el.classList.contains('is-invalid')")
    form = page.get_by_test_id("account-form")
    expect(form.locator("#id_name")).to_have_value("ACME")
    expect(form.locator("#id_industry")).to_have_value("finance")
    expect(form.locator("#id_region")).to_have_value("苏州")
    assert Account.objects.filter(name_key="acme").count() == 1

    # ---- a contact with a bad e-mail address and a bad phone number
    mine = AccountFactory(name="苏州轨道交通集团", owner=sales.rep1)
    page.goto(f"/accounts/{mine.pk}/")
    page.get_by_test_id("add-contact").click()
    form = page.get_by_test_id("contact-form")
    form.locator("#id_name").fill("李四")
    form.locator("#id_email").fill("lisi-at-example")
    form.locator("#id_phone").fill("12345")
    form.get_by_test_id("save").click()
    expect(page.locator(".invalid-feedback[data-field=email]")).to_be_visible()
    expect(page.locator(".invalid-feedback[data-field=phone]")).to_be_visible()
    form = page.get_by_test_id("contact-form")
    expect(form.locator("#id_name")).to_have_value("李四")
    expect(form.locator("#id_email")).to_have_value("lisi-at-example")
    expect(form.locator("#id_phone")).to_have_value("12345")
    assert not Contact.all_objects.filter(account=mine).exists()


def test_account_list_fits_a_phone(phone_page, sales, log_in):
    page = phone_page
    AccountFactory(name="中国石油化工股份有限公司江苏石油分公司南京营业部", owner=sales.rep1)
    AccountFactory(name="国家电网江苏省电力有限公司", owner=sales.rep1)
    log_in(page, "rep1")
    expect(page.locator("#results")).to_be_visible()
    expect(page.get_by_text("国家电网江苏省电力有限公司")).to_be_visible()
    expect(page.locator(".navbar-toggler")).to_be_visible()
    expect(page.get_by_test_id("logout")).to_be_hidden()  # folded into the menu
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"] + 1, widths
    # the menu opens and offers the way out
    page.locator(".navbar-toggler").click()
    expect(page.get_by_test_id("logout")).to_be_visible()
