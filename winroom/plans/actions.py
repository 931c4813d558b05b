"""Writes to account plans, canvases and customer links: one named function each, one
transaction each. A caller who may not write the account gets PermissionDenied (the views
turn it into 404); bad input is a ValidationError with a translated message."""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from winroom.accounts.models import Account, Contact
from winroom.methodology import canvas as core
from winroom.org.access import assignable_users, can_write
from winroom.records import save_edit, soft_delete

from .models import (
    AccountPlan,
    BusinessUnit,
    CustomerLink,
    FitCanvas,
    Initiative,
    PlanAction,
    PlanActionStatus,
    RelationshipGoal,
    WhitespaceCell,
)

#: fields of the plan a person edits as text sections
PLAN_FIELDS = ("status", "strategy", "environment", "quick_win", "year_outcome")
DEFAULT_LINK_DAYS = 14
MAX_LINK_DAYS = 90


def _account_of(record) -> Account:
    if isinstance(record, Account):
        return record
    return Account.objects.prefetch_related("members").get(pk=record.account_id)


def check_write(by, record) -> None:
    """Refuse anyone who may not write the account the record belongs to."""
    try:
        account = _account_of(record)
    except Account.DoesNotExist as error:  # the account is in the recycle bin
        raise PermissionDenied from error
    if not can_write(by, account):
        raise PermissionDenied


def _saved(obj, *, by):
    obj._history_user = by
    obj.full_clean()
    obj.save()
    return obj


# -- plans -------------------------------------------------------------------------------


def create_plan(account: Account, *, by, year: int, data: dict | None = None) -> AccountPlan:
    check_write(by, account)
    plan = AccountPlan(account=account, year=year, **(data or {}))
    try:
        with transaction.atomic():
            return _saved(plan, by=by)
    except IntegrityError as error:
        raise ValidationError(
            {"year": _("This account already has a plan for that year.")}
        ) from error


def update_plan(plan: AccountPlan, *, by, data: dict, expected_version: int | None):
    check_write(by, plan)
    changes = {k: v for k, v in data.items() if k in PLAN_FIELDS}
    return save_edit(plan, by=by, expected_version=expected_version, changes=changes)


def _plan_row(obj, *, by):
    check_write(by, obj.plan)
    with transaction.atomic():
        return _saved(obj, by=by)


def add_initiative(plan: AccountPlan, *, by, data: dict) -> Initiative:
    return _plan_row(Initiative(plan=plan, **data), by=by)


def add_business_unit(plan: AccountPlan, *, by, name: str) -> BusinessUnit:
    name = " ".join((name or "").split())
    if plan.units.filter(name=name).exists():
        raise ValidationError({"name": _("This business unit is already in the plan.")})
    return _plan_row(BusinessUnit(plan=plan, name=name), by=by)


def add_goal(plan: AccountPlan, *, by, contact: Contact, target_level: str, note: str = ""):
    if contact.account_id != plan.account_id:
        raise ValidationError({"contact": _("Choose a person of this account.")})
    check_write(by, plan)
    goal = plan.goals.filter(contact=contact).first() or RelationshipGoal(
        plan=plan, contact=contact
    )
    goal.target_level = target_level
    goal.note = note
    with transaction.atomic():
        return _saved(goal, by=by)


def remove_row(row, *, by) -> None:
    """Take an initiative, business unit (with its cells) or goal off the plan."""
    check_write(by, row.plan)
    row._history_user = by
    row.delete()


def set_cell(plan: AccountPlan, *, by, unit, product_line, state: str, deals=(), note=""):
    """Set one whitespace cell; its deals must be the account's (in progress: the deals
    that work on it). An empty state clears the cell back to the suggestion."""
    check_write(by, plan)
    if unit.plan_id != plan.pk:
        raise PermissionDenied
    deals = list(deals)
    if any(deal.account_id != plan.account_id for deal in deals):
        raise ValidationError({"deals": _("Choose opportunities of this account.")})
    with transaction.atomic():
        cell = WhitespaceCell.objects.filter(unit=unit, product_line=product_line).first()
        if not state:
            if cell is not None:
                cell._history_user = by
                cell.delete()
            return None
        cell = cell or WhitespaceCell(plan=plan, unit=unit, product_line=product_line)
        cell.state = state
        cell.note = note
        _saved(cell, by=by)
        cell.deals.set(deals)
        return cell


def _check_owner(by, owner):
    if owner is None or not assignable_users(by).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("You cannot assign actions to this person.")})


def add_action(plan: AccountPlan, *, by, title: str, owner, due_on) -> PlanAction:
    check_write(by, plan)
    _check_owner(by, owner)
    return _plan_row(PlanAction(plan=plan, title=title, owner=owner, due_on=due_on), by=by)


def set_action_status(action: PlanAction, *, by, status: str, expected_version=None):
    check_write(by, action.plan)
    done_at = timezone.now() if status == PlanActionStatus.DONE else None
    return save_edit(
        action,
        by=by,
        expected_version=expected_version,
        changes={"status": status, "done_at": done_at},
    )


def update_action(action: PlanAction, *, by, data: dict, expected_version=None):
    check_write(by, action.plan)
    changes = {k: v for k, v in data.items() if k in ("title", "owner", "due_on", "status")}
    if "owner" in changes and changes["owner"] != action.owner:
        _check_owner(by, changes["owner"])
    if "status" in changes and changes["status"] != action.status:
        changes["done_at"] = timezone.now() if changes["status"] == PlanActionStatus.DONE else None
    return save_edit(action, by=by, expected_version=expected_version, changes=changes)


# -- canvases ----------------------------------------------------------------------------


def create_canvas(account: Account, *, by, horizon: str) -> FitCanvas:
    check_write(by, account)
    try:
        with transaction.atomic():
            return _saved(FitCanvas(account=account, horizon=horizon), by=by)
    except IntegrityError as error:
        raise ValidationError(
            {"horizon": _("This account already has a canvas for that horizon.")}
        ) from error


def score_canvas(canvas: FitCanvas, *, by, scores: dict, notes: dict, expected_version):
    """Our scores (1–5, None: not scored) and a note per element."""
    check_write(by, canvas)
    scores = {k: v for k, v in scores.items() if v is not None}
    notes = {k: v.strip() for k, v in notes.items() if v and v.strip()}
    return save_edit(
        canvas,
        by=by,
        expected_version=expected_version,
        changes={"our_scores": scores, "our_notes": notes},
    )


def create_link(canvas: FitCanvas, *, by, days: int = DEFAULT_LINK_DAYS, language: str = ""):
    """A new private link for the customer; returns (link, token). The token is shown once:
    only its hash is kept."""
    check_write(by, canvas)
    if not isinstance(days, int) or not 1 <= days <= MAX_LINK_DAYS:
        raise ValidationError(
            {"days": _("A link is valid for 1 to %(max)s days.") % {"max": MAX_LINK_DAYS}}
        )
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = CustomerLink(
        canvas=canvas,
        token_hash=CustomerLink.hash_token(token),
        language=language,
        created_by=by,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    link.full_clean()
    link.save()
    return link, token


def revoke_link(link: CustomerLink, *, by) -> CustomerLink:
    check_write(by, link.canvas)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = by
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


def answer_canvas(link: CustomerLink, *, scores: dict, comment: str = "") -> FitCanvas:
    """The customer's own scores through a usable link (a later answer replaces the earlier
    one while the link is valid). Only the link's canvas changes."""
    with transaction.atomic():
        link = CustomerLink.objects.select_for_update().get(pk=link.pk)
        if not link.usable:
            raise PermissionDenied
        try:
            core.explain_canvas(scores)
        except core.MethodologyError as error:
            raise ValidationError(_("Give each score as a whole number from 1 to 5.")) from error
        canvas = FitCanvas.all_objects.select_for_update().get(pk=link.canvas_id)
        if canvas.is_deleted:
            raise PermissionDenied
        canvas.customer_scores = {k: v for k, v in scores.items() if v is not None}
        canvas.customer_comment = comment.strip()[:2000]
        canvas.customer_answered_at = timezone.now()
        canvas.version += 1
        canvas._change_reason = _("answered by the customer")
        canvas.save()
        link.answered_at = canvas.customer_answered_at
        link.answers += 1
        link.save(update_fields=["answered_at", "answers"])
    return canvas


def delete_action(action: PlanAction, *, by) -> None:
    """Move a plan action to the recycle bin."""
    check_write(by, action.plan)
    soft_delete(action, by=by)
