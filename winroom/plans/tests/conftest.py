"""A plan with one of everything and a canvas, on the shared company's account.

Who reads them (the account's rule): owner, member (on the account team), manager,
director, admin. Not: teammate (same team, not on the account), outsider, other_manager.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from winroom.deals.models import ProductLine
from winroom.plans import actions
from winroom.testing.factories import AccountFactory

READERS = ["owner", "member", "manager", "director", "admin"]
OUTSIDERS = ["teammate", "outsider", "other_manager"]


@pytest.fixture
def lines(db):
    return [ProductLine.objects.create(name="智云MES"), ProductLine.objects.create(name="能耗管理")]


@pytest.fixture
def plan(company, lines):
    owner = company.owner
    plan = actions.create_plan(
        company.account,
        by=owner,
        year=2026,
        data={"strategy": "打造智慧地铁", "quick_win": "三个月内完成试点"},
    )
    actions.add_initiative(
        plan,
        by=owner,
        data={
            "initiative": "线网指挥中心",
            "department": "信息中心",
            "kpi": "可用率99.9%",
            "can_serve": True,
        },
    )
    unit = actions.add_business_unit(plan, by=owner, name="运营公司")
    actions.add_business_unit(plan, by=owner, name="维保公司")
    actions.set_cell(plan, by=owner, unit=unit, product_line=lines[0], state="owned")
    actions.add_goal(plan, by=owner, contact=company.contact, target_level="supporter")
    actions.add_action(
        plan,
        by=owner,
        title="拜访王主任",
        owner=owner,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    return plan


@pytest.fixture
def canvas(company):
    canvas = actions.create_canvas(company.account, by=company.owner, horizon="short")
    return actions.score_canvas(
        canvas,
        by=company.owner,
        scores={"strategy": 4, "relationship": 5, "solution": 4},
        notes={"strategy": "战略一致"},
        expected_version=None,
    )


@pytest.fixture
def other_canvas(company):
    """A canvas of an account the East side does not see."""
    account = AccountFactory(name="宝钢股份", owner=company.outsider)
    return actions.create_canvas(account, by=company.outsider, horizon="long")
