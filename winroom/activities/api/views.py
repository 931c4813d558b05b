"""API endpoints of the activity log."""

from winroom.activities import actions
from winroom.activities.models import Activity
from winroom.api.base import RecordViewSet

from .filters import ActivityFilter
from .serializers import ActivitySerializer


class ActivityViewSet(RecordViewSet):
    """Logged interactions at the accounts you may see, newest first."""

    model = Activity
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter

    def optimize(self, queryset):
        return (
            queryset.select_related("account", "owner")
            .prefetch_related("participants", "relationship_actions")
            .order_by("-occurred_at", "-pk")
        )

    def perform_delete(self, obj):
        actions.delete_activity(obj, by=self.request.user)

    def perform_restore(self, obj):
        return actions.restore_activity(obj, by=self.request.user)
