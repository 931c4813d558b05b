"""The activity log: every customer interaction, the raw material of interaction levels."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from winroom.accounts.models import Account, Contact, RelationshipActionType
from winroom.org.models import ActivityKindChoices
from winroom.records import Record, RecordQuerySet, alive_manager, all_records_manager

ActivityKind = ActivityKindChoices


class ActivityQuerySet(RecordQuerySet):
    def visible_to(self, user):
        """An activity is visible with its account (relationships belong to the company)."""
        return self.filter(account__in=Account.objects.visible_to(user).values("pk"))


class Activity(Record):
    """One logged interaction with a customer's people."""

    kind = models.CharField(_("kind"), max_length=24, choices=ActivityKind.choices)
    occurred_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    subject = models.CharField(_("subject"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="activities"
    )
    participants = models.ManyToManyField(
        Contact, verbose_name=_("participants"), related_name="activities", blank=True
    )
    relationship_actions = models.ManyToManyField(
        RelationshipActionType,
        verbose_name=_("relationship actions"),
        related_name="activities",
        blank=True,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    deal = models.ForeignKey(
        "deals.Deal",
        verbose_name=_("opportunity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )

    objects = alive_manager(ActivityQuerySet)
    all_objects = all_records_manager(ActivityQuerySet)
    history = HistoricalRecords(
        excluded_fields=["updated_at", "version"], m2m_fields=[participants, relationship_actions]
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["account", "-occurred_at"])]

    def __str__(self) -> str:
        return self.subject
