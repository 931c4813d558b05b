"""API filters of visits."""

import django_filters
from django.utils.translation import gettext_lazy as _

from winroom.api.filters import DateTimeFilter, IdFilter, WhitelistOrderingFilter
from winroom.visits.models import Visit, VisitStatus


class VisitApiFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id", help_text=_("Account id."))
    deal = IdFilter(field_name="deal_id", help_text=_("Opportunity id."))
    owner = IdFilter(field_name="owner_id", help_text=_("The rep's user id."))
    status = django_filters.ChoiceFilter(choices=VisitStatus.choices)
    effective = django_filters.BooleanFilter(help_text=_("Effective by the company's rule."))
    planned_after = DateTimeFilter(
        field_name="planned_at", lookup_expr="gte", help_text=_("ISO 8601 date-time, inclusive.")
    )
    planned_before = DateTimeFilter(
        field_name="planned_at", lookup_expr="lte", help_text=_("ISO 8601 date-time, inclusive.")
    )
    ordering = WhitelistOrderingFilter(
        fields=(
            ("planned_at", "planned_at"),
            ("visited_on", "visited_on"),
            ("created_at", "created_at"),
            ("updated_at", "updated_at"),
        )
    )

    class Meta:
        model = Visit
        fields: list[str] = []
