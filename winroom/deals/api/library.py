"""Writes to the company-wide competitor library (竞争对手库).

``winroom.deals.actions`` has no functions for the library itself (the deal room creates a
library entry inline when a rep names a new competitor), so the API's writes live here,
built on the shared record functions: versions, history, soft delete for administrators.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from winroom.deals.models import Competitor
from winroom.records import restore, save_edit, soft_delete

NAME_TAKEN = _("A competitor with this name already exists.")
NAME_IN_RECYCLE_BIN = _(
    "This competitor was removed from the library; ask an administrator to restore it."
)


def _clean_name(name) -> str:
    return " ".join(str(name or "").split())


def _check_name_free(name: str, *, exclude_pk=None) -> None:
    """Names are unique in the library, deleted entries and letter case included."""
    clash = Competitor.all_objects.filter(name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    clash = clash.first()
    if clash is None:
        return
    if clash.is_deleted:
        raise ValidationError({"name": NAME_IN_RECYCLE_BIN})
    raise ValidationError({"name": NAME_TAKEN})


def _require_active(by) -> None:
    if not getattr(by, "is_active", False):
        raise PermissionDenied


def create_competitor(*, by, data: dict) -> Competitor:
    _require_active(by)
    data = dict(data)
    data["name"] = _clean_name(data.get("name"))
    _check_name_free(data["name"])
    competitor = Competitor(**data)
    competitor._history_user = by
    try:
        with transaction.atomic():
            competitor.full_clean()
            competitor.save()
    except IntegrityError as error:  # a concurrent twin
        raise ValidationError({"name": NAME_TAKEN}) from error
    return competitor


def find_or_create_competitor(*, by, name: str) -> Competitor:
    """The library entry of that name (any letter case), added to the library if new."""
    name = _clean_name(name)
    existing = Competitor.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    try:
        return create_competitor(by=by, data={"name": name})
    except ValidationError as error:
        # say it about the field the caller sent
        raise ValidationError({"competitor": error.message_dict.get("name", [])}) from error


def update_competitor(competitor: Competitor, *, by, data: dict, expected_version) -> Competitor:
    _require_active(by)
    data = dict(data)
    if "name" in data:
        data["name"] = _clean_name(data["name"])
        _check_name_free(data["name"], exclude_pk=competitor.pk)
    try:
        return save_edit(competitor, by=by, expected_version=expected_version, changes=data)
    except IntegrityError as error:
        raise ValidationError({"name": NAME_TAKEN}) from error


def delete_competitor(competitor: Competitor, *, by) -> Competitor:
    """Only administrators take an entry out of the library (deals keep their links)."""
    if not getattr(by, "is_administrator", False):
        raise PermissionDenied
    return soft_delete(competitor, by=by)


def restore_competitor(competitor: Competitor, *, by) -> Competitor:
    if not getattr(by, "is_administrator", False):
        raise PermissionDenied
    if Competitor.objects.filter(name__iexact=competitor.name).exclude(pk=competitor.pk).exists():
        raise ValidationError({"name": NAME_TAKEN})
    return restore(competitor, by=by)
