"""The writes of the management layer: payments, contracts, overrides, adjustments, the
watch list — each with who may and may not."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from winroom.insights import actions
from winroom.insights.models import Contract, ForecastAdjustment, Payment, WatchReview

pytestmark = pytest.mark.django_db


def test_payments_only_on_won_deals_and_never_more_than_booked(shop, pipeline):
    c = shop.company
    d3 = shop.deals["D3"]  # 200k, 200k paid already
    with pytest.raises(ValidationError):
        actions.record_payment(d3, by=c.owner, amount=Decimal("1"), received_on=date(2026, 7, 1))
    with pytest.raises(ValidationError):
        actions.record_payment(
            pipeline["P1"], by=c.owner, amount=Decimal("1"), received_on=date(2026, 7, 1)
        )
    d5 = shop.deals["D5"]
    payment = actions.record_payment(
        d5, by=c.owner, amount=Decimal("400000"), received_on=date(2026, 7, 1)
    )
    assert payment.recorded_by == c.owner
    with pytest.raises(PermissionDenied):
        actions.record_payment(d5, by=c.outsider, amount=Decimal("1"), received_on=date(2026, 7, 1))


def test_payment_page_records_for_the_owner(shop, login):
    d5 = shop.deals["D5"]
    client = login(shop.company.owner)
    url = reverse("insights:deal_money", args=[d5.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"payment-amount": "50000", "payment-received_on": "2026-07-02", "payment-note": "二期"},
    )
    assert response.status_code == 302
    assert Payment.objects.filter(deal=d5, amount=Decimal("50000")).exists()


def test_contract_and_renewal_rules(shop):
    c, d = shop.company, shop.deals
    with pytest.raises(ValidationError):  # another account's deal cannot be renewed
        actions.set_contract(
            d["D5"],
            by=c.owner,
            starts_on=date(2026, 7, 1),
            ends_on=date(2027, 6, 30),
            renewal_of=d["D0"],
        )
    with pytest.raises(ValidationError):  # ends before it starts
        actions.set_contract(
            d["D3"], by=c.owner, starts_on=date(2026, 7, 1), ends_on=date(2026, 6, 30)
        )
    contract = actions.set_contract(
        d["D3"],
        by=c.owner,
        starts_on=date(2026, 6, 1),
        ends_on=date(2027, 5, 31),
        renewal_of=d["D2"],
    )
    assert Contract.objects.get(deal=d["D3"]).renewal_of == d["D2"] == contract.renewal_of


def test_overrides_by_managers_of_the_owner_only(shop):
    c, d3 = shop.company, shop.deals["D3"]
    with pytest.raises(PermissionDenied):
        actions.override_source(d3, by=c.owner, source="new", reason="x")
    with pytest.raises(PermissionDenied):
        actions.override_source(d3, by=c.other_manager, source="new", reason="x")
    with pytest.raises(ValidationError):
        actions.override_source(d3, by=c.manager, source="new", reason=" ")
    actions.override_source(d3, by=c.manager, source="new", reason="新客户")
    assert d3.revenue_source_override.source == "new"


def test_adjustments_need_a_reason_and_a_team_below(shop):
    c = shop.company
    july = date(2026, 7, 1)
    with pytest.raises(PermissionDenied):
        actions.adjust_forecast(
            by=c.owner, rep=c.owner, month=july, kind="delta", amount=1, reason="x"
        )
    with pytest.raises(PermissionDenied):
        actions.adjust_forecast(
            by=c.manager, rep=c.manager, month=july, kind="delta", amount=1, reason="x"
        )
    with pytest.raises(PermissionDenied):
        actions.adjust_forecast(
            by=c.manager, team=c.west, month=july, kind="delta", amount=1, reason="x"
        )
    with pytest.raises(ValidationError):
        actions.adjust_forecast(
            by=c.manager, team=c.east, month=july, kind="override", amount=-1, reason="x"
        )
    with pytest.raises(ValidationError):
        actions.adjust_forecast(
            by=c.manager, team=c.east, month=july, kind="delta", amount=1, reason=""
        )
    actions.adjust_forecast(
        by=c.director, team=c.east, month=july, kind="override", amount=5, reason="x"
    )
    assert ForecastAdjustment.objects.count() == 1


def test_adjust_page(shop, pipeline, login):
    c = shop.company
    client = login(c.manager)
    url = reverse("insights:adjust") + f"?scope=team:{c.east.pk}"
    data = {
        "target": f"rep:{c.owner.pk}",
        "month": "2026-07",
        "kind": "delta",
        "amount": "-5000",
        "reason": "客户推迟",
    }
    assert client.post(url, data).status_code == 302
    adjustment = ForecastAdjustment.objects.get()
    assert (adjustment.rep, adjustment.month, adjustment.amount) == (
        c.owner,
        date(2026, 7, 1),
        Decimal("-5000"),
    )
    # no reason: refused with a message, nothing recorded
    client.post(url, {**data, "reason": ""})
    assert ForecastAdjustment.objects.count() == 1


def test_watch_list_and_monthly_review(shop, login):
    c = shop.company
    client = login(c.manager)
    assert (
        client.post(
            reverse("insights:watch_add"),
            {"account": c.account.pk, "kind": "must_win", "note": "保底"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("insights:watch_review", args=[c.account.pk]),
            {"note": "本月复盘：推进高层拜访"},
        ).status_code
        == 302
    )
    review = WatchReview.objects.get()
    assert review.by == c.manager and review.month.day == 1
    page = client.get(reverse("insights:watch"))
    assert "本月复盘" in page.content.decode()
    entry = page.context["entries"][0]
    assert entry.must_win and entry.reviewed_this_month
    with pytest.raises(PermissionDenied):
        actions.record_review(c.account, by=c.owner, note="x")
