"""API endpoints of visits: the plan as the record, recording and evaluation as steps.

A visit the caller may not see is 404 on every route; so is a step they may not take (only
the rep records, only a manager of the rep or an administrator evaluates).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound

from winroom.api.base import RecordViewSet
from winroom.visits import actions
from winroom.visits.models import Visit

from .filters import VisitApiFilter
from .serializers import EvaluateSerializer, RecordSerializer, VisitSerializer

REFUSED = OpenApiResponse(description=_("Refused by the rules: field errors or `detail`."))
CONFLICT = OpenApiResponse(description=_("The visit changed since you read it (version)."))


class VisitViewSet(RecordViewSet):
    """Visits you may see: your own, your reps' (managers), those at accounts you may see.
    Newest first."""

    model = Visit
    serializer_class = VisitSerializer
    filterset_class = VisitApiFilter

    def optimize(self, queryset):
        return (
            queryset.select_related("account", "deal", "owner", "manager_scored_by")
            .prefetch_related("people")
            .order_by("-planned_at", "-pk")
        )

    def handle_exception(self, exc):
        if isinstance(exc, DjangoPermissionDenied):
            exc = NotFound()
        return super().handle_exception(exc)

    def perform_delete(self, obj):
        actions.delete_visit(obj, by=self.request.user)

    def perform_restore(self, obj):
        return actions.restore_visit(obj, by=self.request.user)

    @extend_schema(
        request=RecordSerializer,
        responses={200: VisitSerializer, 400: REFUSED, 409: CONFLICT},
        summary="Record the visit with the rep's scores (the rep only)",
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def record(self, request, *args, **kwargs):
        visit = self.get_object()
        if not actions.may_record(request.user, visit):
            raise NotFound
        serializer = RecordSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        extra = {}
        if "action_owner" in data or "action_due_on" in data:
            extra = {
                "action_owner": data.get("action_owner"),
                "action_due_on": data.get("action_due_on"),
            }
        saved, _created = actions.record_visit(
            visit,
            by=request.user,
            data=serializer.changes(),
            expected_version=data.get("version"),
            **extra,
        )
        return self.respond(self.refetch(saved))

    @extend_schema(
        request=EvaluateSerializer,
        responses={200: VisitSerializer, 400: REFUSED, 409: CONFLICT},
        summary="The manager's scores of a recorded visit (a manager of the rep or an admin)",
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def evaluate(self, request, *args, **kwargs):
        visit = self.get_object()
        if not actions.may_evaluate(request.user, visit):
            raise NotFound
        serializer = EvaluateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        saved = actions.evaluate_visit(
            visit,
            by=request.user,
            scores=serializer.manager_scores(),
            note=serializer.validated_data.get("note", ""),
            expected_version=serializer.validated_data.get("version"),
        )
        return self.respond(self.refetch(saved))
