"""Forms of the visit pages: the plan, the record with the rep's scores, the evaluation."""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from winroom.accounts.forms import VersionedForm
from winroom.accounts.models import Account, Contact
from winroom.methodology.visits import SCORE_MAX, SCORE_MIN
from winroom.org.access import assignable_users

from .actions import MANAGER_SCORE_FIELDS, REP_SCORE_FIELDS
from .models import Visit

SCORE_CHOICES = [("", "—")] + [(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def score_field(label, *, required):
    return forms.TypedChoiceField(
        label=label,
        choices=SCORE_CHOICES,
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )


class VisitPlanForm(VersionedForm):
    class Meta:
        model = Visit
        fields = [
            "account",
            "deal",
            "people",
            "planned_at",
            "objective",
            "reason",
            "questions",
            "commitment_ask",
            "materials",
        ]
        widgets = {
            "planned_at": DATETIME_INPUT,
            "people": forms.CheckboxSelectMultiple,
            "objective": forms.Textarea(attrs={"rows": 2}),
            "reason": forms.Textarea(attrs={"rows": 2}),
            "questions": forms.Textarea(attrs={"rows": 3}),
            "commitment_ask": forms.Textarea(attrs={"rows": 2}),
            "materials": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "objective": _("What this visit must achieve; a visit without one is not effective."),
            "commitment_ask": _("The concrete step you will ask the customer to commit to."),
            "questions": _("One question per line."),
        }

    def __init__(self, *args, user, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        from winroom.deals.models import Deal

        self.fields["planned_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
        accounts = Account.objects.visible_to(user).order_by("name")
        self.fields["account"].queryset = accounts
        if account is None and self.instance.pk:
            account = self.instance.account
        if account is None and self.is_bound:
            account = accounts.filter(pk=_int(self.data.get("account"))).first()
        self.account = account
        if account is not None:
            self.fields["account"].initial = account.pk
            people = Contact.objects.filter(account=account).order_by("name")
            deals = Deal.objects.visible_to(user).filter(account=account).order_by("-updated_at")
        else:
            people = Contact.objects.none()
            deals = Deal.objects.none()
        self.fields["people"].queryset = people
        self.fields["people"].label_from_instance = lambda c: (
            f"{c.name} · {c.title}" if c.title else c.name
        )
        self.fields["deal"].queryset = deals
        if not self.instance.pk and not self.is_bound:
            tomorrow = timezone.localtime() + timedelta(days=1)
            self.initial.setdefault(
                "planned_at", tomorrow.replace(hour=10, minute=0, second=0, microsecond=0)
            )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class VisitRecordForm(VersionedForm):
    """What happened and the rep's own scores; next-step lines may become deal actions."""

    make_actions = forms.BooleanField(
        label=_("Add each next-step line as an action of the opportunity"), required=False
    )
    action_owner = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Owner of the new actions")
    )
    action_due_on = forms.DateField(
        required=False, label=_("Due date of the new actions"), widget=DATE_INPUT
    )

    class Meta:
        model = Visit
        fields = ["visited_on", "outcome", "commitment", "next_steps", *REP_SCORE_FIELDS]
        widgets = {
            "visited_on": DATE_INPUT,
            "outcome": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "commitment": forms.RadioSelect(attrs={"class": "form-check-input"}),
        }
        help_texts = {"next_steps": _("One step per line.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visit = self.instance
        self.fields["visited_on"].required = True
        self.fields["commitment"].choices = [
            c for c in self.fields["commitment"].choices if c[0] != ""
        ]
        self.fields["commitment"].required = False
        for name in REP_SCORE_FIELDS:
            self.fields[name] = score_field(Visit._meta.get_field(name).verbose_name, required=True)
        if not self.is_bound:
            if self.initial.get("visited_on") is None:
                self.initial["visited_on"] = timezone.localdate(visit.planned_at)
            self.initial.setdefault("action_owner", user.pk)
            self.initial.setdefault("action_due_on", timezone.localdate() + timedelta(days=7))
        owners = assignable_users(user)
        if visit.deal_id:
            owners = owners | get_user_model().objects.filter(
                is_active=True, pk__in=visit.deal.member_ids()
            )
        else:
            for name in ("make_actions", "action_owner", "action_due_on"):
                del self.fields[name]
            return
        self.fields["action_owner"].queryset = owners.distinct().order_by("username")

    def clean(self):
        data = super().clean()
        if data.get("make_actions"):
            if not data.get("action_owner"):
                self.add_error("action_owner", _("Name who owns the new actions."))
            if not data.get("action_due_on"):
                self.add_error("action_due_on", _("Give the new actions a due date."))
        return data

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        if not data.get("make_actions"):
            return {}
        return {"action_owner": data["action_owner"], "action_due_on": data["action_due_on"]}


class VisitEvaluateForm(VersionedForm):
    """The manager's scores of the same five steps, and a note for the rep."""

    class Meta:
        model = Visit
        fields = [*MANAGER_SCORE_FIELDS, "manager_note"]
        widgets = {"manager_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in MANAGER_SCORE_FIELDS:
            self.fields[name] = score_field(Visit._meta.get_field(name).verbose_name, required=True)


class SkillsForm(forms.Form):
    """Whose skills over which period; the choices are the people the viewer manages."""

    rep = forms.ModelChoiceField(queryset=None, required=False, label=_("rep"))
    team = forms.ModelChoiceField(queryset=None, required=False, label=_("sales team"))
    start = forms.DateField(required=False, label=_("from"), widget=DATE_INPUT)
    end = forms.DateField(required=False, label=_("to"), widget=DATE_INPUT)

    def __init__(self, *args, reps, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rep"].queryset = reps
        self.fields["team"].queryset = teams
        if not teams.exists():
            del self.fields["team"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period ends before it starts."))
        return data
