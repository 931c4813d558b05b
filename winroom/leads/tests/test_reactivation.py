"""Won customers due for cross-sell re-activation, and the one-click cross-sell opportunity."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from winroom.deals import actions as deal_actions
from winroom.deals.models import Deal, DealSource, DealStatus, ProductLine
from winroom.leads import reactivation
from winroom.methodology.leads import reactivation_due
from winroom.org.models import CompanySettings
from winroom.records import soft_delete
from winroom.testing.factories import AccountFactory


def won(account, *, by, days_ago, lines=(), hour=12, status=DealStatus.WON):
    deal = deal_actions.create_deal(
        by=by, data={"account": account, "name": f"{account.name}项目", "amount": "100000"}
    )
    deal.product_lines.set(lines)
    deal_actions.close_deal(deal, by=by, status=status)
    day = timezone.localdate() - timedelta(days=days_ago)
    moment = datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())
    Deal.all_objects.filter(pk=deal.pk).update(closed_at=moment)
    return deal


def listed(user):
    today = timezone.localdate()
    days = CompanySettings.current().reactivation_days()
    return list(reactivation.due_accounts(user, today=today, interval_days=days))


@pytest.mark.parametrize(("days_ago", "due"), [(180, True), (179, False), (181, True)])
def test_the_interval_edge_agrees_with_the_core(company, days_ago, due):
    won(company.account, by=company.owner, days_ago=days_ago, hour=23)
    won_on = timezone.localdate() - timedelta(days=days_ago)
    assert reactivation_due(won_on=won_on, today=timezone.localdate()) is due
    assert (company.account in listed(company.owner)) is due


def test_the_last_win_counts_and_an_open_deal_keeps_it_off(company):
    account = company.account
    won(account, by=company.owner, days_ago=400)
    won(account, by=company.owner, days_ago=30)
    won(account, by=company.owner, days_ago=10, status=DealStatus.ABANDONED)
    assert account not in listed(company.owner)  # the last win is recent
    other = AccountFactory(name="杭州老客户有限公司", owner=company.owner)
    won(other, by=company.owner, days_ago=300)
    assert listed(company.owner) == [other]
    open_deal = deal_actions.create_deal(by=company.owner, data={"account": other, "name": "新"})
    assert listed(company.owner) == []
    deal_actions.close_deal(open_deal, by=company.owner, status=DealStatus.ABANDONED)
    assert listed(company.owner) == [other]


def test_a_deleted_won_deal_does_not_count(company):
    deal = won(company.account, by=company.owner, days_ago=300)
    soft_delete(deal, by=company.owner)
    assert listed(company.owner) == []


def test_the_interval_comes_from_the_company_settings(company):
    won(company.account, by=company.owner, days_ago=100)
    assert listed(company.owner) == []
    settings = CompanySettings.current()
    settings.reactivation_after_days = 90
    settings.save()
    assert listed(company.owner) == [company.account]


def test_only_visible_accounts(company):
    won(company.account, by=company.owner, days_ago=200)
    west = AccountFactory(name="成都老客户", owner=company.outsider)
    won(west, by=company.outsider, days_ago=200)
    assert listed(company.owner) == [company.account]
    assert listed(company.manager) == [company.account]
    assert listed(company.outsider) == [west]
    assert set(listed(company.director)) == {company.account, west}
    assert listed(company.teammate) == [] and listed(company.deactivated) == []


def test_page_shows_last_win_products_and_owner(company, login):
    mes = ProductLine.objects.create(name="MES")
    erp = ProductLine.objects.create(name="ERP")
    won(company.account, by=company.owner, days_ago=200, lines=[mes])
    won(company.account, by=company.owner, days_ago=250, lines=[erp, mes])
    response = login(company.manager).get(reverse("leads:reactivation"))
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert row["products"] == ["ERP", "MES"]
    assert row["waiting_days"] == 200 and row["account"].won_deals == 2
    body = response.content.decode()
    assert company.account.name in body and str(company.owner) in body


def test_page_query_count_is_constant(company, login):
    client = login(company.admin)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("leads:reactivation")).status_code == 200
        return len(queries)

    line = ProductLine.objects.create(name="MES")
    for n in range(2):
        won(AccountFactory(name=f"客户{n}", owner=company.owner), by=company.owner, days_ago=200)
    few = count()
    for n in range(8):
        account = AccountFactory(name=f"客户X{n}", owner=company.outsider)
        won(account, by=company.outsider, days_ago=300, lines=[line])
    assert count() == few


def test_cross_sell_creates_an_opportunity_for_the_owner_once(company, login):
    won(company.account, by=company.owner, days_ago=200)
    client = login(company.manager)
    url = reverse("leads:cross_sell", args=[company.account.pk])
    response = client.post(url)
    deal = Deal.objects.get(account=company.account, status=DealStatus.OPEN)
    assert response.status_code == 302 and response.url == reverse("deals:detail", args=[deal.pk])
    assert deal.owner == company.owner and deal.source == DealSource.EXISTING
    assert company.account.name in deal.name
    assert company.account not in listed(company.manager)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert Deal.objects.filter(account=company.account, status=DealStatus.OPEN).count() == 1


def test_cross_sell_is_refused_to_who_cannot_see_the_account(company, login):
    won(company.account, by=company.owner, days_ago=200)
    for user in (company.outsider, company.teammate, company.other_manager):
        client = login(user)
        url = reverse("leads:cross_sell", args=[company.account.pk])
        assert client.post(url).status_code == 404
        assert client.get(url).status_code == 405
    assert not Deal.objects.filter(account=company.account, status=DealStatus.OPEN).exists()
