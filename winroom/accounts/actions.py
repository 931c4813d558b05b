"""Writes to accounts, account teams and contacts: one named function each, one transaction."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from winroom.methodology.visibility import may_assign_to
from winroom.org.access import can_reassign, can_write, viewer_for
from winroom.org.models import CompanySettings
from winroom.records import restore, save_edit, soft_delete

from .models import (
    Account,
    AccountMember,
    Contact,
    ContactIndicator,
    InfluenceCircle,
    InfluenceLine,
    TeamRole,
)
from .relationships import level_of, recompute_levels

DUPLICATE_NAME = "account_name_unique_alive"


def _check_assignable(*, by, owner):
    if owner is not None and not may_assign_to(viewer_for(by), owner.pk):
        raise ValidationError({"owner": _("You cannot assign records to this person.")})


def _duplicate_name_error():
    return ValidationError({"name": _("An account with this name already exists.")})


def create_account(*, by, data: dict) -> Account:
    owner = data.pop("owner", None) or by
    _check_assignable(by=by, owner=owner)
    account = Account(owner=owner, **data)
    account._history_user = by
    try:
        with transaction.atomic():
            account.full_clean()
            account.save()
            AccountMember.objects.create(account=account, user=owner, role=TeamRole.ACCOUNT_MANAGER)
    except IntegrityError as error:
        raise _duplicate_name_error() from error
    return account


def update_account(account: Account, *, by, data: dict, expected_version: int | None):
    # judge the edit against the stored record, never against an instance a form already
    # changed in memory
    account = Account.all_objects.prefetch_related("members").get(pk=account.pk)
    if not can_write(by, account):
        raise PermissionDenied
    data = dict(data)
    if "owner" in data and data["owner"] != account.owner:
        if not can_reassign(by, account):
            raise ValidationError(
                {"owner": _("Only the owner, their managers or an administrator may reassign.")}
            )
        _check_assignable(by=by, owner=data["owner"])
    previous_owner_id = account.owner_id
    try:
        with transaction.atomic():
            account = save_edit(account, by=by, expected_version=expected_version, changes=data)
            if account.owner_id != previous_owner_id:
                _hand_over_account_manager(account, previous_owner_id=previous_owner_id)
            return account
    except IntegrityError as error:
        raise _duplicate_name_error() from error


def _hand_over_account_manager(account: Account, *, previous_owner_id):
    """The new owner becomes the account manager; the previous one leaves that role."""
    AccountMember.objects.filter(
        account=account, user_id=previous_owner_id, role=TeamRole.ACCOUNT_MANAGER
    ).delete()
    if account.owner_id:
        AccountMember.objects.update_or_create(
            account=account,
            user_id=account.owner_id,
            defaults={"role": TeamRole.ACCOUNT_MANAGER},
        )


def delete_account(account: Account, *, by) -> Account:
    if not can_write(by, account):
        raise PermissionDenied
    return soft_delete(account, by=by)


def restore_account(account: Account, *, by) -> Account:
    if not can_write(by, account):
        raise PermissionDenied
    clash = Account.objects.filter(name_key=account.name_key).exclude(pk=account.pk).exists()
    if clash:
        raise ValidationError(
            {"name": _("Another account now has this name; rename one of them first.")}
        )
    try:
        return restore(account, by=by)
    except IntegrityError as error:
        raise _duplicate_name_error() from error


def add_account_member(account: Account, *, by, user, role: str) -> AccountMember:
    if not can_write(by, account):
        raise PermissionDenied
    if not user.is_active:
        raise ValidationError({"user": _("This person can no longer log in.")})
    with transaction.atomic():
        member, created = AccountMember.objects.select_for_update().get_or_create(
            account=account, user=user, defaults={"role": role}
        )
        if not created and member.role != role:
            member.role = role
            member._history_user = by
            member.save()
    return member


def remove_account_member(account: Account, *, by, member: AccountMember) -> None:
    if not can_write(by, account) or member.account_id != account.pk:
        raise PermissionDenied
    member._history_user = by
    member.delete()


def create_contact(*, by, account: Account, data: dict) -> Contact:
    if not can_write(by, account):
        raise PermissionDenied
    data = dict(data)
    indicators = data.pop("indicators", None)
    contact = Contact(account=account, **data)
    contact._history_user = by
    with transaction.atomic():
        contact.full_clean()
        contact.save()
        if indicators is not None:
            set_indicators(contact, by=by, indicators=indicators)
        # a new person has no logged action yet: their first level needs no history entry
        company = CompanySettings.current()
        contact.relationship_level = level_of(contact, Decimal(0), company=company).level.value
        Contact.all_objects.filter(pk=contact.pk).update(
            relationship_level=contact.relationship_level
        )
    return contact


def set_indicators(contact: Contact, *, by, indicators) -> bool:
    """Record which checklist indicators the person meets (who marked each and when).

    Indicators kept keep their original mark; returns whether anything changed. The caller
    recomputes the level."""
    wanted = {indicator.pk for indicator in indicators}
    marks = ContactIndicator.objects.filter(contact=contact)
    present = set(marks.values_list("indicator_id", flat=True))
    removed = present - wanted
    if removed:
        marks.filter(indicator_id__in=removed).delete()
    added = wanted - present
    ContactIndicator.objects.bulk_create(
        [ContactIndicator(contact=contact, indicator_id=pk, marked_by=by) for pk in sorted(added)]
    )
    contact._indicators_met = None
    return bool(removed or added)


def update_contact(contact: Contact, *, by, data: dict, expected_version: int | None):
    contact = Contact.all_objects.select_related("account").get(pk=contact.pk)
    if not can_write(by, contact.account):
        raise PermissionDenied
    data = dict(data)
    data.pop("account", None)  # a person moves to another company as a new contact
    indicators = data.pop("indicators", None)
    with transaction.atomic():
        if "reports_to" in data:
            # lock the account's tree so two concurrent edits cannot close a loop together
            locked = Contact.all_objects.select_for_update()
            list(locked.filter(account_id=contact.account_id).values_list("pk"))
        saved = save_edit(contact, by=by, expected_version=expected_version, changes=data)
        if indicators is not None:
            set_indicators(saved, by=by, indicators=indicators)
        if recompute_levels([saved.pk]):
            saved.refresh_from_db(fields=["relationship_level"])
    return saved


def set_reports_to(contact: Contact, *, by, reports_to: Contact | None) -> Contact:
    """Move a person in the org chart (the chart's in-place edit)."""
    return update_contact(contact, by=by, data={"reports_to": reports_to}, expected_version=None)


def delete_contact(contact: Contact, *, by) -> Contact:
    if not can_write(by, contact.account):
        raise PermissionDenied
    return soft_delete(contact, by=by)


def restore_contact(contact: Contact, *, by) -> Contact:
    if not can_write(by, contact.account):
        raise PermissionDenied
    return restore(contact, by=by)


def assess_supplier_tier(account: Account, *, by, tier: int, evidence: str):
    """Record our supplier tier with the account (§1.5); the evidence is required."""
    from winroom.methodology.supplier_tier import supplier_tier

    from .models import SupplierTierAssessment

    if not can_write(by, account):
        raise PermissionDenied
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError({"evidence": _("Say what shows this tier.")})
    try:
        level = int(supplier_tier(tier))
    except ValueError as error:
        raise ValidationError({"tier": _("Choose a tier from 1 to 5.")}) from error
    return SupplierTierAssessment.objects.create(
        account=account, tier=level, evidence=evidence, assessed_by=by
    )


# -- the political map (政治版图) --------------------------------------------------------


def _check_account_writable(by, account):
    if not can_write(by, account):
        raise PermissionDenied


def create_circle(*, by, account: Account, data: dict) -> InfluenceCircle:
    """A new influence circle at the account, with its first members if given."""
    _check_account_writable(by, account)
    data = dict(data)
    members = list(data.pop("members", None) or [])
    circle = InfluenceCircle(account=account, **data)
    circle._history_user = by
    with transaction.atomic():
        circle.full_clean()
        circle.check_members(members)
        circle.save()
        circle.members.set(members)
    return circle


def update_circle(circle: InfluenceCircle, *, by, data: dict, expected_version: int | None):
    """Rename, recolour, re-note the circle, or replace its members (``data["members"]``)."""
    circle = InfluenceCircle.all_objects.select_related("account").get(pk=circle.pk)
    _check_account_writable(by, circle.account)
    data = dict(data)
    data.pop("account", None)  # a circle belongs to one account for good
    members = data.pop("members", None)
    m2m = None
    if members is not None:
        members = list(members)
        circle.check_members(members)
        m2m = {"members": members}
    return save_edit(circle, by=by, expected_version=expected_version, changes=data, m2m=m2m)


def add_circle_member(circle: InfluenceCircle, *, by, contact: Contact) -> InfluenceCircle:
    circle = InfluenceCircle.all_objects.select_related("account").get(pk=circle.pk)
    _check_account_writable(by, circle.account)
    circle.check_members([contact])
    members = circle.member_ids()
    if contact.pk in members:
        return circle
    return save_edit(
        circle, by=by, expected_version=None, changes={}, m2m={"members": [*members, contact.pk]}
    )


def remove_circle_member(circle: InfluenceCircle, *, by, contact: Contact) -> InfluenceCircle:
    circle = InfluenceCircle.all_objects.select_related("account").get(pk=circle.pk)
    _check_account_writable(by, circle.account)
    members = circle.member_ids()
    if contact.pk not in members:
        return circle
    remaining = [pk for pk in members if pk != contact.pk]
    return save_edit(circle, by=by, expected_version=None, changes={}, m2m={"members": remaining})


def delete_circle(circle: InfluenceCircle, *, by) -> InfluenceCircle:
    _check_account_writable(by, circle.account)
    return soft_delete(circle, by=by)


def restore_circle(circle: InfluenceCircle, *, by) -> InfluenceCircle:
    _check_account_writable(by, circle.account)
    _check_restorable(circle)  # the name may have been taken meanwhile
    return restore(circle, by=by)


def draw_influence_line(*, by, account: Account, data: dict) -> InfluenceLine:
    """Person A influences person B at the account, with a strength of 1–3."""
    _check_account_writable(by, account)
    line = InfluenceLine(account=account, **data)
    line._history_user = by
    try:
        with transaction.atomic():
            line.full_clean()
            line.save()
    except IntegrityError as error:  # a concurrent twin slipped in between check and save
        raise ValidationError(
            {"target": _("This influence line exists already; change its strength instead.")}
        ) from error
    return line


def update_influence_line(line: InfluenceLine, *, by, data: dict, expected_version: int | None):
    """Change the strength or note (or the ends) of an influence line."""
    line = InfluenceLine.all_objects.select_related("account").get(pk=line.pk)
    _check_account_writable(by, line.account)
    data = dict(data)
    data.pop("account", None)
    try:
        return save_edit(line, by=by, expected_version=expected_version, changes=data)
    except IntegrityError as error:
        raise ValidationError(
            {"target": _("This influence line exists already; change its strength instead.")}
        ) from error


def delete_influence_line(line: InfluenceLine, *, by) -> InfluenceLine:
    _check_account_writable(by, line.account)
    return soft_delete(line, by=by)


def restore_influence_line(line: InfluenceLine, *, by) -> InfluenceLine:
    _check_account_writable(by, line.account)
    _check_restorable(line)  # the same line may have been drawn again meanwhile
    return restore(line, by=by)


def _check_restorable(obj) -> None:
    """Run the record's rules as if it were alive again, without changing it."""
    alive = type(obj).all_objects.get(pk=obj.pk)
    alive.deleted_at = None
    alive.clean()
