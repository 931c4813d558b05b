"""Deal and account lists (pages and API) filter by the filterable custom attributes:
choice exact, text contains (case-insensitive), number min/max, date from/to — with the
same results on SQLite and PostgreSQL, and a query count that does not grow with rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from winroom.accounts.models import Account
from winroom.attributes.models import AttributeDefinition
from winroom.deals import actions
from winroom.deals.models import Deal
from winroom.testing.factories import AccountFactory

pytestmark = pytest.mark.django_db

VALUES = {
    "甲": {
        "budget_source": "财政预算",
        "tender_number": "ZB2026-001",
        "seats": 5,
        "go_live": "2026-12-31",
    },
    "乙": {
        "budget_source": "企业自筹",
        "tender_number": "gk2026-017",
        "seats": 12.5,
        "go_live": "2027-01-01",
    },
    "丙": {"budget_source": "财政预算", "seats": 100, "go_live": "2027-06-30"},
    "丁": {"tender_number": "HNZC-88"},
    "戊": {},
}


@pytest.fixture
def definitions():
    specs = [
        ("budget_source", "choice", ["财政预算", "企业自筹"]),
        ("tender_number", "text", []),
        ("seats", "number", []),
        ("go_live", "date", []),
    ]
    made = [
        AttributeDefinition.objects.create(
            target="deal", code=code, label=code, type=kind, choices=choices, position=i
        )
        for i, (code, kind, choices) in enumerate(specs)
    ]
    made.append(
        AttributeDefinition.objects.create(
            target="deal", code="internal_note", label="备注", type="text", filterable=False
        )
    )
    made.append(
        AttributeDefinition.objects.create(
            target="account", code="it_budget", label="信息化预算(万)", type="number"
        )
    )
    return made


@pytest.fixture
def deals(company, definitions):
    made = {}
    for name, custom in VALUES.items():
        deal = actions.create_deal(
            by=company.owner, data={"account": company.account, "name": name, "amount": "1000"}
        )
        Deal.objects.filter(pk=deal.pk).update(custom=custom)
        made[name] = deal
    return made


CASES = [
    ({"custom.budget_source": "财政预算"}, {"甲", "丙"}),
    ({"custom.tender_number": "zb2026"}, {"甲"}),  # case-insensitive contains
    ({"custom.tender_number": "2026"}, {"甲", "乙"}),
    ({"custom.seats.min": "12.5"}, {"乙", "丙"}),  # inclusive, numbers compared as numbers
    ({"custom.seats.max": "12"}, {"甲"}),
    ({"custom.seats.min": "6", "custom.seats.max": "99"}, {"乙"}),
    ({"custom.go_live.from": "2027-01-01"}, {"乙", "丙"}),
    ({"custom.go_live.to": "2027-01-01"}, {"甲", "乙"}),
    ({"custom.go_live.from": "2027-01-02", "custom.go_live.to": "2027-12-31"}, {"丙"}),
    ({"custom.budget_source": "财政预算", "custom.seats.min": "50"}, {"丙"}),
    ({}, set(VALUES)),
]


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_the_deal_list_page_filters(company, login, deals, query, expected):
    client = login(company.owner)
    response = client.get(reverse("deals:list"), query)
    assert response.status_code == 200
    assert {d.name for d in response.context["page"]} == expected


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_the_deal_api_filters(company, deals, query, expected):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=company.owner).key}")
    response = client.get("/api/v1/deals/", query)
    assert response.status_code == 200, response.content
    assert {d["name"] for d in response.json()["results"]} == expected


def test_the_filter_bar_shows_filterable_attributes_before_the_sort(company, login, deals):
    client = login(company.owner)
    form = client.get(reverse("deals:list")).context["filter"].form
    names = list(form.fields)
    custom = [n for n in names if n.startswith("custom.")]
    assert custom == [
        "custom.budget_source",
        "custom.tender_number",
        "custom.seats.min",
        "custom.seats.max",
        "custom.go_live.from",
        "custom.go_live.to",
    ]
    assert names[-1] == "sort"
    assert "custom.internal_note" not in names  # not filterable
    page = client.get(reverse("deals:list")).content.decode()
    assert 'name="custom.budget_source"' in page and 'type="date"' in page


def test_a_bad_bound_is_ignored_on_the_page_and_refused_by_the_api(company, login, deals):
    client = login(company.owner)
    response = client.get(reverse("deals:list"), {"custom.seats.min": "many"})
    assert response.status_code == 200
    assert len(response.context["page"]) == len(VALUES)
    api = APIClient()
    api.force_authenticate(company.owner)
    assert api.get("/api/v1/deals/", {"custom.seats.min": "many"}).status_code == 400


def test_filters_respect_visibility(company, login, deals):
    client = login(company.outsider)
    response = client.get(reverse("deals:list"), {"custom.budget_source": "财政预算"})
    assert list(response.context["page"]) == []


def test_the_account_list_filters_by_number(company, login, definitions):
    for name, budget in (("甲客户", 50), ("乙客户", 800), ("丙客户", None)):
        account = AccountFactory(name=name, owner=company.owner)
        if budget is not None:
            Account.objects.filter(pk=account.pk).update(custom={"it_budget": budget})
    client = login(company.owner)
    response = client.get(reverse("accounts:list"), {"custom.it_budget.min": "100"})
    assert [a.name for a in response.context["page"]] == ["乙客户"]
    api = APIClient()
    api.force_authenticate(company.owner)
    body = api.get("/api/v1/accounts/", {"custom.it_budget.max": "100"}).json()
    assert [a["name"] for a in body["results"]] == ["甲客户"]


def _count(client, url):
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        (
            "deals:list",
            "?custom.budget_source=财政预算&custom.seats.min=1&custom.go_live.to=2030-01-01",
        ),
        ("accounts:list", "?custom.it_budget.min=1"),
    ],
)
def test_filtered_lists_cost_the_same_at_any_size(company, login, definitions, url_name, query):
    """One query for the definitions, whatever the number of rows or filters."""
    client = login(company.manager)

    def grow(n):
        for i in range(n):
            account = AccountFactory(owner=company.owner)
            Account.objects.filter(pk=account.pk).update(custom={"it_budget": 10 + i})
            deal = actions.create_deal(
                by=company.owner, data={"account": account, "name": f"项目{i}", "amount": "100"}
            )
            Deal.objects.filter(pk=deal.pk).update(
                custom={"budget_source": "财政预算", "seats": i + 1, "go_live": "2027-01-01"}
            )

    url = reverse(url_name) + query
    grow(3)
    few = _count(client, url)
    grow(20)
    many = _count(client, url)
    assert many == few
    # the definitions cost one query, however many there are (none at all: the same)
    AttributeDefinition.objects.all().delete()
    assert _count(client, url) == few
