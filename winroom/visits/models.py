"""Customer visits (拜访), METHODOLOGY §3.4: the plan, the record and the five-step scores.

A visit is planned (objective, reason, questions, the commitment to ask for, materials),
then recorded (what happened, whether the commitment was won, next steps) and scored 1–5 on
each step by the rep and, separately, by the manager. Whether it was *effective* is the
core's rule (:mod:`winroom.methodology.visits`) with the company's settings; the verdict is
stored so that effective visits per week aggregate in the database.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from winroom.accounts.models import Account, Contact
from winroom.methodology import visits as core
from winroom.org.access import owned_q, viewer_for
from winroom.records import Record, RecordQuerySet, alive_manager, all_records_manager

STEPS = core.VISIT_STEPS


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Recorded")
    CANCELLED = "cancelled", _("Cancelled")


class Commitment(models.TextChoices):
    """The answer to the commitment question (blank: not answered yet)."""

    WON = "won", _("Commitment obtained")
    NOT_WON = "not_won", _("Commitment not obtained")


def step_field(label):
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(core.SCORE_MIN), MaxValueValidator(core.SCORE_MAX)],
    )


class VisitQuerySet(RecordQuerySet):
    def visible_to(self, user):
        """The rep who owns it and their managers, and everyone who may read the account
        (the account team learns what each of them learned)."""
        viewer = viewer_for(user)
        if not viewer.is_active:
            return self.none()
        if viewer.is_admin:
            return self
        accounts = Account.objects.visible_to(user).values("pk")
        return self.filter(owned_q(user) | Q(account__in=accounts))


class Visit(Record):
    """One customer visit: plan, record and the rep's and manager's step scores."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="visits"
    )
    deal = models.ForeignKey(
        "deals.Deal",
        verbose_name=_("opportunity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
    )
    people = models.ManyToManyField(
        Contact, verbose_name=_("people to meet"), blank=True, related_name="visits"
    )
    planned_at = models.DateTimeField(_("when"))
    status = models.CharField(
        _("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    # --- the plan
    objective = models.TextField(_("objective"), blank=True)
    reason = models.TextField(_("reason for the meeting"), blank=True)
    questions = models.TextField(_("questions to ask"), blank=True)
    commitment_ask = models.TextField(_("commitment to ask for"), blank=True)
    materials = models.TextField(_("materials to bring"), blank=True)
    # --- the record
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True, editable=False)
    outcome = models.TextField(_("what happened"), blank=True)
    commitment = models.CharField(
        _("commitment"), max_length=8, choices=Commitment.choices, blank=True
    )
    next_steps = models.TextField(_("next steps"), blank=True)
    # --- the rep's step scores
    rep_prepare = step_field(_("prepare (rep)"))
    rep_understand = step_field(_("understand (rep)"))
    rep_present = step_field(_("present (rep)"))
    rep_commit = step_field(_("commit (rep)"))
    rep_evaluate = step_field(_("evaluate (rep)"))
    # --- the manager's step scores
    mgr_prepare = step_field(_("prepare (manager)"))
    mgr_understand = step_field(_("understand (manager)"))
    mgr_present = step_field(_("present (manager)"))
    mgr_commit = step_field(_("commit (manager)"))
    mgr_evaluate = step_field(_("evaluate (manager)"))
    manager_note = models.TextField(_("manager's note"), blank=True)
    manager_scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    manager_scored_at = models.DateTimeField(
        _("manager scored"), null=True, blank=True, editable=False
    )
    #: the core's verdict with the company's rule, refreshed on every save
    effective = models.BooleanField(_("effective"), default=False, editable=False)

    objects = alive_manager(VisitQuerySet)
    all_objects = all_records_manager(VisitQuerySet)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-planned_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "planned_at"]),
            models.Index(fields=["owner", "visited_on"]),
            models.Index(fields=["account", "visited_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.account} · {timezone.localtime(self.planned_at):%Y-%m-%d %H:%M}"

    def member_ids(self) -> list[int]:
        return []

    def rep_scores(self) -> dict[core.VisitStep, int | None]:
        return {step: getattr(self, f"rep_{step.value}") for step in STEPS}

    def manager_scores(self) -> dict[core.VisitStep, int | None]:
        return {step: getattr(self, f"mgr_{step.value}") for step in STEPS}

    def explain_effective(self, rule: core.EffectiveVisitRule | None = None):
        from winroom.org.models import CompanySettings

        rule = rule or CompanySettings.current().effective_visit_rule()
        recorded_on = timezone.localdate(self.recorded_at) if self.recorded_at else None
        visited_on = self.visited_on or timezone.localdate(self.planned_at)
        if recorded_on is not None and recorded_on < visited_on:
            recorded_on = visited_on  # recorded ahead of the day: on time, never an error
        return core.explain_effective_visit(
            visited_on=visited_on,
            recorded_on=recorded_on if self.status == VisitStatus.DONE else None,
            has_objective=bool(self.objective.strip()),
            commitment_answered=bool(self.commitment),
            rule=rule,
        )

    def save(self, *args, **kwargs):
        self.effective = self.status == VisitStatus.DONE and self.explain_effective().effective
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "effective"}
        super().save(*args, **kwargs)


class CalendarFeed(models.Model):
    """A person's secret calendar subscription (ICS): only the token's hash is stored.

    Revoking deletes the row, so every copy of the old address stops working at once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_read_at = models.DateTimeField(_("last read"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
