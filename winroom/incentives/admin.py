from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CommissionPlan,
    CommissionStatement,
    DealMargin,
    Payout,
    RankingReview,
    RankingSnapshot,
    RankingWeights,
    RepTarget,
    SellerProfile,
)


@admin.register(SellerProfile)
class SellerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "seller_type"]
    list_filter = ["seller_type"]
    autocomplete_fields = ["accounts"]
    raw_id_fields = ["user"]


@admin.register(RepTarget)
class RepTargetAdmin(SimpleHistoryAdmin):
    list_display = ["rep", "year", "baseline", "challenge", "bottom_up"]
    list_filter = ["year"]
    raw_id_fields = ["rep"]
    autocomplete_fields = ["must_win_accounts"]


@admin.register(CommissionPlan)
class CommissionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["name", "year", "is_active", "period", "base_rate", "over_multiple"]
    list_filter = ["year", "is_active"]
    autocomplete_fields = ["strategic_accounts"]


@admin.register(CommissionStatement)
class CommissionStatementAdmin(admin.ModelAdmin):
    list_display = ["rep", "period_start", "plan", "status", "total"]
    list_filter = ["status", "period_kind"]
    readonly_fields = ["lines", "bookings", "amounts", "must_win_lost", "gaps"]
    raw_id_fields = ["rep", "approved_by", "built_by"]


admin.site.register(Payout)
admin.site.register(DealMargin, raw_id_fields=["deal"])
admin.site.register(RankingWeights)
admin.site.register(RankingSnapshot, list_display=["month", "position", "rep", "group", "score"])
admin.site.register(RankingReview, list_display=["month", "rep", "by", "at"])
