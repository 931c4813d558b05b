"""API: the monthly ranking and commission statements, with the pages' visibility.

- ``GET /rankings/?month=YYYY-MM`` — the caller's own place (``mine``), the names of the top
  group, and the rows the caller may see in full (the reps they manage; administrators all);
- ``/commission-statements/`` — the statements of the caller, the reps they manage, or all
  (administrators); a statement outside that answers 404, never 403.
  ``POST …/{id}/approve/`` is for the rep's managers and administrators.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from winroom.api.base import UserLanguageMixin
from winroom.api.fields import parse_id, ref

from .. import actions
from ..models import CommissionStatement, Payout, StatementStatus
from ..presenting import bookings_for_display, gaps_for_display, lines_for_display, period_label
from ..presenting import timeliness as payout_timeliness
from ..ranking import parse_month, visible_ranking

# -- the ranking ---------------------------------------------------------------------------


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RankingRowSerializer(serializers.Serializer):
    rep = serializers.SerializerMethodField()
    position = serializers.IntegerField()
    rep_count = serializers.IntegerField()
    group = serializers.ChoiceField(choices=["top", "middle", "bottom"])
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    attainment = serializers.DecimalField(
        max_digits=9, decimal_places=4, allow_null=True, help_text=_("A fraction: 1.25 is 125 %.")
    )
    credited = serializers.DecimalField(max_digits=16, decimal_places=2)
    target = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    relationship = serializers.DecimalField(max_digits=5, decimal_places=1)
    effective_visits = serializers.IntegerField()
    scaled = serializers.DictField(child=serializers.CharField())
    tied_across_boundary = serializers.BooleanField()

    def get_rep(self, row) -> RefSerializer:
        return ref(row.rep)


class RankingSerializer(serializers.Serializer):
    month = serializers.CharField(help_text=_("YYYY-MM"))
    live = serializers.BooleanField(help_text=_("Computed now rather than read from a snapshot."))
    computed_at = serializers.DateTimeField()
    rep_count = serializers.IntegerField()
    weights = serializers.DictField(child=serializers.CharField())
    mine = RankingRowSerializer(allow_null=True)
    top_group = serializers.ListField(child=serializers.CharField())
    rows = RankingRowSerializer(many=True)


class RankingView(UserLanguageMixin, APIView):
    """The month's ranking as the caller may see it."""

    @extend_schema(
        parameters=[
            OpenApiParameter("month", str, description=_("YYYY-MM; this month when omitted"))
        ],
        responses=RankingSerializer,
    )
    def get(self, request):
        today = timezone.localdate()
        text = request.query_params.get("month")
        month = parse_month(text) if text else today.replace(day=1)
        if month is None or month > today.replace(day=1):
            raise ValidationError({"month": [_("A past or the current month, as YYYY-MM.")]})
        context = visible_ranking(request.user, month)
        result = context["ranking"]
        data = {
            "month": f"{month:%Y-%m}",
            "live": result.live,
            "computed_at": result.computed_at,
            "rep_count": result.rep_count,
            "weights": {k: str(v) for k, v in context["weights"].items()},
            "mine": context["mine"],
            "top_group": context["top_names"],
            "rows": context["rows"],
        }
        return Response(RankingSerializer(data).data)


# -- statements ------------------------------------------------------------------------------


class LineSerializer(serializers.Serializer):
    rule = serializers.CharField()
    rule_label = serializers.CharField()
    component = serializers.CharField()
    basis = serializers.DecimalField(max_digits=18, decimal_places=2)
    rate = serializers.CharField(allow_null=True)
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    text = serializers.CharField(help_text=_("The rule behind the line, in the caller's language."))


class BookingSerializer(serializers.Serializer):
    deal = serializers.IntegerField()
    name = serializers.CharField()
    account = serializers.IntegerField()
    account_name = serializers.CharField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    closed_on = serializers.DateField()
    margin = serializers.CharField(allow_null=True)
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    strategic = serializers.BooleanField()


class PayoutSerializer(serializers.ModelSerializer):
    days_late = serializers.SerializerMethodField()

    class Meta:
        model = Payout
        fields = ["amount", "earned_on", "paid_on", "days_late"]

    def get_days_late(self, payout) -> int:
        allowed = payout.statement.plan.payout_within_days
        return payout_timeliness(payout, allowed_days=allowed)["days_late"]


class StatementSerializer(serializers.ModelSerializer):
    rep = serializers.SerializerMethodField()
    plan = serializers.SerializerMethodField()
    period = serializers.SerializerMethodField()
    approved_by = serializers.SerializerMethodField()
    lines = serializers.SerializerMethodField()
    bookings = serializers.SerializerMethodField()
    gaps = serializers.SerializerMethodField()
    payout = serializers.SerializerMethodField()

    class Meta:
        model = CommissionStatement
        fields = [
            "id",
            "rep",
            "plan",
            "period",
            "period_kind",
            "period_start",
            "period_end",
            "status",
            "target",
            "earned",
            "total",
            "forfeited",
            "lines",
            "bookings",
            "gaps",
            "built_at",
            "approved_by",
            "approved_at",
            "payout",
        ]
        read_only_fields = fields

    def get_rep(self, obj) -> RefSerializer:
        return ref(obj.rep)

    def get_plan(self, obj) -> RefSerializer:
        return ref(obj.plan)

    def get_period(self, obj) -> str:
        return period_label(obj)

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_approved_by(self, obj):
        return ref(obj.approved_by)

    @extend_schema_field(LineSerializer(many=True))
    def get_lines(self, obj):
        return LineSerializer(lines_for_display(obj), many=True).data

    @extend_schema_field(BookingSerializer(many=True))
    def get_bookings(self, obj):
        return BookingSerializer(bookings_for_display(obj), many=True).data

    def get_gaps(self, obj) -> list[str]:
        return gaps_for_display(obj)

    @extend_schema_field(PayoutSerializer(allow_null=True))
    def get_payout(self, obj):
        payout = getattr(obj, "payout", None)
        return PayoutSerializer(payout).data if payout is not None else None


class CommissionStatementViewSet(
    UserLanguageMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Commission statements: the rep's own, their managers' and administrators' view."""

    serializer_class = StatementSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CommissionStatement.objects.none()
        statements = (
            CommissionStatement.objects.visible_to(self.request.user)
            .select_related("rep", "plan", "approved_by", "payout__statement__plan")
            .order_by("-period_start", "rep__username", "pk")
        )
        status = self.request.query_params.get("status")
        if status in StatementStatus.values:
            statements = statements.filter(status=status)
        return statements

    def get_object(self):
        number = parse_id(self.kwargs.get("pk"))
        statement = self.get_queryset().filter(pk=number).first() if number else None
        if statement is None:
            raise NotFound
        return statement

    @extend_schema(parameters=[OpenApiParameter("status", str, description=_("draft or approved"))])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=None,
        responses={
            200: StatementSerializer,
            400: OpenApiResponse(description=_("Already approved, or the period is not over.")),
            404: OpenApiResponse(description=_("Not found, or not the caller's to approve.")),
        },
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        """Approve a draft statement (the rep's managers and administrators)."""
        statement = self.get_object()
        try:
            actions.approve_statement(statement, by=request.user)
        except DjangoPermissionDenied as error:
            raise NotFound from error
        return Response(self.get_serializer(self.get_object()).data)
