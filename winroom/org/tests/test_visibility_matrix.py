"""Every page of accounts, contacts and activities × every kind of person → allowed or 404.

The expected truth comes from the methodology core's rule, so the pages and the rule can
never drift apart silently.
"""

import pytest
from django.urls import reverse

from winroom.accounts.models import Account, AccountMember, Contact
from winroom.activities.models import Activity
from winroom.methodology.visibility import RecordAccess, may_read
from winroom.org.access import forget_viewer, viewer_for
from winroom.testing.factories import AccountFactory, ActivityFactory, ContactFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "owner",
    "teammate",
    "member",
    "outsider",
    "manager",
    "other_manager",
    "director",
    "admin",
    "deactivated",
    "anonymous",
]
READERS = {"owner", "member", "manager", "director", "admin"}


def expected_read(role):
    return role in READERS


@pytest.fixture
def world(company):
    """The company's account with a second contact and an activity, plus a deleted set."""
    account, contact = company.account, company.contact
    other = ContactFactory(account=account, name="李副主任", reports_to=contact)
    activity = ActivityFactory(account=account, owner=company.owner, participants=[contact])
    binned = AccountFactory(name="已删除的客户", owner=company.owner)
    AccountMember.objects.create(account=binned, user=company.member, role="delivery_manager")
    binned_contact = ContactFactory(account=account, name="已删除的联系人")
    binned_activity = ActivityFactory(account=account, owner=company.owner)
    for record in (binned, binned_contact, binned_activity):
        type(record).all_objects.filter(pk=record.pk).update(deleted_at="2026-01-01T00:00Z")
    return {
        "account": account,
        "contact": contact,
        "other": other,
        "activity": activity,
        "binned": binned,
        "binned_contact": binned_contact,
        "binned_activity": binned_activity,
    }


def _client_for(role, company, client):
    if role != "anonymous":
        client.force_login(getattr(company, role))
    return client


def _reads(w):
    a, c, act = w["account"], w["contact"], w["activity"]
    return [
        ("accounts:detail", [a.pk]),
        ("accounts:edit", [a.pk]),
        ("accounts:delete", [a.pk]),
        ("accounts:history", [a.pk]),
        ("accounts:org_chart", [a.pk]),
        ("accounts:contact_create", [a.pk]),
        ("contacts:detail", [c.pk]),
        ("contacts:edit", [c.pk]),
        ("contacts:delete", [c.pk]),
        ("contacts:history", [c.pk]),
        ("activities:detail", [act.pk]),
        ("activities:edit", [act.pk]),
        ("activities:delete", [act.pk]),
        ("activities:history", [act.pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_detail_pages(role, company, world, client):
    client = _client_for(role, company, client)
    for name, args in _reads(world):
        response = client.get(reverse(name, args=args))
        if role in ("anonymous", "deactivated"):
            assert response.status_code == 302 and "/login/" in response["Location"], name
        elif expected_read(role):
            assert response.status_code == 200, (role, name)
        else:
            assert response.status_code == 404, (role, name)


def _writes(w, company):
    a, c, other, act = w["account"], w["contact"], w["other"], w["activity"]
    member_row = a.members.get(user=company.member)
    return [
        (
            "accounts:edit",
            [a.pk],
            {
                "name": "改名",
                "industry": "other",
                "status": "active",
                "owner": a.owner_id,
                "version": a.version,
            },
            lambda: Account.all_objects.get(pk=a.pk).name == "改名",
        ),
        (
            "accounts:set_reports_to",
            [a.pk],
            {"contact": other.pk, "reports_to": ""},
            lambda: Contact.objects.get(pk=other.pk).reports_to_id is None,
        ),
        (
            "accounts:member_add",
            [a.pk],
            {"user": company.outsider.pk, "role": "delivery_manager"},
            lambda: a.members.filter(user=company.outsider).exists(),
        ),
        (
            "accounts:member_remove",
            [a.pk, member_row.pk],
            {},
            lambda: not a.members.filter(pk=member_row.pk).exists(),
        ),
        (
            "accounts:contact_create",
            [a.pk],
            {"name": "新人", "relationship_status": "neutral"},
            lambda: Contact.objects.filter(name="新人").exists(),
        ),
        (
            "contacts:edit",
            [c.pk],
            {"name": "改名人", "relationship_status": "neutral", "version": c.version},
            lambda: Contact.objects.get(pk=c.pk).name == "改名人",
        ),
        (
            "activities:edit",
            [act.pk],
            {
                "account": a.pk,
                "kind": "call",
                "occurred_at": "2026-11-01T10:00",
                "subject": "改",
                "version": act.version,
            },
            lambda: Activity.objects.get(pk=act.pk).subject == "改",
        ),
        (
            "activities:create",
            [],
            {
                "account": a.pk,
                "kind": "call",
                "occurred_at": "2026-11-01T10:00",
                "subject": "新活动",
            },
            lambda: Activity.objects.filter(subject="新活动").exists(),
        ),
        (
            "contacts:delete",
            [c.pk],
            {},
            lambda: Contact.all_objects.get(pk=c.pk).deleted_at is not None,
        ),
        (
            "activities:delete",
            [act.pk],
            {},
            lambda: Activity.all_objects.get(pk=act.pk).deleted_at is not None,
        ),
        (
            "contacts:restore",
            [w["binned_contact"].pk],
            {},
            lambda: Contact.all_objects.get(pk=w["binned_contact"].pk).deleted_at is None,
        ),
        (
            "activities:restore",
            [w["binned_activity"].pk],
            {},
            lambda: Activity.all_objects.get(pk=w["binned_activity"].pk).deleted_at is None,
        ),
        (
            "accounts:restore",
            [w["binned"].pk],
            {},
            lambda: Account.all_objects.get(pk=w["binned"].pk).deleted_at is None,
        ),
        (
            "accounts:delete",
            [a.pk],
            {},
            lambda: Account.all_objects.get(pk=a.pk).deleted_at is not None,
        ),
    ]


WRITE_NAMES = [
    "accounts:edit",
    "accounts:set_reports_to",
    "accounts:member_add",
    "accounts:member_remove",
    "accounts:contact_create",
    "contacts:edit",
    "activities:edit",
    "activities:create",
    "contacts:delete",
    "activities:delete",
    "contacts:restore",
    "activities:restore",
    "accounts:restore",
    "accounts:delete",
]


@pytest.mark.parametrize("write", WRITE_NAMES)
@pytest.mark.parametrize("role", ROLES)
def test_writes(role, write, company, world, client):
    """Each write on fresh state; refused writes are 404 and change nothing."""
    client = _client_for(role, company, client)
    writes = _writes(world, company)
    assert [w[0] for w in writes] == WRITE_NAMES
    for name, args, data, happened in writes:
        if name != write:
            continue
        response = client.post(reverse(name, args=args), data)
        if role in ("anonymous", "deactivated"):
            assert response.status_code == 302 and "/login/" in response["Location"], name
            assert not happened(), name
        elif expected_read(role):
            assert response.status_code in (200, 302), (role, name)
            assert happened(), (
                role,
                name,
                getattr(response, "context", None)
                and response.context.get("form")
                and response.context["form"].errors,
            )
        else:
            if name == "activities:create":
                # the account is simply not among the choices: a field error, no leak
                assert response.status_code == 200
                assert "account" in response.context["form"].errors
            else:
                assert response.status_code == 404, (role, name)
            assert not happened(), (role, name)


LISTS = [
    ("accounts:list", "page", "account"),
    ("contacts:list", "page", "contact"),
    ("activities:list", "page", "activity"),
]


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("anonymous", "deactivated")])
def test_lists_counts_and_search_hide_forbidden_records(role, company, world, client):
    client = _client_for(role, company, client)
    for name, key, record in LISTS:
        for query in ("", "?q=申通", "?q=王建国", "?q=拜访", "?sort=-name"):
            response = client.get(reverse(name) + query)
            assert response.status_code == 200
            ids = {obj.pk for obj in response.context[key]}
            count = response.context[key].paginator.count
            if expected_read(role):
                if not query or query == "?sort=-name":
                    assert world[record].pk in ids, (role, name, query)
            else:
                assert world[record].pk not in ids, (role, name, query)
                assert count == len(ids)
            assert world["binned"].pk not in ids or record != "account"
    trash = client.get(reverse("trash")).context
    visible_bin = {a.pk for a in trash["accounts"]}
    assert (world["binned"].pk in visible_bin) == expected_read(role)


def test_deactivated_user_cannot_log_in(company, client, password):
    response = client.post(
        reverse("login"), {"username": company.deactivated.username, "password": password}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_rep_cannot_assign_an_account_to_another_team(company, client):
    client.force_login(company.owner)
    response = client.post(
        reverse("accounts:create"),
        {"name": "新客户", "industry": "other", "status": "target", "owner": company.outsider.pk},
    )
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert not Account.objects.filter(name="新客户").exists()


def test_team_member_may_edit_but_not_reassign(company, client, world):
    client.force_login(company.member)
    account = world["account"]
    response = client.post(
        reverse("accounts:edit", args=[account.pk]),
        {
            "name": account.name,
            "industry": "other",
            "status": "active",
            "owner": company.member.pk,
            "version": account.version,
        },
    )
    account.refresh_from_db()
    assert account.owner == company.owner  # the disabled field ignores the tampered value
    assert response.status_code == 302


def test_manager_reassigns_within_the_team_and_old_owner_loses_access(company, client, world):
    client.force_login(company.manager)
    account = world["account"]
    response = client.post(
        reverse("accounts:edit", args=[account.pk]),
        {
            "name": account.name,
            "industry": "other",
            "status": "active",
            "owner": company.teammate.pk,
            "version": account.version,
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.owner == company.teammate
    for user in (company.owner, company.teammate):
        forget_viewer(user)
    assert not Account.objects.visible_to(company.owner).filter(pk=account.pk).exists()
    assert Account.objects.visible_to(company.teammate).filter(pk=account.pk).exists()


def test_querysets_agree_with_the_core_rule(company, world):
    """For every person × account, SQL visibility equals the pure rule."""
    AccountFactory(owner=company.teammate)
    AccountFactory(owner=company.outsider)
    AccountFactory(owner=company.manager)
    AccountFactory(owner=None)
    people = [getattr(company, role) for role in ROLES if role != "anonymous"]
    accounts = list(Account.objects.prefetch_related("members"))
    for person in people:
        forget_viewer(person)
        visible = set(Account.objects.visible_to(person).values_list("pk", flat=True))
        viewer = viewer_for(person)
        for account in accounts:
            record = RecordAccess(
                owner_id=account.owner_id,
                member_ids=frozenset(m.user_id for m in account.members.all()),
            )
            assert (account.pk in visible) == may_read(viewer, record), (person, account)
