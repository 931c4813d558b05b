"""The REST API, mounted at /api/v1/: records, token login, OpenAPI schema and docs."""

from django.conf import settings
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from winroom.accounts.api.views import AccountViewSet, ContactViewSet
from winroom.activities.api.views import ActivityViewSet
from winroom.deals.api.views import CompetitorViewSet, DealViewSet

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
router.register("activities", ActivityViewSet, basename="api-activity")
router.register("deals", DealViewSet, basename="api-deal")
router.register("competitors", CompetitorViewSet, basename="api-competitor")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
