"""Visits for the shared company (winroom/conftest.py): a deal of the East rep and helpers.

Who may read the owner's visit at the owner's account: the owner, their manager, the
director, an administrator, and the West ``member`` of the account team (read only).
Not: the teammate (another East rep), the outsider and the other manager (West).
"""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from winroom.deals import actions as deal_actions
from winroom.visits.models import Visit, VisitStatus


@pytest.fixture
def deal(company):
    return deal_actions.create_deal(
        by=company.owner,
        data={"account": company.account, "name": "地铁线网指挥中心项目", "amount": "3200000"},
    )


def at(day, hour=10):
    """An aware datetime at ``hour`` o'clock on ``day`` in the company's time zone."""
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def make_visit(owner, account, *, deal=None, days_ago=None, **fields):
    """A visit straight through the model (save recomputes the verdict)."""
    planned = fields.pop("planned_at", None)
    if planned is None:
        day = timezone.localdate() - timedelta(days=days_ago or 0)
        planned = at(day)
    fields.setdefault("objective", "了解需求")
    visit = Visit(owner=owner, account=account, deal=deal, planned_at=planned, **fields)
    visit.save()
    return visit


def recorded(visit, *, recorded_days_after=0, commitment="won", scores=None, mgr=None, by=None):
    """Mark ``visit`` recorded ``recorded_days_after`` days after it took place."""
    day = timezone.localdate(visit.planned_at)
    visit.status = VisitStatus.DONE
    visit.visited_on = day
    visit.recorded_at = at(day + timedelta(days=recorded_days_after), 18)
    visit.commitment = commitment
    for step, value in (scores or {}).items():
        setattr(visit, f"rep_{step}", value)
    for step, value in (mgr or {}).items():
        setattr(visit, f"mgr_{step}", value)
    if mgr:
        visit.manager_scored_at = timezone.now()
        visit.manager_scored_by = by
    visit.save()
    return visit


@pytest.fixture
def visit(company, deal):
    """A planned visit of the owner at their account, for the deal, tomorrow."""
    visit = make_visit(
        company.owner,
        company.account,
        deal=deal,
        planned_at=timezone.now() + timedelta(days=1),
        commitment_ask="安排技术交流",
    )
    visit.people.set([company.contact])
    return visit


@pytest.fixture
def done_visit(company, deal):
    """A visit the owner made yesterday and recorded today, with their scores."""
    visit = make_visit(company.owner, company.account, deal=deal, days_ago=1)
    return recorded(
        visit,
        recorded_days_after=1,
        scores=dict.fromkeys(["prepare", "understand", "present", "commit", "evaluate"], 3),
    )
