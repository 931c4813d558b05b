from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["subject", "kind", "occurred_at", "account", "owner", "deleted_at"]
    list_filter = ["kind"]
    list_select_related = ["account", "owner"]
    search_fields = ["subject", "account__name"]
    raw_id_fields = ["account", "participants"]
    date_hierarchy = "occurred_at"

    def get_queryset(self, request):
        return Activity.all_objects.select_related("account", "owner")
