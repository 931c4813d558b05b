"""Forms of the account plan and the canvas; the rules live in actions and the core."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from winroom.accounts.forms import VersionedForm
from winroom.accounts.models import Contact, RelationshipLevel
from winroom.deals.models import Deal
from winroom.org.access import assignable_users

from .actions import DEFAULT_LINK_DAYS, MAX_LINK_DAYS
from .models import (
    ELEMENT_LABELS,
    ELEMENT_QUESTIONS,
    AccountPlan,
    CellState,
    Horizon,
    Initiative,
    LinkLanguage,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCORES = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]
TEXT = forms.Textarea(attrs={"rows": 3})

#: the plan's sections edited in place: section → fields
SECTIONS = {
    "context": ["status", "strategy", "environment"],
    "outcomes": ["quick_win", "year_outcome"],
}


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


def section_form(section: str):
    """The form of one section of the plan (404 for an unknown section is the view's job)."""
    return forms.modelform_factory(
        AccountPlan,
        form=VersionedForm,
        fields=SECTIONS[section],
        widgets={name: TEXT for name in SECTIONS[section] if name != "status"},
    )


class InitiativeForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["initiative", "department", "kpi", "can_serve", "serve_note"]


class BusinessUnitForm(forms.Form):
    name = forms.CharField(label=_("business unit"), max_length=80)


class CellForm(forms.Form):
    state = forms.ChoiceField(
        label=_("state"),
        choices=[("", _("As suggested from the opportunities")), *list(CellState.choices)],
        required=False,
    )
    deals = forms.ModelMultipleChoiceField(
        queryset=Deal.objects.none(),
        label=_("opportunities"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, account, user, **kwargs):
        super().__init__(*args, **kwargs)
        # only the account's opportunities this person may see can be linked
        self.fields["deals"].queryset = (
            Deal.objects.visible_to(user).filter(account=account).order_by("-updated_at", "-pk")
        )


class GoalForm(forms.Form):
    contact = forms.ModelChoiceField(queryset=Contact.objects.none(), label=_("key person"))
    target_level = forms.ChoiceField(
        label=_("target relationship level"), choices=RelationshipLevel.choices
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(account=account).order_by(
            "name", "pk"
        )


class PlanActionForm(forms.Form):
    title = forms.CharField(label=_("action"), max_length=200)
    owner = forms.ModelChoiceField(queryset=None, label=_("owner"))
    due_on = forms.DateField(label=_("due"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = assignable_users(user).order_by("display_name", "pk")
        self.fields["owner"].initial = user.pk


class CanvasCreateForm(forms.Form):
    horizon = forms.ChoiceField(label=_("horizon"), choices=Horizon.choices)


class CanvasScoresForm(forms.Form):
    """Our score (1–5) and a note for each of the nine elements."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, canvas=None, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in ELEMENT_LABELS.items():
            self.fields[f"score_{code}"] = forms.TypedChoiceField(
                label=label, choices=SCORES, coerce=int, empty_value=None, required=False
            )
            self.fields[f"note_{code}"] = forms.CharField(
                label=_("note"), max_length=500, required=False
            )
        if canvas is not None and not self.is_bound:
            self.initial["version"] = canvas.version
            for code in ELEMENT_LABELS:
                self.initial[f"score_{code}"] = (canvas.our_scores or {}).get(code)
                self.initial[f"note_{code}"] = (canvas.our_notes or {}).get(code, "")

    def rows(self):
        """(code, label, score field, note field) per element, in canvas order."""
        return [
            (code, label, self[f"score_{code}"], self[f"note_{code}"])
            for code, label in ELEMENT_LABELS.items()
        ]

    def scores(self) -> dict:
        return {code: self.cleaned_data[f"score_{code}"] for code in ELEMENT_LABELS}

    def notes(self) -> dict:
        return {code: self.cleaned_data[f"note_{code}"] for code in ELEMENT_LABELS}


class LinkForm(forms.Form):
    days = forms.IntegerField(
        label=_("valid for (days)"),
        min_value=1,
        max_value=MAX_LINK_DAYS,
        initial=DEFAULT_LINK_DAYS,
    )
    language = forms.ChoiceField(label=_("language"), choices=LinkLanguage.choices, required=False)


class CustomerAnswerForm(forms.Form):
    """The customer's nine answers, 1 (poor fit) to 5 (excellent fit)."""

    comment = forms.CharField(
        label=_("Anything you would like to add (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, question in ELEMENT_QUESTIONS.items():
            self.fields[f"score_{code}"] = forms.TypedChoiceField(
                label=question,
                choices=[(str(n), str(n)) for n in range(1, 6)],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Please choose a score from 1 to 5.")},
            )

    def rows(self):
        return [(code, ELEMENT_LABELS[code], self[f"score_{code}"]) for code in ELEMENT_QUESTIONS]

    def scores(self) -> dict:
        return {code: self.cleaned_data[f"score_{code}"] for code in ELEMENT_QUESTIONS}
