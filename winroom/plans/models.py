"""Annual account plans (年度客户经营计划) and triple-fit canvases (三重匹配画布), §1.6.

Both belong to an account: whoever may read the account reads them, whoever may write it
writes them (winroom.methodology.visibility through the account's queryset).
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from winroom.accounts.models import Account, Contact, RelationshipLevel
from winroom.deals.models import Deal, ProductLine
from winroom.methodology import canvas as core
from winroom.methodology.errors import MethodologyError
from winroom.records import Record, RecordQuerySet, alive_manager, all_records_manager


class AccountChildQuerySet(RecordQuerySet):
    def visible_to(self, user):
        """Visible with the account (a deleted account hides its plans and canvases)."""
        return self.filter(account__in=Account.objects.visible_to(user).values("pk"))


# -- the annual account plan -----------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class AccountPlan(Record):
    """An account's annual plan (年度客户经营计划): one per account and year."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("status"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    strategy = models.TextField(_("the customer's strategy"), blank=True)
    environment = models.TextField(_("changes in the customer's environment"), blank=True)
    quick_win = models.TextField(_("3-month quick win"), blank=True)
    year_outcome = models.TextField(_("1-year outcome"), blank=True)

    objects = alive_manager(AccountChildQuerySet)
    all_objects = all_records_manager(AccountChildQuerySet)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("account plan")
        verbose_name_plural = _("account plans")
        ordering = ["-year", "account__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "year"],
                condition=Q(deleted_at__isnull=True),
                name="plan_account_year_unique_alive",
                violation_error_message=_("This account already has a plan for that year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} · {self.year}"

    def validate_constraints(self, exclude=None):
        # the unique rule is checked in clean() with a field-level message
        super().validate_constraints(exclude=set(exclude or ()) | {"account"})

    def clean(self):
        if self.deleted_at is None and self.account_id and self.year:
            clash = AccountPlan.objects.filter(account_id=self.account_id, year=self.year)
            if clash.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"year": _("This account already has a plan for that year.")}, code="unique"
                )


class Initiative(models.Model):
    """A key initiative of the customer with the department and KPI it serves."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="initiatives")
    initiative = models.CharField(_("initiative"), max_length=200)
    department = models.CharField(_("department"), max_length=80, blank=True)
    kpi = models.CharField(_("department KPI"), max_length=200, blank=True)
    can_serve = models.BooleanField(_("we can serve it"), default=False)
    serve_note = models.CharField(_("how we serve it"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("key initiative")
        verbose_name_plural = _("key initiatives")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.initiative


class BusinessUnit(models.Model):
    """One of the customer's business units: a row of the whitespace matrix."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("business unit"), max_length=80)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("business unit")
        verbose_name_plural = _("business units")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="plan_unit_unique")]

    def __str__(self) -> str:
        return self.name


class CellState(models.TextChoices):
    """A whitespace cell (winroom.methodology.account_plan.CellState)."""

    OWNED = "owned", _("Owned")
    IN_PROGRESS = "in_progress", _("In progress")
    OPEN = "open", _("Open")
    NOT_RELEVANT = "not_relevant", _("Not relevant")


class WhitespaceCell(models.Model):
    """A state a person set for one product line in one business unit (else suggested)."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="cells")
    unit = models.ForeignKey(
        BusinessUnit, verbose_name=_("business unit"), on_delete=models.CASCADE, related_name="+"
    )
    product_line = models.ForeignKey(
        ProductLine, verbose_name=_("product line"), on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(_("state"), max_length=12, choices=CellState.choices)
    deals = models.ManyToManyField(
        Deal, verbose_name=_("opportunities"), blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords(m2m_fields=[deals])

    class Meta:
        verbose_name = _("whitespace cell")
        verbose_name_plural = _("whitespace cells")
        constraints = [
            models.UniqueConstraint(fields=["unit", "product_line"], name="plan_cell_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} × {self.product_line}: {self.get_state_display()}"


class RelationshipGoal(models.Model):
    """The relationship level we aim for with one key person of the account this year."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="goals")
    contact = models.ForeignKey(
        Contact, verbose_name=_("key person"), on_delete=models.CASCADE, related_name="+"
    )
    target_level = models.CharField(
        _("target relationship level"), max_length=16, choices=RelationshipLevel.choices
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relationship goal")
        verbose_name_plural = _("relationship goals")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "contact"], name="plan_goal_unique")]

    def __str__(self) -> str:
        return f"{self.contact} → {self.get_target_level_display()}"


class PlanActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class PlanAction(Record):
    """A named step of the plan with an owner and a due date."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="plan_actions",
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=PlanActionStatus.choices,
        default=PlanActionStatus.OPEN,
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    objects = alive_manager(RecordQuerySet)
    all_objects = all_records_manager(RecordQuerySet)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status == PlanActionStatus.OPEN and self.due_on < timezone.localdate()


# -- the triple-fit canvas -------------------------------------------------------------


class Horizon(models.TextChoices):
    SHORT = "short", _("Short-term")
    LONG = "long", _("Long-term")


#: element code → label, in canvas order (the core's CanvasElement)
ELEMENT_LABELS = {
    core.CanvasElement.STRATEGY.value: _("Strategy"),
    core.CanvasElement.RELATIONSHIP.value: _("Relationship"),
    core.CanvasElement.COMMUNICATION.value: _("Communication"),
    core.CanvasElement.SOLUTION.value: _("Solution"),
    core.CanvasElement.PROCESS.value: _("Process"),
    core.CanvasElement.SYSTEMS.value: _("Systems"),
    core.CanvasElement.TALENT.value: _("Talent"),
    core.CanvasElement.STRUCTURE.value: _("Structure"),
    core.CanvasElement.KNOWLEDGE.value: _("Knowledge"),
}
LAYER_LABELS = {
    core.Layer.PLANNING.value: _("Planning"),
    core.Layer.EXECUTION.value: _("Execution"),
    core.Layer.RESOURCES.value: _("Resources"),
}
#: the question the customer answers for each element (1 = poor fit, 5 = excellent)
ELEMENT_QUESTIONS = {
    "strategy": _("How well do our strategy and direction fit your organisation's strategy?"),
    "relationship": _("How good is the working relationship between our two organisations?"),
    "communication": _(
        "How well do we communicate with each other (regularly, openly, at the right levels)?"
    ),
    "solution": _("How well does our solution fit your needs?"),
    "process": _("How well do our ways of working fit your processes?"),
    "systems": _("How well do our systems and tools fit yours?"),
    "talent": _("How well do our people's skills match what you need?"),
    "structure": _(
        "How well does our organisation match yours (the right counterpart for every role)?"
    ),
    "knowledge": _("How well do we understand your business and industry?"),
}


def scores_error(scores, label):
    """None when ``scores`` is a valid element → 1–5 (or null) mapping, else the message."""
    if not isinstance(scores, dict):
        return _("%(label)s must map elements to scores.") % {"label": label}
    try:
        core.explain_canvas(scores)
    except MethodologyError:
        return _("%(label)s: every score is a whole number from 1 to 5 for a known element.") % {
            "label": label
        }
    return None


class FitCanvas(Record):
    """A triple-fit canvas (三重匹配画布) of an account for one horizon (short or long term).

    One living canvas per account and horizon; its history keeps every earlier scoring.
    """

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="canvases"
    )
    horizon = models.CharField(_("horizon"), max_length=6, choices=Horizon.choices)
    #: element code → 1–5 (absent or null: not scored yet)
    our_scores = models.JSONField(_("our scores"), default=dict, blank=True)
    #: element code → text
    our_notes = models.JSONField(_("our notes"), default=dict, blank=True)
    customer_scores = models.JSONField(
        _("the customer's scores"), null=True, blank=True, editable=False
    )
    customer_comment = models.TextField(_("the customer's comment"), blank=True, editable=False)
    customer_answered_at = models.DateTimeField(
        _("the customer answered"), null=True, blank=True, editable=False
    )

    objects = alive_manager(AccountChildQuerySet)
    all_objects = all_records_manager(AccountChildQuerySet)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("triple-fit canvas")
        verbose_name_plural = _("triple-fit canvases")
        ordering = ["account__name", "horizon", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "horizon"],
                condition=Q(deleted_at__isnull=True),
                name="canvas_account_horizon_unique_alive",
                violation_error_message=_("This account already has a canvas for that horizon."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} · {self.get_horizon_display()}"

    def validate_constraints(self, exclude=None):
        super().validate_constraints(exclude=set(exclude or ()) | {"account"})

    def clean(self):
        errors = {}
        if self.deleted_at is None and self.account_id and self.horizon:
            clash = FitCanvas.objects.filter(account_id=self.account_id, horizon=self.horizon)
            if clash.exclude(pk=self.pk).exists():
                errors["horizon"] = _("This account already has a canvas for that horizon.")
        message = scores_error(self.our_scores, _("Our scores"))
        if message:
            errors["our_scores"] = message
        if self.customer_scores is not None:
            message = scores_error(self.customer_scores, _("The customer's scores"))
            if message:
                errors["customer_scores"] = message
        if not isinstance(self.our_notes, dict) or any(
            key not in ELEMENT_LABELS or not isinstance(value, str)
            for key, value in (self.our_notes or {}).items()
        ):
            errors["our_notes"] = _("Notes must map known elements to text.")
        if errors:
            raise ValidationError(errors)

    def explain(self, gap_threshold: int = core.DEFAULT_GAP_THRESHOLD) -> core.CanvasResult:
        return core.explain_canvas(self.our_scores, self.customer_scores, gap_threshold)


class LinkLanguage(models.TextChoices):
    BROWSER = "", _("The customer's browser")
    CHINESE = "zh-hans", "简体中文"
    ENGLISH = "en", "English"


class LinkStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ANSWERED = "answered", _("Answered")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class CustomerLink(models.Model):
    """A private link through which the customer scores ONE canvas, until it expires or is
    revoked. The URL carries a random secret token; only its SHA-256 hash is stored, so the
    full link is shown once, when it is created."""

    canvas = models.ForeignKey(
        FitCanvas, verbose_name=_("canvas"), on_delete=models.CASCADE, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(
        _("language"), max_length=8, choices=LinkLanguage.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answers = models.PositiveSmallIntegerField(_("answers received"), default=0)

    class Meta:
        verbose_name = _("customer link")
        verbose_name_plural = _("customer links")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.canvas} · {self.created_at:%Y-%m-%d}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def status_at(self, now=None) -> str:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return LinkStatus.REVOKED
        if self.expires_at <= now:
            return LinkStatus.EXPIRED
        if self.answered_at is not None:
            return LinkStatus.ANSWERED
        return LinkStatus.ACTIVE

    @property
    def status(self) -> str:
        return self.status_at()

    def get_status_display(self) -> str:
        return LinkStatus(self.status).label

    @property
    def usable(self) -> bool:
        return self.status in (LinkStatus.ACTIVE, LinkStatus.ANSWERED)
