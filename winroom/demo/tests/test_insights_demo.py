"""The demo company comes with payments, contracts and renewals, a capacity table, forecast
adjustments and a watch list — consistent with the rules the management pages apply."""

import pytest
from django.db.models import F, Sum
from django.urls import reverse

from winroom.deals.models import DealStatus
from winroom.demo.generator import generate
from winroom.insights.models import (
    CapacityCell,
    Contract,
    ForecastAdjustment,
    Payment,
    WatchedAccount,
    WatchReview,
)
from winroom.org.models import User


@pytest.fixture
def demo(db):
    return generate(accounts=30, activities=300, seed=7, history=True)


def test_money_and_contracts_follow_the_rules(demo):
    assert demo["payments"] == Payment.objects.count() > 0
    assert demo["contracts"] == Contract.objects.count() > 0
    assert not Payment.objects.exclude(deal__status=DealStatus.WON).exists()
    assert not Contract.objects.exclude(deal__status=DealStatus.WON).exists()
    over = (
        Payment.objects.values("deal_id", "deal__amount")
        .annotate(paid=Sum("amount"))
        .filter(paid__gt=F("deal__amount"))
    )
    assert not over.exists()
    renewals = Contract.objects.filter(renewal_of__isnull=False)
    assert demo["renewals"] == renewals.count()
    assert not renewals.exclude(renewal_of__account_id=F("deal__account_id")).exists()
    assert not Contract.objects.filter(ends_on__lt=F("starts_on")).exists()


def test_planning_forecast_and_watch_list(demo):
    assert demo["capacity_cells"] == CapacityCell.objects.count() > 0
    assert CapacityCell.objects.filter(demand_changing=False).exists()
    assert ForecastAdjustment.objects.exclude(reason="").count() == demo["forecast_adjustments"]
    assert demo["watched_accounts"] == WatchedAccount.objects.count() > 0
    assert demo["watch_reviews"] == WatchReview.objects.count() > 0


def test_a_second_run_adds_without_clashing(demo):
    again = generate(accounts=5, activities=50, seed=8, history=False)
    assert again["contracts"] >= 0  # only the new won deals get contracts


@pytest.mark.parametrize("name", ["dashboard", "forecast", "backtest", "watch", "capacity"])
def test_the_director_sees_the_demo_story(demo, client, name):
    client.force_login(User.objects.get(username="director"))
    assert client.get(reverse(f"insights:{name}"), {"period": "year"}).status_code == 200
