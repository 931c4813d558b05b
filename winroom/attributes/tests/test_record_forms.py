"""The deal and account forms carry one typed field per active attribute: filled from the
record, saved into ``custom`` (merged), errors on the field; the pages show the values."""

from datetime import date

import pytest
from django.urls import reverse

from winroom.accounts.models import Account
from winroom.attributes.models import AttributeDefinition
from winroom.deals.models import Deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal_attributes():
    return [
        AttributeDefinition.objects.create(
            target="deal",
            code="budget_source",
            label="预算来源",
            label_en="Budget source",
            type="choice",
            choices=["财政预算", "企业自筹"],
            position=1,
        ),
        AttributeDefinition.objects.create(
            target="deal", code="tender_number", label="招标编号", type="text", position=2
        ),
        AttributeDefinition.objects.create(
            target="deal", code="seats", label="席位数", type="number", position=3
        ),
        AttributeDefinition.objects.create(
            target="deal", code="go_live", label="上线日期", type="date", position=4
        ),
    ]


@pytest.fixture
def account_attribute():
    return AttributeDefinition.objects.create(
        target="account", code="it_budget", label="信息化预算(万)", type="number"
    )


def posted(form) -> dict:
    """What a browser would send back for the form as shown."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        if isinstance(value, date):
            value = value.isoformat()
        data[field.html_name] = value
    return data


def test_deal_form_round_trip_keeps_codes_it_does_not_show(company, login, deal, deal_attributes):
    Deal.objects.filter(pk=deal.pk).update(custom={"legacy": "导入的旧值", "seats": 3})
    client = login(company.owner)
    url = reverse("deals:edit", args=[deal.pk])
    form = client.get(url).context["form"]
    names = [name for name in form.fields if name.startswith("custom.")]
    assert names == [
        "custom.budget_source",
        "custom.tender_number",
        "custom.seats",
        "custom.go_live",
    ]
    assert form["custom.seats"].value() == 3
    data = posted(form)
    data.update(
        {
            "custom.budget_source": "财政预算",
            "custom.tender_number": " ZB2026-001 ",
            "custom.seats": "",
            "custom.go_live": "2027-03-01",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    deal.refresh_from_db()
    assert deal.custom == {
        "legacy": "导入的旧值",
        "budget_source": "财政预算",
        "tender_number": "ZB2026-001",
        "go_live": "2027-03-01",
    }
    # shown again in the form, and in the deal room as label: value
    form = client.get(url).context["form"]
    assert form["custom.go_live"].value() == "2027-03-01"
    room = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert 'data-testid="custom-attributes"' in room
    assert "预算来源</span>: 财政预算" in room and "ZB2026-001" in room
    assert "导入的旧值" not in room  # no definition, not shown


def test_deal_created_with_attributes(company, login, deal_attributes):
    client = login(company.owner)
    form = client.get(reverse("deals:create")).context["form"]
    data = posted(form)
    data.update(
        {
            "account": company.account.pk,
            "name": "智慧车站项目",
            "amount": "1200000",
            "source": "tender",
            "custom.budget_source": "企业自筹",
            "custom.seats": "1200",
        }
    )
    response = client.post(reverse("deals:create"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert Deal.objects.get(name="智慧车站项目").custom == {
        "budget_source": "企业自筹",
        "seats": 1200,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("custom.seats", "many"),
        ("custom.go_live", "next spring"),
        ("custom.budget_source", "银行贷款"),
    ],
)
def test_bad_values_are_shown_on_their_field_and_nothing_is_saved(
    company, login, deal, deal_attributes, field, value
):
    client = login(company.owner)
    url = reverse("deals:edit", args=[deal.pk])
    data = posted(client.get(url).context["form"])
    data[field] = value
    response = client.post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'data-field="{field}"' in response.content.decode()
    deal.refresh_from_db()
    assert deal.custom == {}


def test_a_withdrawn_choice_stays_until_changed(company, login, deal, deal_attributes):
    Deal.objects.filter(pk=deal.pk).update(custom={"budget_source": "银行贷款"})
    client = login(company.owner)
    url = reverse("deals:edit", args=[deal.pk])
    data = posted(client.get(url).context["form"])
    assert data["custom.budget_source"] == "银行贷款"
    data["name"] = "改名后的项目"
    assert client.post(url, data).status_code == 302
    deal.refresh_from_db()
    assert deal.name == "改名后的项目" and deal.custom == {"budget_source": "银行贷款"}


def test_english_labels_in_english(company, login, deal, deal_attributes):
    company.owner.language = "en"
    company.owner.save(update_fields=["language"])
    client = login(company.owner)
    form = client.get(reverse("deals:edit", args=[deal.pk])).context["form"]
    assert form.fields["custom.budget_source"].label == "Budget source"
    assert form.fields["custom.seats"].label == "席位数"  # no English label: the Chinese one


def test_account_form_round_trip_and_page(company, login, account_attribute):
    account = company.account
    client = login(company.owner)
    url = reverse("accounts:edit", args=[account.pk])
    data = posted(client.get(url).context["form"])
    data["custom.it_budget"] = "850.5"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    account.refresh_from_db()
    assert account.custom == {"it_budget": 850.5}
    page = client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    assert "信息化预算(万)</span>: 850.5" in page
    data = posted(client.get(url).context["form"])
    data["custom.it_budget"] = "abc"
    response = client.post(url, data)
    assert "custom.it_budget" in response.context["form"].errors


def test_account_created_with_attribute(company, login, account_attribute):
    client = login(company.owner)
    data = posted(client.get(reverse("accounts:create")).context["form"])
    data.update({"name": "杭州市数据资源管理局", "custom.it_budget": "300"})
    response = client.post(reverse("accounts:create"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert Account.objects.get(name="杭州市数据资源管理局").custom == {"it_budget": 300}


def test_an_outsider_cannot_edit_attributes(company, login, deal, deal_attributes):
    client = login(company.outsider)
    response = client.post(
        reverse("deals:edit", args=[deal.pk]), {"custom.budget_source": "财政预算"}
    )
    assert response.status_code == 404
    deal.refresh_from_db()
    assert deal.custom == {}
