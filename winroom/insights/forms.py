"""Forms of the management pages: the scope and period picker and the few things people
record here (forecast adjustments, revenue-source overrides, payments and contract terms,
watch-list entries and reviews, the market-capacity table)."""

from datetime import date
from decimal import Decimal

from django import forms
from django.forms import modelformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from winroom.accounts.models import Account
from winroom.methodology import periods as core_periods
from winroom.methodology import wheel as core_wheel
from winroom.methodology.errors import MethodologyError

from . import scope as scopes
from .models import (
    AdjustmentKind,
    CapacityCell,
    Contract,
    Payment,
    RevenueSource,
    RevenueSourceOverride,
    WatchedAccount,
    WatchReview,
)

DATE = forms.DateInput(attrs={"type": "date"})
PERIOD_CHOICES = [
    (core_periods.MONTH, _("Month")),
    (core_periods.QUARTER, _("Quarter")),
    (core_periods.YEAR, _("Year")),
    (core_periods.CUSTOM, _("From – to")),
]


class PeriodForm(forms.Form):
    """Whose numbers and which days: a preset holding a day, or any run of days."""

    scope = forms.ChoiceField(label=_("for"), required=False)
    period = forms.ChoiceField(
        label=_("period"), choices=PERIOD_CHOICES, required=False, initial=core_periods.QUARTER
    )
    day = forms.DateField(
        label=_("holding the day"),
        required=False,
        widget=DATE,
        help_text=_("Any day of the month, quarter or year to show (default: today)."),
    )
    start = forms.DateField(label=_("from"), required=False, widget=DATE)
    end = forms.DateField(label=_("to"), required=False, widget=DATE)

    def __init__(self, data, *, access, teams_only=False, default_period=core_periods.QUARTER):
        data = data.copy() if data is not None else {}
        super().__init__(data)
        self.default_period = default_period
        self.fields["scope"].choices = scopes.choices(access, teams_only=teams_only)
        self.fields["period"].initial = default_period

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("period") or self.default_period
        try:
            if kind == core_periods.CUSTOM:
                start, end = cleaned.get("start"), cleaned.get("end")
                if not start or not end:
                    raise forms.ValidationError(_("Give the first and the last day."))
                cleaned["resolved"] = core_periods.custom(start, end)
            else:
                day = cleaned.get("day") or timezone.localdate()
                cleaned["resolved"] = core_periods.preset(kind, day)
        except MethodologyError as error:
            raise forms.ValidationError(
                _("Choose a period of at most ten years that does not end before it starts.")
            ) from error
        return cleaned

    def resolved(self) -> core_periods.Period:
        """The period asked for; the default one when the form is invalid."""
        if self.is_valid():
            return self.cleaned_data["resolved"]
        return core_periods.preset(self.default_period, timezone.localdate())


class GrowthForm(forms.Form):
    """A growth target and, optionally, how much of it each source must bring (%)."""

    growth = forms.DecimalField(
        label=_("target growth (%)"),
        min_value=Decimal(0),
        max_value=Decimal(1000),
        decimal_places=2,
        initial=Decimal(40),
    )
    custom = forms.BooleanField(
        label=_("set each source's part myself"),
        required=False,
        help_text=_("Otherwise each source grows in proportion to its share today."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(RevenueSource.choices)
        for source in core_wheel.SOURCES:
            self.fields[f"part_{source}"] = forms.DecimalField(
                label=_("%(source)s: part of the increase (%%)") % {"source": labels[source]},
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=2,
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("custom"):
            parts = {s: cleaned.get(f"part_{s}") or Decimal(0) for s in core_wheel.SOURCES}
            if sum(parts.values()) != 100:
                raise forms.ValidationError(_("The parts of the sources must add up to 100 %."))
            cleaned["weights"] = {s: v / 100 for s, v in parts.items()}
        else:
            cleaned["weights"] = None
        return cleaned


class AdjustmentForm(forms.Form):
    """A manager's call on one team's or person's month (the action checks who may)."""

    target = forms.ChoiceField(label=_("adjust"))
    month = forms.DateField(
        label=_("month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    kind = forms.ChoiceField(label=_("adjustment"), choices=AdjustmentKind.choices)
    amount = forms.DecimalField(label=_("amount (CNY)"), max_digits=16, decimal_places=2)
    reason = forms.CharField(label=_("reason"), max_length=300)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = list(targets)

    def clean_month(self):
        month = self.cleaned_data["month"]
        return date(month.year, month.month, 1)

    def clean_reason(self):
        reason = " ".join((self.cleaned_data.get("reason") or "").split())
        if not reason:
            raise forms.ValidationError(_("Say why you adjust the forecast."))
        return reason

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == AdjustmentKind.OVERRIDE and (cleaned.get("amount") or 0) < 0:
            self.add_error("amount", _("A replacement forecast cannot be negative."))
        return cleaned


class OverrideForm(forms.ModelForm):
    class Meta:
        model = RevenueSourceOverride
        fields = ["source", "reason"]


class PaymentForm(forms.ModelForm):
    class Meta:
        model = Payment
        fields = ["amount", "received_on", "note"]
        widgets = {"received_on": DATE}


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = ["starts_on", "ends_on", "renewal_of"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, renewable=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["renewal_of"].queryset = renewable
        self.fields["renewal_of"].required = False


class WatchForm(forms.ModelForm):
    class Meta:
        model = WatchedAccount
        fields = ["account", "kind", "note"]

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = (
            accounts if accounts is not None else Account.objects.none()
        ).filter(watch__isnull=True)


class ReviewForm(forms.ModelForm):
    class Meta:
        model = WatchReview
        fields = ["note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


CAPACITY_FIELDS = [
    "region",
    "industry",
    "target_customers",
    "existing_customers",
    "competitor_customers",
    "market_size",
    "last_year_revenue",
    "demand_changing",
    "sales_model",
    "conversion_existing",
    "conversion_new",
    "conversion_competitors",
    "average_deal_size",
]


class CapacityCellForm(forms.ModelForm):
    class Meta:
        model = CapacityCell
        fields = CAPACITY_FIELDS

    def __init__(self, *args, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        if year is not None:
            self.instance.year = year
        for name in ("region",):
            self.fields[name].widget.attrs["size"] = 8

    def validate_unique(self):
        # the year is not a form field: check the cell's key with it
        self.instance.year = self.year or self.instance.year
        super().validate_unique()
        if (
            self.instance.year
            and self.cleaned_data.get("region")
            and self.cleaned_data.get("industry")
        ):
            clash = CapacityCell.objects.filter(
                year=self.instance.year,
                region=self.cleaned_data["region"],
                industry=self.cleaned_data["industry"],
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("region", _("This year has a cell for this region and industry."))


CapacityFormSet = modelformset_factory(
    CapacityCell, form=CapacityCellForm, extra=1, can_delete=True
)
