"""The qualify step on the lead page offers the matching accounts and never duplicates one."""

from django.urls import reverse

from winroom.accounts.models import Account
from winroom.leads.models import LeadStatus
from winroom.testing.factories import AccountFactory


def test_a_suggested_account_is_one_click_away(make_lead, company, login):
    lead = make_lead(company_name="上海申通地铁")
    client = login(company.owner)
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert 'data-testid="qualify-on-match"' in page and company.account.name in page
    response = client.post(
        reverse("leads:qualify", args=[lead.pk]), {"account": company.account.pk}
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == LeadStatus.QUALIFIED and lead.account == company.account
    assert lead.qualified_deal.name == lead.company_name


def test_a_similar_name_needs_confirming_before_a_new_account(make_lead, company, login):
    AccountFactory(name="苏州精工机械有限公司", owner=company.owner)
    lead = make_lead(company_name="苏州精工机械制造有限公司")
    client = login(company.owner)
    url = reverse("leads:qualify", args=[lead.pk])
    response = client.post(url, {"create_account": "on", "deal_name": "产线改造"})
    assert response.status_code == 200
    form = response.context["qualify_form"]
    assert "苏州精工机械有限公司" in form.errors["account"][0]
    assert form["deal_name"].value() == "产线改造"  # what was typed is kept
    assert not Account.objects.filter(name="苏州精工机械制造有限公司").exists()
    response = client.post(url, {"create_account": "on", "confirm_new": "on"})
    assert response.status_code == 302
    assert Account.objects.filter(name="苏州精工机械制造有限公司").count() == 1


def test_choosing_an_account_and_a_new_one_is_refused(make_lead, company, login):
    lead = make_lead(company_name="全新公司")
    client = login(company.owner)
    response = client.post(
        reverse("leads:qualify", args=[lead.pk]),
        {"create_account": "on", "account": company.account.pk},
    )
    assert response.status_code == 200
    assert response.context["qualify_form"].errors["account"]
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW


def test_the_claim_message_names_the_company_recycling_period(make_lead, company, login):
    from winroom.org.models import CompanySettings

    settings = CompanySettings.current()
    settings.lead_recycle_days = 21
    settings.save()
    lead = make_lead(owner=None)
    response = login(company.teammate).post(reverse("leads:claim", args=[lead.pk]), follow=True)
    assert "21" in response.content.decode()
