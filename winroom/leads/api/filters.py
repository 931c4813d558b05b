"""API filters of leads (the pages use winroom.leads.filters)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from winroom.api.filters import DateTimeFilter, IdFilter, SearchFilter, WhitelistOrderingFilter
from winroom.leads.models import Lead, LeadRoute, LeadStatus, NeedType, pool_q

TABS = [("pool", _("The pool")), ("mine", _("Mine"))]


class LeadApiFilter(django_filters.FilterSet):
    q = SearchFilter(
        method="search", help_text=_("Search in the company, the contact person and the need.")
    )
    tab = django_filters.ChoiceFilter(
        choices=TABS,
        method="in_tab",
        help_text=_("pool: leads nobody holds; mine: the leads you hold."),
    )
    status = django_filters.ChoiceFilter(choices=LeadStatus.choices)
    route = django_filters.ChoiceFilter(choices=LeadRoute.choices)
    need_type = django_filters.ChoiceFilter(choices=NeedType.choices)
    channel = IdFilter(field_name="channel_id", help_text=_("Lead channel id."))
    owner = IdFilter(field_name="owner_id", help_text=_("Holder's user id."))
    created_after = DateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text=_("Created at or after.")
    )
    created_before = DateTimeFilter(
        field_name="created_at", lookup_expr="lt", help_text=_("Created before.")
    )
    ordering = WhitelistOrderingFilter(
        fields=(
            ("company_name", "company_name"),
            ("expected_size", "expected_size"),
            ("status", "status"),
            ("route", "route"),
            ("last_touched_at", "last_touched_at"),
            ("created_at", "created_at"),
            ("updated_at", "updated_at"),
        )
    )

    class Meta:
        model = Lead
        fields: list[str] = []

    def search(self, queryset, name, value):
        text = " ".join(value.split())
        if not text:
            return queryset
        return queryset.filter(
            Q(company_name__icontains=text)
            | Q(person_name__icontains=text)
            | Q(need_description__icontains=text)
        )

    def in_tab(self, queryset, name, value):
        if value == "pool":
            return queryset.filter(pool_q())
        if value == "mine":
            return queryset.filter(owner_id=getattr(self.request.user, "pk", None))
        return queryset
