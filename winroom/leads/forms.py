"""Lead forms; the rules themselves live in actions and the methodology core."""

from django import forms
from django.utils.translation import gettext_lazy as _

from winroom.accounts.forms import VersionedForm
from winroom.accounts.models import Account
from winroom.org.access import assignable_users

from .models import Lead


class LeadForm(VersionedForm):
    class Meta:
        model = Lead
        fields = [
            "company_name",
            "person_name",
            "title",
            "phone",
            "email",
            "need_type",
            "expected_size",
            "need_description",
            "channel",
            "source",
            "owner",
        ]
        widgets = {"need_description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        if self.instance.pk:
            del self.fields["owner"]  # a held lead changes hands by claim or recycle
            return
        owner.queryset = assignable_users(user).order_by("display_name", "username")
        owner.required = False
        owner.empty_label = _("Nobody: put it in the pool")
        if not self.is_bound:
            self.initial["owner"] = user.pk


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class RejectForm(forms.Form):
    rejection_reason = forms.CharField(
        label=_("reason rejected"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class QualifyForm(forms.Form):
    account = forms.ModelChoiceField(
        queryset=Account.objects.none(),
        required=False,
        label=_("account"),
        empty_label=_("— choose an existing account —"),
    )
    create_account = forms.BooleanField(
        required=False, label=_("create a new account with the lead's company name")
    )
    confirm_new = forms.BooleanField(
        required=False,
        label=_("none of the accounts offered is this company: create a new one anyway"),
    )
    deal_name = forms.CharField(label=_("opportunity name"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("amount (CNY)"), max_digits=16, decimal_places=2, min_value=0, required=False
    )

    def __init__(self, *args, user, lead, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.visible_to(user).order_by("name")
        if not suggestions and not self.is_bound:
            del self.fields["confirm_new"]  # nothing to confirm against
        if not self.is_bound:
            self.initial["deal_name"] = lead.company_name
            self.initial["amount"] = lead.expected_size
            if suggestions:
                self.initial["account"] = suggestions[0].pk


class PeriodForm(forms.Form):
    """The days whose new leads the funnel counts (both included)."""

    start = forms.DateField(label=_("from"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("to"), widget=forms.DateInput(attrs={"type": "date"}))

    MAX_DAYS = 3660

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The end cannot be before the start."))
            elif (end - start).days >= self.MAX_DAYS:
                self.add_error("start", _("Choose a period of at most ten years."))
        return cleaned
