"""Forms for accounts, account teams and contacts (validation lives in the models' clean())."""

from django import forms
from django.utils.translation import gettext_lazy as _

from winroom.attributes.forms import CustomAttributesMixin
from winroom.org.access import assignable_users, can_reassign
from winroom.org.models import User

from .models import (
    CIRCLE_PALETTE,
    Account,
    AccountMember,
    Contact,
    ContactLevel,
    InfluenceCircle,
    InfluenceLine,
    LevelIndicator,
    SupplierTier,
    TeamRole,
)


class VersionedForm(forms.ModelForm):
    """Carries the version the editor saw, so a concurrent edit is detected, not overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def changes(self) -> dict:
        data = {
            name: value for name, value in self.cleaned_data.items() if name in self._meta.fields
        }
        return {k: v for k, v in data.items() if k not in self.disabled_fields()}

    def disabled_fields(self) -> set[str]:
        return {name for name, field in self.fields.items() if field.disabled}


class AccountForm(CustomAttributesMixin, VersionedForm):
    custom_target = "account"

    class Meta:
        model = Account
        fields = [
            "name",
            "industry",
            "region",
            "size",
            "status",
            "owner",
            "website",
            "address",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = assignable_users(user).order_by("display_name", "username")
        owner.required = False
        owner.empty_label = _("Me")
        if self.instance.pk:
            owner.required = True
            if not can_reassign(user, self.instance):
                owner.disabled = True
                owner.queryset = User.objects.filter(pk=self.instance.owner_id)
                owner.help_text = _(
                    "Only the owner, their managers or an administrator may reassign."
                )


class AccountMemberForm(forms.ModelForm):
    class Meta:
        model = AccountMember
        fields = ["user", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by(
            "display_name", "username"
        )
        self.fields["role"].initial = TeamRole.SOLUTION_MANAGER

    def validate_unique(self):
        # adding someone already on the team changes their role instead (see the action)
        pass


class ContactForm(VersionedForm):
    class Meta:
        model = Contact
        fields = [
            "name",
            "title",
            "department",
            "phone",
            "email",
            "reports_to",
            "orientation",
            "relationship_status",
            "first_contact_on",
            "level",
            "marked_key",
            "indicators",
            "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "first_contact_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "13800138000"}),
        }

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.account = account
        choices = Contact.objects.filter(account=account).only("pk", "name", "title")
        if self.instance.pk:
            choices = choices.exclude(pk=self.instance.pk)
        self.fields["reports_to"].queryset = choices.order_by("name")
        self.fields["level"].required = False
        self.fields["reports_to"].label_from_instance = lambda c: (
            f"{c.name} · {c.title}" if c.title else c.name
        )
        # the company's active checklist; an inactive indicator already met stays met
        indicators = self.fields["indicators"]
        indicators.widget = forms.CheckboxSelectMultiple()
        indicators.queryset = LevelIndicator.objects.filter(active=True)
        indicators.label = _("Indicators of an iron supporter met")
        indicators.help_text = _("The company's checklist; an iron supporter meets every one.")
        self._inactive_met = []
        if self.instance.pk:
            self._inactive_met = list(
                self.instance.indicators.filter(active=False).values_list("pk", flat=True)
            )

    def clean_indicators(self):
        chosen = list(self.cleaned_data.get("indicators") or [])
        return chosen + list(LevelIndicator.objects.filter(pk__in=self._inactive_met))

    def clean_level(self):
        return self.cleaned_data.get("level") or self.instance.level or ContactLevel.STAFF


class ElementsForm(VersionedForm):
    """The five judged elements of the seven (frequency and length are derived)."""

    class Meta:
        model = Contact
        fields = [
            "element_value",
            "element_favour",
            "element_decency",
            "element_standing",
            "element_depth",
            "elements_note",
        ]
        widgets = {"elements_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scale = [("", "—")] + [(n, str(n)) for n in range(1, 6)]
        for name in self._meta.fields[:-1]:
            self.fields[name].widget = forms.Select(choices=scale)


class ReportsToForm(forms.Form):
    """The org chart's in-place edit: who reports to whom."""

    contact = forms.ModelChoiceField(queryset=Contact.objects.none(), label=_("Contact"))
    reports_to = forms.ModelChoiceField(
        queryset=Contact.objects.none(),
        label=_("reports to"),
        required=False,
        empty_label=_("(nobody: top of the chart)"),
    )

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        people = Contact.objects.filter(account=account).order_by("name").only("pk", "name")
        self.fields["contact"].queryset = people
        self.fields["reports_to"].queryset = people


class SupplierTierForm(forms.Form):
    tier = forms.TypedChoiceField(
        label=_("supplier tier"), choices=SupplierTier.choices, coerce=int
    )
    evidence = forms.CharField(
        label=_("evidence"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


# -- the political map's in-place forms -------------------------------------------------


class CircleForm(VersionedForm):
    """Create, rename or recolour an influence circle."""

    class Meta:
        model = InfluenceCircle
        fields = ["name", "colour", "note"]
        widgets = {
            "colour": forms.TextInput(attrs={"type": "color", "list": "circle-palette"}),
            "note": forms.TextInput(),
        }

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.account = account
        if not self.instance.pk and not self.is_bound:
            used = set(
                InfluenceCircle.objects.filter(account=account).values_list("colour", flat=True)
            )
            free = [code for code, _label in CIRCLE_PALETTE if code not in used]
            self.initial["colour"] = (free or [CIRCLE_PALETTE[0][0]])[0]


class CircleMemberForm(forms.Form):
    contact = forms.ModelChoiceField(queryset=Contact.objects.none(), label=_("Contact"))

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(account=account)


class InfluenceLineForm(forms.ModelForm):
    """Draw an influence line: who influences whom, how strongly."""

    class Meta:
        model = InfluenceLine
        fields = ["source", "target", "strength", "note"]
        widgets = {"note": forms.TextInput()}

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.account = account
        people = Contact.objects.filter(account=account).order_by("name", "pk").only("pk", "name")
        for name in ("source", "target"):
            self.fields[name].queryset = people
        self.fields["strength"].initial = 2

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class InfluenceStrengthForm(forms.Form):
    strength = forms.TypedChoiceField(
        label=_("influence strength"),
        choices=InfluenceLine._meta.get_field("strength").choices,
        coerce=int,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
