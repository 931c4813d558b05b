"""API filters for the activity log."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from winroom.activities.models import Activity, ActivityKind
from winroom.api.filters import DateTimeFilter, IdFilter, SearchFilter, WhitelistOrderingFilter


class ActivityFilter(django_filters.FilterSet):
    q = SearchFilter(method="search", help_text=_("Search in subject and notes."))
    account = IdFilter(field_name="account_id", help_text=_("Account id."))
    contact = IdFilter(field_name="participants", help_text=_("A participant's contact id."))
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices)
    owner = IdFilter(field_name="owner_id", help_text=_("Owner's user id."))
    occurred_after = DateTimeFilter(
        field_name="occurred_at", lookup_expr="gte", help_text=_("ISO 8601 date-time, inclusive.")
    )
    occurred_before = DateTimeFilter(
        field_name="occurred_at", lookup_expr="lte", help_text=_("ISO 8601 date-time, inclusive.")
    )
    ordering = WhitelistOrderingFilter(
        fields=(
            ("occurred_at", "occurred_at"),
            ("kind", "kind"),
            ("subject", "subject"),
            ("created_at", "created_at"),
            ("updated_at", "updated_at"),
        )
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def search(self, queryset, name, value):
        text = " ".join(value.split())
        if not text:
            return queryset
        return queryset.filter(Q(subject__icontains=text) | Q(notes__icontains=text))
