from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from winroom.accounts.models import Account, Contact
from winroom.deals.models import Deal
from winroom.leads import actions
from winroom.leads.models import Lead, LeadChannel, LeadRoute, LeadStatus


def test_channels_are_seeded(db):
    names = set(LeadChannel.objects.values_list("name", flat=True))
    assert {"官网咨询", "展会", "电话营销", "合作伙伴推荐", "老客户转介绍", "招投标信息"} <= names


@pytest.mark.parametrize(
    ("size", "need", "route"),
    [
        ("20000", "product", LeadRoute.SELF_SERVICE),
        ("20000.01", "product", LeadRoute.STANDARD),
        ("200000", "product", LeadRoute.STANDARD),
        ("200000.01", "product", LeadRoute.KEY_ACCOUNT),
        (None, "product", LeadRoute.STANDARD),
        ("5000", "solution", LeadRoute.KEY_ACCOUNT),
        ("5000", "strategic", LeadRoute.KEY_ACCOUNT),
    ],
)
def test_route_is_computed_from_size_and_need(make_lead, size, need, route):
    lead = make_lead(expected_size=Decimal(size) if size else None, need_type=need)
    lead.refresh_from_db()
    assert lead.route == route


def test_route_follows_an_edit(make_lead, company):
    lead = make_lead(expected_size=Decimal("10000"))
    assert lead.route == LeadRoute.SELF_SERVICE
    lead = actions.update_lead(
        lead,
        by=company.owner,
        data={"expected_size": Decimal("500000")},
        expected_version=lead.version,
    )
    lead.refresh_from_db()
    assert lead.route == LeadRoute.KEY_ACCOUNT
    assert lead.first_touched_at is not None and lead.status == LeadStatus.WORKING


def test_phone_is_validated_like_contacts(make_lead):
    with pytest.raises(ValidationError) as error:
        make_lead(phone="12345")
    assert "phone" in error.value.message_dict
    assert make_lead(phone="13800138000").phone == "+86 138 0013 8000"


def test_touch_sets_first_and_last_touch(make_lead, company):
    lead = make_lead()
    first = actions.touch(lead, by=company.owner, note="打过电话")
    assert first.first_touched_at == first.last_touched_at
    second = actions.touch(first, by=company.owner, note="发了资料")
    assert second.first_touched_at == first.first_touched_at
    assert second.last_touched_at >= first.last_touched_at
    assert "打过电话" in second.notes and "发了资料" in second.notes


def test_existing_account_is_matched_and_the_deal_lands_on_it(make_lead, company):
    lead = make_lead(company_name="上海申通地铁集团", person_name="李明", phone="13800138000")
    exact, _similar = actions.account_matches(lead.company_name)
    assert exact == [company.account]
    accounts = Account.objects.count()
    with pytest.raises(ValidationError) as refused:
        actions.qualify_lead(lead, by=company.owner, create_account=True, deal_name="线网项目")
    assert company.account.name in str(refused.value)
    assert Account.objects.count() == accounts

    lead = actions.qualify_lead(
        lead, by=company.owner, account=exact[0], deal_name="线网项目", amount=Decimal("800000")
    )
    assert Account.objects.count() == accounts
    deal = Deal.objects.get(pk=lead.qualified_deal_id)
    assert deal.account == company.account and deal.amount == Decimal("800000")
    assert lead.status == LeadStatus.QUALIFIED and lead.account == company.account
    assert Contact.objects.filter(account=company.account, name="李明").exists()


def test_qualifying_a_new_company_creates_the_account(make_lead, company):
    lead = make_lead(company_name="苏州全新制造有限公司", expected_size=Decimal("300000"))
    lead = actions.qualify_lead(lead, by=company.owner, create_account=True, deal_name="")
    assert lead.account.name == "苏州全新制造有限公司"
    assert lead.qualified_deal.account == lead.account
    assert lead.qualified_deal.amount == Decimal("300000")


@pytest.mark.parametrize("reason", ["", "   ", "\u3000", "\u200b"])
def test_reject_needs_a_reason(make_lead, company, reason):
    lead = make_lead()
    with pytest.raises(ValidationError) as error:
        actions.reject_lead(lead, by=company.owner, reason=reason)
    assert "rejection_reason" in error.value.message_dict
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW


def test_reject_with_a_reason(make_lead, company, login):
    lead = make_lead()
    client = login(company.owner)
    response = client.post(reverse("leads:reject", args=[lead.pk]), {"rejection_reason": ""})
    assert response.status_code == 200
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW
    client.post(reverse("leads:reject", args=[lead.pk]), {"rejection_reason": " 预算不足 "})
    lead.refresh_from_db()
    assert lead.status == LeadStatus.REJECTED and lead.rejection_reason == "预算不足"


def _age(lead, days):
    moment = timezone.now() - timedelta(days=days)
    Lead.all_objects.filter(pk=lead.pk).update(
        created_at=moment, assigned_at=moment, last_touched_at=moment
    )


def test_untouched_leads_return_to_the_pool_once(make_lead, company):
    stale = make_lead(company_name="十五天未跟进公司")
    fresh = make_lead(company_name="十四天未跟进公司")
    _age(stale, 15)
    _age(fresh, 14)
    out = []
    for _run in range(2):
        buffer = StringIO()
        call_command("recycle_leads", stdout=buffer)
        out.append(buffer.getvalue())
    assert out[0].startswith("1 ") and out[1].startswith("0 ")
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.owner is None and stale.status == LeadStatus.RECYCLED
    assert fresh.owner == company.owner and fresh.status == LeadStatus.NEW
    recycled = [h for h in stale.history.all() if h.status == LeadStatus.RECYCLED]
    assert len(recycled) == 1


def test_a_recycled_lead_can_be_claimed(make_lead, company, login):
    lead = make_lead()
    _age(lead, 30)
    assert actions.recycle_untouched_leads(today=timezone.localdate()) == [lead]
    client = login(company.outsider)
    assert client.get(reverse("leads:detail", args=[lead.pk])).status_code == 200
    client.post(reverse("leads:claim", args=[lead.pk]))
    lead.refresh_from_db()
    assert lead.owner == company.outsider and lead.status == LeadStatus.NEW


def test_outsider_gets_404_on_an_owned_lead(make_lead, company, login):
    lead = make_lead()
    client = login(company.outsider)
    for name in ("detail", "edit", "history"):
        assert client.get(reverse(f"leads:{name}", args=[lead.pk])).status_code == 404
    for name, data in (
        ("claim", {}),
        ("note", {"note": "x"}),
        ("reject", {"rejection_reason": "x"}),
        ("qualify", {"create_account": "on"}),
    ):
        assert client.post(reverse(f"leads:{name}", args=[lead.pk]), data).status_code == 404
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW and lead.owner == company.owner
    for user in (company.owner, company.manager, company.director, company.admin):
        response = login(user).get(reverse("leads:detail", args=[lead.pk]))
        assert response.status_code == 200, user.username


def test_pooled_lead_is_visible_to_everyone(make_lead, company, login):
    lead = make_lead(owner=None)
    for user in (company.outsider, company.member, company.owner, company.admin):
        assert lead in Lead.objects.visible_to(user)
        response = login(user).get(reverse("leads:detail", args=[lead.pk]))
        assert response.status_code == 200, user.username
    assert not Lead.objects.visible_to(company.deactivated).exists()
    with pytest.raises(ValidationError):
        actions.reject_lead(lead, by=company.outsider, reason="不是我的")


def test_pages_render(make_lead, company, login):
    lead = make_lead(company_name="上海申通地铁", person_name="李明")
    client = login(company.owner)
    detail = client.get(reverse("leads:detail", args=[lead.pk]))
    assert company.account.name in detail.content.decode()
    assert client.get(reverse("leads:edit", args=[lead.pk])).status_code == 200
    assert client.get(reverse("leads:history", args=[lead.pk])).status_code == 200
    assert client.get(reverse("leads:create")).status_code == 200
    response = client.post(
        reverse("leads:create"),
        {
            "company_name": "新线索公司",
            "need_type": "product",
            "expected_size": "1000",
            "owner": company.owner.pk,
        },
    )
    assert response.status_code == 302
    created = Lead.objects.get(company_name="新线索公司")
    assert created.owner == company.owner and created.route == LeadRoute.SELF_SERVICE
    client.post(reverse("leads:create"), {"company_name": "池中公司", "need_type": "solution"})
    pooled = Lead.objects.get(company_name="池中公司")
    assert pooled.in_pool and pooled.route == LeadRoute.KEY_ACCOUNT
    response = client.post(
        reverse("leads:qualify", args=[lead.pk]),
        {"account": company.account.pk, "deal_name": "项目", "amount": "1000"},
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.qualified_deal.account == company.account


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("tab", ["", "?tab=pool", "?tab=mine&status=new"])
def test_list_query_count_is_constant(make_lead, company, login, tab):
    client = login(company.manager)
    url = reverse("leads:list") + tab
    for n in range(5):
        make_lead(company_name=f"公司{n}", owner=None if n % 2 else company.owner)
    five = _list_queries(client, url)
    for n in range(15):
        make_lead(company_name=f"公司X{n}", owner=None if n % 2 else company.owner)
    assert _list_queries(client, url) == five
    assert "公司X13" in client.get(url).content.decode() or "mine" in tab


def test_qualify_page_refuses_a_duplicate_account_naming_it(make_lead, company, login):
    lead = make_lead(company_name="上海申通地铁集团 有限公司")
    client = login(company.owner)
    response = client.post(reverse("leads:qualify", args=[lead.pk]), {"create_account": "on"})
    assert response.status_code == 200
    assert company.account.name in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW and lead.qualified_deal is None
    assert Account.objects.filter(name__startswith="上海申通地铁").count() == 1


def test_routing_bounds_come_from_the_company_settings(make_lead):
    from winroom.org.models import CompanySettings

    settings = CompanySettings.current()
    settings.lead_self_service_max = Decimal(50_000)
    settings.lead_standard_max = Decimal(1_000_000)
    settings.save()
    assert make_lead(expected_size=Decimal(30_000)).route == LeadRoute.SELF_SERVICE
    assert make_lead(expected_size=Decimal(900_000)).route == LeadRoute.STANDARD
    settings.lead_standard_max = Decimal(10_000)
    with pytest.raises(ValidationError):
        settings.full_clean()


def test_the_recycling_period_comes_from_the_company_settings(make_lead):
    from winroom.org.models import CompanySettings

    settings = CompanySettings.current()
    settings.lead_recycle_days = 30
    settings.save()
    kept = make_lead(company_name="二十天未跟进公司")
    back = make_lead(company_name="三十一天未跟进公司")
    _age(kept, 20)
    _age(back, 31)
    call_command("recycle_leads", stdout=StringIO())
    kept.refresh_from_db()
    back.refresh_from_db()
    assert kept.status == LeadStatus.NEW and back.status == LeadStatus.RECYCLED
