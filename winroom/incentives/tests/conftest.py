"""Helpers for the incentive tests: won deals, visits and relationship actions by hand.

Everything happens in 2025 so that every period is over whenever the tests run (approval
needs a finished period) and the numbers can be worked out by hand in the tests.
"""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from winroom.accounts.models import RelationshipActionType
from winroom.deals.models import Deal, DealMember, DealStatus, ProductLine, Stage
from winroom.incentives.models import DealMargin
from winroom.org.models import Role
from winroom.testing.factories import (
    AccountFactory,
    ActivityFactory,
    ContactFactory,
    TeamFactory,
    UserFactory,
)
from winroom.visits.models import Visit, VisitStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = 2025


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def make_deal(
    owner,
    amount,
    closed_on,
    *,
    account=None,
    status=DealStatus.WON,
    lines=(),
    margin=None,
    name=None,
):
    """A closed deal written directly (the deal room's rules are not under test here)."""
    account = account or AccountFactory(owner=owner)
    deal = Deal.objects.create(
        account=account,
        owner=owner,
        name=name or f"项目{Deal.all_objects.count() + 1}",
        amount=Decimal(amount),
        stage=Stage.objects.order_by("-number").first(),
        status=status,
        closed_at=at(closed_on),
    )
    DealMember.objects.create(deal=deal, user=owner, role="account_manager")
    if lines:
        deal.product_lines.set(lines)
    if margin is not None:
        DealMargin.objects.create(deal=deal, gross_margin=Decimal(margin))
    return deal


def make_visit(owner, visited_on, *, account=None, effective=True):
    """A recorded visit, effective by the default rule when asked (objective, commitment
    answered, recorded on the day)."""
    account = account or AccountFactory(owner=owner)
    return Visit.objects.create(
        owner=owner,
        account=account,
        planned_at=at(visited_on, 9),
        status=VisitStatus.DONE,
        objective="了解需求" if effective else "",
        commitment="won",
        visited_on=visited_on,
        recorded_at=at(visited_on, 18),
    )


def relationship_action(account, *, code, on: date, level="staff"):
    """A key contact at ``account`` with one logged relationship action of ``code``."""
    contact = ContactFactory(account=account, marked_key=True, level=level)
    activity = ActivityFactory(
        account=account, owner=account.owner, occurred_at=at(on), participants=[contact]
    )
    activity.relationship_actions.add(RelationshipActionType.objects.get(code=code))
    return contact


@pytest.fixture
def line_mes(db):
    return ProductLine.objects.get_or_create(name="MES")[0]


@pytest.fixture
def small_team(db):
    """A manager with a team of reps made on demand: ``small_team(n)`` → (manager, reps)."""

    def make(count):
        manager = UserFactory(username="boss", role=Role.MANAGER)
        team = TeamFactory(name="直销一组", manager=manager)
        manager.team = team
        manager.save()
        reps = [
            UserFactory(username=f"r{n}", display_name=f"代表{n}", team=team)
            for n in range(1, count + 1)
        ]
        return manager, reps

    return make
