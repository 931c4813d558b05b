"""Lead list filters: the pool / mine / all tab, status, route, channel, owner, search."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from winroom.org.models import User

from .models import LeadChannel, LeadRoute, LeadStatus, pool_q

TABS = [("pool", _("The pool")), ("mine", _("Mine"))]


class LeadFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    tab = django_filters.ChoiceFilter(
        choices=TABS, method="in_tab", label=_("Show"), empty_label=_("All I can see")
    )
    status = django_filters.ChoiceFilter(choices=LeadStatus.choices, label=_("status"))
    route = django_filters.ChoiceFilter(choices=LeadRoute.choices, label=_("route"))
    channel = django_filters.ModelChoiceFilter(
        queryset=LeadChannel.objects.all(), label=_("channel")
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(is_active=True), label=_("owner")
    )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(company_name__icontains=value)
            | Q(person_name__icontains=value)
            | Q(need_description__icontains=value)
        )

    def in_tab(self, queryset, name, value):
        if value == "pool":
            return queryset.filter(pool_q())
        if value == "mine":
            return queryset.filter(owner=self.request.user)
        return queryset
