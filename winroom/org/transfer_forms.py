"""The hand-over form: a successor per kind of record, with a default for the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .access import assignable_users
from .actions import LEAD, TransferKind


class TransferForm(forms.Form):
    default_successor = forms.ModelChoiceField(
        queryset=None,
        label=_("Successor"),
        help_text=_("Takes over every kind of record not given to someone else below."),
    )
    account = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Accounts to"), empty_label=_("(the successor)")
    )
    deal = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Opportunities to"),
        empty_label=_("(the successor)"),
    )
    action = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Open actions to"),
        empty_label=_("(the successor)"),
    )
    lead = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Leads to"), empty_label=_("(the successor)")
    )

    def __init__(self, *args, by, leaving, **kwargs):
        super().__init__(*args, **kwargs)
        users = assignable_users(by).exclude(pk=leaving.pk).order_by("username")
        for field in self.fields.values():
            field.queryset = users

    def successors(self) -> dict:
        data = self.cleaned_data
        chosen = {
            TransferKind.ACCOUNT: data.get("account"),
            TransferKind.DEAL: data.get("deal"),
            TransferKind.ACTION: data.get("action"),
            LEAD: data.get("lead"),
        }
        return {kind: user for kind, user in chosen.items() if user is not None}
