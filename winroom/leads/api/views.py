"""API endpoints of leads: the list and the pool, a lead, and its steps.

Visibility is the pages': the pool is open to every active person, a held lead follows the
owner rule; a lead the caller may not see answers 404 on every route (never 403). Each step
calls the matching function of ``winroom.leads.actions``; a refusal by the rules is a 400
with the action's message.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from winroom.accounts.models import Account
from winroom.api.base import RecordViewSet
from winroom.leads import actions
from winroom.leads.models import Lead, pool_q

from .filters import LeadApiFilter
from .serializers import (
    AccountMatchesSerializer,
    LeadSerializer,
    NoteSerializer,
    QualifySerializer,
    RejectSerializer,
)

REFUSED = OpenApiResponse(description=_("Refused by the rules: field errors or `detail`."))
STEP = {"filter_backends": [], "pagination_class": None}


class LeadViewSet(RecordViewSet):
    """Leads you may see: the pool (everyone's), the leads you hold and (for managers) those
    held by anyone in the teams you manage. Newest first."""

    model = Lead
    serializer_class = LeadSerializer
    filterset_class = LeadApiFilter

    def optimize(self, queryset):
        return queryset.select_related("owner", "channel", "qualified_deal", "account").order_by(
            "-created_at", "-pk"
        )

    def handle_exception(self, exc):
        # an action's refusal to write is reported like an invisible record
        if isinstance(exc, DjangoPermissionDenied):
            exc = NotFound()
        return super().handle_exception(exc)

    def perform_delete(self, obj):
        actions.delete_lead(obj, by=self.request.user)

    def perform_restore(self, obj):
        return actions.restore_lead(obj, by=self.request.user)

    def validated(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(
        responses=LeadSerializer(many=True),
        summary="The lead pool: leads nobody holds, anyone may claim",
    )
    @action(detail=False, methods=["get"])
    def pool(self, request, *args, **kwargs):
        leads = self.filter_queryset(self.get_queryset().filter(pool_q()))
        page = self.paginate_queryset(leads)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=None,
        responses={200: LeadSerializer, 400: REFUSED},
        summary="Claim a lead from the pool: it is yours, its recycling clock restarts",
    )
    @action(detail=True, methods=["post"], **STEP)
    def claim(self, request, *args, **kwargs):
        lead = actions.claim_lead(self.get_object(), by=request.user)
        return self.respond(self.refetch(lead))

    @extend_schema(
        request=NoteSerializer,
        responses={200: LeadSerializer, 400: REFUSED},
        summary="Note work on a lead (a touch: the recycling clock restarts)",
    )
    @action(detail=True, methods=["post"], **STEP)
    def note(self, request, *args, **kwargs):
        lead = self.get_object()
        data = self.validated(NoteSerializer)
        lead = actions.touch(lead, by=request.user, note=data["note"])
        return self.respond(self.refetch(lead))

    @extend_schema(
        request=None,
        responses=AccountMatchesSerializer,
        summary="Existing accounts the lead's company may be (offer them before qualifying)",
    )
    @action(
        detail=True, methods=["get"], url_path="account-matches", url_name="account-matches", **STEP
    )
    def account_matches(self, request, *args, **kwargs):
        lead = self.get_object()
        exact, similar = actions.account_matches(
            lead.company_name, Account.objects.visible_to(request.user)
        )
        return Response(AccountMatchesSerializer({"exact": exact, "similar": similar}).data)

    @extend_schema(
        request=QualifySerializer,
        responses={200: LeadSerializer, 400: REFUSED},
        summary="Qualify: turn the lead into an opportunity",
        description=_(
            "On an existing account (account), or on a new one (create_account). A new "
            "account is refused when one of that name exists, and needs confirm_new when "
            "accounts of a similar name exist (see account-matches)."
        ),
    )
    @action(detail=True, methods=["post"], **STEP)
    def qualify(self, request, *args, **kwargs):
        lead = self.get_object()
        data = self.validated(QualifySerializer)
        lead = actions.qualify_lead(
            lead,
            by=request.user,
            account=data.get("account"),
            create_account=data["create_account"],
            confirm_new=data["confirm_new"],
            deal_name=data.get("deal_name", ""),
            amount=data.get("amount"),
        )
        return self.respond(self.refetch(lead))

    @extend_schema(
        request=RejectSerializer,
        responses={200: LeadSerializer, 400: REFUSED},
        summary="Reject the lead, with a reason",
    )
    @action(detail=True, methods=["post"], **STEP)
    def reject(self, request, *args, **kwargs):
        lead = self.get_object()
        data = self.validated(RejectSerializer)
        lead = actions.reject_lead(lead, by=request.user, reason=data.get("rejection_reason", ""))
        return self.respond(self.refetch(lead))
