import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Activity, ActivityKind


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label=_("kind"))
    occurred_after = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", label=_("from")
    )
    occurred_before = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", label=_("to")
    )
    sort = django_filters.OrderingFilter(
        fields=(("occurred_at", "date"), ("account__name", "account"), ("kind", "kind")),
        field_labels={"occurred_at": _("date"), "account__name": _("account"), "kind": _("kind")},
        label=_("Sort by"),
    )

    class Meta:
        model = Activity
        fields = ["q", "kind", "occurred_after", "occurred_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(subject__icontains=value)
            | Q(notes__icontains=value)
            | Q(account__name__icontains=value)
        )
