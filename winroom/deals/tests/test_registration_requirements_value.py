"""Partner registration, requirements with sign-off and change requests, value arithmetic."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from winroom.deals import actions
from winroom.deals.models import HealthStandard, ProductLine
from winroom.testing.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def line():
    return ProductLine.objects.create(name="工业数据中台")


def _e_deal(company, account=None, partner="苏州伙伴"):
    return actions.create_deal(
        by=company.owner,
        data={
            "account": account or company.account,
            "name": f"{partner}项目",
            "amount": 300000,
            "partner_led": True,
            "partner": partner,
        },
    )


def test_partner_led_deal_is_grade_e(company):
    assert _e_deal(company).grade == "e"


def test_second_registration_in_the_protection_period_is_refused_and_names_the_holder(
    company, line
):
    first = _e_deal(company)
    registration = actions.submit_registration(
        first, by=company.owner, product_line=line, partner="苏州伙伴"
    )
    with pytest.raises(ValidationError) as pending:
        actions.submit_registration(
            _e_deal(company, partner="无锡伙伴"),
            by=company.owner,
            product_line=line,
            partner="无锡伙伴",
        )
    assert "苏州伙伴" in str(pending.value)
    with pytest.raises(ValidationError):
        actions.decide_registration(registration, by=company.owner, approve=True)  # not a manager
    actions.decide_registration(registration, by=company.manager, approve=True)
    registration.refresh_from_db()
    assert (registration.protected_until - date.today()).days == 90
    with pytest.raises(ValidationError) as protected:
        actions.submit_registration(
            _e_deal(company, partner="无锡伙伴2"),
            by=company.owner,
            product_line=line,
            partner="无锡伙伴2",
        )
    assert "苏州伙伴" in str(protected.value)
    other_account = AccountFactory(owner=company.owner)
    actions.submit_registration(
        _e_deal(company, account=other_account, partner="无锡伙伴3"),
        by=company.owner,
        product_line=line,
        partner="无锡伙伴3",
    )


def test_rejected_registration_frees_the_opening(company, line):
    registration = actions.submit_registration(
        _e_deal(company), by=company.owner, product_line=line, partner="苏州伙伴"
    )
    actions.decide_registration(registration, by=company.manager, approve=False)
    actions.submit_registration(
        _e_deal(company, partner="常州伙伴"),
        by=company.owner,
        product_line=line,
        partner="常州伙伴",
    )


def test_requirements_change_after_sign_off_is_a_change_request(company, deal, client):
    first = actions.write_requirements(deal, by=company.owner, items="设备联网\n能耗看板\n")
    assert first.number == 1 and not first.is_change_request
    actions.sign_off_requirements(
        first,
        by=company.owner,
        contact=company.contact,
        signed_on=date(2026, 11, 1),
        document="需求确认书V1",
    )
    with pytest.raises(ValidationError):
        actions.write_requirements(deal, by=company.owner, items="设备联网\n能耗看板\n质量追溯")
    second = actions.write_requirements(
        deal,
        by=company.owner,
        items="设备联网\n能耗看板\n质量追溯",
        change_reason="客户新增质量模块",
    )
    assert second.is_change_request and second.number == 2
    client.force_login(company.owner)
    page = client.get(reverse("deals:detail", args=[deal.pk]))
    rows = {r["code"]: r for r in page.context["health_rows"]}
    assert rows["needs_clarity"]["actual"] < 100  # an open change request lowers clarity


def test_value_case_is_shown_with_its_arithmetic(company, deal, client):
    actions.set_value_case(
        deal,
        by=company.owner,
        data={
            "product_value": 5000000,
            "seller_value": 1000000,
            "perception": "0.8",
            "customer_cost": 4000000,
        },
    )
    client.force_login(company.owner)
    case = client.get(reverse("deals:detail", args=[deal.pk])).context["value_case"]
    assert case.actual_value == 6000000 and case.customer_value == 4800000
    assert case.net == 800000 and case.worth_doing


def test_health_standards_are_the_administrators(company, deal, client):
    HealthStandard.objects.filter(stage__number=1, indicator="urgency").update(value=0)
    client.force_login(company.owner)
    context = client.get(reverse("deals:detail", args=[deal.pk])).context
    assert {r["code"]: r["standard"] for r in context["health_rows"]}["urgency"] == 0


@pytest.mark.parametrize("name", ["deals:registration_submit", "deals:requirements", "deals:value"])
def test_outsider_is_refused(company, deal, client, name):
    client.force_login(company.outsider)
    response = client.post(reverse(name, args=[deal.pk]), {"items": "x", "partner": "x"})
    assert response.status_code == 404
    assert not deal.requirement_versions.exists()
