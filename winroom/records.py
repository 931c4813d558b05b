"""Abstract building blocks shared by the records people edit (not an app; no tables).

Every record a person edits is soft-deleted (recoverable from the recycle bin) and carries
a version number, so a second person's edit can never silently overwrite the first.
"""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RecordQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)


class AliveManager(models.Manager.from_queryset(RecordQuerySet)):
    """The default manager: deleted records leave every list, related sets included."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


def alive_manager(queryset_class):
    """A default manager that hides deleted records, with the model's queryset methods."""
    return AliveManager.from_queryset(queryset_class)()


def all_records_manager(queryset_class):
    """A manager that sees deleted records too: the recycle bin, restore and history."""
    return models.Manager.from_queryset(queryset_class)()


class Record(models.Model):
    """A record people edit: timestamps, soft delete and a version for lost-update checks."""

    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class EditConflict(Exception):
    """Someone else saved the record after the editor opened it."""

    def __init__(self, current):
        super().__init__("edit conflict")
        self.current = current


def save_edit(obj, *, by, expected_version, changes: dict, m2m: dict | None = None):
    """Apply an edit in one transaction, refusing it if the record changed since it was read.

    ``expected_version`` is the version the editor saw (None skips the check, for callers
    that hold the row lock already). Returns the saved, current object.
    """
    model = type(obj)
    with transaction.atomic():
        current = model.all_objects.select_for_update().get(pk=obj.pk)
        if expected_version is not None and current.version != expected_version:
            raise EditConflict(current)
        for field, value in changes.items():
            setattr(current, field, value)
        current.version += 1
        current._history_user = by
        current.full_clean(exclude=list(m2m or ()))
        current.save()
        for field, values in (m2m or {}).items():
            getattr(current, field).set(values)
    return current


def soft_delete(obj, *, by):
    """Move a record to the recycle bin: it leaves every list and can be restored."""
    if obj.deleted_at is not None:
        return obj
    return save_edit(
        obj, by=by, expected_version=None, changes={"deleted_at": timezone.now(), "deleted_by": by}
    )


def restore(obj, *, by):
    """Bring a record back from the recycle bin with all its links."""
    if obj.deleted_at is None:
        return obj
    return save_edit(
        obj, by=by, expected_version=None, changes={"deleted_at": None, "deleted_by": None}
    )
