"""Targets, seller types, the monthly ranking and commissions (METHODOLOGY §3.3, §3.6).

Everything here is about one rep's pay and standing, so it is read only by the rep, the rep's
managers (transitively) and administrators — ``visible_to`` on each queryset says so through
``winroom.org.access.owned_q`` with the rep as the owner. The arithmetic is the methodology
core's (``targets``, ``credit``, ``ranking``, ``commission``); these models store its inputs
and its results.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from winroom.accounts.models import Account
from winroom.deals.models import Deal, ProductLine
from winroom.methodology import commission as core_commission
from winroom.methodology import credit as core_credit
from winroom.methodology import targets as core_targets
from winroom.methodology.errors import MethodologyError
from winroom.org.access import owned_q

MONEY = {"max_digits": 16, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal(0))]
FRACTION = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]


class RepScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The rep, the rep's managers (transitively) and administrators."""
        return self.filter(owned_q(user, owner_field="rep"))


# -- seller types (§3.6) ----------------------------------------------------------------


class SellerType(models.TextChoices):
    ACCOUNT = core_credit.ACCOUNT, _("Account seller (AE)")
    SOLUTION = core_credit.SOLUTION, _("Solution seller (SSP)")
    PROJECT = core_credit.PROJECT, _("Project seller")


class SellerProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(owned_q(user, owner_field="user"))


class SellerProfile(models.Model):
    """How a rep is credited with bookings: their seller type and what they cover."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        related_name="seller_profile",
    )
    seller_type = models.CharField(
        _("seller type"), max_length=10, choices=SellerType.choices, default=SellerType.ACCOUNT
    )
    accounts = models.ManyToManyField(
        Account,
        verbose_name=_("covered accounts"),
        blank=True,
        related_name="seller_profiles",
        help_text=_("Account sellers are also credited at the accounts they own."),
    )
    regions = models.JSONField(_("regions"), default=list, blank=True)
    product_lines = models.ManyToManyField(
        ProductLine, verbose_name=_("product lines"), blank=True, related_name="seller_profiles"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SellerProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("seller profile")
        verbose_name_plural = _("seller profiles")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_seller_type_display()}"


# -- targets (§3.3) -----------------------------------------------------------------------


class RepTarget(models.Model):
    """A rep's targets for one year: management's baseline (保底) with its must-win accounts
    and the challenge (挑战), the baseline's monthly split, and the rep's own bottom-up number."""

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    baseline = models.DecimalField(
        _("baseline target (CNY)"),
        **MONEY,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text=_("Set by management (top-down); includes the must-win accounts."),
    )
    challenge = models.DecimalField(
        _("challenge target (CNY)"), **MONEY, null=True, blank=True, validators=NON_NEGATIVE
    )
    monthly = models.JSONField(
        _("monthly split"),
        default=list,
        blank=True,
        help_text=_("Twelve monthly values that sum to the baseline target."),
    )
    must_win_accounts = models.ManyToManyField(
        Account, verbose_name=_("must-win accounts"), blank=True, related_name="must_win_targets"
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set"), null=True, blank=True)
    bottom_up = models.DecimalField(
        _("bottom-up target (CNY)"),
        **MONEY,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text=_("The rep's own number, built from their accounts."),
    )
    bottom_up_note = models.TextField(_("how the bottom-up number is built"), blank=True)
    bottom_up_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    objects = RepScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rep target")
        verbose_name_plural = _("rep targets")
        ordering = ["-year", "rep__username"]
        constraints = [models.UniqueConstraint(fields=["rep", "year"], name="rep_target_year")]

    def __str__(self) -> str:
        return f"{self.rep} · {self.year}"

    def clean(self):
        errors = {}
        if (
            self.baseline is not None
            and self.challenge is not None
            and self.challenge < self.baseline
        ):
            errors["challenge"] = _("The challenge target cannot be below the baseline.")
        if self.baseline is None:
            if self.monthly:
                errors["monthly"] = _("Set the baseline before splitting it by month.")
        else:
            try:
                core_targets.check_split(self.baseline, self.monthly)
            except MethodologyError:
                errors["monthly"] = _(
                    "Twelve monthly values, none negative, that sum to the baseline target."
                )
        if errors:
            raise ValidationError(errors)

    def monthly_values(self) -> list[Decimal]:
        if self.baseline is None:
            return []
        if len(self.monthly) != core_targets.MONTHS:
            return core_targets.even_split(self.baseline)
        return [Decimal(str(v)) for v in self.monthly]

    def target_for(self, months) -> Decimal | None:
        """The baseline target of the given months (None before management sets it)."""
        values = self.monthly_values()
        if not values:
            return None
        return core_targets.period_target(values, months)


# -- the monthly ranking (§3.6) -----------------------------------------------------------


class RankingWeights(models.Model):
    """The weights of the monthly ranking's composite (one row, administrators edit it)."""

    attainment = models.DecimalField(
        _("weight: target attainment"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        validators=NON_NEGATIVE,
    )
    relationship = models.DecimalField(
        _("weight: relationship score"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(25),
        validators=NON_NEGATIVE,
    )
    visits = models.DecimalField(
        _("weight: effective visits"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(25),
        validators=NON_NEGATIVE,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ranking weights")
        verbose_name_plural = _("ranking weights")

    def __str__(self) -> str:
        return str(_("ranking weights"))

    def clean(self):
        if self.attainment + self.relationship + self.visits <= 0:
            raise ValidationError(_("At least one weight must be positive."))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "RankingWeights":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    def as_weights(self) -> dict[str, Decimal]:
        return {
            "attainment": Decimal(self.attainment),
            "relationship": Decimal(self.relationship),
            "visits": Decimal(self.visits),
        }


class RankingGroup(models.TextChoices):
    TOP = "top", _("Top group")
    MIDDLE = "middle", _("Middle")
    BOTTOM = "bottom", _("Bottom group")


class RankingSnapshot(models.Model):
    """One rep's place in one month's ranking, with the inputs and scaled values behind it."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        related_name="ranking_snapshots",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    rep_count = models.PositiveSmallIntegerField(_("reps ranked"))
    group = models.CharField(_("group"), max_length=6, choices=RankingGroup.choices)
    score = models.DecimalField(_("composite score"), max_digits=6, decimal_places=2)
    attainment = models.DecimalField(
        _("attainment"), max_digits=9, decimal_places=4, null=True, blank=True
    )
    credited = models.DecimalField(_("credited bookings (CNY)"), **MONEY, default=Decimal(0))
    target = models.DecimalField(_("target (CNY)"), **MONEY, null=True, blank=True)
    relationship = models.DecimalField(
        _("relationship score"), max_digits=5, decimal_places=1, default=Decimal(0)
    )
    effective_visits = models.PositiveIntegerField(_("effective visits"), default=0)
    scaled = models.JSONField(_("scaled values"), default=dict)
    weights = models.JSONField(_("weights"), default=dict)
    tied_across_boundary = models.BooleanField(_("tied across a group boundary"), default=False)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    objects = RepScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ranking snapshot")
        verbose_name_plural = _("ranking snapshots")
        ordering = ["-month", "position"]
        constraints = [
            models.UniqueConstraint(fields=["month", "rep"], name="ranking_month_rep"),
        ]
        indexes = [models.Index(fields=["month", "position"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} #{self.position} {self.rep}"


class RankingReview(models.Model):
    """The review of a bottom-group rep's month with the founder: causes and the help agreed."""

    month = models.DateField(_("month"))
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        related_name="ranking_reviews",
    )
    causes = models.TextField(_("causes"))
    help_agreed = models.TextField(_("help agreed"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("reviewed"), default=timezone.now)

    objects = RepScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ranking review")
        verbose_name_plural = _("ranking reviews")
        ordering = ["-month", "rep__username"]
        constraints = [
            models.UniqueConstraint(fields=["month", "rep"], name="ranking_review_month_rep"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.rep}"


# -- commissions (§3.6) -------------------------------------------------------------------


class PeriodKind(models.TextChoices):
    MONTH = core_targets.MONTH, _("Month")
    QUARTER = core_targets.QUARTER, _("Quarter")
    YEAR = core_targets.YEAR, _("Year")


class CommissionPlan(models.Model):
    """The commission rules of one year, as the administrator sets them (one active a year)."""

    name = models.CharField(_("name"), max_length=120)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    is_active = models.BooleanField(_("in force"), default=True)
    period = models.CharField(
        _("statement period"), max_length=8, choices=PeriodKind.choices, default=PeriodKind.QUARTER
    )
    base_rate = models.DecimalField(
        _("base rate on orders"),
        max_digits=6,
        decimal_places=4,
        default=Decimal("0.02"),
        validators=FRACTION,
        help_text=_("A fraction: 0.02 is 2 % of the orders up to the period's baseline target."),
    )
    over_multiple = models.DecimalField(
        _("over-target multiple"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(2),
        validators=[MinValueValidator(Decimal(1))],
        help_text=_("Orders above the target pay the base rate times this (e.g. 2 or 3)."),
    )
    revenue_rate = models.DecimalField(
        _("rate on recognised revenue"),
        max_digits=6,
        decimal_places=4,
        default=Decimal(0),
        validators=FRACTION,
    )
    collection_rate = models.DecimalField(
        _("rate on collections"),
        max_digits=6,
        decimal_places=4,
        default=Decimal(0),
        validators=FRACTION,
    )
    strategic_accounts = models.ManyToManyField(
        Account,
        verbose_name=_("strategic accounts"),
        blank=True,
        related_name="commission_plans",
        help_text=_("A booking at one of these pays the strategic-breakthrough award once."),
    )
    strategic_award = models.DecimalField(
        _("strategic-breakthrough award (CNY)"),
        **MONEY,
        default=Decimal(0),
        validators=NON_NEGATIVE,
    )
    margin_red_line = models.DecimalField(
        _("gross-margin red line"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=FRACTION,
        help_text=_("Leave empty for no margin band. A fraction: 0.30 is 30 %."),
    )
    margin_band_low = models.DecimalField(
        _("margin band from"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=FRACTION,
    )
    margin_band_high = models.DecimalField(
        _("margin band to"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=FRACTION,
    )
    margin_share = models.DecimalField(
        _("rep's share of the band"),
        max_digits=5,
        decimal_places=4,
        default=Decimal(1),
        validators=FRACTION,
    )
    payout_within_days = models.PositiveSmallIntegerField(
        _("pay within (days)"),
        default=30,
        help_text=_("A payout is on time when paid within this many days of being earned."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("commission plan")
        verbose_name_plural = _("commission plans")
        ordering = ["-year", "-is_active", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(is_active=True), name="one_active_plan_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def get_constraints(self):
        # saving an active plan retires the year's other active one (actions.save_plan), so
        # the one-active-plan rule is not an error to show on the form
        return [
            (model, [c for c in constraints if c.name != "one_active_plan_a_year"])
            for model, constraints in super().get_constraints()
        ]

    @property
    def has_margin_band(self) -> bool:
        return self.margin_red_line is not None

    def clean(self):
        band = [self.margin_red_line, self.margin_band_low, self.margin_band_high]
        if any(v is not None for v in band):
            if any(v is None for v in band):
                raise ValidationError(
                    _("The margin band needs its red line and both bounds, or none of them.")
                )
            if self.margin_band_low > self.margin_band_high:
                raise ValidationError(
                    {"margin_band_high": _("The band's upper bound is below its lower bound.")}
                )

    def core_plan(self, *, target: Decimal | None, strategic_ids) -> core_commission.Plan:
        """The methodology core's plan for one rep's period (order target = their baseline)."""
        components = {
            "order": core_commission.Component(
                rate=Decimal(self.base_rate),
                target=target,
                over_multiple=Decimal(self.over_multiple),
            )
        }
        if self.revenue_rate:
            components["revenue"] = core_commission.Component(rate=Decimal(self.revenue_rate))
        if self.collection_rate:
            components["collection"] = core_commission.Component(rate=Decimal(self.collection_rate))
        band = None
        if self.has_margin_band:
            band = core_commission.MarginBand(
                red_line=Decimal(self.margin_red_line),
                band_low=Decimal(self.margin_band_low),
                band_high=Decimal(self.margin_band_high),
                share=Decimal(self.margin_share),
            )
        return core_commission.Plan(
            components=components,
            strategic_award=Decimal(self.strategic_award),
            strategic_accounts=frozenset(strategic_ids),
            margin_band=band,
        )


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class CommissionStatement(models.Model):
    """One rep's commission for one period: every line with the rule behind it, and the total.

    Built from the database's facts by the core (``winroom.incentives.commissions``); a draft
    is rebuilt whenever asked, an approved statement no longer changes.
    """

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        related_name="commission_statements",
    )
    plan = models.ForeignKey(
        CommissionPlan,
        verbose_name=_("commission plan"),
        on_delete=models.PROTECT,
        related_name="statements",
    )
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until (exclusive)"))
    status = models.CharField(
        _("status"), max_length=10, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    target = models.DecimalField(_("period target (CNY)"), **MONEY, null=True, blank=True)
    amounts = models.JSONField(_("amounts"), default=dict)
    bookings = models.JSONField(_("credited bookings"), default=list)
    lines = models.JSONField(_("lines"), default=list)
    must_win_lost = models.JSONField(_("must-win accounts lost"), default=list)
    gaps = models.JSONField(_("facts the system does not record"), default=list)
    earned = models.DecimalField(_("earned (CNY)"), **MONEY, default=Decimal(0))
    total = models.DecimalField(_("payable (CNY)"), **MONEY, default=Decimal(0))
    forfeited = models.BooleanField(_("forfeited"), default=False)
    built_at = models.DateTimeField(_("built"), default=timezone.now)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("built by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    objects = RepScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("commission statement")
        verbose_name_plural = _("commission statements")
        ordering = ["-period_start", "rep__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["rep", "plan", "period_start"], name="statement_rep_plan_period"
            )
        ]
        indexes = [models.Index(fields=["period_start", "status"])]

    def __str__(self) -> str:
        return f"{self.rep} · {self.period_start:%Y-%m-%d}"

    @property
    def is_approved(self) -> bool:
        return self.status == StatementStatus.APPROVED

    @property
    def last_day(self):
        from datetime import timedelta

        return self.period_end - timedelta(days=1)


class Payout(models.Model):
    """The payment of an approved statement: when it was earned and when it was paid."""

    statement = models.OneToOneField(
        CommissionStatement,
        verbose_name=_("commission statement"),
        on_delete=models.CASCADE,
        related_name="payout",
    )
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    earned_on = models.DateField(_("earned"))
    paid_on = models.DateField(_("paid"), null=True, blank=True)
    paid_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-earned_on", "pk"]

    def __str__(self) -> str:
        return f"{self.statement} · {self.amount}"

    def core(self) -> core_commission.Payout:
        return core_commission.Payout(Decimal(self.amount), self.earned_on, self.paid_on)


class DealMargin(models.Model):
    """The gross margin of a deal, for the commission's margin band (kept beside the deal)."""

    deal = models.OneToOneField(
        Deal, verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="margin"
    )
    gross_margin = models.DecimalField(
        _("gross margin"),
        max_digits=5,
        decimal_places=4,
        validators=FRACTION,
        help_text=_("A fraction of the amount: 0.35 is 35 %."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("deal gross margin")
        verbose_name_plural = _("deal gross margins")

    def __str__(self) -> str:
        return f"{self.deal} · {self.gross_margin}"
