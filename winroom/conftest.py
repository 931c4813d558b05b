"""Shared fixtures: a small company with every kind of person the visibility rule knows."""

from dataclasses import dataclass

import pytest

from winroom.accounts.models import AccountMember, TeamRole
from winroom.org.models import Role
from winroom.testing.factories import (
    PASSWORD,
    AccountFactory,
    ContactFactory,
    TeamFactory,
    UserFactory,
)


@dataclass
class Company:
    owner: object
    teammate: object
    member: object
    outsider: object
    manager: object
    other_manager: object
    director: object
    admin: object
    deactivated: object
    account: object
    contact: object
    east: object
    west: object


@pytest.fixture
def company(db):
    """HQ (director) → East (manager: owner, teammate) and West (other manager: outsider,
    member). The account is owned by the East rep; the West ``member`` is on its team."""
    director = UserFactory(username="director", role=Role.MANAGER)
    hq = TeamFactory(name="全国销售部", manager=director)
    director.team = hq
    director.save()
    manager = UserFactory(username="manager", role=Role.MANAGER)
    other_manager = UserFactory(username="manager2", role=Role.MANAGER)
    east = TeamFactory(name="华东", parent=hq, manager=manager)
    west = TeamFactory(name="华西", parent=hq, manager=other_manager)
    for user, team in ((manager, east), (other_manager, west)):
        user.team = team
        user.save()
    owner = UserFactory(username="owner", team=east)
    teammate = UserFactory(username="teammate", team=east)
    outsider = UserFactory(username="outsider", team=west)
    member = UserFactory(username="member", team=west)
    admin = UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
    deactivated = UserFactory(username="gone", team=east, is_active=False)
    account = AccountFactory(name="上海申通地铁集团有限公司", owner=owner)
    AccountMember.objects.create(account=account, user=member, role=TeamRole.SOLUTION_MANAGER)
    contact = ContactFactory(account=account, name="王建国", title="信息中心主任")
    return Company(
        owner=owner,
        teammate=teammate,
        member=member,
        outsider=outsider,
        manager=manager,
        other_manager=other_manager,
        director=director,
        admin=admin,
        deactivated=deactivated,
        account=account,
        contact=contact,
        east=east,
        west=west,
    )


@pytest.fixture
def login(client):
    """Log a user in on the test client: ``login(user)`` returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD
