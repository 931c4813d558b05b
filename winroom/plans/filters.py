"""Filters of the plan list (pages and API alike)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import AccountPlan, PlanStatus


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    year = django_filters.NumberFilter(label=_("year"))
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("status"))
    account = django_filters.NumberFilter(field_name="account_id", label=_("account"))

    class Meta:
        model = AccountPlan
        fields = ["q", "year", "status", "account"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(account__name__icontains=value))
