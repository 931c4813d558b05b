"""Forms of targets, seller profiles, ranking weights and reviews, commission plans and
statements; the rules live in actions, the models' clean() and the core."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from winroom.accounts.models import Account
from winroom.deals.models import ProductLine
from winroom.methodology import targets as core_targets

from .models import CommissionPlan, RankingWeights, SellerType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})
MONTH_FIELDS = [f"month_{m}" for m in range(1, 13)]


def money_field(label, *, required=False):
    return forms.DecimalField(
        label=label, required=required, min_value=0, max_digits=16, decimal_places=2
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)


class TargetForm(forms.Form):
    """Management's numbers for a rep's year; months left empty are split evenly."""

    baseline = money_field(_("baseline target (CNY)"), required=True)
    challenge = money_field(_("challenge target (CNY)"))
    must_win = forms.ModelMultipleChoiceField(
        label=_("must-win accounts"),
        queryset=Account.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if accounts is not None:
            self.fields["must_win"].queryset = accounts
        for number, name in enumerate(MONTH_FIELDS, start=1):
            self.fields[name] = money_field(_("month %(n)s") % {"n": number})

    def monthly(self) -> list[Decimal] | None:
        values = [self.cleaned_data.get(name) for name in MONTH_FIELDS]
        if all(v is None for v in values):
            return None
        return [v or Decimal(0) for v in values]

    def clean(self):
        data = super().clean()
        baseline, monthly = data.get("baseline"), None
        if baseline is not None and not self.errors:
            monthly = self.monthly()
            if monthly is not None and sum(monthly) != baseline:
                raise forms.ValidationError(
                    _("The months sum to %(sum)s, not to the baseline target %(baseline)s.")
                    % {"sum": sum(monthly), "baseline": baseline}
                )
        return data

    @staticmethod
    def initial_for(target) -> dict:
        if target is None:
            return {}
        initial = {
            "baseline": target.baseline,
            "challenge": target.challenge,
            "must_win": list(target.must_win_accounts.all()),
        }
        for name, value in zip(MONTH_FIELDS, target.monthly_values(), strict=False):
            initial[name] = value
        return initial


class BottomUpForm(forms.Form):
    bottom_up = money_field(_("my bottom-up target (CNY)"), required=True)
    note = forms.CharField(
        label=_("how the number is built"), widget=TEXT, required=False, max_length=4000
    )


class SellerProfileForm(forms.Form):
    seller_type = forms.ChoiceField(label=_("seller type"), choices=SellerType.choices)
    accounts = forms.ModelMultipleChoiceField(
        label=_("covered accounts"),
        queryset=Account.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    regions = forms.CharField(
        label=_("regions"),
        required=False,
        max_length=500,
        help_text=_("Comma-separated, as written on the accounts (for solution sellers)."),
    )
    product_lines = forms.ModelMultipleChoiceField(
        label=_("product lines"),
        queryset=ProductLine.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if accounts is not None:
            self.fields["accounts"].queryset = accounts

    def region_list(self) -> list[str]:
        text = self.cleaned_data.get("regions", "").replace("，", ",")
        return [part.strip() for part in text.split(",") if part.strip()]


class WeightsForm(forms.ModelForm):
    class Meta:
        model = RankingWeights
        fields = ["attainment", "relationship", "visits"]


class ReviewForm(forms.Form):
    causes = forms.CharField(label=_("causes"), widget=TEXT, max_length=4000)
    help_agreed = forms.CharField(label=_("help agreed"), widget=TEXT, max_length=4000)


class CommissionPlanForm(forms.ModelForm):
    class Meta:
        model = CommissionPlan
        fields = [
            "name",
            "year",
            "is_active",
            "period",
            "base_rate",
            "over_multiple",
            "revenue_rate",
            "collection_rate",
            "strategic_accounts",
            "strategic_award",
            "margin_red_line",
            "margin_band_low",
            "margin_band_high",
            "margin_share",
            "payout_within_days",
        ]
        widgets = {"strategic_accounts": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategic_accounts"].queryset = Account.objects.order_by("name")
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year


class BuildStatementsForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_("commission plan"), queryset=CommissionPlan.objects.filter(is_active=True)
    )
    day = forms.DateField(
        label=_("a day in the period"),
        widget=DATE,
        help_text=_(
            "The statements are built for the plan's period (month, quarter or year) "
            "that contains this day."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["day"].initial = core_targets.previous(
            core_targets.period_of(core_targets.QUARTER, today)
        ).start


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("paid on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class MarginForm(forms.Form):
    gross_margin = forms.DecimalField(
        label=_("gross margin"),
        min_value=0,
        max_value=1,
        max_digits=5,
        decimal_places=4,
        help_text=_("A fraction of the amount: 0.35 is 35 %."),
    )


def month_choices(today: date, count: int = 12) -> list[tuple[str, str]]:
    """The last ``count`` months, newest first, as ('2026-05', '2026-05')."""
    result = []
    year, month = today.year, today.month
    for _step in range(count):
        text = f"{year}-{month:02d}"
        result.append((text, text))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return result
