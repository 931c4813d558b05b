from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Competitor, Deal, HealthStandard, ProductLine, Stage


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["number", "code", "name", "exit_criterion", "lead_role", "departments"]
    list_editable = ["name", "lead_role", "departments"]
    ordering = ["number"]

    def has_delete_permission(self, request, obj=None):
        return False  # deals point at their stage; the template is edited, not emptied


@admin.register(ProductLine)
class ProductLineAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Competitor)
class CompetitorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "updated_at", "deleted_at"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return Competitor.all_objects.all()


@admin.register(Deal)
class DealAdmin(SimpleHistoryAdmin):
    list_display = ["name", "account", "owner", "stage", "grade", "status", "amount", "win_rate"]
    list_filter = ["status", "grade", "stage"]
    list_select_related = ["account", "owner", "stage"]
    search_fields = ["name", "account__name"]
    raw_id_fields = ["account", "owner", "winner", "grade_override_by"]

    def get_queryset(self, request):
        return Deal.all_objects.select_related("account", "owner", "stage")


@admin.register(HealthStandard)
class HealthStandardAdmin(admin.ModelAdmin):
    list_display = ["stage", "indicator", "value"]
    list_editable = ["value"]
    list_filter = ["stage"]
    ordering = ["stage__number", "indicator"]
