"""Account plans and political-map items are listed in the recycle bin and restored from it,
only for people who may write their account; a clash on restore is explained."""

import pytest
from django.urls import reverse

from winroom.accounts import actions as account_actions
from winroom.accounts.models import InfluenceCircle, InfluenceLine
from winroom.plans import actions as plan_actions
from winroom.plans.models import AccountPlan
from winroom.records import soft_delete
from winroom.testing.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def binned(company):
    owner, account = company.owner, company.account
    boss = ContactFactory(account=account, name="王主任")
    aide = ContactFactory(account=account, name="李工")
    plan = plan_actions.create_plan(account, by=owner, year=2026)
    circle = account_actions.create_circle(
        by=owner, account=account, data={"name": "技术派", "colour": "#1f77b4"}
    )
    line = account_actions.draw_influence_line(
        by=owner, account=account, data={"source": boss, "target": aide, "strength": 2}
    )
    for record in (plan, circle, line):
        soft_delete(record, by=owner)
    return {"plan": plan, "circle": circle, "line": line}


def _restore_urls(company, binned):
    account = company.account.pk
    return {
        "plan": reverse("plans:restore", args=[binned["plan"].pk]),
        "circle": reverse("accounts:circle_restore", args=[account, binned["circle"].pk]),
        "line": reverse("accounts:line_restore", args=[account, binned["line"].pk]),
    }


def test_the_bin_lists_them_for_the_owner_only(company, binned, client):
    client.force_login(company.owner)
    page = client.get(reverse("trash")).content.decode()
    for kind, record in binned.items():
        assert f'data-testid="restore-{kind}-{record.pk}"' in page
    client.force_login(company.outsider)
    page = client.get(reverse("trash")).content.decode()
    assert not any(f"restore-{kind}-" in page for kind in binned)


@pytest.mark.parametrize("role", ["outsider", "teammate", "other_manager"])
def test_outsiders_cannot_restore(company, binned, client, role):
    client.force_login(getattr(company, role))
    for url in _restore_urls(company, binned).values():
        assert client.post(url).status_code == 404
        assert client.get(url).status_code in (404, 405)
    assert AccountPlan.all_objects.get(pk=binned["plan"].pk).is_deleted
    assert InfluenceCircle.all_objects.get(pk=binned["circle"].pk).is_deleted
    assert InfluenceLine.all_objects.get(pk=binned["line"].pk).is_deleted


def test_the_owner_restores_each(company, binned, client):
    client.force_login(company.owner)
    for url in _restore_urls(company, binned).values():
        assert client.post(url).status_code == 302
    assert AccountPlan.objects.filter(pk=binned["plan"].pk).exists()
    assert InfluenceCircle.objects.filter(pk=binned["circle"].pk).exists()
    assert InfluenceLine.objects.filter(pk=binned["line"].pk).exists()
    # restoring a live record again finds nothing in the bin
    for url in _restore_urls(company, binned).values():
        assert client.post(url).status_code == 404


def test_a_plan_whose_year_was_taken_stays_in_the_bin(company, binned, client):
    plan_actions.create_plan(company.account, by=company.owner, year=2026)
    client.force_login(company.owner)
    response = client.post(_restore_urls(company, binned)["plan"], follow=True)
    assert response.redirect_chain[-1][0] == reverse("trash")
    assert AccountPlan.all_objects.get(pk=binned["plan"].pk).is_deleted
    assert any("2026" in str(m) or "计划" in str(m) for m in response.context["messages"])
