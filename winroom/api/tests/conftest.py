"""People, teams and records for the API tests, made directly with the ORM.

    Region (director)
    ├── Team A (manager_a): rep_owner, rep_peer, inactive
    └── Team B (manager_b): rep_other, triangle

``account`` is owned by rep_owner; ``triangle`` (in team B) is on its account team as the
solution manager. Who may see it, by the rule in winroom.methodology.visibility:
rep_owner, triangle, manager_a, director, admin — and not rep_peer, rep_other, manager_b.
"""

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from winroom.accounts.models import Account, AccountMember, Contact, TeamRole
from winroom.activities.models import Activity, ActivityKind
from winroom.org.models import Role, Team, User

PASSWORD = "correct horse battery staple"

#: role name → whether that person sees rep_owner's account
VISIBILITY = {
    "rep_owner": True,
    "triangle": True,
    "manager_a": True,
    "director": True,
    "admin": True,
    "rep_peer": False,
    "rep_other": False,
    "manager_b": False,
}
READERS = [name for name, sees in VISIBILITY.items() if sees]
OUTSIDERS = [name for name, sees in VISIBILITY.items() if not sees]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """A cheap hasher: nine users per test would otherwise take seconds of PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(username, *, role=Role.REP, team=None, is_active=True, language="en"):
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        display_name=username.replace("_", " ").title(),
        role=role,
        team=team,
        is_active=is_active,
        language=language,
    )
    return user


@pytest.fixture
def org(db):
    """All the people, by role name."""
    director = make_user("director", role=Role.MANAGER)
    manager_a = make_user("manager_a", role=Role.MANAGER)
    manager_b = make_user("manager_b", role=Role.MANAGER)
    region = Team.objects.create(name="Region", manager=director)
    team_a = Team.objects.create(name="Team A", parent=region, manager=manager_a)
    team_b = Team.objects.create(name="Team B", parent=region, manager=manager_b)
    for user, team in ((director, region), (manager_a, team_a), (manager_b, team_b)):
        user.team = team
        user.save()
    people = {
        "director": director,
        "manager_a": manager_a,
        "manager_b": manager_b,
        "rep_owner": make_user("rep_owner", team=team_a),
        "rep_peer": make_user("rep_peer", team=team_a),
        "rep_other": make_user("rep_other", team=team_b),
        "triangle": make_user("triangle", team=team_b),
        "admin": make_user("admin", role=Role.ADMIN),
        "inactive": make_user("inactive", team=team_a, is_active=False),
    }
    people["teams"] = {"region": region, "a": team_a, "b": team_b}
    return people


@pytest.fixture
def account(org):
    account = Account.objects.create(
        name="Sinopec Shanghai", industry="energy", region="Shanghai", owner=org["rep_owner"]
    )
    AccountMember.objects.create(
        account=account, user=org["rep_owner"], role=TeamRole.ACCOUNT_MANAGER
    )
    AccountMember.objects.create(
        account=account, user=org["triangle"], role=TeamRole.SOLUTION_MANAGER
    )
    return account


@pytest.fixture
def other_account(org):
    """An account of the other team, which rep_owner's side does not see."""
    account = Account.objects.create(
        name="Baosteel", industry="manufacturing", owner=org["rep_other"]
    )
    AccountMember.objects.create(
        account=account, user=org["rep_other"], role=TeamRole.ACCOUNT_MANAGER
    )
    return account


@pytest.fixture
def contact(account):
    return Contact.objects.create(
        account=account, name="Wang Wei", title="CIO", department="IT", phone="+86 138 0013 8000"
    )


@pytest.fixture
def other_contact(other_account):
    return Contact.objects.create(account=other_account, name="Li Na", title="CFO")


@pytest.fixture
def activity(account, contact, org):
    activity = Activity.objects.create(
        kind=ActivityKind.MEETING,
        occurred_at=timezone.now(),
        subject="Kick-off",
        account=account,
        owner=org["rep_owner"],
    )
    activity.participants.set([contact])
    return activity


@pytest.fixture
def client_for(org):
    """An API client signed in with the user's token: ``client_for("manager_a")``."""

    def make(who):
        user = org[who] if isinstance(who, str) else who
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        client.user = user
        return client

    return make


def ids(response):
    """The ids on a list page."""
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}
