"""Notification preferences and team webhook forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import Kind
from .models import NotificationPreference, TeamWebhook


class PreferenceForm(forms.ModelForm):
    muted_kinds = forms.MultipleChoiceField(
        label=_("kinds I do not want"),
        choices=[(k, label) for k, label in Kind.choices if k != Kind.TEST],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = NotificationPreference
        fields = ["email", "muted_kinds"]
        widgets = {"email": forms.RadioSelect}


class WebhookForm(forms.ModelForm):
    class Meta:
        model = TeamWebhook
        fields = ["team", "kind", "url", "active"]
        widgets = {"url": forms.URLInput(attrs={"placeholder": "https://"})}
        help_texts = {
            "url": _("The robot's address from the group's settings (it carries the robot's key).")
        }

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].empty_label = None
