"""API endpoints of accounts (with their team and org chart) and contacts."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from winroom.accounts import actions
from winroom.accounts.models import Account, AccountMember, Contact
from winroom.activities.interaction import explain, with_interaction_counts
from winroom.api.base import RecordViewSet
from winroom.api.fields import parse_id
from winroom.org.models import CompanySettings

from .filters import AccountFilter, ContactFilter
from .serializers import (
    AccountMemberSerializer,
    AccountSerializer,
    ContactSerializer,
    OrgChartSerializer,
)


class AccountViewSet(RecordViewSet):
    """Customer accounts you may see: your own, those whose team you are on, and (for
    managers) those owned by anyone in the teams you manage."""

    model = Account
    serializer_class = AccountSerializer
    filterset_class = AccountFilter

    def optimize(self, queryset):
        members = AccountMember.objects.select_related("user").order_by("role", "pk")
        return (
            queryset.select_related("owner")
            .prefetch_related(Prefetch("members", queryset=members))
            .order_by("name", "pk")
        )

    def perform_delete(self, obj):
        actions.delete_account(obj, by=self.request.user)

    def perform_restore(self, obj):
        return actions.restore_account(obj, by=self.request.user)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=AccountMemberSerializer(many=True),
        summary="The account team",
    )
    @extend_schema(
        methods=["POST"],
        request=AccountMemberSerializer,
        responses={200: AccountMemberSerializer, 201: AccountMemberSerializer},
        summary="Add a person to the account team (or change their role)",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filter_backends=[],
        pagination_class=None,
        serializer_class=AccountMemberSerializer,
    )
    def members(self, request, *args, **kwargs):
        account = self.get_object()
        if request.method == "GET":
            return Response(AccountMemberSerializer(account.members.all(), many=True).data)
        serializer = AccountMemberSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        existed = AccountMember.objects.filter(account=account, user=user).exists()
        member = actions.add_account_member(
            account, by=request.user, user=user, role=serializer.validated_data["role"]
        )
        member = AccountMember.objects.select_related("user").get(pk=member.pk)
        return Response(
            AccountMemberSerializer(member).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[OpenApiParameter("member_id", int, OpenApiParameter.PATH)],
        summary="Remove a person from the team",
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"members/(?P<member_id>[^/.]+)",
        url_name="member-detail",
        filter_backends=[],
        pagination_class=None,
    )
    def remove_member(self, request, *args, member_id=None, **kwargs):
        account = self.get_object()
        number = parse_id(member_id)
        member = account.members.filter(pk=number).first() if number else None
        if member is None:
            raise NotFound
        actions.remove_account_member(account, by=request.user, member=member)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=OrgChartSerializer, summary="The account's org chart")
    @action(
        detail=True,
        methods=["get"],
        url_path="org-chart",
        url_name="org-chart",
        filter_backends=[],
        pagination_class=None,
    )
    def org_chart(self, request, *args, **kwargs):
        account = self.get_object()
        company = CompanySettings.current()
        contacts = list(
            with_interaction_counts(Contact.objects.filter(account=account), company).order_by(
                "name", "pk"
            )
        )
        present = {contact.pk for contact in contacts}
        nodes = [
            {
                "id": contact.pk,
                "name": contact.name,
                "title": contact.title,
                "department": contact.department,
                "reports_to": contact.reports_to_id if contact.reports_to_id in present else None,
                "relationship_status": contact.relationship_status,
                "relationship_colour": contact.relationship_colour,
                "interaction_level": str(explain(contact, company).level),
            }
            for contact in contacts
        ]
        data = {
            "account": account,
            "nodes": nodes,
            "roots": [node["id"] for node in nodes if node["reports_to"] is None],
        }
        return Response(OrgChartSerializer(data).data)


class ContactViewSet(RecordViewSet):
    """People at the accounts you may see."""

    model = Contact
    serializer_class = ContactSerializer
    filterset_class = ContactFilter

    def company(self) -> CompanySettings:
        """The company's interaction rule, read once per request."""
        if not hasattr(self, "_company"):
            self._company = CompanySettings.current()
        return self._company

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "company": self.company()}

    def optimize(self, queryset):
        return with_interaction_counts(
            queryset.select_related("account", "reports_to").prefetch_related("indicators"),
            self.company(),
        ).order_by("name", "pk")

    def perform_delete(self, obj):
        actions.delete_contact(obj, by=self.request.user)

    def perform_restore(self, obj):
        return actions.restore_contact(obj, by=self.request.user)
