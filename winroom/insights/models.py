"""What the management numbers need beyond the deal room (METHODOLOGY §3.2, §3.3, §3.5):
payments and contracts behind collection and renewal, the revenue-source override of the
balance wheel, the market-capacity table, managers' forecast adjustments and the watch list
of must-win and strategic accounts with its monthly reviews."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from winroom.accounts.models import Account, Industry
from winroom.deals.models import Deal, DealStatus
from winroom.methodology import capacity as core_capacity
from winroom.methodology import forecast_rollup
from winroom.methodology import wheel as core_wheel

RATE = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]
NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


def money_field(label, **kwargs):
    return models.DecimalField(label, max_digits=16, decimal_places=2, **kwargs)


class Payment(models.Model):
    """Money received against a won deal (回款): collection ratio = collected / booked."""

    deal = models.ForeignKey(
        Deal, verbose_name=_("opportunity"), on_delete=models.PROTECT, related_name="payments"
    )
    amount = money_field(_("amount (CNY)"), validators=[MinValueValidator(Decimal("0.01"))])
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["deal", "received_on"])]

    def __str__(self) -> str:
        return f"{self.deal} · {self.amount} ({self.received_on})"

    def clean(self):
        if self.deal_id and self.deal.status != DealStatus.WON:
            raise ValidationError(
                {"deal": _("Payments are recorded against won opportunities only.")}
            )


class Contract(models.Model):
    """The term of the contract a won deal signed; a later deal may renew it (续费)."""

    deal = models.OneToOneField(
        Deal, verbose_name=_("opportunity"), on_delete=models.PROTECT, related_name="contract"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    renewal_of = models.ForeignKey(
        Deal,
        verbose_name=_("renews the contract of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewed_by",
        help_text=_("The earlier opportunity whose contract this one renews."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["ends_on", "id"]
        indexes = [models.Index(fields=["ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="contract_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(renewal_of=models.F("deal")), name="contract_not_own_renewal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deal} · {self.starts_on} – {self.ends_on}"

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A contract cannot end before it starts.")
        if self.renewal_of_id:
            earlier = self.renewal_of
            if earlier.pk == self.deal_id:
                errors["renewal_of"] = _("A contract cannot renew itself.")
            elif self.deal_id and earlier.account_id != self.deal.account_id:
                errors["renewal_of"] = _("A renewal renews a contract of the same account.")
            elif earlier.status != DealStatus.WON:
                errors["renewal_of"] = _("Only the contract of a won opportunity can be renewed.")
        if errors:
            raise ValidationError(errors)


class RevenueSource(models.TextChoices):
    """The four sources of the balance wheel (平衡轮), METHODOLOGY §3.3."""

    RENEWAL = core_wheel.RENEWAL, _("Existing customers' renewals")
    CROSS_SELL = core_wheel.CROSS_SELL, _("Existing customers' cross-sell")
    NEW = core_wheel.NEW, _("New customers")
    COMPETITOR = core_wheel.COMPETITOR, _("Won from competitors")


class RevenueSourceOverride(models.Model):
    """A manager's correction of the revenue source derived for a won deal, with a reason."""

    deal = models.OneToOneField(
        Deal,
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="revenue_source_override",
    )
    source = models.CharField(_("revenue source"), max_length=12, choices=RevenueSource.choices)
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("revenue source override")
        verbose_name_plural = _("revenue source overrides")

    def __str__(self) -> str:
        return f"{self.deal}: {self.get_source_display()}"


class AdjustmentKind(models.TextChoices):
    DELTA = forecast_rollup.DELTA, _("Add or take away")
    OVERRIDE = forecast_rollup.OVERRIDE, _("Replace with")


class ForecastAdjustment(models.Model):
    """A manager's call on a team's or rep's forecast for one month, beside the computed
    number and never instead of it; the latest one per scope and month applies."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="forecast_adjustments_made",
    )
    team = models.ForeignKey(
        "org.Team",
        verbose_name=_("sales team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forecast_adjustments",
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forecast_adjustments",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    kind = models.CharField(_("adjustment"), max_length=10, choices=AdjustmentKind.choices)
    amount = money_field(_("amount (CNY)"))
    reason = models.CharField(_("reason"), max_length=300)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("forecast adjustment")
        verbose_name_plural = _("forecast adjustments")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=False, rep__isnull=True)
                | Q(team__isnull=True, rep__isnull=False),
                name="forecast_adjustment_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(kind=forecast_rollup.DELTA) | Q(amount__gte=0),
                name="forecast_override_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team or self.rep} · {self.month:%Y-%m}: {self.amount}"

    def clean(self):
        errors = {}
        if (self.team_id is None) == (self.rep_id is None):
            errors["team"] = _("Adjust either a team or a rep.")
        if self.month and self.month.day != 1:
            errors["month"] = _("Give the first day of the month.")
        if self.kind == forecast_rollup.OVERRIDE and self.amount is not None and self.amount < 0:
            errors["amount"] = _("A replacement forecast cannot be negative.")
        if not (self.reason or "").strip():
            errors["reason"] = _("Say why you adjust the forecast.")
        if errors:
            raise ValidationError(errors)

    @property
    def adjustment(self) -> forecast_rollup.Adjustment:
        return forecast_rollup.Adjustment(self.kind, Decimal(self.amount))


class WatchKind(models.TextChoices):
    MUST_WIN = "must_win", _("Must win")
    STRATEGIC = "strategic", _("Strategic")


class WatchedAccount(models.Model):
    """An account on the founders' and directors' watch list: must-win (保底) or strategic."""

    account = models.OneToOneField(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="watch"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=WatchKind.choices)
    note = models.CharField(_("why it is watched"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("watched account")
        verbose_name_plural = _("watch list")
        ordering = ["kind", "account__name"]

    def __str__(self) -> str:
        return f"{self.account} ({self.get_kind_display()})"


class WatchReview(models.Model):
    """The monthly review note of a watched account."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="watch_reviews"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    note = models.TextField(_("review note"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("watch-list review")
        verbose_name_plural = _("watch-list reviews")
        ordering = ["-month", "-at", "-id"]
        indexes = [models.Index(fields=["account", "-month"])]

    def __str__(self) -> str:
        return f"{self.account} · {self.month:%Y-%m}"


class SalesModel(models.TextChoices):
    TOOL = core_capacity.TOOL, _("Tool")
    SOLUTION = core_capacity.SOLUTION, _("Solution")
    STRATEGIC = core_capacity.STRATEGIC, _("Strategic")


class CapacityCell(models.Model):
    """One region × industry cell of the market-capacity table for a year (§3.3)."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    region = models.CharField(_("region"), max_length=60)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices)
    target_customers = models.PositiveIntegerField(_("target customers"), default=0)
    existing_customers = models.PositiveIntegerField(
        _("of them our customers"), default=0, help_text=_("Existing customers among the targets.")
    )
    competitor_customers = models.PositiveIntegerField(
        _("of them competitors' customers"), default=0
    )
    market_size = money_field(
        _("market size (CNY)"), null=True, blank=True, validators=NOT_NEGATIVE
    )
    last_year_revenue = money_field(
        _("our revenue last year (CNY)"), default=Decimal(0), validators=NOT_NEGATIVE
    )
    demand_changing = models.BooleanField(
        _("demand is changing"),
        default=True,
        help_text=_("No change in demand → a barren cell: the plan skips it."),
    )
    sales_model = models.CharField(
        _("sales model"), max_length=10, choices=SalesModel.choices, default=SalesModel.SOLUTION
    )
    conversion_existing = models.DecimalField(
        _("conversion: existing customers"),
        max_digits=5,
        decimal_places=4,
        default=Decimal(0),
        validators=RATE,
    )
    conversion_new = models.DecimalField(
        _("conversion: new customers"),
        max_digits=5,
        decimal_places=4,
        default=Decimal(0),
        validators=RATE,
    )
    conversion_competitors = models.DecimalField(
        _("conversion: competitors' customers"),
        max_digits=5,
        decimal_places=4,
        default=Decimal(0),
        validators=RATE,
    )
    average_deal_size = money_field(
        _("average deal size (CNY)"), default=Decimal(0), validators=NOT_NEGATIVE
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("market capacity cell")
        verbose_name_plural = _("market capacity")
        ordering = ["year", "region", "industry"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region", "industry"], name="capacity_cell_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.region} · {self.get_industry_display()}"

    def clean(self):
        if (
            self.existing_customers is not None
            and self.competitor_customers is not None
            and self.target_customers is not None
            and self.existing_customers + self.competitor_customers > self.target_customers
        ):
            raise ValidationError(
                {
                    "target_customers": _(
                        "Our customers and competitors' customers are counted among the "
                        "target customers: they cannot be more."
                    )
                }
            )

    def as_core(self) -> core_capacity.Cell:
        return core_capacity.Cell(
            key=self.pk,
            target_customers=self.target_customers,
            existing_customers=self.existing_customers,
            competitor_customers=self.competitor_customers,
            market_size=self.market_size,
            last_year_revenue=Decimal(self.last_year_revenue),
            demand_changing=self.demand_changing,
            sales_model=self.sales_model,
            conversion_existing=Decimal(self.conversion_existing),
            conversion_new=Decimal(self.conversion_new),
            conversion_competitors=Decimal(self.conversion_competitors),
            average_deal_size=Decimal(self.average_deal_size),
        )
