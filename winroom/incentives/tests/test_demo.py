"""The demo company has targets, seller types, commission statements and rankings (§3.6)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from winroom.demo.generator import generate
from winroom.incentives.models import (
    CommissionPlan,
    CommissionStatement,
    DealMargin,
    Payout,
    RankingReview,
    RankingSnapshot,
    RepTarget,
    SellerProfile,
    StatementStatus,
)
from winroom.methodology.targets import check_split
from winroom.org.models import Role, User

pytestmark = pytest.mark.django_db


def test_demo_tells_the_incentive_story():
    counts = generate(accounts=24, activities=300, seed=5)
    today = timezone.localdate()
    reps = User.objects.filter(role=Role.REP, is_active=True)
    assert counts["rep_targets"] == 2 * reps.count()
    for target in RepTarget.objects.all():
        check_split(target.baseline, target.monthly)  # the months sum to the baseline
        assert target.challenge > target.baseline and target.bottom_up is not None
    assert {p.seller_type for p in SellerProfile.objects.all()} == {
        "account",
        "solution",
        "project",
    }
    assert CommissionPlan.objects.filter(year=today.year, is_active=True).exists()
    assert DealMargin.objects.exists()
    statements = CommissionStatement.objects.all()
    assert statements.filter(status=StatementStatus.APPROVED).exists()
    assert statements.filter(status=StatementStatus.DRAFT).exists()
    assert statements.filter(total__gt=Decimal(0)).exists()
    assert Payout.objects.filter(paid_on__isnull=False).exists()
    months = set(RankingSnapshot.objects.values_list("month", flat=True))
    assert len(months) == 6
    assert RankingReview.objects.exists()
    for month in months:
        assert RankingSnapshot.objects.filter(month=month).count() == reps.count()
