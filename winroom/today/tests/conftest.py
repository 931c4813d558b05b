from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from winroom.deals import actions
from winroom.deals.models import Deal, Stage
from winroom.visits.models import Visit, VisitStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: a fixed "now" for the rules: 15 June 2026, 10:00 in Shanghai
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def make_deal(company):
    def make(owner=None, account=None, name="项目", amount="3200000", **fields):
        owner = owner or company.owner
        deal = actions.create_deal(
            by=owner,
            data={"account": account or company.account, "name": name, "amount": amount},
        )
        # far from stale, due or risky unless a test says so
        base = {
            "created_at": NOW - timedelta(days=1),
            "stage_changed_at": NOW - timedelta(days=1),
            "health_score": 100,
        }
        base.update(fields)
        if "stage" in base and isinstance(base["stage"], int):
            base["stage"] = Stage.objects.get(number=base["stage"])
        Deal.all_objects.filter(pk=deal.pk).update(**base)
        deal.refresh_from_db()
        return deal

    return make


@pytest.fixture
def make_visit(company):
    def make(owner=None, account=None, planned_at=NOW, status=VisitStatus.PLANNED, **fields):
        return Visit.objects.create(
            owner=owner or company.owner,
            account=account or company.account,
            planned_at=planned_at,
            status=status,
            **fields,
        )

    return make


@pytest.fixture
def shanghai():
    with timezone.override(SHANGHAI):
        yield


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield
