"""A leaving rep's hand-over (METHODOLOGY §1.6): everything moves in one step, history kept,
and the rep can no longer sign in, keep a session or use the API."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from winroom.accounts.models import Account, AccountMember, TeamRole
from winroom.deals import actions as deal_actions
from winroom.deals.models import Action, ActionStatus, Deal, DealEvent, DealMember
from winroom.leads.models import Lead, LeadChannel
from winroom.org.actions import LEAD, TransferKind, transfer_and_deactivate
from winroom.testing.factories import AccountFactory


@pytest.fixture
def holdings(company):
    """The East rep (``owner``) holds two accounts, two deals, open actions, a lead and team
    places on the teammate's account and deal."""
    rep, teammate = company.owner, company.teammate
    second = AccountFactory(name="杭州地铁集团有限公司", owner=rep)
    deal = deal_actions.create_deal(
        by=rep, data={"account": company.account, "name": "线网指挥中心项目", "amount": "3200000"}
    )
    other_deal = deal_actions.create_deal(
        by=rep, data={"account": second, "name": "票务系统改造", "amount": "800000"}
    )
    due = datetime.date.today() + datetime.timedelta(days=7)
    open_action = deal_actions.add_action(deal, by=rep, title="拜访王主任", owner=rep, due_on=due)
    deal_actions.add_action(other_deal, by=rep, title="准备方案", owner=rep, due_on=due)
    lead = Lead.objects.create(
        company_name="杭州新客户科技有限公司",
        owner=rep,
        channel=LeadChannel.objects.first(),
    )
    theirs = AccountFactory(name="南京地铁集团有限公司", owner=teammate)
    AccountMember.objects.create(account=theirs, user=rep, role=TeamRole.DELIVERY_MANAGER)
    their_deal = deal_actions.create_deal(
        by=teammate, data={"account": theirs, "name": "南京项目", "amount": "500000"}
    )
    DealMember.objects.create(deal=their_deal, user=rep, role=TeamRole.SOLUTION_MANAGER)
    return {
        "accounts": [company.account, second],
        "deals": [deal, other_deal],
        "action": open_action,
        "lead": lead,
        "their_account": theirs,
        "their_deal": their_deal,
    }


def _owned(user):
    return {
        "accounts": Account.all_objects.filter(owner=user).count(),
        "deals": Deal.all_objects.filter(owner=user).count(),
        "actions": Action.all_objects.filter(owner=user).count(),
        "leads": Lead.all_objects.filter(owner=user).count(),
        "account places": AccountMember.objects.filter(user=user).count(),
        "deal places": DealMember.objects.filter(user=user).count(),
    }


NOTHING = dict.fromkeys(
    ["accounts", "deals", "actions", "leads", "account places", "deal places"], 0
)


def test_a_manager_transfers_everything_with_history(company, holdings):
    rep, teammate, manager = company.owner, company.teammate, company.manager
    result = transfer_and_deactivate(
        by=manager, leaving=rep, successors={}, default_successor=teammate, preview=False
    )
    assert result.done
    assert _owned(rep) == NOTHING
    for account in holdings["accounts"]:
        account.refresh_from_db()
        assert account.owner == teammate
        latest = account.history.latest()
        assert latest.history_user == manager
        assert str(rep) in latest.history_change_reason
        assert latest.prev_record.owner == rep  # who had it before
        assert AccountMember.objects.get(account=account, user=teammate).role == (
            TeamRole.ACCOUNT_MANAGER
        )
    for deal in holdings["deals"]:
        deal.refresh_from_db()
        assert deal.owner == teammate
        assert deal.history.latest().history_user == manager
        assert deal.history.latest().prev_record.owner == rep
        assert DealEvent.objects.filter(deal=deal, kind=DealEvent.Kind.OWNER, by=manager).exists()
        assert DealMember.objects.get(deal=deal, user=teammate).role == TeamRole.ACCOUNT_MANAGER
    assert Action.objects.get(pk=holdings["action"].pk).owner == teammate
    lead = Lead.objects.get(pk=holdings["lead"].pk)
    assert lead.owner == teammate
    assert lead.history.latest().history_user == manager
    # the West member keeps their place on the account team
    assert AccountMember.objects.filter(
        account=company.account, user=company.member, role=TeamRole.SOLUTION_MANAGER
    ).exists()
    # team places on others' records: replaced in the same role, no one twice
    assert (
        AccountMember.objects.get(account=holdings["their_account"], user=teammate).role
        == TeamRole.ACCOUNT_MANAGER
    )  # the owner keeps their role: no duplicate
    assert AccountMember.objects.filter(account=holdings["their_account"]).count() == 1
    assert DealMember.objects.filter(deal=holdings["their_deal"], user=teammate).count() == 1
    rep.refresh_from_db()
    assert not rep.is_active
    assert not rep.has_usable_password()


def test_team_places_go_to_the_successor_in_the_same_role(company, holdings):
    transfer_and_deactivate(
        by=company.manager,
        leaving=company.owner,
        successors={TransferKind.ACCOUNT: company.manager},
        default_successor=company.teammate,
    )
    assert (
        AccountMember.objects.get(account=holdings["their_account"], user=company.manager).role
        == TeamRole.DELIVERY_MANAGER
    )
    assert Account.objects.get(pk=company.account.pk).owner == company.manager
    assert Deal.objects.get(pk=holdings["deals"][0].pk).owner == company.teammate
    assert _owned(company.owner) == NOTHING


def test_the_rep_is_locked_out_everywhere(company, holdings, client, password):
    rep = company.owner
    assert client.login(username=rep.username, password=password)
    assert client.get(reverse("accounts:list")).status_code == 200
    token = Token.objects.create(user=rep)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/accounts/").status_code == 200

    transfer_and_deactivate(by=company.manager, leaving=rep, default_successor=company.teammate)

    response = client.get(reverse("accounts:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not client.login(username=rep.username, password=password)
    assert api.get("/api/v1/accounts/").status_code == 401
    assert not Token.objects.filter(user=rep).exists()


def test_preview_writes_nothing(company, holdings):
    before = _owned(company.owner)
    history = company.account.history.count()
    result = transfer_and_deactivate(
        by=company.manager,
        leaving=company.owner,
        successors={LEAD: company.manager},
        default_successor=company.teammate,
        preview=True,
    )
    assert not result.done
    assert result.counts[TransferKind.ACCOUNT] == 2
    assert result.counts[TransferKind.DEAL] == 2
    assert result.counts[TransferKind.ACTION] == 2
    assert result.counts[LEAD] == 1
    assert result.new_owner[LEAD] == company.manager
    assert _owned(company.owner) == before
    assert company.account.history.count() == history
    company.owner.refresh_from_db()
    assert company.owner.is_active and company.owner.has_usable_password()


def test_done_actions_keep_who_did_them(company, holdings):
    action = holdings["action"]
    deal_actions.complete_action(action, by=company.owner)
    transfer_and_deactivate(
        by=company.manager, leaving=company.owner, default_successor=company.teammate
    )
    action = Action.objects.get(pk=action.pk)
    assert action.status == ActionStatus.DONE
    assert action.owner == company.owner
    assert not Action.objects.filter(owner=company.owner, status=ActionStatus.OPEN).exists()


@pytest.mark.parametrize("who", ["teammate", "other_manager", "owner", "outsider"])
def test_only_managers_and_admins_may_transfer(company, holdings, who):
    with pytest.raises(PermissionDenied):
        transfer_and_deactivate(
            by=getattr(company, who), leaving=company.owner, default_successor=company.teammate
        )
    assert company.account.history.count() >= 1
    assert Account.objects.get(pk=company.account.pk).owner == company.owner


def test_an_administrator_and_the_director_may_transfer(company, holdings):
    transfer_and_deactivate(
        by=company.director, leaving=company.owner, default_successor=company.teammate
    )
    assert _owned(company.owner) == NOTHING
    transfer_and_deactivate(
        by=company.admin, leaving=company.teammate, default_successor=company.outsider
    )
    assert _owned(company.teammate) == NOTHING


def test_successors_must_be_assignable_and_active(company, holdings):
    for successor in (company.outsider, company.deactivated, company.owner):
        with pytest.raises(ValidationError):
            transfer_and_deactivate(
                by=company.manager, leaving=company.owner, default_successor=successor
            )
    with pytest.raises(ValidationError):
        transfer_and_deactivate(
            by=company.manager,
            leaving=company.owner,
            successors={TransferKind.DEAL: company.outsider},
            default_successor=company.teammate,
        )
    assert Account.objects.get(pk=company.account.pk).owner == company.owner
    company.owner.refresh_from_db()
    assert company.owner.is_active


# ---- pages ----------------------------------------------------------------------------


def test_people_page_shows_whom_a_manager_manages(company, holdings, login):
    response = login(company.manager).get(reverse("people:list"))
    assert response.status_code == 200
    people = list(response.context["people"])
    assert company.owner in people and company.teammate in people
    assert company.outsider not in people
    row = next(p for p in people if p == company.owner)
    assert (row.n_accounts, row.n_deals, row.n_actions, row.n_leads) == (2, 2, 2, 1)


def test_admin_sees_everyone(company, login):
    people = list(login(company.admin).get(reverse("people:list")).context["people"])
    assert company.outsider in people and company.owner in people


def test_reps_get_404(company, login):
    client = login(company.teammate)
    assert client.get(reverse("people:list")).status_code == 404
    assert client.get(reverse("people:transfer", args=[company.owner.pk])).status_code == 404


def test_other_team_manager_gets_404_and_cannot_post(company, holdings, login):
    client = login(company.other_manager)
    url = reverse("people:transfer", args=[company.owner.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"default_successor": company.outsider.pk, "confirm": "1"})
    assert response.status_code == 404
    company.owner.refresh_from_db()
    assert company.owner.is_active


def test_transfer_page_previews_then_transfers(company, holdings, login):
    client = login(company.manager)
    url = reverse("people:transfer", args=[company.owner.pk])
    response = client.get(url)
    assert response.status_code == 200
    choices = {u.pk for u in response.context["form"].fields["default_successor"].queryset}
    assert company.teammate.pk in choices and company.manager.pk in choices
    assert company.outsider.pk not in choices and company.owner.pk not in choices
    assert response.context["result"].counts[TransferKind.ACCOUNT] == 2
    assert "上海申通地铁集团有限公司" in response.content.decode()

    response = client.post(url, {"default_successor": company.teammate.pk, "preview": "1"})
    assert response.status_code == 200
    assert response.context["result"].new_owner[TransferKind.DEAL] == company.teammate
    assert _owned(company.owner)["accounts"] == 2

    response = client.post(
        url,
        {
            "default_successor": company.teammate.pk,
            "lead": company.manager.pk,
            "confirm": "1",
        },
    )
    assert response.status_code == 200
    assert response.context["result"].done
    assert _owned(company.owner) == NOTHING
    assert Lead.objects.get(pk=holdings["lead"].pk).owner == company.manager
    company.owner.refresh_from_db()
    assert not company.owner.is_active


def test_page_refuses_a_successor_outside_the_managers_teams(company, holdings, login):
    client = login(company.manager)
    url = reverse("people:transfer", args=[company.owner.pk])
    response = client.post(url, {"default_successor": company.outsider.pk, "confirm": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors
    company.owner.refresh_from_db()
    assert company.owner.is_active
    assert _owned(company.owner)["accounts"] == 2


def test_planned_visits_move_and_recorded_ones_keep_their_rep(company, holdings):
    from django.utils import timezone

    from winroom.org.actions import PLANNED_VISIT
    from winroom.visits.models import Visit, VisitStatus

    rep, manager, teammate = company.owner, company.manager, company.teammate
    soon = timezone.now() + datetime.timedelta(days=2)
    planned = [
        Visit.objects.create(owner=rep, account=account, planned_at=soon, objective="了解需求")
        for account in holdings["accounts"]
    ]
    past = timezone.now() - datetime.timedelta(days=3)
    done = Visit.objects.create(
        owner=rep,
        account=company.account,
        planned_at=past,
        status=VisitStatus.DONE,
        visited_on=past.date(),
        recorded_at=past,
        commitment="won",
        objective="确认预算",
    )
    preview = transfer_and_deactivate(
        by=manager,
        leaving=rep,
        successors={TransferKind.ACCOUNT: manager},
        default_successor=teammate,
        preview=True,
    )
    assert preview.counts[PLANNED_VISIT] == 2
    assert preview.new_owner[PLANNED_VISIT] == manager  # with the accounts
    assert Visit.objects.filter(owner=rep).count() == 3
    transfer_and_deactivate(
        by=manager,
        leaving=rep,
        successors={TransferKind.ACCOUNT: manager},
        default_successor=teammate,
    )
    assert not Visit.all_objects.filter(owner=rep, status=VisitStatus.PLANNED).exists()
    for visit in planned:
        visit.refresh_from_db()
        assert visit.owner == manager
        latest = visit.history.latest()
        assert latest.history_user == manager and latest.prev_record.owner == rep
        assert str(rep) in latest.history_change_reason
    done.refresh_from_db()
    assert done.owner == rep  # history: who made the visit


def test_open_account_plan_actions_go_to_the_actions_successor(company, holdings):
    from winroom.org.actions import PLAN_ACTION
    from winroom.plans import actions as plan_actions

    rep, manager = company.owner, company.manager
    plan = plan_actions.create_plan(company.account, by=rep, year=2026)
    due = datetime.date.today() + datetime.timedelta(days=7)
    open_one = plan_actions.add_action(plan, by=rep, title="年度规划会", owner=rep, due_on=due)
    done_one = plan_actions.add_action(plan, by=rep, title="已完成", owner=rep, due_on=due)
    plan_actions.set_action_status(done_one, by=rep, status="done")
    preview = transfer_and_deactivate(
        by=manager,
        leaving=rep,
        successors={TransferKind.ACTION: manager},
        default_successor=company.teammate,
        preview=True,
    )
    assert preview.counts[PLAN_ACTION] == 1
    transfer_and_deactivate(
        by=manager,
        leaving=rep,
        successors={TransferKind.ACTION: manager},
        default_successor=company.teammate,
    )
    open_one.refresh_from_db()
    done_one.refresh_from_db()
    assert open_one.owner == manager  # with the deal actions' successor
    assert done_one.owner == rep  # a done action keeps who did it
    assert "transferred" in (open_one.history.first().history_change_reason or "") or (
        open_one.history.first().history_user == manager
    )
