"""Read-only API of the management numbers: funnel metrics and the forecast.

Same scopes and the same refusals as the pages (:mod:`winroom.insights.scope`): a rep gets
their own numbers, a manager their team tree, an administrator anything; any other scope is
404. ``?scope=company|team:<id>|rep:<id>``; the period is ``?period=month|quarter|year`` with
``?day=`` (default today), or ``?period=custom&start=…&end=…``.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from winroom.api.base import UserLanguageMixin

from . import forecast, metrics
from . import scope as scopes
from .forms import PeriodForm

SCOPE = OpenApiParameter(
    "scope", str, description=_("company, team:<id> or rep:<id> (default: your widest scope)")
)
PERIOD_PARAMETERS = [
    SCOPE,
    OpenApiParameter("period", str, enum=["month", "quarter", "year", "custom"]),
    OpenApiParameter("day", str, description=_("a day of the month, quarter or year (YYYY-MM-DD)")),
    OpenApiParameter("start", str, description=_("first day of a custom period")),
    OpenApiParameter("end", str, description=_("last day of a custom period")),
]


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    kind = serializers.CharField()


class FiguresSerializer(serializers.Serializer):
    lead_volume = serializers.IntegerField()
    conversion = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True)
    win_rate = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True)
    average_deal_size = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    sales_cycle_days = serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)
    collection_ratio = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True)
    renewal_rate = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True)
    effective_visits_per_rep_week = serializers.DecimalField(
        max_digits=9, decimal_places=2, allow_null=True
    )
    new_customer_share = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True)
    cross_sell_share = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True)
    booked = serializers.DecimalField(max_digits=18, decimal_places=2)
    collected = serializers.DecimalField(max_digits=18, decimal_places=2)


class CountsSerializer(serializers.Serializer):
    leads = serializers.IntegerField()
    qualified = serializers.IntegerField()
    closed = serializers.IntegerField()
    won = serializers.IntegerField()
    booked = serializers.DecimalField(max_digits=18, decimal_places=2)
    cycle_days = serializers.DecimalField(max_digits=18, decimal_places=2)
    collected = serializers.DecimalField(max_digits=18, decimal_places=2)
    due = serializers.IntegerField()
    renewed = serializers.IntegerField()
    effective_visits = serializers.IntegerField()
    new_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    cross_sell_amount = serializers.DecimalField(max_digits=18, decimal_places=2)


class BreakdownSerializer(serializers.Serializer):
    scope = serializers.CharField(source="key")
    label = serializers.CharField()
    is_team = serializers.BooleanField()
    depth = serializers.IntegerField()
    reps = serializers.IntegerField()
    figures = FiguresSerializer()


class MetricsSerializer(serializers.Serializer):
    scope = serializers.CharField()
    label = serializers.CharField()
    period = PeriodSerializer()
    as_of = serializers.DateTimeField()
    reps = serializers.IntegerField()
    figures = FiguresSerializer()
    counts = CountsSerializer()
    breakdown = BreakdownSerializer(many=True)


def _period(request, access):
    form = PeriodForm(request.query_params, access=access)
    if not form.is_valid():
        raise ValidationError(form.errors)
    return form.cleaned_data["resolved"]


class MetricsView(UserLanguageMixin, APIView):
    """Funnel metrics (METHODOLOGY §3.2) of a scope and period, with the per-team and
    per-person breakdown; rates are fractions (0.25 = 25 %), null when there is no data."""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=MetricsSerializer)
    def get(self, request):
        access, scope = scopes.resolve(request.user, request.query_params.get("scope"))
        period = _period(request, access)
        report = metrics.report(scope, period)
        data = {
            "scope": scope.code,
            "label": scope.label,
            "period": {"start": period.start, "end": period.end, "kind": period.kind},
            "as_of": report.as_of,
            "reps": report.reps,
            "figures": report.figures,
            "counts": report.counts,
            "breakdown": report.teams + report.people,
        }
        return Response(MetricsSerializer(data).data)


class ForecastCellSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    weighted = serializers.DecimalField(max_digits=18, decimal_places=2)


class ForecastCategoriesSerializer(serializers.Serializer):
    commit = ForecastCellSerializer()
    best_case = ForecastCellSerializer()
    pipeline = ForecastCellSerializer()
    not_computed = ForecastCellSerializer()


class ForecastMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text=_("YYYY-MM, or overdue, later, none"))
    categories = ForecastCategoriesSerializer()


class ForecastNodeSerializer(serializers.Serializer):
    scope = serializers.CharField(source="key")
    label = serializers.CharField()
    is_team = serializers.BooleanField()
    depth = serializers.IntegerField()
    computed = serializers.DecimalField(max_digits=18, decimal_places=2)
    adjusted = serializers.DecimalField(max_digits=18, decimal_places=2)
    adjustment_kind = serializers.CharField(allow_null=True)
    adjustment_amount = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    adjustment_reason = serializers.CharField(allow_null=True)


class ForecastSerializer(serializers.Serializer):
    scope = serializers.CharField()
    label = serializers.CharField()
    as_of = serializers.DateTimeField()
    weighted = serializers.DecimalField(max_digits=18, decimal_places=2)
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    totals = ForecastCategoriesSerializer()
    months = ForecastMonthSerializer(many=True)
    tree_month = serializers.CharField()
    tree = ForecastNodeSerializer(many=True)


def _month_key(key) -> str:
    if key is None:
        return "none"
    if isinstance(key, str):
        return key
    return f"{key:%Y-%m}"


class ForecastView(UserLanguageMixin, APIView):
    """The open pipeline weighted by win rate (METHODOLOGY §3.5), by expected-close month
    and category, and rolled up through the team tree for one month with the managers'
    adjustments beside the computed numbers."""

    @extend_schema(
        parameters=[
            SCOPE,
            OpenApiParameter("months", int, description=_("months ahead: 3, 6 or 12")),
            OpenApiParameter("month", str, description=_("month of the roll-up (YYYY-MM)")),
        ],
        responses=ForecastSerializer,
    )
    def get(self, request):
        from .forecast_views import HORIZONS

        _access, scope = scopes.resolve(request.user, request.query_params.get("scope"))
        try:
            months = int(request.query_params.get("months") or 6)
        except ValueError as error:
            raise ValidationError({"months": [_("Give 3, 6 or 12.")]}) from error
        if months not in HORIZONS:
            raise ValidationError({"months": [_("Give 3, 6 or 12.")]})
        tree_month = None
        raw = request.query_params.get("month")
        if raw:
            try:
                year, month = (int(p) for p in raw.split("-")[:2])
                tree_month = date(year, month, 1)
            except ValueError as error:
                raise ValidationError({"month": [_("Give the month as YYYY-MM.")]}) from error
        result = forecast.build(scope, months=months, tree_month=tree_month)
        keys = [forecast.OVERDUE, *result.months, forecast.LATER, None]
        data = {
            "scope": scope.code,
            "label": scope.label,
            "as_of": result.as_of,
            "weighted": result.weighted,
            "amount": result.amount,
            "totals": result.total,
            "months": [{"month": _month_key(k), "categories": result.grid[k]} for k in keys],
            "tree_month": f"{result.tree_month:%Y-%m}",
            "tree": [
                {
                    "key": row.key,
                    "label": row.label,
                    "is_team": row.is_team,
                    "depth": row.depth,
                    "computed": row.computed,
                    "adjusted": row.adjusted,
                    "adjustment_kind": row.adjustment.kind if row.adjustment else None,
                    "adjustment_amount": row.adjustment.amount if row.adjustment else None,
                    "adjustment_reason": row.adjustment.reason if row.adjustment else None,
                }
                for row in result.tree
            ],
        }
        return Response(ForecastSerializer(data).data)
