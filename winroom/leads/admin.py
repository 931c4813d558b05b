from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Lead, LeadChannel


@admin.register(LeadChannel)
class LeadChannelAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Lead)
class LeadAdmin(SimpleHistoryAdmin):
    list_display = ["company_name", "status", "route", "owner", "channel", "last_touched_at"]
    list_filter = ["status", "route", "channel"]
    search_fields = ["company_name", "person_name"]
    readonly_fields = ["route", "qualified_deal", "account"]

    def get_queryset(self, request):
        return Lead.all_objects.select_related("owner", "channel")
