"""Serializers of accounts, account teams and contacts.

They validate types and shapes only; the action functions in ``winroom.accounts.actions``
do every write and run the models' full validation (their django ValidationErrors become
field-level 400s in ``winroom.api.errors``).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from winroom.accounts import actions
from winroom.accounts.models import Account, AccountMember, Contact, LevelIndicator, TeamRole
from winroom.activities.interaction import explain, with_interaction_counts
from winroom.api.fields import RefField
from winroom.attributes.serializers import CustomAttributesField
from winroom.methodology.interaction import InteractionLevel
from winroom.org.access import can_write
from winroom.org.models import CompanySettings

#: versions are positive integers in the database
MAX_VERSION = 2**31 - 1

VERSION_HELP = _(
    "The record's version. Send back the version you read when updating: if someone "
    "else saved the record since, the update is refused with 409 Conflict."
)


def version_field():
    return serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_VERSION, help_text=VERSION_HELP
    )


def _user(field):
    return field.context["request"].user


# -- scopes: which records a reference may name ------------------------------------------


def owner_choices(field):
    """Active users (the action decides whom the caller may assign); the current owner too."""
    users = get_user_model().objects.filter(is_active=True)
    instance = field.instance
    if instance is not None and instance.owner_id:
        users = get_user_model().objects.filter(Q(is_active=True) | Q(pk=instance.owner_id))
    return users


def any_user(field):
    return get_user_model().objects.all()


def visible_accounts(field):
    return Account.objects.visible_to(_user(field))


class WritableAccountField(RefField):
    """An account the caller may see and change; any other is reported as nonexistent."""

    default_error_messages = {"does_not_exist": _("No such account.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("scope", visible_accounts)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        account = super().to_internal_value(data)
        if not can_write(self.context["request"].user, account):
            self.fail("does_not_exist")
        return account


def reports_to_choices(field):
    """Living contacts the caller sees (the model checks they are at the same account);
    the current boss stays acceptable even if in the recycle bin, so a PUT round-trips."""
    contacts = Contact.all_objects.visible_to(_user(field))
    allowed = Q(deleted_at__isnull=True)
    instance = field.instance
    if instance is not None and instance.reports_to_id:
        allowed |= Q(pk=instance.reports_to_id)
    return contacts.filter(allowed)


# -- account team ----------------------------------------------------------------------


class AccountMemberSerializer(serializers.ModelSerializer):
    user = RefField(
        scope=any_user,
        error_messages={"does_not_exist": _("No such user.")},
        help_text=_("User id."),
    )
    role = serializers.ChoiceField(choices=TeamRole.choices)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = AccountMember
        fields = ["id", "user", "role", "role_display"]
        read_only_fields = ["id"]
        validators: list = []


# -- accounts --------------------------------------------------------------------------


class AccountSerializer(serializers.ModelSerializer):
    owner = RefField(
        scope=owner_choices,
        required=False,
        error_messages={"does_not_exist": _("No such active user.")},
        help_text=_(
            "Owner's user id. Defaults to you on create; changing it needs the right to "
            "reassign (the owner, their managers or an administrator)."
        ),
    )
    members = AccountMemberSerializer(many=True, read_only=True)
    industry_display = serializers.CharField(source="get_industry_display", read_only=True)
    size_display = serializers.CharField(source="get_size_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    custom = CustomAttributesField(target="account")
    version = version_field()

    class Meta:
        model = Account
        fields = [
            "id",
            "name",
            "industry",
            "industry_display",
            "region",
            "size",
            "size_display",
            "status",
            "status_display",
            "website",
            "address",
            "description",
            "custom",
            "owner",
            "members",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def create(self, validated_data):
        validated_data.pop("version", None)
        return actions.create_account(by=self.context["request"].user, data=validated_data)

    def update(self, instance, validated_data):
        expected = validated_data.pop("version", None)
        return actions.update_account(
            instance,
            by=self.context["request"].user,
            data=validated_data,
            expected_version=expected,
        )


class OrgChartNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    title = serializers.CharField()
    department = serializers.CharField()
    reports_to = serializers.IntegerField(
        allow_null=True,
        help_text=_("The boss's node id; null at the top (or if the boss was deleted)."),
    )
    relationship_status = serializers.CharField()
    relationship_colour = serializers.CharField()
    interaction_level = serializers.ChoiceField(choices=[level.value for level in InteractionLevel])


class OrgChartSerializer(serializers.Serializer):
    account = RefField(scope=visible_accounts, read_only=True)
    nodes = OrgChartNodeSerializer(many=True)
    roots = serializers.ListField(child=serializers.IntegerField())


# -- contacts --------------------------------------------------------------------------


def company_of(context) -> CompanySettings:
    """The company's interaction rule, read once per request."""
    company = context.get("company")
    if company is None:
        company = CompanySettings.current()
        context["company"] = company
    return company


class ContactSerializer(serializers.ModelSerializer):
    account = WritableAccountField(
        help_text=_("Account id; set when the contact is created, it cannot change later.")
    )
    reports_to = RefField(
        scope=reports_to_choices,
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("No such contact.")},
        help_text=_("Id of the contact this person reports to, at the same account."),
    )
    orientation_display = serializers.CharField(source="get_orientation_display", read_only=True)
    relationship_status_display = serializers.CharField(
        source="get_relationship_status_display", read_only=True
    )
    relationship_colour = serializers.CharField(read_only=True)
    interaction_level = serializers.SerializerMethodField(
        help_text=_("Derived from the logged activities by the company's rule; never typed.")
    )
    indicators = serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=LevelIndicator.objects.all(),
        required=False,
        help_text=_(
            "Codes of the company's iron-supporter indicators this person meets "
            "(see the checklist); the relationship level is recomputed from them."
        ),
    )
    relationship_level = serializers.CharField(
        read_only=True,
        help_text=_("Computed from the score, the status and the indicators; never typed."),
    )
    version = version_field()

    class Meta:
        model = Contact
        fields = [
            "id",
            "account",
            "name",
            "title",
            "department",
            "phone",
            "email",
            "reports_to",
            "orientation",
            "orientation_display",
            "relationship_status",
            "relationship_status_display",
            "relationship_colour",
            "first_contact_on",
            "notes",
            "interaction_level",
            "indicators",
            "relationship_level",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    @extend_schema_field(
        serializers.ChoiceField(choices=[level.value for level in InteractionLevel])
    )
    def get_interaction_level(self, contact) -> str:
        company = company_of(self.context)
        if not hasattr(contact, "ix_ever"):
            contact = with_interaction_counts(
                Contact.all_objects.filter(pk=contact.pk), company
            ).get()
        return str(explain(contact, company).level)

    def validate_account(self, account):
        if self.instance is not None and account.pk != self.instance.account_id:
            raise serializers.ValidationError(
                _(
                    "A contact's account cannot be changed; add the person as a new "
                    "contact at the other account."
                )
            )
        return account

    def create(self, validated_data):
        validated_data.pop("version", None)
        account = validated_data.pop("account")
        return actions.create_contact(
            by=self.context["request"].user, account=account, data=validated_data
        )

    def update(self, instance, validated_data):
        expected = validated_data.pop("version", None)
        validated_data.pop("account", None)
        return actions.update_contact(
            instance,
            by=self.context["request"].user,
            data=validated_data,
            expected_version=expected,
        )
