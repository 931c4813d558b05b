"""A leaving rep's hand-over, METHODOLOGY §1.6: "Relationships belong to the company: when a
rep leaves, a manager transfers all their accounts, deals and open actions in one step, with
history kept."

:func:`transfer_and_deactivate` plans with the core's :func:`plan_transfer`, and (unless
previewing) moves every record in one transaction through history-recording saves, hands
over the leaving user's team memberships, then deactivates the user: inactive, unusable
password (every open session fails Django's session hash check) and no API token.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from winroom.accounts.models import Account, AccountMember, TeamRole
from winroom.deals.models import Action, ActionStatus, Deal, DealEvent, DealMember
from winroom.leads.models import Lead
from winroom.methodology.transfer import TransferItem, TransferKind, TransferPlan, plan_transfer
from winroom.methodology.visibility import may_assign_to
from winroom.plans.models import PlanAction, PlanActionStatus
from winroom.visits.models import Visit, VisitStatus

from .access import viewer_for
from .models import User

LEAD = "lead"
ACCOUNT_TEAM = "account_team"
DEAL_TEAM = "deal_team"
PLAN_ACTION = "plan_action"  # open account-plan actions go to the actions' successor
PLANNED_VISIT = "planned_visit"  # planned visits go to the accounts' successor; recorded stay

#: the kinds a successor can be named for, in the order the pages show them
SUCCESSOR_KINDS = (TransferKind.ACCOUNT, TransferKind.DEAL, TransferKind.ACTION, LEAD)
#: a team membership goes to the successor of its record's kind
TEAM_KIND_OF = {ACCOUNT_TEAM: TransferKind.ACCOUNT, DEAL_TEAM: TransferKind.DEAL}

KIND_LABELS = {
    TransferKind.ACCOUNT: _("Accounts"),
    TransferKind.DEAL: _("Opportunities"),
    TransferKind.ACTION: _("Open actions"),
    LEAD: _("Leads"),
    ACCOUNT_TEAM: _("Account team places"),
    DEAL_TEAM: _("Deal team places"),
    PLAN_ACTION: _("Open account plan actions"),
    PLANNED_VISIT: _("Planned visits"),
}
ALL_KINDS = (*SUCCESSOR_KINDS, ACCOUNT_TEAM, DEAL_TEAM, PLAN_ACTION, PLANNED_VISIT)


@dataclass
class TransferResult:
    """The plan, and per kind the records that move (the preview and the summary)."""

    plan: TransferPlan
    records: dict[str, list] = field(default_factory=dict)
    new_owner: dict[str, User] = field(default_factory=dict)
    done: bool = False

    @property
    def counts(self) -> dict[str, int]:
        return {kind: len(self.records.get(kind, ())) for kind in ALL_KINDS}

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def rows(self):
        """(kind, label, new owner, records) for every kind, in display order."""
        return [
            (kind, KIND_LABELS[kind], self.new_owner.get(kind), self.records.get(kind, []))
            for kind in ALL_KINDS
        ]


def may_transfer(by, leaving) -> bool:
    """Only the leaving user's managers or an administrator (never the user themselves)."""
    if by is None or leaving is None or by.pk == leaving.pk:
        return False
    viewer = viewer_for(by)
    if not viewer.is_active:
        return False
    return viewer.is_admin or leaving.pk in viewer.managed_user_ids


def _collect(leaving, *, lock: bool) -> dict[str, list]:
    """Everything the leaving user holds, deleted records included (nothing stays theirs)."""

    def rows(queryset):
        queryset = queryset.order_by("pk")
        return list(queryset.select_for_update() if lock else queryset)

    return {
        TransferKind.ACCOUNT: rows(Account.all_objects.filter(owner=leaving)),
        TransferKind.DEAL: rows(Deal.all_objects.filter(owner=leaving)),
        TransferKind.ACTION: rows(
            Action.all_objects.filter(owner=leaving, status=ActionStatus.OPEN)
        ),
        LEAD: rows(Lead.all_objects.filter(owner=leaving)),
        ACCOUNT_TEAM: rows(AccountMember.objects.filter(user=leaving).select_related("account")),
        DEAL_TEAM: rows(DealMember.objects.filter(user=leaving).select_related("deal")),
        PLAN_ACTION: rows(
            PlanAction.all_objects.filter(owner=leaving, status=PlanActionStatus.OPEN)
        ),
        PLANNED_VISIT: rows(Visit.all_objects.filter(owner=leaving, status=VisitStatus.PLANNED)),
    }


def _check_successors(*, by, leaving, successors: dict, default_successor) -> dict[str, User]:
    viewer = viewer_for(by)
    chosen: dict[str, User] = {}
    for kind in SUCCESSOR_KINDS:
        user = successors.get(kind) or default_successor
        if user is None:
            raise ValidationError(
                {"default_successor": _("Name who takes over the records of this person.")}
            )
        if user.pk == leaving.pk:
            raise ValidationError(
                {"default_successor": _("The leaving person cannot take over their own records.")}
            )
        if not user.is_active or not may_assign_to(viewer, user.pk):
            raise ValidationError(
                {"default_successor": _("You cannot assign records to %(name)s.") % {"name": user}}
            )
        chosen[kind] = user
    for kind, team_of in TEAM_KIND_OF.items():
        chosen[kind] = chosen[team_of]
    chosen[PLAN_ACTION] = chosen[TransferKind.ACTION]
    chosen[PLANNED_VISIT] = chosen[TransferKind.ACCOUNT]
    return chosen


def transfer_and_deactivate(
    *, by, leaving, successors: dict | None = None, default_successor=None, preview: bool = False
) -> TransferResult:
    """Hand over all of ``leaving``'s records and deactivate them (see the module docstring).

    ``successors`` names a new owner per kind (account, deal, action, lead); the others go
    to ``default_successor``. With ``preview`` nothing is written.
    """
    if not may_transfer(by, leaving):
        raise PermissionDenied
    chosen = _check_successors(
        by=by,
        leaving=leaving,
        successors=dict(successors or {}),
        default_successor=default_successor,
    )
    if preview:
        return _plan(leaving, chosen, _collect(leaving, lock=False))
    with transaction.atomic():
        leaving = User.objects.select_for_update().get(pk=leaving.pk)
        result = _plan(leaving, chosen, _collect(leaving, lock=True))
        _apply(result, by=by, leaving=leaving)
        leaving.is_active = False
        leaving.set_unusable_password()  # every session of theirs fails the auth hash check
        leaving.save(update_fields=["is_active", "password"])
        Token.objects.filter(user=leaving).delete()
    result.done = True
    return result


def _plan(leaving, chosen: dict[str, User], records: dict[str, list]) -> TransferResult:
    items = [
        TransferItem(kind, record.pk, leaving.pk) for kind in ALL_KINDS for record in records[kind]
    ]
    plan = plan_transfer(
        items,
        leaving_user_id=leaving.pk,
        successors={kind: user.pk for kind, user in chosen.items()},
    )
    if not plan.complete:  # every kind has a successor, so this cannot happen
        raise ValidationError(_("Some records have no one to take them over."))
    return TransferResult(plan=plan, records=records, new_owner=chosen)


def _reason(leaving, successor) -> str:
    return gettext("transferred from %(old)s to %(new)s when %(old)s left") % {
        "old": leaving,
        "new": successor,
    }


def _save_owner(record, *, by, leaving, successor, extra: dict | None = None):
    record.owner = successor
    for name, value in (extra or {}).items():
        setattr(record, name, value)
    record.version += 1
    record._history_user = by
    record._change_reason = _reason(leaving, successor)
    record.save()


def _apply(result: TransferResult, *, by, leaving) -> None:
    records = {kind: {r.pk: r for r in rows} for kind, rows in result.records.items()}
    users = {user.pk: user for user in result.new_owner.values()}
    now = timezone.now()
    for move in result.plan.moves:
        record = records[move.kind][move.record_id]
        successor = users[move.new_owner]
        if move.kind == TransferKind.ACCOUNT:
            _save_owner(record, by=by, leaving=leaving, successor=successor)
            _hand_over_member(
                AccountMember,
                "account",
                record,
                leaving=leaving,
                successor=successor,
                by=by,
                owner_role=True,
            )
        elif move.kind == TransferKind.DEAL:
            _save_owner(record, by=by, leaving=leaving, successor=successor)
            DealEvent.objects.create(
                deal=record,
                by=by,
                kind=DealEvent.Kind.OWNER,
                old=str(leaving)[:200],
                new=str(successor)[:200],
                detail=_reason(leaving, successor)[:300],
            )
            _hand_over_member(
                DealMember,
                "deal",
                record,
                leaving=leaving,
                successor=successor,
                by=by,
                owner_role=True,
            )
        elif move.kind in (TransferKind.ACTION, PLAN_ACTION, PLANNED_VISIT):
            _save_owner(record, by=by, leaving=leaving, successor=successor)
        elif move.kind == LEAD:
            _save_owner(
                record, by=by, leaving=leaving, successor=successor, extra={"assigned_at": now}
            )
        elif move.kind == ACCOUNT_TEAM:
            _hand_over_member(
                AccountMember,
                "account",
                record.account,
                leaving=leaving,
                successor=successor,
                by=by,
            )
        elif move.kind == DEAL_TEAM:
            _hand_over_member(
                DealMember, "deal", record.deal, leaving=leaving, successor=successor, by=by
            )


def _hand_over_member(
    model, parent: str, record, *, leaving, successor, by, owner_role: bool = False
) -> None:
    """The successor takes the leaving user's place on the team, in the same role (the
    account manager's role when they now own the record); no one is on a team twice."""
    mine = model.objects.filter(**{parent: record, "user": leaving}).first()
    theirs = model.objects.filter(**{parent: record, "user": successor}).first()
    if owner_role:
        role = TeamRole.ACCOUNT_MANAGER
    elif mine is not None:
        role = mine.role
    else:
        return
    reason = _reason(leaving, successor)
    if mine is not None:
        mine._history_user = by
        mine._change_reason = reason
        mine.delete()
    if theirs is None:
        theirs = model(**{parent: record, "user": successor, "role": role})
    elif owner_role and theirs.role != role:
        theirs.role = role
    else:
        return
    theirs._history_user = by
    theirs._change_reason = reason
    theirs.save()
