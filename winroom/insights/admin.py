from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CapacityCell,
    Contract,
    ForecastAdjustment,
    Payment,
    RevenueSourceOverride,
    WatchedAccount,
    WatchReview,
)


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ["deal", "amount", "received_on", "recorded_by"]
    list_select_related = ["deal", "recorded_by"]
    raw_id_fields = ["deal", "recorded_by"]
    date_hierarchy = "received_on"


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["deal", "starts_on", "ends_on", "renewal_of"]
    list_select_related = ["deal", "renewal_of"]
    raw_id_fields = ["deal", "renewal_of"]
    date_hierarchy = "ends_on"


@admin.register(RevenueSourceOverride)
class RevenueSourceOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["deal", "source", "reason", "by", "at"]
    list_filter = ["source"]
    raw_id_fields = ["deal", "by"]


@admin.register(ForecastAdjustment)
class ForecastAdjustmentAdmin(admin.ModelAdmin):
    list_display = ["month", "team", "rep", "kind", "amount", "reason", "by", "at"]
    list_filter = ["kind", "month"]
    raw_id_fields = ["by", "rep", "team"]


@admin.register(WatchedAccount)
class WatchedAccountAdmin(admin.ModelAdmin):
    list_display = ["account", "kind", "note", "added_by", "added_at"]
    list_filter = ["kind"]
    raw_id_fields = ["account", "added_by"]


@admin.register(WatchReview)
class WatchReviewAdmin(admin.ModelAdmin):
    list_display = ["account", "month", "by", "at"]
    raw_id_fields = ["account", "by"]


@admin.register(CapacityCell)
class CapacityCellAdmin(SimpleHistoryAdmin):
    list_display = [
        "year",
        "region",
        "industry",
        "target_customers",
        "demand_changing",
        "sales_model",
        "average_deal_size",
    ]
    list_filter = ["year", "sales_model", "demand_changing", "industry"]
