"""Opportunities (商机) and everything the TAS+ deal room knows about them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from winroom.accounts.models import Account, Contact, RelationshipStatus, TeamRole
from winroom.org.access import owned_q
from winroom.records import Record, RecordQuerySet, alive_manager, all_records_manager

SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Stage(models.Model):
    """One stage of the company's sales process template (default: the seven TAS+ stages)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(
        _("name"), max_length=60, blank=True, help_text=_("Leave empty to use the standard name.")
    )
    exit_criterion = models.CharField(_("exit criterion"), max_length=40)
    lead_role = models.CharField(_("leading role"), max_length=20, choices=TeamRole.choices)
    departments = models.CharField(_("departments taking part"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["number"]

    def __str__(self) -> str:
        from .labels import stage_label

        return self.name or str(stage_label(self.code))


class ProductLine(models.Model):
    """A product line we sell; deals contain them and partner registrations protect them."""

    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("product line")
        verbose_name_plural = _("product lines")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CompetitorQuerySet(RecordQuerySet):
    def visible_to(self, user):
        """The competitor library is company-wide: every active person reads it."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self


class Competitor(Record):
    """A competitor in the company-wide library (竞争对手库)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    facts = models.TextField(_("basic facts"), blank=True)
    core_partners = models.TextField(_("core partners"), blank=True)
    key_events = models.TextField(_("key events"), blank=True)
    notes = models.TextField(_("analysis notes"), blank=True)

    objects = alive_manager(CompetitorQuerySet)
    all_objects = all_records_manager(CompetitorQuerySet)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DealStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    ABANDONED = "abandoned", _("Abandoned")


class Grade(models.TextChoices):
    A = "a", "A"
    B = "b", "B"
    C = "c", "C"
    D = "d", "D"
    E = "e", "E"


class DealSource(models.TextChoices):
    CUSTOMER = "customer", _("Customer request")
    REFERRAL = "referral", _("Referral")
    MARKETING = "marketing", _("Marketing lead")
    PARTNER = "partner", _("Partner")
    EXISTING = "existing", _("Existing customer")
    TENDER = "tender", _("Public tender")
    OTHER = "other", _("Other")


class WinRateStatus(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    NOT_COMPUTED = "not_computed", _("Not computed")
    NOT_ASSESSED = "not_assessed", _("Not assessed")


class CompetitiveStrategy(models.TextChoices):
    FRONTAL = "frontal", _("Frontal")
    FLANKING = "flanking", _("Flanking")
    FRAGMENTATION = "fragmentation", _("Fragmentation")
    DEFENSIVE = "defensive", _("Defensive")
    DEVELOPMENT = "development", _("Development")


class DealQuerySet(RecordQuerySet):
    def visible_to(self, user):
        """The foundation's rule: owner, deal-team members, the owner's managers, admins."""
        members = DealMember.objects.filter(user_id=getattr(user, "pk", None))
        return self.filter(
            owned_q(user, member_q=Q(pk__in=members.values("deal_id"))),
            account__deleted_at__isnull=True,  # a deleted account takes its deals along
        )

    def open(self):
        return self.filter(status=DealStatus.OPEN)


class Deal(Record):
    """An opportunity (商机): one customer project from lead to contract."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="deals"
    )
    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_deals",
    )
    amount = models.DecimalField(
        _("amount (CNY)"),
        max_digits=16,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    expected_close = models.DateField(_("expected close date"), null=True, blank=True)
    product_lines = models.ManyToManyField(
        ProductLine, verbose_name=_("product lines"), related_name="deals", blank=True
    )
    source = models.CharField(
        _("source"), max_length=20, choices=DealSource.choices, default=DealSource.CUSTOMER
    )
    partner = models.CharField(_("partner"), max_length=120, blank=True)
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="deals"
    )
    stage_changed_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=DealStatus.choices, default=DealStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    lost_reason = models.TextField(_("reason lost"), blank=True)
    winner = models.ForeignKey(
        Competitor,
        verbose_name=_("winner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deals_won",
    )
    no_decision = models.BooleanField(_("customer made no decision"), default=False)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, default=Grade.D)
    grade_override = models.CharField(
        _("grade override"), max_length=1, choices=Grade.choices, blank=True
    )
    grade_override_reason = models.CharField(_("override reason"), max_length=200, blank=True)
    grade_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("override by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    partner_led = models.BooleanField(_("partner-led"), default=False)
    sole_source = models.BooleanField(_("sole source (no competitor)"), default=False)
    win_rate = models.DecimalField(
        _("win rate"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    win_rate_status = models.CharField(
        _("win rate status"),
        max_length=14,
        choices=WinRateStatus.choices,
        default=WinRateStatus.NOT_COMPUTED,
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    health_score = models.PositiveSmallIntegerField(_("health"), null=True, blank=True)
    # milestones the stages' exit criteria read (METHODOLOGY §2.1)
    internal_approved_on = models.DateField(_("internal approval given"), null=True, blank=True)
    competitive_strategy = models.CharField(
        _("competitive strategy"), max_length=14, choices=CompetitiveStrategy.choices, blank=True
    )
    tactics = models.TextField(_("tactics"), blank=True)
    value_proposition = models.TextField(_("value proposition"), blank=True)
    tender_influenced_on = models.DateField(
        _("customer started drafting the tender"), null=True, blank=True
    )
    tender_issued_on = models.DateField(_("tender issued"), null=True, blank=True)
    bid_result_on = models.DateField(_("bid result announced"), null=True, blank=True)
    contract_signed_on = models.DateField(_("contract signed"), null=True, blank=True)
    # value arithmetic (METHODOLOGY §2.8)
    product_value = models.DecimalField(
        _("product value (CNY)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    seller_value = models.DecimalField(
        _("value added by the seller (CNY)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    perception = models.DecimalField(
        _("customer perception (0–1)"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    customer_cost = models.DecimalField(
        _("customer cost (CNY)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    business_value = models.TextField(_("quantified business value"), blank=True)
    custom = models.JSONField(
        _("custom attributes"), default=dict, blank=True, help_text=_("Defined by administrators.")
    )

    objects = alive_manager(DealQuerySet)
    all_objects = all_records_manager(DealQuerySet)
    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            "version",
            "win_rate",
            "win_rate_status",
            "last_activity_at",
            "health_score",
        ]
    )

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(
                fields=["-updated_at", "-id"],
                condition=Q(status="open", deleted_at__isnull=True),
                name="deal_open_recent",
            ),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["account", "status"]),
        ]

    def __str__(self) -> str:
        return self.name

    def member_ids(self) -> list[int]:
        return [m.user_id for m in self.members.all()]

    @property
    def is_open(self) -> bool:
        return self.status == DealStatus.OPEN


class DealMember(models.Model):
    """A person on the deal team, in an iron-triangle role."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deal_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices)

    class Meta:
        verbose_name = _("deal team member")
        verbose_name_plural = _("deal team members")
        constraints = [models.UniqueConstraint(fields=["deal", "user"], name="deal_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class DealEvent(models.Model):
    """A recorded change of the deal: stage, amount, close date, owner, status, assessments.

    Stage durations, cycle time, staleness and the causes on the win-rate curve read it.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        STAGE = "stage", _("stage")
        AMOUNT = "amount", _("amount")
        CLOSE_DATE = "close_date", _("expected close date")
        OWNER = "owner", _("owner")
        STATUS = "status", _("status")
        GRADE = "grade", _("grade")
        COMPELLING_EVENT = "compelling_event", _("compelling event")
        COMPETITOR = "competitor", _("competitor")
        QUESTIONNAIRE = "questionnaire", _("questionnaire")
        DECISION_MAP = "decision_map", _("decision map")
        IMPORTED = "imported", _("imported")

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    old = models.CharField(_("from"), max_length=200, blank=True)
    new = models.CharField(_("to"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("deal event")
        verbose_name_plural = _("deal events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["deal", "kind", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.old} → {self.new}"


class CompellingEvent(models.Model):
    """Why the customer must do this project, by when (必要条件), with its confirmations."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="compelling_events")
    description = models.CharField(_("description"), max_length=300)
    due_on = models.DateField(_("date"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), default=timezone.now)
    confirmed_in_stage = models.PositiveSmallIntegerField(_("confirmed in stage"), default=1)
    withdrawn = models.BooleanField(_("no longer holds"), default=False)

    class Meta:
        verbose_name = _("compelling event")
        verbose_name_plural = _("compelling events")
        ordering = ["-confirmed_at", "-id"]

    def __str__(self) -> str:
        return self.description


class DealCompetitor(models.Model):
    """A competitor taking part in a deal."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="competitors")
    competitor = models.ForeignKey(
        Competitor, verbose_name=_("competitor"), on_delete=models.PROTECT, related_name="deals"
    )
    relationships = models.TextField(_("relationships with the customer's people"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    solution_comparison = models.CharField(
        _("solution compared with ours"), max_length=300, blank=True
    )
    relationship_comparison = models.CharField(
        _("relationships compared with ours"), max_length=300, blank=True
    )
    strength_comparison = models.CharField(
        _("hardware/software strength compared with ours"), max_length=300, blank=True
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("competitor in the deal")
        verbose_name_plural = _("competitors in the deal")
        constraints = [
            models.UniqueConstraint(fields=["deal", "competitor"], name="deal_competitor_unique")
        ]
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return str(self.competitor)


class Quote(models.Model):
    """A competitor's quoted price, as we learned it (报价历史)."""

    deal_competitor = models.ForeignKey(
        DealCompetitor, on_delete=models.CASCADE, related_name="quotes"
    )
    amount = models.DecimalField(
        _("amount (CNY)"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    quoted_on = models.DateField(_("date"))
    source = models.CharField(_("source of the information"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["quoted_on", "id"]

    def __str__(self) -> str:
        return f"{self.amount} ({self.quoted_on})"


class Questionnaire(models.Model):
    """One version of the deal's questionnaire (问卷), answered in a rep–manager review."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="questionnaires")
    has_inside_coach = models.BooleanField(_("we have an inside coach"), default=False)
    inside_coach = models.ForeignKey(
        Contact,
        verbose_name=_("inside coach"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    our_fit = models.PositiveSmallIntegerField(
        _("our need fit"), validators=SCORE, null=True, blank=True
    )
    our_closeness = models.PositiveSmallIntegerField(
        _("our relationship closeness"), validators=SCORE, null=True, blank=True
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-answered_at", "-id"]
        get_latest_by = "answered_at"

    def __str__(self) -> str:
        return f"{self.deal} · {self.answered_at:%Y-%m-%d}"


class CompetitorAssessment(models.Model):
    """A competitor's need fit and closeness in one questionnaire version."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="assessments"
    )
    deal_competitor = models.ForeignKey(
        DealCompetitor, on_delete=models.CASCADE, related_name="assessments"
    )
    fit = models.PositiveSmallIntegerField(_("need fit"), validators=SCORE, null=True, blank=True)
    closeness = models.PositiveSmallIntegerField(
        _("relationship closeness"), validators=SCORE, null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "deal_competitor"], name="assessment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deal_competitor}: {self.fit}×{self.closeness}"


class DecisionRole(models.TextChoices):
    APPROVER = "approver", _("Approver")
    DECISION_MAKER = "decision_maker", _("Decision maker")
    EVALUATOR = "evaluator", _("Evaluator")
    USER = "user", _("User")


class RelationshipStrategy(models.TextChoices):
    SUPPRESS = "suppress", _("Suppress")
    DEFEND = "defend", _("Defend")
    MOTIVATE = "motivate", _("Motivate")
    ADVANCE = "advance", _("Advance")
    BALANCE = "balance", _("Balance and coordinate")


class DealPerson(models.Model):
    """A person on the deal's decision map, with role, per-deal status and MNE."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="people")
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="deal_roles"
    )
    decision_role = models.CharField(
        _("decision role"), max_length=20, choices=DecisionRole.choices, blank=True
    )
    inside_coach = models.BooleanField(_("inside coach"), default=False)
    relationship_status = models.CharField(
        _("relationship status in this deal"),
        max_length=20,
        choices=RelationshipStatus.choices,
        default=RelationshipStatus.NEUTRAL,
    )
    strategy = models.CharField(
        _("relationship strategy"), max_length=12, choices=RelationshipStrategy.choices, blank=True
    )
    strategy_reason = models.CharField(_("why another strategy"), max_length=200, blank=True)
    motivation = models.TextField(_("personal motivation"), blank=True)
    need = models.TextField(_("business need"), blank=True)
    expectation = models.TextField(_("expectation of the outcome"), blank=True)

    class Meta:
        verbose_name = _("person on the decision map")
        verbose_name_plural = _("decision map")
        constraints = [
            models.UniqueConstraint(fields=["deal", "contact"], name="deal_person_unique")
        ]

    def __str__(self) -> str:
        return str(self.contact)

    @property
    def relationship_colour(self) -> str:
        from winroom.accounts.models import RELATIONSHIP_COLOURS

        return RELATIONSHIP_COLOURS.get(self.relationship_status, "#8a94a6")


class WinRatePoint(models.Model):
    """The win rate of a deal at one moment; the weekly snapshot keeps one per ISO week."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="win_rate_points")
    week = models.DateField(_("week (Monday)"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    status = models.CharField(max_length=14, choices=WinRateStatus.choices)
    rate = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    factors = models.JSONField(default=list)
    cause = models.CharField(_("what changed"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("win-rate point")
        verbose_name_plural = _("win-rate curve")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "week"], condition=Q(week__isnull=False), name="one_point_a_week"
            )
        ]
        indexes = [models.Index(fields=["deal", "at"])]

    def __str__(self) -> str:
        return f"{self.deal_id} {self.at:%Y-%m-%d}: {self.rate}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Action(Record):
    """A concrete next step with an owner and a due date, linked to a strategy, risk or person."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="deal_actions",
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    person = models.ForeignKey(
        Contact,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    linked_to = models.CharField(_("for (strategy or risk)"), max_length=120, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    objects = alive_manager(RecordQuerySet)
    all_objects = all_records_manager(RecordQuerySet)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Review(models.Model):
    """A coaching review of the deal by the first-line manager with the rep (督导)."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField(_("date"), default=timezone.localdate)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rep"), on_delete=models.PROTECT, related_name="+"
    )
    elements = models.JSONField(_("elements walked through"), default=list)
    decisions = models.TextField(_("decisions"), blank=True)

    class Meta:
        verbose_name = _("coaching review")
        verbose_name_plural = _("coaching reviews")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.deal} · {self.held_on}"


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class PartnerRegistration(models.Model):
    """A partner's deal registration (报备) of an account and product line, for E deals."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="registrations")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="registrations")
    product_line = models.ForeignKey(
        ProductLine, verbose_name=_("product line"), on_delete=models.PROTECT, related_name="+"
    )
    partner = models.CharField(_("partner"), max_length=120)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.SUBMITTED,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    protected_until = models.DateField(_("protected until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("partner registration")
        verbose_name_plural = _("partner registrations")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["account", "product_line", "status"])]

    def __str__(self) -> str:
        return f"{self.partner} · {self.account} · {self.product_line}"


class RequirementVersion(models.Model):
    """One version of the deal's requirement list, with the customer's written sign-off.

    A version written after a signed one is a change request (需求变更).
    """

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="requirement_versions")
    number = models.PositiveIntegerField(_("version"))
    items = models.TextField(_("requirements"), help_text=_("One requirement per line."))
    change_reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    is_change_request = models.BooleanField(_("change request"), default=False)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_at = models.DateTimeField(_("written"), default=timezone.now)
    signed_off_by = models.ForeignKey(
        Contact,
        verbose_name=_("signed off by (customer)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_off_on = models.DateField(_("signed off"), null=True, blank=True)
    document = models.CharField(_("document"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("requirement list")
        verbose_name_plural = _("requirement lists")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["deal", "number"], name="requirement_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.deal} v{self.number}"

    @property
    def item_list(self) -> list[str]:
        return [line.strip() for line in self.items.splitlines() if line.strip()]


class HealthStandard(models.Model):
    """The standard value of one health indicator at one stage (administrators edit it)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="health_standards")
    indicator = models.CharField(_("indicator"), max_length=30)
    value = models.PositiveSmallIntegerField(_("standard"), validators=[MaxValueValidator(100)])

    class Meta:
        verbose_name = _("health standard")
        verbose_name_plural = _("health standards")
        ordering = ["stage__number", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "indicator"], name="health_standard_unique")
        ]

    def __str__(self) -> str:
        return f"{self.stage}: {self.indicator} {self.value}"
