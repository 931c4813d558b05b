"""Serializers of visits; writes go through ``winroom.visits.actions``.

The plan is the record's own fields (create, update); recording and the manager's
evaluation have their own requests, so that neither side can write the other's scores.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from winroom.accounts.api.serializers import WritableAccountField, version_field
from winroom.accounts.models import Contact
from winroom.api.fields import RefField, RefListField, SafeDateTimeField
from winroom.methodology.visits import SCORE_MAX, SCORE_MIN, VISIT_STEPS
from winroom.visits import actions
from winroom.visits.models import Commitment, Visit


def visible_contacts(field):
    return Contact.objects.visible_to(field.context["request"].user)


def visible_deals(field):
    from winroom.deals.models import Deal

    return Deal.objects.visible_to(field.context["request"].user)


def active_users(field):
    return get_user_model().objects.filter(is_active=True)


def _score():
    return serializers.IntegerField(
        min_value=SCORE_MIN, max_value=SCORE_MAX, allow_null=True, required=False
    )


class StepScoresSerializer(serializers.Serializer):
    """Scores 1–5 of the five steps; null or left out = not scored."""

    prepare = _score()
    understand = _score()
    present = _score()
    commit = _score()
    evaluate = _score()


class RepScoresSerializer(serializers.Serializer):
    prepare = serializers.IntegerField(source="rep_prepare", allow_null=True, read_only=True)
    understand = serializers.IntegerField(source="rep_understand", allow_null=True, read_only=True)
    present = serializers.IntegerField(source="rep_present", allow_null=True, read_only=True)
    commit = serializers.IntegerField(source="rep_commit", allow_null=True, read_only=True)
    evaluate = serializers.IntegerField(source="rep_evaluate", allow_null=True, read_only=True)


class ManagerScoresSerializer(serializers.Serializer):
    prepare = serializers.IntegerField(source="mgr_prepare", allow_null=True, read_only=True)
    understand = serializers.IntegerField(source="mgr_understand", allow_null=True, read_only=True)
    present = serializers.IntegerField(source="mgr_present", allow_null=True, read_only=True)
    commit = serializers.IntegerField(source="mgr_commit", allow_null=True, read_only=True)
    evaluate = serializers.IntegerField(source="mgr_evaluate", allow_null=True, read_only=True)


class VisitSerializer(serializers.ModelSerializer):
    account = WritableAccountField(help_text=_("Account id."))
    deal = RefField(
        scope=visible_deals,
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("No such opportunity.")},
        help_text=_("Opportunity id (of the same account), or null."),
    )
    people = RefListField(
        child=RefField(
            scope=visible_contacts, error_messages={"does_not_exist": _("No such contact.")}
        ),
        required=False,
        help_text=_("Ids of the people to meet; they must be at the visit's account."),
    )
    planned_at = SafeDateTimeField(label=Visit._meta.get_field("planned_at").verbose_name)
    owner = RefField(read_only=True, help_text=_("The rep: who planned the visit."))
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    rep_scores = RepScoresSerializer(source="*", read_only=True)
    manager_scores = ManagerScoresSerializer(source="*", read_only=True)
    manager_scored_by = RefField(read_only=True)
    version = version_field()

    class Meta:
        model = Visit
        fields = [
            "id",
            "account",
            "deal",
            "people",
            "planned_at",
            "status",
            "status_display",
            "objective",
            "reason",
            "questions",
            "commitment_ask",
            "materials",
            "visited_on",
            "recorded_at",
            "outcome",
            "commitment",
            "next_steps",
            "effective",
            "rep_scores",
            "manager_scores",
            "manager_note",
            "manager_scored_by",
            "manager_scored_at",
            "owner",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "visited_on",
            "recorded_at",
            "outcome",
            "commitment",
            "next_steps",
            "effective",
            "manager_note",
            "manager_scored_at",
            "created_at",
            "updated_at",
        ]

    def create(self, validated_data):
        validated_data.pop("version", None)
        return actions.plan_visit(by=self.context["request"].user, data=validated_data)

    def update(self, instance, validated_data):
        expected = validated_data.pop("version", None)
        return actions.update_plan(
            instance,
            by=self.context["request"].user,
            data=validated_data,
            expected_version=expected,
        )


class RecordSerializer(serializers.Serializer):
    """The rep's record of the visit and their own scores."""

    visited_on = serializers.DateField(required=False, help_text=_("Defaults to the planned day."))
    outcome = serializers.CharField(required=False, allow_blank=True)
    commitment = serializers.ChoiceField(
        choices=Commitment.choices,
        required=False,
        allow_blank=True,
        help_text=_("Whether the commitment asked for was obtained; blank = not asked."),
    )
    next_steps = serializers.CharField(
        required=False, allow_blank=True, help_text=_("One step per line.")
    )
    scores = StepScoresSerializer(required=False)
    action_owner = RefField(
        scope=active_users,
        required=False,
        help_text=_("With action_due_on: every next-step line becomes an action of the deal."),
    )
    action_due_on = serializers.DateField(required=False)
    version = version_field()

    def changes(self) -> dict:
        data = dict(self.validated_data)
        scores = data.pop("scores", {}) or {}
        for step in VISIT_STEPS:
            if step.value in scores:
                data[f"rep_{step.value}"] = scores[step.value]
        return {
            k: v for k, v in data.items() if k not in {"action_owner", "action_due_on", "version"}
        }


class EvaluateSerializer(serializers.Serializer):
    """The manager's own scores of the five steps and a note for the rep."""

    scores = StepScoresSerializer()
    note = serializers.CharField(required=False, allow_blank=True)
    version = version_field()

    def manager_scores(self) -> dict:
        scores = self.validated_data["scores"]
        return {f"mgr_{s.value}": scores[s.value] for s in VISIT_STEPS if s.value in scores}
