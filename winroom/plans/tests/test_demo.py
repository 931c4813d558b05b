"""The demo company has account plans and canvases (§1.6)."""

from datetime import date

import pytest

from winroom.accounts.models import Account
from winroom.demo.generator import generate
from winroom.plans.models import (
    AccountPlan,
    CustomerLink,
    FitCanvas,
    PlanAction,
    WhitespaceCell,
)
from winroom.plans.presenting import with_progress

pytestmark = pytest.mark.django_db


def test_demo_has_plans_and_canvases():
    generate(accounts=15, activities=150, seed=11)
    year = date.today().year
    plans = with_progress(AccountPlan.objects.all())
    assert plans.count() == 5 == Account.objects.count() // 3
    assert all(p.year == year for p in plans)
    assert all(p.actions_total >= 3 for p in plans)
    assert any(p.actions_done for p in plans)
    assert WhitespaceCell.objects.exists()
    for plan in plans:
        assert plan.units.exists() and plan.initiatives.exists()
        # actions belong to the account's team
        team = set(plan.account.members.values_list("user_id", flat=True))
        assert set(plan.actions.values_list("owner_id", flat=True)) <= team
        # cells in progress only link deals of the plan's account
        for cell in plan.cells.prefetch_related("deals"):
            assert all(d.account_id == plan.account_id for d in cell.deals.all())
    canvases = FitCanvas.objects.all()
    assert canvases.count() >= 3
    answered = [c for c in canvases if c.customer_scores]
    assert answered and CustomerLink.objects.count() == len(answered)
    assert any(c.explain().gaps for c in answered)  # some customers see it differently
    assert all(
        link.status == "answered" or link.status == "expired" for link in CustomerLink.objects.all()
    )
    assert PlanAction.objects.count() == sum(p.actions_total for p in plans)
