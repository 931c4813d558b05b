"""Writes to the attribute definitions: administrators only, one named function each.

A definition is never deleted, only deactivated: the values records hold stay in their
``custom`` JSON (and come back if it is reactivated). Its target, code and type never change
once it exists, because stored values, imports and API clients depend on them.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import AttributeDefinition

FIXED = ("target", "code", "type")


def may_administer(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_administrator)


def _require_admin(by) -> None:
    if not may_administer(by):
        raise PermissionDenied


def define_attribute(*, by, data: dict) -> AttributeDefinition:
    _require_admin(by)
    definition = AttributeDefinition(**data)
    with transaction.atomic():
        definition.full_clean()
        definition.save()
    return definition


def update_attribute(definition: AttributeDefinition, *, by, data: dict) -> AttributeDefinition:
    _require_admin(by)
    with transaction.atomic():
        current = AttributeDefinition.objects.select_for_update().get(pk=definition.pk)
        for field in FIXED:
            if field in data and data[field] != getattr(current, field):
                raise ValidationError({field: _("This cannot change once the attribute exists.")})
        for field, value in data.items():
            setattr(current, field, value)
        current.full_clean()
        current.save()
    return current


def set_attribute_active(
    definition: AttributeDefinition, *, by, active: bool
) -> AttributeDefinition:
    """Deactivate (forms, filters and imports stop offering it; values are kept) or bring
    it back."""
    _require_admin(by)
    AttributeDefinition.objects.filter(pk=definition.pk).update(active=active)
    definition.active = active
    return definition
