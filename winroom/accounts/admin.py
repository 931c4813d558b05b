from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Account,
    AccountMember,
    Contact,
    ContactIndicator,
    InfluenceCircle,
    InfluenceLine,
    LevelIndicator,
    RedLineRule,
    RelationshipActionType,
    RelationshipLevelChange,
)


class MemberInline(admin.TabularInline):
    model = AccountMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    list_display = ["name", "industry", "region", "status", "owner", "deleted_at"]
    list_filter = ["industry", "status", "deleted_at"]
    list_select_related = ["owner"]
    search_fields = ["name", "region"]
    inlines = [MemberInline]

    def get_queryset(self, request):
        return Account.all_objects.select_related("owner")


class ContactIndicatorInline(admin.TabularInline):
    model = ContactIndicator
    extra = 0
    raw_id_fields = ["marked_by"]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "account", "title", "relationship_status", "deleted_at"]
    list_filter = ["relationship_status", "orientation"]
    list_select_related = ["account"]
    search_fields = ["name", "account__name", "title"]
    raw_id_fields = ["account", "reports_to"]
    inlines = [ContactIndicatorInline]

    def get_queryset(self, request):
        return Contact.all_objects.select_related("account")


@admin.register(RelationshipActionType)
class RelationshipActionTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "points", "active"]
    list_editable = ["points", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]


@admin.register(RedLineRule)
class RedLineRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "active"]
    list_filter = ["active"]
    search_fields = ["name", "keywords"]
    filter_horizontal = ["forbidden_actions"]


@admin.register(RelationshipLevelChange)
class RelationshipLevelChangeAdmin(admin.ModelAdmin):
    list_display = ["contact", "old", "new", "at"]
    list_select_related = ["contact"]
    raw_id_fields = ["contact"]


@admin.register(LevelIndicator)
class LevelIndicatorAdmin(SimpleHistoryAdmin):
    """The company's checklist for an iron supporter (§1.3). Saving or deleting an indicator
    recomputes every contact's level (see winroom.accounts.signals)."""

    list_display = ["name", "code", "active", "order"]
    list_editable = ["active", "order"]
    list_filter = ["active"]
    search_fields = ["code", "name"]


@admin.register(InfluenceCircle)
class InfluenceCircleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "account", "colour", "deleted_at"]
    list_select_related = ["account"]
    search_fields = ["name", "account__name"]
    raw_id_fields = ["account", "members"]

    def get_queryset(self, request):
        return InfluenceCircle.all_objects.select_related("account")


@admin.register(InfluenceLine)
class InfluenceLineAdmin(SimpleHistoryAdmin):
    list_display = ["source", "target", "strength", "account", "deleted_at"]
    list_select_related = ["account", "source", "target"]
    search_fields = ["source__name", "target__name", "account__name"]
    raw_id_fields = ["account", "source", "target"]

    def get_queryset(self, request):
        return InfluenceLine.all_objects.select_related("account", "source", "target")
