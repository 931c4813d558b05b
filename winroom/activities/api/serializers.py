"""Serializer of the activity log; writes go through ``winroom.activities.actions``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from winroom.accounts.api.serializers import WritableAccountField, version_field
from winroom.accounts.models import Contact, RelationshipActionType
from winroom.activities import actions
from winroom.activities.models import Activity
from winroom.api.fields import RefField, RefListField, SafeDateTimeField


def visible_contacts(field):
    return Contact.objects.visible_to(field.context["request"].user)


class ActivitySerializer(serializers.ModelSerializer):
    account = WritableAccountField(help_text=_("Account id."))
    participants = RefListField(
        child=RefField(
            scope=visible_contacts, error_messages={"does_not_exist": _("No such contact.")}
        ),
        required=False,
        help_text=_("Ids of the contacts who took part; they must be at the activity's account."),
    )
    relationship_actions = serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=RelationshipActionType.objects.all(),
        required=False,
        help_text=_("Codes of the relationship actions of the company catalogue."),
    )
    occurred_at = SafeDateTimeField(
        required=False, label=Activity._meta.get_field("occurred_at").verbose_name
    )
    owner = RefField(read_only=True, help_text=_("Who logged the activity."))
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    version = version_field()

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "kind_display",
            "occurred_at",
            "subject",
            "notes",
            "account",
            "participants",
            "relationship_actions",
            "owner",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def create(self, validated_data):
        validated_data.pop("version", None)
        return actions.log_activity(by=self.context["request"].user, data=validated_data)

    def update(self, instance, validated_data):
        expected = validated_data.pop("version", None)
        account = validated_data.get("account")
        if account is not None and account.pk != instance.account_id:
            # moving to another account: the people who took part must be there too
            validated_data.setdefault("participants", list(instance.participants.all()))
        return actions.update_activity(
            instance,
            by=self.context["request"].user,
            data=validated_data,
            expected_version=expected,
        )
