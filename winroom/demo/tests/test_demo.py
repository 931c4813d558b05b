"""The demo company generator, ``load_demo`` and ``generate``."""

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from winroom.accounts.models import Account, AccountMember, Contact, TeamRole, name_key
from winroom.accounts.validators import normalize_phone
from winroom.activities.models import Activity
from winroom.deals.models import Deal
from winroom.demo import data
from winroom.demo.generator import generate
from winroom.methodology.trees import would_create_cycle
from winroom.org.models import CompanySettings, Role, Team, User

SHANGHAI = ZoneInfo("Asia/Shanghai")
CJK = re.compile(r"[\u4e00-\u9fff]")
EAST_TEAMS = {"华东大区", "华东一组", "华东二组"}
WEST_TEAMS = {"华西大区", "西南组"}
EAST_CITIES = {c[0] for c in data.CITIES[data.EAST]}
WEST_CITIES = {c[0] for c in data.CITIES[data.WEST]}


@pytest.fixture
def small(db):
    return generate(accounts=12, activities=200, seed=7)


def wipe_customers():
    """Hard-delete the customer data (not the users and teams)."""
    from winroom.insights.models import Contract, Payment
    from winroom.visits.models import Visit

    Visit.all_objects.all().delete()
    # money recorded against deals protects them from a hard delete: remove it first
    Contract.objects.all().delete()
    Payment.objects.all().delete()
    Deal.all_objects.all().delete()
    Activity.all_objects.all().delete()
    Contact.all_objects.all().delete()
    Account.all_objects.all().delete()


def table_counts():
    return {
        "users": User.objects.count(),
        "teams": Team.objects.count(),
        "accounts": Account.all_objects.count(),
        "members": AccountMember.objects.count(),
        "contacts": Contact.all_objects.count(),
        "activities": Activity.all_objects.count(),
        "participants": Activity.participants.through.objects.count(),
    }


def test_counts_returned_match_the_database(small):
    assert small["accounts"] == 12 == Account.objects.count()
    assert small["activities"] == 200 == Activity.objects.count()
    assert small["contacts"] == Contact.objects.count()
    assert small["account_members"] == AccountMember.objects.count()
    assert small["participants"] == Activity.participants.through.objects.count()
    assert small["users"] == 17 and small["teams"] == 6


def test_sales_organisation(small):
    teams = {t.name: t for t in Team.objects.select_related("parent", "manager")}
    tree = {
        name: (t.parent.name if t.parent else None, t.manager.username) for name, t in teams.items()
    }
    assert tree == {
        "全国销售部": (None, "director"),
        "华东大区": ("全国销售部", "manager"),
        "华西大区": ("全国销售部", "manager2"),
        "华东一组": ("华东大区", "manager"),
        "华东二组": ("华东大区", "manager3"),
        "西南组": ("华西大区", "manager2"),
    }
    users = {u.username: u for u in User.objects.select_related("team")}
    admin = users["admin"]
    assert admin.role == Role.ADMIN and admin.is_staff and admin.is_superuser
    for username, team in [
        ("director", "全国销售部"),
        ("manager", "华东大区"),
        ("manager2", "华西大区"),
        ("manager3", "华东二组"),
    ]:
        assert users[username].role == Role.MANAGER
        assert users[username].team.name == team
        assert not users[username].is_superuser
    reps = [u for u in users.values() if u.role == Role.REP]
    assert len(reps) == 12
    assert {r.team.name for r in reps} == {"华东一组", "华东二组", "西南组"}
    assert users["rep1"].team.name == users["rep2"].team.name == "华东一组"
    assert users["rep3"].team.name == "西南组"
    for user in users.values():
        assert CJK.search(user.display_name), user.username
        assert user.password == admin.password  # one hash for the shared demo password
    assert admin.check_password(data.PASSWORD)
    assert CompanySettings.current().company_name == data.COMPANY_NAME


def test_accounts_are_unique_realistic_and_owned_in_their_region(small):
    accounts = list(Account.objects.select_related("owner__team").prefetch_related("members"))
    keys = [a.name_key for a in accounts]
    assert len(set(keys)) == len(keys)
    for account in accounts:
        assert account.name_key == name_key(account.name)
        assert CJK.search(account.name)
        assert account.owner.role == Role.REP
        east = account.owner.team.name in EAST_TEAMS
        assert account.region in (EAST_CITIES if east else WEST_CITIES)
        roles = {m.role: m.user_id for m in account.members.all()}
        assert roles[TeamRole.ACCOUNT_MANAGER] == account.owner_id
        for member in account.members.select_related("user__team"):
            region_teams = EAST_TEAMS if east else WEST_TEAMS
            assert member.user.team.name in region_teams
    assert Account.history.count() == len(accounts)


def test_visibility_follows_the_regions(small):
    users = {u.username: u for u in User.objects.all()}
    everything = set(Account.objects.values_list("pk", flat=True))
    east = set(
        Account.objects.filter(owner__team__name__in=EAST_TEAMS).values_list("pk", flat=True)
    )
    assert (
        set(Account.objects.visible_to(users["admin"]).values_list("pk", flat=True)) == everything
    )
    assert (
        set(Account.objects.visible_to(users["director"]).values_list("pk", flat=True))
        == everything
    )
    seen_by_manager = set(Account.objects.visible_to(users["manager"]).values_list("pk", flat=True))
    assert east and east <= seen_by_manager
    seen_by_west = set(Account.objects.visible_to(users["manager2"]).values_list("pk", flat=True))
    assert not seen_by_west & east
    assert Account.objects.visible_to(users["rep1"]).filter(owner=users["rep1"]).exists()


def test_contacts_reporting_lines_stay_inside_the_account_without_cycles(small):
    contacts = list(Contact.objects.values("pk", "account_id", "reports_to_id"))
    account_of = {c["pk"]: c["account_id"] for c in contacts}
    parent_of = {c["pk"]: c["reports_to_id"] for c in contacts}
    for contact in contacts:
        boss = contact["reports_to_id"]
        if boss is not None:
            assert account_of[boss] == contact["account_id"]
            assert not would_create_cycle(
                {k: v for k, v in parent_of.items() if k != contact["pk"]}, contact["pk"], boss
            )
    # Walking up from anyone ends at a root (no loop).
    for pk in parent_of:
        seen = set()
        while pk is not None:
            assert pk not in seen
            seen.add(pk)
            pk = parent_of[pk]
    sizes = {}
    for contact in contacts:
        sizes[contact["account_id"]] = sizes.get(contact["account_id"], 0) + 1
    assert max(sizes.values()) >= 200  # the flagship's big org chart
    assert min(sizes.values()) >= 3
    roots = [c for c in contacts if c["reports_to_id"] is None]
    assert len(roots) >= len(sizes)


def test_contact_details_are_valid(small):
    contacts = list(Contact.objects.all())
    phones = [c.phone for c in contacts if c.phone]
    assert len(phones) > len(contacts) * 0.7
    for phone in phones:
        assert phone.startswith("+86 1")
        assert normalize_phone(phone) == phone
    emails = [c.email for c in contacts if c.email]
    assert emails and all(e == e.lower() and "@" in e for e in emails)
    assert len(set(emails)) == len(emails)
    assert all(CJK.search(c.name) and c.title and c.department for c in contacts)
    assert len({c.relationship_status for c in contacts}) >= 4
    assert len({c.orientation for c in contacts}) >= 5
    assert any(c.first_contact_on for c in contacts)
    assert Contact.history.count() == len(contacts)


def test_activities_are_realistic(small):
    now = datetime.now(SHANGHAI)
    earliest = now - timedelta(days=round(18 * 30.44) + 2)
    activities = Activity.objects.select_related("account").prefetch_related(
        "participants", "account__members"
    )
    kinds = set()
    for activity in activities:
        kinds.add(activity.kind)
        local = activity.occurred_at.astimezone(SHANGHAI)
        assert earliest <= local <= now
        assert 9 <= local.hour <= 17
        assert CJK.search(activity.subject)
        people = list(activity.participants.all())
        assert 1 <= len(people) <= 4
        assert all(p.account_id == activity.account_id for p in people)
        assert activity.owner_id in activity.account.member_ids()
        assert activity.created_at >= activity.occurred_at
    assert {"call", "meeting", "visit"} <= kinds
    assert Activity.history.count() == 200


def test_same_seed_gives_the_same_company(db):
    generate(accounts=10, activities=50, seed=11)
    first = list(Account.objects.order_by("pk").values_list("name", "region", "status"))
    first_people = list(Contact.objects.order_by("pk").values_list("name", "title", "phone"))
    first_log = list(Activity.objects.order_by("pk").values_list("kind", "subject"))
    wipe_customers()
    generate(accounts=10, activities=50, seed=11)
    assert list(Account.objects.order_by("pk").values_list("name", "region", "status")) == first
    people = list(Contact.objects.order_by("pk").values_list("name", "title", "phone"))
    assert people == first_people
    assert list(Activity.objects.order_by("pk").values_list("kind", "subject")) == first_log
    wipe_customers()
    generate(accounts=10, activities=50, seed=12)
    other = list(Account.objects.order_by("pk").values_list("name", flat=True))
    assert other != [name for name, _region, _status in first]


def test_load_demo_loads_once(db):
    out = io.StringIO()
    call_command("load_demo", accounts=12, activities=200, stdout=out)
    text = out.getvalue()
    assert "loaded" in text and data.PASSWORD in text
    for login in ("admin", "director", "manager", "manager2", "rep1", "rep2", "rep3"):
        assert re.search(rf"^\s+{login}\s", text, re.M), login
    before = table_counts()
    assert before["accounts"] == 12 and before["activities"] == 200
    # Someone's own work in between must survive a second run.
    mine = Account.objects.create(name="自建客户有限公司", owner=User.objects.get(username="rep1"))
    out = io.StringIO()
    call_command("load_demo", accounts=12, activities=200, stdout=out)
    assert "already loaded" in out.getvalue()
    assert data.PASSWORD in out.getvalue()
    after = table_counts()
    assert after == {**before, "accounts": before["accounts"] + 1}
    assert Account.objects.filter(pk=mine.pk).exists()


def test_generate_command_refuses_a_non_empty_database(db):
    out = io.StringIO()
    call_command("generate", accounts=5, activities=30, reps=4, stdout=out)
    assert "rows/s" in out.getvalue()
    assert Account.objects.count() == 5
    assert User.objects.filter(role=Role.REP).count() == 4
    with pytest.raises(CommandError, match="not empty"):
        call_command("generate", accounts=5, stdout=io.StringIO())
    assert Account.objects.count() == 5
    call_command("generate", accounts=5, activities=30, force=True, stdout=io.StringIO())
    assert Account.objects.count() == 10
    keys = list(Account.objects.values_list("name_key", flat=True))
    assert len(set(keys)) == len(keys)


def test_default_scale(db):
    counts = generate()
    assert counts["accounts"] == Account.objects.count() == 150
    assert 1275 <= counts["contacts"] == Contact.objects.count() <= 1725
    assert counts["activities"] == Activity.objects.count() == 4000
    keys = list(Account.objects.values_list("name_key", flat=True))
    assert len(set(keys)) == len(keys)


def test_rows_added_afterwards_get_fresh_ids(small):
    """Ids were assigned by the generator: the database must carry on after them."""
    rep = User.objects.get(username="rep1")
    account = Account.objects.filter(owner=rep).first()
    contact = Contact.objects.create(account=account, name="新联系人")
    activity = Activity.objects.create(kind="call", subject="新活动", account=account, owner=rep)
    activity.participants.add(contact)
    AccountMember.objects.create(
        account=account, user=User.objects.get(username="rep2"), role=TeamRole.SOLUTION_MANAGER
    )
    assert contact.pk > Contact.all_objects.exclude(pk=contact.pk).order_by("-pk").first().pk
    assert activity.history.count() >= 1


def test_history_can_be_skipped(db):
    counts = generate(accounts=3, activities=10, history=False)
    assert counts["history_rows"] == 0
    assert Contact.history.count() == 0 and Activity.history.count() == 0
    assert Contact.objects.count() == counts["contacts"] > 0


@pytest.mark.django_db
def test_relationship_levels_follow_the_loaded_statuses():
    from winroom.accounts.models import Contact
    from winroom.demo.generator import generate

    generate(accounts=6, activities=60, seed=7)
    negative = Contact.objects.filter(relationship_status__in=["negative", "strong_negative"])
    assert negative.exists()
    assert set(negative.values_list("relationship_level", flat=True)) == {"opponent"}
