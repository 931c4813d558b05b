"""The REST API, mounted at /api/v1/: records, token login, OpenAPI schema and docs."""

from django.conf import settings
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from winroom.accounts.api.political import InfluenceCircleViewSet, InfluenceLineViewSet
from winroom.accounts.api.relationships import (
    AccountRelationshipViewSet,
    ContactRelationshipViewSet,
    RelationshipActionViewSet,
)
from winroom.accounts.api.views import AccountViewSet, ContactViewSet
from winroom.activities.api.views import ActivityViewSet
from winroom.deals.api.views import CompetitorViewSet, DealViewSet
from winroom.imports.api import ImportJobViewSet
from winroom.incentives.api.views import CommissionStatementViewSet, RankingView
from winroom.insights.api import ForecastView, MetricsView
from winroom.leads.api.views import LeadViewSet
from winroom.notifications.api.views import NotificationViewSet, TodaySummaryView
from winroom.plans.api import AccountPlanViewSet, FitCanvasViewSet
from winroom.visits.api.views import VisitViewSet

from .auth import ObtainTokenView
from .base import UserLanguageMixin


class SchemaView(UserLanguageMixin, SpectacularAPIView):
    """The OpenAPI 3 schema (signed-in users only)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        lang = request.GET.get("lang")
        if lang and lang not in {code for code, _name in settings.LANGUAGES}:
            raise ValidationError({"lang": [_("Unsupported language.")]})
        return super().get(request, *args, **kwargs)


class DocsView(UserLanguageMixin, SpectacularSwaggerView):
    """Swagger UI over the schema (signed-in users only)."""

    permission_classes = [IsAuthenticated]


router = DefaultRouter()
router.register("accounts", AccountViewSet, basename="api-account")
router.register("contacts", ContactViewSet, basename="api-contact")
router.register("influence-circles", InfluenceCircleViewSet, basename="api-influence-circle")
router.register("influence-lines", InfluenceLineViewSet, basename="api-influence-line")
router.register(
    "account-relationships", AccountRelationshipViewSet, basename="api-account-relationship"
)
router.register(
    "contact-relationships", ContactRelationshipViewSet, basename="api-contact-relationship"
)
router.register(
    "relationship-actions", RelationshipActionViewSet, basename="api-relationship-action"
)
router.register("activities", ActivityViewSet, basename="api-activity")
router.register("deals", DealViewSet, basename="api-deal")
router.register("competitors", CompetitorViewSet, basename="api-competitor")
router.register("visits", VisitViewSet, basename="api-visit")
router.register("account-plans", AccountPlanViewSet, basename="api-account-plan")
router.register("canvases", FitCanvasViewSet, basename="api-canvas")
router.register("leads", LeadViewSet, basename="api-lead")
router.register("notifications", NotificationViewSet, basename="api-notification")
router.register("imports", ImportJobViewSet, basename="api-import")
router.register(
    "commission-statements", CommissionStatementViewSet, basename="api-commission-statement"
)

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("today/", TodaySummaryView.as_view(), name="api-today"),
    path("insights/metrics/", MetricsView.as_view(), name="api-insights-metrics"),
    path("insights/forecast/", ForecastView.as_view(), name="api-insights-forecast"),
    path("rankings/", RankingView.as_view(), name="api-rankings"),
    path("", include(router.urls)),
]
