"""The settings pages for custom attributes: administrators define, edit, deactivate; reps
and managers are refused on every route and change nothing."""

import pytest
from django.urls import reverse

from winroom.attributes.models import AttributeDefinition
from winroom.attributes.urls import urlpatterns
from winroom.deals import actions as deal_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def definition():
    return AttributeDefinition.objects.create(
        target="deal",
        code="budget_source",
        label="预算来源",
        type="choice",
        choices=["财政", "自筹"],
    )


def _url(name, definition):
    return reverse(
        f"attributes:{name}", args=[definition.pk] if "<int:pk>" in _routes[name] else []
    )


_routes = {p.name: str(p.pattern) for p in urlpatterns}
POSTS = {"create", "edit", "deactivate", "activate"}


def test_the_admin_lists_both_targets_and_sees_the_nav_link(company, login, definition):
    client = login(company.admin)
    deal = deal_actions.create_deal(
        by=company.owner, data={"account": company.account, "name": "项目", "amount": "100"}
    )
    type(deal).objects.filter(pk=deal.pk).update(custom={"budget_source": "财政"})
    response = client.get(reverse("attributes:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="attributes-deal"' in body and 'data-testid="attributes-account"' in body
    assert "budget_source" in body and 'data-testid="nav-attributes"' in body
    assert response.context["groups"][0]["definitions"][0].in_use == 1


def test_the_admin_creates_a_choice_attribute_with_one_value_per_line(company, login):
    client = login(company.admin)
    assert client.get(reverse("attributes:create") + "?target=account").status_code == 200
    response = client.post(
        reverse("attributes:create"),
        {
            "target": "account",
            "code": "segment",
            "label": "客户分层",
            "label_en": "Segment",
            "type": "choice",
            "choices": "战略客户\r\n 重点客户 \r\n\r\n一般客户\r\n",
            "position": 5,
            "filterable": "on",
        },
    )
    assert response.status_code == 302
    created = AttributeDefinition.objects.get(code="segment")
    assert created.choices == ["战略客户", "重点客户", "一般客户"]
    assert created.target == "account" and created.filterable and created.active


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "Bad Code", "type": "text"}, "code"),
        ({"code": "tier", "type": "choice", "choices": ""}, "choices"),
        ({"code": "tier", "type": "choice", "choices": "A\nA"}, "choices"),
        ({"code": "budget_source", "type": "text"}, "code"),  # taken for deals
    ],
)
def test_invalid_definitions_are_shown_on_their_field(company, login, definition, data, field):
    client = login(company.admin)
    count = AttributeDefinition.objects.count()
    response = client.post(
        reverse("attributes:create"), {"target": "deal", "label": "X", "position": 0, **data}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert AttributeDefinition.objects.count() == count


def test_the_same_code_may_serve_deals_and_accounts(company, login, definition):
    client = login(company.admin)
    response = client.post(
        reverse("attributes:create"),
        {"target": "account", "code": "budget_source", "label": "预算", "type": "text"},
    )
    assert response.status_code == 302
    assert AttributeDefinition.objects.filter(code="budget_source").count() == 2


def test_editing_keeps_target_code_and_type(company, login, definition):
    client = login(company.admin)
    page = client.get(reverse("attributes:edit", args=[definition.pk]))
    assert page.context["form"]["choices"].value() == "财政\n自筹"
    response = client.post(
        reverse("attributes:edit", args=[definition.pk]),
        {
            "target": "account",
            "code": "hacked",
            "type": "text",
            "label": "资金来源",
            "choices": "财政\n自筹\n专项",
            "position": 3,
        },
    )
    assert response.status_code == 302
    definition.refresh_from_db()
    assert (definition.target, definition.code, definition.type) == (
        "deal",
        "budget_source",
        "choice",
    )
    assert definition.label == "资金来源"
    assert definition.choices == ["财政", "自筹", "专项"]
    assert not definition.filterable  # an unticked box


def test_deactivating_keeps_the_values_and_reactivating_brings_them_back(
    company, login, definition
):
    deal = deal_actions.create_deal(
        by=company.owner, data={"account": company.account, "name": "项目", "amount": "100"}
    )
    type(deal).objects.filter(pk=deal.pk).update(custom={"budget_source": "财政"})
    client = login(company.admin)
    assert client.post(reverse("attributes:deactivate", args=[definition.pk])).status_code == 302
    definition.refresh_from_db()
    assert not definition.active
    assert AttributeDefinition.objects.filter(pk=definition.pk).exists()
    deal.refresh_from_db()
    assert deal.custom == {"budget_source": "财政"}
    # the deal's form no longer offers it
    owner = login(company.owner)
    form = owner.get(reverse("deals:edit", args=[deal.pk])).context["form"]
    assert "custom.budget_source" not in form.fields
    client = login(company.admin)
    client.post(reverse("attributes:activate", args=[definition.pk]))
    definition.refresh_from_db()
    assert definition.active


def test_deactivate_is_post_only(company, login, definition):
    client = login(company.admin)
    assert client.get(reverse("attributes:deactivate", args=[definition.pk])).status_code == 405


@pytest.mark.parametrize("who", ["owner", "manager", "director"])
def test_reps_and_managers_are_refused_on_every_route(company, login, definition, who):
    client = login(getattr(company, who))
    before = list(AttributeDefinition.objects.values())
    assert set(_routes) == {"list", "create", "edit", "deactivate", "activate"}, (
        "a new route: teach this test how to call it"
    )
    for name in _routes:
        url = _url(name, definition)
        assert client.get(url).status_code in (403, 405), url
        if name in POSTS:
            response = client.post(
                url, {"target": "deal", "code": "x", "label": "X", "type": "text"}
            )
            assert response.status_code == 403, url
    assert list(AttributeDefinition.objects.values()) == before
    assert 'data-testid="nav-attributes"' not in client.get(reverse("deals:list")).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, definition):
    response = client.get(reverse("attributes:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_administrator_without_superuser_rights_may_administer(login, db):
    from winroom.org.models import Role
    from winroom.testing.factories import UserFactory

    client = login(UserFactory(username="it_admin", role=Role.ADMIN))
    assert client.get(reverse("attributes:list")).status_code == 200
