"""Forms of the deal room; the rules themselves live in actions and the methodology core."""

from django import forms
from django.utils.translation import gettext_lazy as _

from winroom.accounts.forms import VersionedForm
from winroom.accounts.models import Account, Contact, TeamRole
from winroom.attributes.forms import CustomAttributesMixin
from winroom.org.access import assignable_users, can_reassign
from winroom.org.models import User

from .models import (
    Competitor,
    Deal,
    DealPerson,
    DealStatus,
    Grade,
    Stage,
)

SCORES = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DealForm(CustomAttributesMixin, VersionedForm):
    custom_target = "deal"

    class Meta:
        model = Deal
        fields = [
            "account",
            "name",
            "amount",
            "expected_close",
            "owner",
            "product_lines",
            "source",
            "partner_led",
            "partner",
            "sole_source",
            "competitive_strategy",
            "tactics",
            "value_proposition",
            "internal_approved_on",
        ]
        widgets = {
            "expected_close": DATE,
            "internal_approved_on": DATE,
            "product_lines": forms.CheckboxSelectMultiple,
            "tactics": forms.Textarea(attrs={"rows": 2}),
            "value_proposition": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.visible_to(user).order_by("name")
        owner = self.fields["owner"]
        owner.queryset = assignable_users(user).order_by("display_name", "username")
        owner.required = False
        owner.empty_label = _("Me")
        if self.instance.pk:
            self.fields["account"].disabled = True
            owner.required = True
            if not can_reassign(user, self.instance):
                owner.disabled = True
                owner.queryset = User.objects.filter(pk=self.instance.owner_id)


class AdvanceForm(forms.Form):
    stage = forms.ModelChoiceField(queryset=Stage.objects.all(), label=_("stage"))
    internal_approved_on = forms.DateField(
        label=_("internal approval given"), required=False, widget=DATE
    )
    tender_influenced_on = forms.DateField(
        label=_("customer started drafting the tender"), required=False, widget=DATE
    )
    tender_issued_on = forms.DateField(label=_("tender issued"), required=False, widget=DATE)
    bid_result_on = forms.DateField(label=_("bid result announced"), required=False, widget=DATE)
    reconfirm_event = forms.BooleanField(
        label=_("the compelling event still holds (re-confirm it in this stage)"), required=False
    )

    def milestones(self) -> dict:
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("stage", "reconfirm_event") and v is not None
        }


class GradeForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("grade override"), choices=[("", _("(by amount)")), *Grade.choices], required=False
    )
    reason = forms.CharField(label=_("override reason"), required=False, max_length=200)


class CompellingEventForm(forms.Form):
    description = forms.CharField(
        label=_("description"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("Why must the customer act, by when?")}),
    )
    due_on = forms.DateField(label=_("date"), required=False, widget=DATE)
    evidence = forms.CharField(
        label=_("evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("evidence")}),
    )


class CompetitorForm(forms.Form):
    competitor = forms.ModelChoiceField(
        queryset=Competitor.objects.order_by("name"), label=_("competitor"), required=False
    )
    new_name = forms.CharField(label=_("or a new competitor"), required=False, max_length=120)
    relationships = forms.CharField(
        label=_("relationships with the customer's people"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("competitor") and not (data.get("new_name") or "").strip():
            raise forms.ValidationError(
                _("Choose a competitor from the library or name a new one.")
            )
        return data


class QuoteForm(forms.Form):
    amount = forms.DecimalField(
        label=_("amount (CNY)"), min_value=0, max_digits=16, decimal_places=2
    )
    quoted_on = forms.DateField(label=_("date"), widget=DATE)
    source = forms.CharField(label=_("source of the information"), required=False, max_length=200)


class QuestionnaireForm(forms.Form):
    """Inside coach first, then fit and closeness for us and each competitor taking part."""

    has_inside_coach = forms.TypedChoiceField(
        label=_("Do we have an inside coach?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    inside_coach = forms.ModelChoiceField(
        queryset=Contact.objects.none(), label=_("inside coach"), required=False
    )
    our_fit = forms.TypedChoiceField(
        label=_("our need fit"), choices=SCORES, coerce=int, empty_value=None, required=False
    )
    our_closeness = forms.TypedChoiceField(
        label=_("our relationship closeness"),
        choices=SCORES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, deal, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = list(entries)
        self.fields["inside_coach"].queryset = Contact.objects.filter(account_id=deal.account_id)
        for entry in self.entries:
            self.fields[f"fit_{entry.pk}"] = forms.TypedChoiceField(
                label=_("%(name)s: need fit") % {"name": entry.competitor},
                choices=SCORES,
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"closeness_{entry.pk}"] = forms.TypedChoiceField(
                label=_("%(name)s: relationship closeness") % {"name": entry.competitor},
                choices=SCORES,
                coerce=int,
                empty_value=None,
                required=False,
            )

    def competitor_scores(self) -> dict:
        return {
            entry: (
                self.cleaned_data.get(f"fit_{entry.pk}"),
                self.cleaned_data.get(f"closeness_{entry.pk}"),
            )
            for entry in self.entries
        }


class PersonForm(forms.ModelForm):
    class Meta:
        model = DealPerson
        fields = [
            "contact",
            "decision_role",
            "inside_coach",
            "relationship_status",
            "strategy",
            "strategy_reason",
            "motivation",
            "need",
            "expectation",
        ]
        widgets = {
            "motivation": forms.Textarea(attrs={"rows": 2}),
            "need": forms.Textarea(attrs={"rows": 2}),
            "expectation": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, deal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(
            account_id=deal.account_id
        ).order_by("name")

    def validate_unique(self):
        pass  # mapping someone again updates their entry


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("outcome"),
        choices=[(k, v) for k, v in DealStatus.choices if k != DealStatus.OPEN],
    )
    lost_reason = forms.CharField(
        label=_("reason lost"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    winner = forms.ModelChoiceField(
        queryset=Competitor.objects.order_by("name"), label=_("winner"), required=False
    )
    no_decision = forms.BooleanField(label=_("customer made no decision"), required=False)


class ActionForm(forms.Form):
    title = forms.CharField(label=_("action"), max_length=200)
    owner = forms.ModelChoiceField(queryset=User.objects.none(), label=_("owner"))
    due_on = forms.DateField(label=_("due"), widget=DATE)
    person = forms.ModelChoiceField(
        queryset=Contact.objects.none(), label=_("person"), required=False
    )
    linked_to = forms.CharField(label=_("for (strategy or risk)"), required=False, max_length=120)

    def __init__(self, *args, deal, user, **kwargs):
        super().__init__(*args, **kwargs)
        ids = set(deal.member_ids()) | set(assignable_users(user).values_list("pk", flat=True))
        self.fields["owner"].queryset = User.objects.filter(pk__in=ids, is_active=True)
        self.fields["owner"].initial = user.pk
        self.fields["person"].queryset = Contact.objects.filter(
            account_id=deal.account_id
        ).order_by("name")


REVIEW_ELEMENTS = [
    ("compelling_event", _("compelling event")),
    ("questionnaire", _("questionnaire")),
    ("decision_map", _("decision map")),
    ("win_rate", _("win rate")),
    ("strategy", _("strategy")),
    ("value_proposition", _("value proposition")),
    ("actions", _("actions")),
]


class ReviewForm(forms.Form):
    held_on = forms.DateField(label=_("date"), widget=DATE)
    elements = forms.MultipleChoiceField(
        label=_("elements walked through"),
        choices=REVIEW_ELEMENTS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    decisions = forms.CharField(
        label=_("decisions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    new_action = forms.CharField(label=_("new action"), required=False, max_length=200)
    new_action_due = forms.DateField(label=_("due"), required=False, widget=DATE)


class RegistrationForm(forms.Form):
    product_line = forms.ModelChoiceField(queryset=None, label=_("product line"))
    partner = forms.CharField(label=_("partner"), max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import ProductLine

        self.fields["product_line"].queryset = ProductLine.objects.all()


class RequirementsForm(forms.Form):
    items = forms.CharField(
        label=_("requirements"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One requirement per line."),
    )
    change_reason = forms.CharField(
        label=_("reason for the change"), required=False, max_length=300
    )


class SignOffForm(forms.Form):
    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(), label=_("signed off by (customer)")
    )
    signed_on = forms.DateField(label=_("signed off"), widget=DATE)
    document = forms.CharField(label=_("document"), required=False, max_length=200)

    def __init__(self, *args, deal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(
            account_id=deal.account_id
        ).order_by("name")


class ValueForm(forms.ModelForm):
    class Meta:
        model = Deal
        fields = [
            "value_proposition",
            "business_value",
            "product_value",
            "seller_value",
            "perception",
            "customer_cost",
        ]
        widgets = {
            "value_proposition": forms.Textarea(attrs={"rows": 2}),
            "business_value": forms.Textarea(attrs={"rows": 2}),
        }


class ComparisonForm(forms.Form):
    solution = forms.CharField(
        label=_("solution compared with ours"), required=False, max_length=300
    )
    relationships = forms.CharField(
        label=_("relationships compared with ours"), required=False, max_length=300
    )
    strength = forms.CharField(
        label=_("hardware/software strength compared with ours"), required=False, max_length=300
    )


class DealMemberForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.filter(is_active=True), label=_("user"))
    role = forms.ChoiceField(
        choices=TeamRole.choices, label=_("role"), initial=TeamRole.SOLUTION_MANAGER
    )
