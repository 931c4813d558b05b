"""API filters for opportunities and the competitor library (the pages have deals.filters)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from winroom.api.filters import IdFilter, SearchFilter, WhitelistOrderingFilter
from winroom.attributes.filters import CustomAttributeFilters
from winroom.deals.filters import BANDS, DealFilter
from winroom.deals.models import Competitor, Deal, DealStatus, Grade


class DealApiFilter(CustomAttributeFilters, django_filters.FilterSet):
    custom_target = "deal"

    q = SearchFilter(method="search", help_text=_("Search in the name and the account's name."))
    status = django_filters.ChoiceFilter(choices=DealStatus.choices)
    stage = IdFilter(field_name="stage_id", help_text=_("Stage id."))
    stage_number = IdFilter(
        field_name="stage__number",
        max_value=1000,
        help_text=_("Stage number (1 = the first stage of the sales process)."),
    )
    grade = django_filters.ChoiceFilter(choices=Grade.choices)
    owner = IdFilter(field_name="owner_id", help_text=_("Owner's user id."))
    account = IdFilter(field_name="account_id", help_text=_("Account id."))
    band = django_filters.ChoiceFilter(
        choices=BANDS,
        method="in_band",
        help_text=_("Win-rate band: commit (≥ 70%), best_case (40–70%), pipeline (< 40%), none."),
    )
    ordering = WhitelistOrderingFilter(
        fields=(
            ("name", "name"),
            ("amount", "amount"),
            ("expected_close", "expected_close"),
            ("win_rate", "win_rate"),
            ("stage__number", "stage"),
            ("grade", "grade"),
            ("status", "status"),
            ("account__name", "account"),
            ("created_at", "created_at"),
            ("updated_at", "updated_at"),
        )
    )

    class Meta:
        model = Deal
        fields: list[str] = []

    in_band = DealFilter.in_band

    def search(self, queryset, name, value):
        text = " ".join(value.split())
        if not text:
            return queryset
        return queryset.filter(Q(name__icontains=text) | Q(account__name__icontains=text))


class CompetitorFilter(django_filters.FilterSet):
    q = SearchFilter(method="search", help_text=_("Search in the name and the basic facts."))
    ordering = WhitelistOrderingFilter(
        fields=(("name", "name"), ("created_at", "created_at"), ("updated_at", "updated_at"))
    )

    class Meta:
        model = Competitor
        fields: list[str] = []

    def search(self, queryset, name, value):
        text = " ".join(value.split())
        if not text:
            return queryset
        return queryset.filter(Q(name__icontains=text) | Q(facts__icontains=text))
