"""Saved mappings, the external ids of imported records, and import jobs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    ACCOUNT = "account", _("Accounts")
    CONTACT = "contact", _("Contacts")
    DEAL = "deal", _("Deals")
    ACTIVITY = "activity", _("Activities")
    LEAD = "lead", _("Leads")
    PRODUCT = "product", _("Product lines")
    USER = "user", _("Sales people and teams")


class ImportMapping(models.Model):
    """A named column mapping a company reuses for the same kind of file."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    values = models.JSONField(_("value mappings"), default=dict, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="import_mapping_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def as_json(self) -> dict:
        return {"columns": self.columns, "values": self.values, "options": self.options}


class ImportedKey(models.Model):
    """An external id from another system and the record it became here."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    source = models.CharField(_("source"), max_length=100, blank=True)
    external_id = models.CharField(_("external id"), max_length=200)
    object_id = models.PositiveBigIntegerField(_("object id"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("imported key")
        verbose_name_plural = _("imported keys")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source", "external_id"], name="imported_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.source}:{self.external_id}"


class JobStatus(models.TextChoices):
    DRY_RUN = "dry_run", _("Dry run")
    CONFIRMED = "confirmed", _("Confirmed")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class TaskState(models.TextChoices):
    """Where a job stands in the background queue (blank: not in it)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")


class ImportJob(models.Model):
    """One file to import: dry-run first, then confirmed and run (see ``run_job``)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file"), editable=False)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    source = models.CharField(
        _("source"),
        max_length=100,
        blank=True,
        help_text=_("Names where the external ids come from; the same source updates."),
    )
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.DRY_RUN
    )
    report = models.JSONField(_("report"), default=dict, blank=True)
    task_state = models.CharField(
        _("background task"), max_length=10, choices=TaskState.choices, blank=True, default=""
    )
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.filename}"

    @property
    def busy(self) -> bool:
        """Queued or running in the background: its next step has not finished yet."""
        return bool(self.task_state)
