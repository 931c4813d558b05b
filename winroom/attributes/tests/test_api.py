"""``custom`` in the deal and account API: read as stored, written as a validated merge,
refused to those who may not write the record."""

import pytest
from rest_framework.test import APIClient

from winroom.accounts.models import Account
from winroom.attributes.models import AttributeDefinition
from winroom.deals.models import Deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(company):
    def make(who):
        user = getattr(company, who)
        user.language = "en"
        user.save(update_fields=["language"])
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def definitions():
    return [
        AttributeDefinition.objects.create(
            target="deal",
            code="budget_source",
            label="预算来源",
            type="choice",
            choices=["财政预算"],
        ),
        AttributeDefinition.objects.create(
            target="deal", code="go_live", label="上线日期", type="date"
        ),
        AttributeDefinition.objects.create(
            target="account", code="it_budget", label="信息化预算(万)", type="number"
        ),
    ]


def test_deal_custom_is_read_and_merged_on_write(api, company, deal, definitions):
    Deal.objects.filter(pk=deal.pk).update(custom={"legacy": "x", "go_live": "2026-12-31"})
    client = api("owner")
    url = f"/api/v1/deals/{deal.pk}/"
    assert client.get(url).json()["custom"] == {"legacy": "x", "go_live": "2026-12-31"}
    response = client.patch(url, {"custom": {"budget_source": "财政预算"}}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["custom"] == {
        "legacy": "x",
        "go_live": "2026-12-31",
        "budget_source": "财政预算",
    }
    # null (or "") removes one code; the others stay
    response = client.patch(url, {"custom": {"go_live": None}}, format="json")
    assert response.json()["custom"] == {"legacy": "x", "budget_source": "财政预算"}
    deal.refresh_from_db()
    assert deal.custom == {"legacy": "x", "budget_source": "财政预算"}
    # a PATCH without custom leaves it alone
    client.patch(url, {"name": "新名称"}, format="json")
    deal.refresh_from_db()
    assert deal.custom == {"legacy": "x", "budget_source": "财政预算"}


@pytest.mark.parametrize(
    "custom",
    [
        {"nope": "1"},  # unknown
        {"it_budget": 5},  # an account's attribute
        {"budget_source": "银行贷款"},  # not one of the choices
        {"go_live": "next spring"},
        {"go_live": ["2026-01-01"]},
        "not an object",
    ],
)
def test_invalid_custom_is_refused_with_400(api, deal, definitions, custom):
    response = api("owner").patch(f"/api/v1/deals/{deal.pk}/", {"custom": custom}, format="json")
    assert response.status_code == 400, response.content
    assert "custom" in response.json()
    deal.refresh_from_db()
    assert deal.custom == {}


def test_an_inactive_code_is_refused(api, deal, definitions):
    AttributeDefinition.objects.filter(code="go_live").update(active=False)
    response = api("owner").patch(
        f"/api/v1/deals/{deal.pk}/", {"custom": {"go_live": "2027-01-01"}}, format="json"
    )
    assert response.status_code == 400


def test_deal_created_with_custom(api, company, definitions):
    response = api("owner").post(
        "/api/v1/deals/",
        {
            "account": company.account.pk,
            "name": "新项目",
            "amount": "100000",
            "custom": {"budget_source": "财政预算", "go_live": "2027-05-01"},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Deal.objects.get(name="新项目").custom == {
        "budget_source": "财政预算",
        "go_live": "2027-05-01",
    }


def test_account_custom_read_and_write(api, company, definitions):
    client = api("owner")
    url = f"/api/v1/accounts/{company.account.pk}/"
    response = client.patch(url, {"custom": {"it_budget": "1,200"}}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["custom"] == {"it_budget": 1200}
    response = client.post(
        "/api/v1/accounts/", {"name": "新客户", "custom": {"it_budget": 2.5}}, format="json"
    )
    assert response.status_code == 201, response.content
    assert Account.objects.get(name="新客户").custom == {"it_budget": 2.5}


@pytest.mark.parametrize("who", ["outsider", "teammate", "other_manager"])
def test_those_who_may_not_see_the_deal_cannot_write_its_custom(api, deal, definitions, who):
    response = api(who).patch(
        f"/api/v1/deals/{deal.pk}/", {"custom": {"budget_source": "财政预算"}}, format="json"
    )
    assert response.status_code == 404
    deal.refresh_from_db()
    assert deal.custom == {}


def test_an_outsider_cannot_write_an_accounts_custom(api, company, definitions):
    response = api("outsider").patch(
        f"/api/v1/accounts/{company.account.pk}/", {"custom": {"it_budget": 1}}, format="json"
    )
    assert response.status_code == 404
    company.account.refresh_from_db()
    assert company.account.custom == {}


def test_the_schema_documents_custom(api):
    schema = api("owner").get("/api/v1/schema/", {"format": "json"}).json()
    for name in ("Deal", "DealRequest", "Account", "AccountRequest"):
        custom = schema["components"]["schemas"][name]["properties"]["custom"]
        assert custom["type"] == "object", name
