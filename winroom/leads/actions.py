"""Writes to leads: create, claim from the pool, touch, edit, qualify, reject, recycle.

Every function takes keyword-only arguments and runs in one transaction; the rules
(routing, the recycle clock, the rejection reason, account matching) are the core's
(winroom.methodology.leads).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from winroom.accounts import actions as account_actions
from winroom.accounts.models import Account, Contact
from winroom.deals.actions import create_deal
from winroom.deals.models import Deal, DealSource, DealStatus
from winroom.methodology import leads as core
from winroom.methodology.errors import ReasonRequiredError
from winroom.methodology.visibility import may_assign_to
from winroom.notifications.producers import notify_lead_returned
from winroom.org.access import can_write, viewer_for
from winroom.records import restore, save_edit, soft_delete

from .models import OPEN_STATUSES, Lead, LeadStatus


def _require_write(by, lead):
    """A held lead is its owner's (and their managers'); the pool must be claimed first."""
    if lead.owner_id is None:
        if not viewer_for(by).is_admin:
            raise ValidationError(_("Claim this lead from the pool first."))
        return
    if not can_write(by, lead):
        raise PermissionDenied


def _require_open(lead):
    if lead.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This lead is already %(status)s.") % {"status": lead.get_status_display()}
        )


def _locked(lead) -> Lead:
    return Lead.all_objects.select_for_update().get(pk=lead.pk)


def _touch_fields(lead, now) -> dict:
    changes = {"last_touched_at": now}
    if lead.first_touched_at is None:
        changes["first_touched_at"] = now
    if lead.status == LeadStatus.NEW and lead.owner_id is not None:
        changes["status"] = LeadStatus.WORKING
    return changes


def create_lead(*, by, data: dict) -> Lead:
    """A new lead; ``owner`` None puts it in the pool, a missing owner gives it to ``by``."""
    data = dict(data)
    owner = data.pop("owner") if "owner" in data else by
    if owner is not None and not may_assign_to(viewer_for(by), owner.pk):
        raise ValidationError({"owner": _("You cannot assign records to this person.")})
    with transaction.atomic():
        lead = Lead(owner=owner, status=LeadStatus.NEW, **data)
        if owner is not None:
            lead.assigned_at = timezone.now()
        lead._history_user = by
        lead.full_clean()
        lead.save()
    return lead


def claim_lead(lead: Lead, *, by) -> Lead:
    """Take a lead from the pool: it becomes the claimer's, its recycle clock restarts."""
    if not viewer_for(by).is_active:
        raise PermissionDenied
    with transaction.atomic():
        current = _locked(lead)
        if current.deleted_at is not None or not current.in_pool:
            raise ValidationError(_("This lead is no longer in the pool."))
        current.owner = by
        current.status = LeadStatus.NEW
        current.assigned_at = timezone.now()
        current.version += 1
        current._history_user = by
        current._change_reason = _("claimed from the pool")
        current.save()
    return current


def touch(lead: Lead, *, by, note: str = "") -> Lead:
    """Record work on a lead (a call, a mail, a note): the recycle clock restarts."""
    _require_write(by, lead)
    _require_open(lead)
    now = timezone.now()
    changes = _touch_fields(lead, now)
    note = " ".join((note or "").split())
    if note:
        stamp = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
        line = f"{stamp} {by}: {note}"
        changes["notes"] = f"{lead.notes}\n{line}".strip() if lead.notes else line
    return save_edit(lead, by=by, expected_version=None, changes=changes)


def update_lead(lead: Lead, *, by, data: dict, expected_version: int | None) -> Lead:
    """Edit a lead; an edit is a touch, and the route follows the new size and need."""
    lead = Lead.all_objects.get(pk=lead.pk)
    _require_write(by, lead)
    data = dict(data)
    data.pop("owner", None)
    changes = {**data, **_touch_fields(lead, timezone.now())} if lead.is_open else data
    return save_edit(lead, by=by, expected_version=expected_version, changes=changes)


def delete_lead(lead: Lead, *, by) -> Lead:
    """Move a lead to the recycle bin (its holder, their managers; pooled: administrators)."""
    _require_write(by, lead)
    return soft_delete(lead, by=by)


def restore_lead(lead: Lead, *, by) -> Lead:
    _require_write(by, lead)
    return restore(lead, by=by)


def account_matches(name: str, accounts=None) -> tuple[list[Account], list[Account]]:
    """Accounts the company name may duplicate (core match_account), as (exact, similar).

    ``accounts`` limits the candidates (e.g. to those a person sees); default: all alive.
    """
    candidates = list((accounts if accounts is not None else Account.objects.all()).only("name"))
    by_id = {account.pk: account for account in candidates}
    ids = core.match_account(name, [(a.pk, a.name) for a in candidates])
    key = core.account_match_key(name)
    exact = [by_id[i] for i in ids if core.account_match_key(by_id[i].name) == key]
    similar = [by_id[i] for i in ids if by_id[i] not in exact]
    return exact, similar


def _contact_for(lead: Lead, account: Account, *, by) -> Contact | None:
    if not lead.person_name:
        return None
    existing = Contact.objects.filter(account=account, name=lead.person_name).first()
    if existing is not None:
        return existing
    return account_actions.create_contact(
        by=by,
        account=account,
        data={
            "name": lead.person_name,
            "title": lead.title,
            "phone": lead.phone,
            "email": lead.email,
        },
    )


def qualify_lead(
    lead: Lead,
    *,
    by,
    account: Account | None = None,
    create_account: bool = False,
    deal_name: str = "",
    amount=None,
    confirm_new: bool = False,
) -> Lead:
    """Turn a lead into an opportunity on an existing account, or on a new account when
    none of that name exists (an exact normalized match is refused, naming it; accounts of
    a similar name that ``by`` sees are offered, and a new account then needs
    ``confirm_new``). The lead's person becomes a contact of the account unless one of that
    name is there already."""
    _require_write(by, lead)
    _require_open(lead)
    if account is not None and create_account:
        raise ValidationError(
            {"account": _("Choose an existing account or create a new one, not both.")}
        )
    with transaction.atomic():
        current = _locked(lead)
        _require_open(current)
        if account is None:
            if not create_account:
                raise ValidationError(
                    {"account": _("Choose the account, or create a new one for this lead.")}
                )
            exact, _similar = account_matches(current.company_name)
            if exact:
                raise ValidationError(
                    {
                        "account": _(
                            "An account named “%(name)s” already exists; qualify the lead "
                            "on it instead of creating a duplicate."
                        )
                        % {"name": exact[0].name}
                    }
                )
            _exact, similar = account_matches(current.company_name, Account.objects.visible_to(by))
            if similar and not confirm_new:
                raise ValidationError(
                    {
                        "account": _(
                            "Accounts with a similar name exist: %(names)s. Choose one of "
                            "them, or confirm that this is a different company."
                        )
                        % {"names": "、".join(a.name for a in similar[:5])}
                    },
                    code="similar",
                )
            account = account_actions.create_account(by=by, data={"name": current.company_name})
        elif not can_write(by, account):
            raise ValidationError(
                {
                    "account": _(
                        "You cannot add opportunities to “%(name)s”; ask its owner %(owner)s."
                    )
                    % {"name": account.name, "owner": account.owner}
                }
            )
        _contact_for(current, account, by=by)
        deal = create_deal(
            by=by,
            data={
                "account": account,
                "name": (deal_name or "").strip() or current.company_name,
                "amount": amount if amount is not None else (current.expected_size or 0),
                "source": DealSource.MARKETING,
            },
        )
        now = timezone.now()
        changes = {
            **_touch_fields(current, now),
            "status": LeadStatus.QUALIFIED,
            "qualified_deal": deal,
            "account": account,
        }
        return save_edit(current, by=by, expected_version=None, changes=changes)


def reject_lead(lead: Lead, *, by, reason: str) -> Lead:
    """Screen a lead out; the core asks for a reason."""
    _require_write(by, lead)
    _require_open(lead)
    try:
        cleaned = core.check_rejection(reason)
    except ReasonRequiredError as error:
        raise ValidationError(
            {"rejection_reason": _("Say why the lead is rejected.")}, code="required"
        ) from error
    changes = {
        **_touch_fields(lead, timezone.now()),
        "status": LeadStatus.REJECTED,
        "rejection_reason": cleaned,
    }
    return save_edit(lead, by=by, expected_version=None, changes=changes)


def create_cross_sell(account: Account, *, by) -> Deal:
    """An opportunity for a won customer due for re-activation (the customer pool).

    It belongs to the account's owner when ``by`` may assign to them, else to ``by``; an
    account that already has an open opportunity is refused (a second click adds nothing).
    """
    if not can_write(by, account):
        raise PermissionDenied
    with transaction.atomic():
        Account.objects.select_for_update().filter(pk=account.pk).first()
        if Deal.objects.filter(account=account, status=DealStatus.OPEN).exists():
            raise ValidationError(
                _("%(name)s already has an open opportunity.") % {"name": account}
            )
        owner = account.owner
        if owner is None or not owner.is_active or not may_assign_to(viewer_for(by), owner.pk):
            owner = by
        return create_deal(
            by=by,
            data={
                "account": account,
                "owner": owner,
                "name": _("Cross-sell: %(name)s") % {"name": account.name},
                "source": DealSource.EXISTING,
            },
        )


def held_since(lead: Lead):
    moments = [m for m in (lead.last_touched_at, lead.assigned_at, lead.created_at) if m]
    return timezone.localtime(max(moments)).date()


def recycle_untouched_leads(*, today: date, rule: core.RecycleRule = core.DEFAULT_RECYCLE_RULE):
    """Return held leads untouched for more than ``rule.untouched_days`` days to the pool.

    A lead already back in the pool is not held, so a second run recycles nothing.
    Returns the leads recycled.
    """
    recycled = []
    with transaction.atomic():
        held = Lead.objects.select_for_update().filter(
            owner__isnull=False, status__in=[str(s) for s in core.HELD_STATUSES]
        )
        for lead in held:
            if not core.should_recycle(
                status=lead.status, last_touched=held_since(lead), today=today, rule=rule
            ):
                continue
            previous_owner_id = lead.owner_id
            lead.owner = None
            lead.status = LeadStatus.RECYCLED
            lead.assigned_at = None
            lead.version += 1
            lead._history_user = None
            lead._change_reason = _("untouched for more than %(days)s days: back to the pool") % {
                "days": rule.untouched_days
            }
            lead.save()
            recycled.append(lead)
            notify_lead_returned(
                lead, previous_owner_id=previous_owner_id, days=rule.untouched_days, today=today
            )
    return recycled
