from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from winroom.accounts.forms import VersionedForm
from winroom.accounts.models import Account, Contact, RelationshipActionType

from .models import Activity


class ActivityForm(VersionedForm):
    class Meta:
        model = Activity
        fields = [
            "account",
            "deal",
            "kind",
            "occurred_at",
            "subject",
            "participants",
            "relationship_actions",
            "notes",
        ]
        widgets = {
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "participants": forms.CheckboxSelectMultiple,
            "relationship_actions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault(
                "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
            )
        accounts = Account.objects.visible_to(user).order_by("name")
        self.fields["account"].queryset = accounts
        account = account or (self.instance.account if self.instance.pk else None)
        if account is None and self.is_bound:
            account = accounts.filter(pk=self.data.get("account") or 0).first()
        if account is not None:
            self.fields["account"].initial = account.pk
            people = Contact.objects.filter(account=account).order_by("name")
        else:
            people = Contact.objects.none()
        self.fields["participants"].queryset = people
        from winroom.deals.models import Deal

        deals = Deal.objects.visible_to(user)
        self.fields["deal"].queryset = (
            deals.filter(account=account).order_by("-updated_at") if account else deals.none()
        )
        self.fields["participants"].label_from_instance = lambda c: (
            f"{c.name} · {c.title}" if c.title else c.name
        )
        self.fields["participants"].help_text = _("People of the account who took part.")
        catalogue = RelationshipActionType.objects.filter(active=True)
        if self.instance.pk:
            # an action retired from the catalogue stays on the activities that logged it
            catalogue = RelationshipActionType.objects.filter(
                models.Q(active=True) | models.Q(activities=self.instance)
            ).distinct()
        self.fields["relationship_actions"].queryset = catalogue.order_by("points", "code")
        self.fields["relationship_actions"].help_text = _(
            "Relationship actions of the company catalogue; they score for the participants."
        )
