"""The managers' account list (portfolio): figures computed in the database, filters,
sorting, pinned query count and the spreadsheet-safe CSV export."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from winroom.accounts.models import (
    Account,
    Contact,
    RelationshipActionType,
    SupplierTierAssessment,
)
from winroom.accounts.portfolio import (
    portfolio_queryset,
    spreadsheet_safe,
)
from winroom.accounts.relationships import account_score, annotate
from winroom.activities.actions import log_activity
from winroom.deals import actions as deal_actions
from winroom.deals.models import DealPerson
from winroom.org.models import CompanySettings
from winroom.testing.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(company):
    return deal_actions.create_deal(
        by=company.owner,
        data={"account": company.account, "name": "地铁线网指挥中心项目", "amount": "3200000"},
    )


def log(by, contact, codes, *, days_ago=0):
    return log_activity(
        by=by,
        data={
            "account": contact.account,
            "kind": "meeting",
            "subject": "交流",
            "notes": "",
            "occurred_at": timezone.now() - timedelta(days=days_ago),
            "participants": [contact],
            "relationship_actions": [RelationshipActionType.objects.get(code=c) for c in codes],
        },
    )


def set_level(contact, level):
    Contact.all_objects.filter(pk=contact.pk).update(relationship_level=level)


def row(user, account):
    company = CompanySettings.current()
    return portfolio_queryset(user, company=company).get(pk=account.pk)


def python_score(account):
    company = CompanySettings.current()
    contacts = annotate(Contact.objects.filter(account=account), company=company)
    return account_score(contacts)


def test_database_score_matches_the_methodology(company, deal):
    owner = company.owner
    ceo = company.contact
    Contact.objects.filter(pk=ceo.pk).update(level="executive", marked_key=True)
    cio = ContactFactory(account=company.account, level="manager")
    staff = ContactFactory(account=company.account, level="staff")
    not_key = ContactFactory(account=company.account, level="executive")
    deal_actions.map_person(deal, by=owner, contact=cio, decision_role="evaluator")
    deal_actions.map_person(deal, by=owner, contact=staff, decision_role="")
    log(owner, ceo, ["technical_exchange", "office_visit"])  # 2.1 × 1.5 = 3.15 → 3.2
    log(owner, ceo, ["reference_visit"], days_ago=400)  # outside the window
    log(owner, cio, ["office_visit", "office_visit"])  # one activity, one action: 0.1 × 1.2
    log(owner, cio, ["hq_visit"])  # 5 × 1.2 = 6 → 6.12 → 6.1
    log(owner, not_key, ["strategic_agreement"])
    for _ in range(12):
        log(owner, staff, ["strategic_agreement"])  # not key: no decision role
    figures = row(owner, company.account)
    assert figures.key_count == 2
    expected = python_score(company.account)
    assert expected == Decimal("4.7")  # (3.2 + 6.1) / 2 = 4.65 → 4.7 half up
    assert figures.score_tenths == 47


def test_score_is_capped_per_contact_and_none_without_key_contacts(company):
    owner = company.owner
    assert row(owner, company.account).score_tenths is None
    Contact.objects.filter(pk=company.contact.pk).update(level="executive", marked_key=True)
    for _ in range(8):
        log(owner, company.contact, ["strategic_agreement"])  # 8 × 10 × 1.5 = 120 → 100
    other = ContactFactory(account=company.account, marked_key=True)
    log(owner, other, ["hq_visit"])
    assert python_score(company.account) == Decimal("52.5")
    assert row(owner, company.account).score_tenths == 525


def test_level_distribution_and_coverage_gaps(company, deal):
    owner = company.owner
    a, b, c, d = (ContactFactory(account=company.account) for _ in range(4))
    for person, role in ((a, "evaluator"), (b, "evaluator"), (c, "approver"), (d, "user")):
        deal_actions.map_person(deal, by=owner, contact=person, decision_role=role)
    set_level(a, "neutral")
    set_level(b, "supporter")  # covers the evaluator role
    set_level(c, "opponent")  # approver: a gap
    set_level(d, "iron_supporter")
    figures = row(owner, company.account)
    assert figures.gap_count == 1
    assert (figures.n_iron_supporter, figures.n_supporter, figures.n_neutral) == (1, 1, 1)
    assert figures.n_opponent == 1
    set_level(b, "neutral")  # two unsupported evaluators: still one gap for the role
    assert row(owner, company.account).gap_count == 2
    DealPerson.objects.filter(deal=deal).update(decision_role="")
    assert row(owner, company.account).gap_count == 0


def _fill(company, n):
    for i in range(n):
        account = AccountFactory(owner=company.owner)
        person = ContactFactory(account=account, marked_key=True)
        log(company.owner, person, ["technical_exchange"], days_ago=i % 5)
        SupplierTierAssessment.objects.create(account=account, tier=1 + i % 5, evidence="x")


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["accounts:portfolio", "accounts:portfolio_export"])
def test_query_count_does_not_grow_with_accounts(company, client, url_name):
    client.force_login(company.manager)
    url = reverse(url_name)
    _fill(company, 5)
    few = _queries(client, url)
    _fill(company, 45)
    many = _queries(client, url)
    assert many == few, f"{few} queries for 5 accounts, {many} for 50"
    assert few <= 14


def test_page_shows_figures_and_filters(company, client, deal):
    client.force_login(company.owner)
    SupplierTierAssessment.objects.create(account=company.account, tier=4, evidence="方案")
    person = ContactFactory(account=company.account, name="李决策")
    deal_actions.map_person(deal, by=company.owner, contact=person, decision_role="decision_maker")
    response = client.get(reverse("accounts:portfolio"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "李决策" in text and company.account.name in text
    rows = list(response.context["page"])
    assert rows[0].gap_count == 1 and rows[0].tier == 4
    assert [g["role"] for g in rows[0].gaps] == ["decision_maker"]
    for query, expected in [
        ({"tier": "4"}, 1),
        ({"tier": "none"}, 0),
        ({"gaps": "yes"}, 1),
        ({"gaps": "no"}, 0),
        ({"team": company.east.pk}, 1),
        ({"team": company.west.pk}, 0),
        ({"owner": company.owner.pk}, 1),
        ({"industry": company.account.industry}, 1),
        ({"score_min": "0", "score_max": "0"}, 1),  # the decision maker scores 0
        ({"score_min": "0.1"}, 0),
    ]:
        page = client.get(reverse("accounts:portfolio"), query).context["page"]
        assert page.paginator.count == expected, query


def test_bad_filter_input_is_reported_and_kept(company, client):
    client.force_login(company.owner)
    response = client.get(reverse("accounts:portfolio"), {"score_min": "abc", "sort": "evil"})
    assert response.status_code == 200
    assert response.context["filter"].errors
    assert 'value="abc"' in response.content.decode()


def test_sorting(company, client):
    owner = company.owner
    low = AccountFactory(owner=owner, name="甲低")
    high = AccountFactory(owner=owner, name="乙高")
    for account, codes in ((low, ["office_visit"]), (high, ["hq_visit"])):
        log(owner, ContactFactory(account=account, marked_key=True), codes)
    SupplierTierAssessment.objects.create(account=low, tier=5, evidence="x")
    client.force_login(owner)

    def order(sort):
        page = client.get(reverse("accounts:portfolio"), {"sort": sort}).context["page"]
        return [a.pk for a in page]

    assert order("-score")[:2] == [high.pk, low.pk]
    assert order("score").index(low.pk) < order("score").index(high.pk)
    assert order("-tier")[0] == low.pk
    assert order("name") == sorted(order("name"), key=lambda pk: Account.objects.get(pk=pk).name)
    assert set(order("owner")) == set(order("-gaps"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("上海申通", "上海申通"),
        (12, "12"),
        (None, ""),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected


def test_export_is_utf8_with_bom_translated_and_neutralises_formulas(company, client):
    account = AccountFactory(owner=company.owner, name="=cmd|' /C calc'!A0", region="@北京")
    ContactFactory(account=account)
    client.force_login(company.owner)
    response = client.get(
        reverse("accounts:portfolio_export"), {"q": "cmd"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 2  # the filter applies: header and the one account
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][2] == "'@北京"
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_export_headers_follow_the_users_language(company, client):
    company.owner.language = "en"
    company.owner.save()
    client.force_login(company.owner)
    english = client.get(reverse("accounts:portfolio_export"))
    header = next(csv.reader(io.StringIO(english.content.decode("utf-8-sig"))))
    assert header[0] == "account"
    company.owner.language = "zh-hans"
    company.owner.save()
    chinese = client.get(reverse("accounts:portfolio_export"))
    header = next(csv.reader(io.StringIO(chinese.content.decode("utf-8-sig"))))
    assert header[0] != "account"


def test_plan_status_of_the_current_year(company, client):
    from django.apps import apps

    try:
        plan_model = apps.get_model("plans", "AccountPlan")
    except LookupError:
        pytest.skip("the plans app has no AccountPlan yet")
    year = timezone.localdate().year
    plan_model.objects.create(account=company.account, year=year - 1, status="closed")
    assert row(company.owner, company.account).plan_status is None
    plan_model.objects.create(account=company.account, year=year, status="active")
    assert row(company.owner, company.account).plan_status == "active"
    client.force_login(company.owner)
    page = client.get(reverse("accounts:portfolio")).context["page"]
    assert str(page[0].plan_label) == str(
        dict(plan_model._meta.get_field("status").flatchoices)["active"]
    )


def test_shared_activities_and_many_actions_count_once_per_contact(company):
    owner = company.owner
    first = company.contact
    Contact.objects.filter(pk=first.pk).update(level="manager", marked_key=True)
    second = ContactFactory(account=company.account, level="executive", marked_key=True)
    third = ContactFactory(account=company.account, level="staff", marked_key=True)
    log_activity(
        by=owner,
        data={
            "account": company.account,
            "kind": "meeting",
            "subject": "联合交流",
            "notes": "",
            "occurred_at": timezone.now(),
            "participants": [first, second, third],
            "relationship_actions": [
                RelationshipActionType.objects.get(code=c)
                for c in ("technical_exchange", "office_visit", "hq_visit")
            ],
        },
    )
    log(owner, second, ["office_visit"], days_ago=2)
    expected = python_score(company.account)
    assert row(owner, company.account).score_tenths == int(expected * 10)
