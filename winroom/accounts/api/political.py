"""API of the political map (政治版图): influence circles and influence lines of an account.

Same rules as the account page: a circle or line is visible with its account, any other
answers 404; writes need the right to write the account; a stale ``version`` is a 409.
"""

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from winroom.accounts import actions
from winroom.accounts.models import Contact, InfluenceCircle, InfluenceLine
from winroom.api.base import RecordViewSet
from winroom.api.fields import RefField, RefListField
from winroom.api.filters import IdFilter

from .serializers import WritableAccountField, version_field


def visible_contacts(field):
    return Contact.objects.visible_to(field.context["request"].user)


def contact_ref(**kwargs):
    return RefField(
        scope=visible_contacts, error_messages={"does_not_exist": _("No such contact.")}, **kwargs
    )


class AccountImmutableMixin:
    def validate_account(self, account):
        if self.instance is not None and account.pk != self.instance.account_id:
            raise serializers.ValidationError(_("The account cannot be changed."))
        return account


class InfluenceCircleSerializer(AccountImmutableMixin, serializers.ModelSerializer):
    account = WritableAccountField(help_text=_("Account id; it cannot change later."))
    members = RefListField(
        child=contact_ref(),
        required=False,
        help_text=_("Ids of the members: contacts of the circle's account."),
    )
    version = version_field()

    class Meta:
        model = InfluenceCircle
        fields = ["id", "account", "name", "colour", "note", "members", "version"]
        read_only_fields = ["id"]

    def create(self, validated_data):
        validated_data.pop("version", None)
        account = validated_data.pop("account")
        return actions.create_circle(
            by=self.context["request"].user, account=account, data=validated_data
        )

    def update(self, instance, validated_data):
        expected = validated_data.pop("version", None)
        validated_data.pop("account", None)
        return actions.update_circle(
            instance,
            by=self.context["request"].user,
            data=validated_data,
            expected_version=expected,
        )


class InfluenceLineSerializer(AccountImmutableMixin, serializers.ModelSerializer):
    account = WritableAccountField(help_text=_("Account id; it cannot change later."))
    source = contact_ref(help_text=_("Id of the person who influences."))
    target = contact_ref(help_text=_("Id of the person influenced."))
    strength = serializers.IntegerField(
        min_value=1,
        max_value=3,
        default=2,
        help_text=_("Influence strength, 1 (weak) to 3 (strong)."),
    )
    version = version_field()

    class Meta:
        model = InfluenceLine
        fields = ["id", "account", "source", "target", "strength", "note", "version"]
        read_only_fields = ["id"]

    def create(self, validated_data):
        validated_data.pop("version", None)
        account = validated_data.pop("account")
        return actions.draw_influence_line(
            by=self.context["request"].user, account=account, data=validated_data
        )

    def update(self, instance, validated_data):
        expected = validated_data.pop("version", None)
        validated_data.pop("account", None)
        return actions.update_influence_line(
            instance,
            by=self.context["request"].user,
            data=validated_data,
            expected_version=expected,
        )


class CircleFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id", help_text=_("Account id."))

    class Meta:
        model = InfluenceCircle
        fields: list[str] = []


class LineFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id", help_text=_("Account id."))
    contact = IdFilter(method="touching", help_text=_("Lines from or to this contact id."))

    class Meta:
        model = InfluenceLine
        fields: list[str] = []

    def touching(self, queryset, name, value):
        return queryset.filter(Q(source_id=value) | Q(target_id=value))


class PoliticalViewSet(RecordViewSet):
    def handle_exception(self, exc):
        # an action's refusal to write is reported like an invisible record
        if isinstance(exc, DjangoPermissionDenied):
            exc = NotFound()
        return super().handle_exception(exc)


class InfluenceCircleViewSet(PoliticalViewSet):
    """Influence circles (圈子) of the accounts you may see; filter with ``?account=``."""

    model = InfluenceCircle
    serializer_class = InfluenceCircleSerializer
    filterset_class = CircleFilter

    def optimize(self, queryset):
        members = Contact.objects.order_by("name", "pk")
        return (
            queryset.select_related("account")
            .prefetch_related(Prefetch("members", queryset=members))
            .order_by("account_id", "name", "pk")
        )

    def perform_delete(self, obj):
        actions.delete_circle(obj, by=self.request.user)

    def perform_restore(self, obj):
        return actions.restore_circle(obj, by=self.request.user)


class InfluenceLineViewSet(PoliticalViewSet):
    """Who influences whom (strength 1–3) at the accounts you may see; filter with
    ``?account=`` or ``?contact=``."""

    model = InfluenceLine
    serializer_class = InfluenceLineSerializer
    filterset_class = LineFilter

    def optimize(self, queryset):
        return queryset.select_related("account", "source", "target").order_by(
            "account_id", "source_id", "target_id", "pk"
        )

    def perform_delete(self, obj):
        actions.delete_influence_line(obj, by=self.request.user)

    def perform_restore(self, obj):
        return actions.restore_influence_line(obj, by=self.request.user)
