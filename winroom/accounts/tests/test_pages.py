"""Account, contact and activity pages: they render, validate, save and refuse."""

import pytest
from django.urls import reverse

from winroom.accounts.models import Account, Contact
from winroom.activities.models import Activity
from winroom.testing.factories import AccountFactory, ActivityFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_pages_render_for_the_owner(company, login):
    client = login(company.owner)
    account, contact = company.account, company.contact
    activity = ActivityFactory(account=account, participants=[contact])
    for url in [
        reverse("accounts:list"),
        reverse("accounts:list") + "?q=申通&sort=-name",
        reverse("accounts:detail", args=[account.pk]),
        reverse("accounts:edit", args=[account.pk]),
        reverse("accounts:history", args=[account.pk]),
        reverse("accounts:create"),
        reverse("accounts:contact_create", args=[account.pk]),
        reverse("contacts:list"),
        reverse("contacts:create"),
        reverse("contacts:detail", args=[contact.pk]),
        reverse("contacts:edit", args=[contact.pk]),
        reverse("contacts:history", args=[contact.pk]),
        reverse("activities:list"),
        reverse("activities:create") + f"?account={account.pk}&contact={contact.pk}",
        reverse("activities:detail", args=[activity.pk]),
        reverse("activities:edit", args=[activity.pk]),
        reverse("activities:history", args=[activity.pk]),
        reverse("trash"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_create_account_and_contacts_with_reporting_lines(company, login):
    client = login(company.owner)
    response = client.post(
        reverse("accounts:create"),
        {"name": "杭州市数据资源管理局", "industry": "government", "status": "target"},
    )
    account = Account.objects.get(name="杭州市数据资源管理局")
    assert response.status_code == 302
    assert account.owner == company.owner
    assert account.members.get().user == company.owner
    url = reverse("accounts:contact_create", args=[account.pk])
    client.post(url, {"name": "张局长", "relationship_status": "neutral"})
    boss = Contact.objects.get(name="张局长")
    client.post(url, {"name": "李处长", "relationship_status": "positive", "reports_to": boss.pk})
    deputy = Contact.objects.get(name="李处长")
    assert deputy.reports_to == boss
    chart = client.get(reverse("accounts:org_chart", args=[account.pk])).json()
    assert {(n["name"], n["reports_to"]) for n in chart["nodes"]} == {
        ("张局长", None),
        ("李处长", boss.pk),
    }


def test_duplicate_account_name_is_refused_case_and_width_insensitively(company, login):
    client = login(company.owner)
    AccountFactory(name="Acme Robotics", owner=company.owner)
    response = client.post(
        reverse("accounts:create"),
        {"name": "  ＡＣＭＥ   robotics ", "industry": "other", "status": "target"},
    )
    assert response.status_code == 200
    assert "An account with this name already exists." in str(
        response.context["form"].errors["name"]
    ) or "同名" in str(response.context["form"].errors["name"])
    assert Account.objects.filter(name_key="acme robotics").count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not-an-email"), ("phone", "12345"), ("phone", "abc")],
)
def test_invalid_contact_details_get_field_errors(company, login, field, value):
    client = login(company.owner)
    data = {"name": "赵工", "relationship_status": "neutral", field: value}
    response = client.post(reverse("accounts:contact_create", args=[company.account.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Contact.objects.filter(name="赵工").exists()


def test_phone_is_normalised(company, login):
    client = login(company.owner)
    client.post(
        reverse("accounts:contact_create", args=[company.account.pk]),
        {"name": "钱工", "relationship_status": "neutral", "phone": "138-0013-8000"},
    )
    assert Contact.objects.get(name="钱工").phone == "+86 138 0013 8000"


def test_reporting_cycle_is_refused(company, login):
    client = login(company.owner)
    top = company.contact
    middle = ContactFactory(account=company.account, reports_to=top)
    bottom = ContactFactory(account=company.account, reports_to=middle)
    response = client.post(
        reverse("contacts:edit", args=[top.pk]),
        {
            "name": top.name,
            "relationship_status": "neutral",
            "reports_to": bottom.pk,
            "version": top.version,
        },
    )
    assert response.status_code == 200
    assert "reports_to" in response.context["form"].errors
    top.refresh_from_db()
    assert top.reports_to is None


def test_reporting_cycle_is_refused_from_the_org_chart(company, login):
    client = login(company.owner)
    top = company.contact
    below = ContactFactory(account=company.account, reports_to=top)
    response = client.post(
        reverse("accounts:set_reports_to", args=[company.account.pk]),
        {"contact": top.pk, "reports_to": below.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    top.refresh_from_db()
    assert top.reports_to is None
    response = client.post(
        reverse("accounts:set_reports_to", args=[company.account.pk]),
        {"contact": below.pk, "reports_to": ""},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Trigger"] == "orgchart-changed"
    below.refresh_from_db()
    assert below.reports_to is None


def test_concurrent_edit_is_not_silently_overwritten(company, login):
    client = login(company.owner)
    account = company.account
    seen_version = account.version
    data = {
        "name": account.name,
        "industry": "transport",
        "status": "active",
        "owner": company.owner.pk,
    }
    assert (
        client.post(
            reverse("accounts:edit", args=[account.pk]), {**data, "version": seen_version}
        ).status_code
        == 302
    )
    # a second person still holding the old version
    response = client.post(
        reverse("accounts:edit", args=[account.pk]),
        {**data, "status": "dormant", "region": "浦东", "version": seen_version},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert response.context["form"]["region"].value() == "浦东"  # nothing typed is lost
    account.refresh_from_db()
    assert account.status == "active"


def test_delete_and_restore_bring_back_links(company, login):
    client = login(company.owner)
    account, contact = company.account, company.contact
    activity = ActivityFactory(account=account, participants=[contact])
    client.post(reverse("accounts:delete", args=[account.pk]))
    assert not Account.objects.filter(pk=account.pk).exists()
    assert not Contact.objects.visible_to(company.owner).filter(pk=contact.pk).exists()
    assert not Activity.objects.visible_to(company.owner).filter(pk=activity.pk).exists()
    assert client.get(reverse("accounts:detail", args=[account.pk])).status_code == 404
    assert account.name in client.get(reverse("trash")).content.decode()
    client.post(reverse("accounts:restore", args=[account.pk]))
    assert Contact.objects.visible_to(company.owner).filter(pk=contact.pk).exists()
    assert list(Activity.objects.get(pk=activity.pk).participants.all()) == [contact]


def test_history_shows_old_and_new(company, login):
    client = login(company.owner)
    account = company.account
    client.post(
        reverse("accounts:edit", args=[account.pk]),
        {
            "name": account.name,
            "industry": "transport",
            "status": "active",
            "owner": company.owner.pk,
            "version": account.version,
        },
    )
    page = client.get(reverse("accounts:history", args=[account.pk])).content.decode()
    assert "状态" in page or "status" in page
    entries = client.get(reverse("accounts:history", args=[account.pk])).context["entries"]
    change = {c.label: (c.old, c.new) for c in entries[0].changes}
    assert any(new in ("Active", "活跃") for _, new in change.values())


def test_moving_an_activity_checks_the_people_already_on_it(company):
    from django.core.exceptions import ValidationError

    from winroom.activities.actions import update_activity

    activity = ActivityFactory(account=company.account, participants=[company.contact])
    elsewhere = AccountFactory(owner=company.owner)
    with pytest.raises(ValidationError) as error:
        update_activity(
            activity, by=company.owner, data={"account": elsewhere}, expected_version=None
        )
    assert "participants" in error.value.message_dict
    assert Activity.objects.get(pk=activity.pk).account == company.account


MESSAGES = {
    "zh-hans": {
        "name": "已存在同名客户。",
        "email": "请输入合法的邮件地址。",
        "phone": "请输入有效的电话号码",
        "cycle": "汇报关系会形成循环",
    },
    "en": {
        "name": "An account with this name already exists.",
        "email": "Enter a valid email address.",
        "phone": "Enter a valid phone number",
        "cycle": "the reporting line would go round in a circle",
    },
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_bad_input_messages_in_both_languages(company, client, language):
    user = company.owner
    user.language = language
    user.save()
    client.force_login(user)
    expected = MESSAGES[language]
    response = client.post(
        reverse("accounts:create"),
        {"name": company.account.name, "industry": "other", "status": "target"},
    )
    assert expected["name"] in response.content.decode()
    response = client.post(
        reverse("accounts:contact_create", args=[company.account.pk]),
        {"name": "孙工", "relationship_status": "neutral", "email": "x@", "phone": "123"},
    )
    page = response.content.decode()
    assert expected["email"] in page
    assert expected["phone"] in page
    below = ContactFactory(account=company.account, reports_to=company.contact)
    response = client.post(
        reverse("contacts:edit", args=[company.contact.pk]),
        {
            "name": company.contact.name,
            "relationship_status": "neutral",
            "reports_to": below.pk,
            "version": company.contact.version,
        },
    )
    assert expected["cycle"] in response.content.decode()
