"""Serializers of leads and of the lead steps (claim, note, qualify, reject).

They check types and shapes only; every write goes through ``winroom.leads.actions``, whose
django ValidationErrors become field-level 400s in ``winroom.api.errors``. What the method
derives is never writable: the route (from the size and the need), the status (claim,
qualify, reject, recycling), the touches and the opportunity.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from winroom.accounts.api.serializers import WritableAccountField, owner_choices, version_field
from winroom.api.fields import RefField, RefListField
from winroom.leads import actions
from winroom.leads.labels import route_reason_label
from winroom.leads.models import Lead, LeadChannel
from winroom.methodology import leads as core
from winroom.org.models import CompanySettings


def _user(serializer):
    return serializer.context["request"].user


def channels(field):
    return LeadChannel.objects.all()


class LeadSerializer(serializers.ModelSerializer):
    channel = RefField(
        scope=channels,
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("No such lead channel.")},
        help_text=_("Lead channel id."),
    )
    owner = RefField(
        scope=owner_choices,
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("No such active user.")},
        help_text=_(
            "Who holds the lead, set on create: omitted, you; null, the pool. Afterwards "
            "a lead changes hands only by claim or by going back to the pool."
        ),
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    need_type_display = serializers.CharField(source="get_need_type_display", read_only=True)
    route_display = serializers.CharField(source="get_route_display", read_only=True)
    route_explanation = serializers.SerializerMethodField(
        help_text=_("Why the lead takes this route (size and need against the bounds).")
    )
    in_pool = serializers.BooleanField(read_only=True)
    qualified_deal = RefField(read_only=True)
    account = RefField(read_only=True)
    version = version_field()

    class Meta:
        model = Lead
        fields = [
            "id",
            "company_name",
            "person_name",
            "title",
            "phone",
            "email",
            "need_type",
            "need_type_display",
            "need_description",
            "expected_size",
            "channel",
            "source",
            "owner",
            "in_pool",
            "status",
            "status_display",
            "route",
            "route_display",
            "route_explanation",
            "assigned_at",
            "first_touched_at",
            "last_touched_at",
            "notes",
            "rejection_reason",
            "qualified_deal",
            "account",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "route",
            "assigned_at",
            "first_touched_at",
            "last_touched_at",
            "notes",
            "rejection_reason",
            "created_at",
            "updated_at",
        ]

    def _rule(self) -> core.RoutingRule:
        if "routing_rule" not in self.context:
            self.context["routing_rule"] = CompanySettings.current().routing_rule()
        return self.context["routing_rule"]

    def get_route_explanation(self, lead) -> str:
        decision = core.route_lead(
            expected_size=lead.expected_size, need_type=lead.need_type or None, rule=self._rule()
        )
        return route_reason_label(decision)

    def create(self, validated_data):
        validated_data.pop("version", None)
        return actions.create_lead(by=_user(self), data=validated_data)

    def update(self, instance, validated_data):
        expected = validated_data.pop("version", None)
        validated_data.pop("owner", None)
        return actions.update_lead(
            instance, by=_user(self), data=validated_data, expected_version=expected
        )


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, help_text=_("What was done (a call, a mail)."))


class RejectSerializer(serializers.Serializer):
    rejection_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Why the lead is screened out (required)."),
    )


class QualifySerializer(serializers.Serializer):
    account = WritableAccountField(
        required=False,
        allow_null=True,
        help_text=_("Id of the existing account the opportunity goes to (or create_account)."),
    )
    create_account = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Create a new account named as the lead's company. Refused when an account of "
            "that name exists; when accounts of a similar name exist, also send confirm_new."
        ),
    )
    confirm_new = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("None of the similar accounts offered is this company."),
    )
    deal_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text=_("Default: the company.")
    )
    amount = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text=_("Default: the lead's expected size."),
    )


class AccountMatchesSerializer(serializers.Serializer):
    exact = RefListField(
        child=RefField(read_only=True),
        read_only=True,
        help_text=_("Accounts of the same name: qualify on one of them."),
    )
    similar = RefListField(
        child=RefField(read_only=True),
        read_only=True,
        help_text=_("Accounts of a similar name you can see: perhaps the same company."),
    )
