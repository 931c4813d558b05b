import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Visit, VisitStatus


class VisitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    mine = django_filters.BooleanFilter(
        method="only_mine",
        label=_("mine only"),
        widget=django_filters.widgets.BooleanWidget,
    )
    status = django_filters.ChoiceFilter(choices=VisitStatus.choices, label=_("status"))
    effective = django_filters.BooleanFilter(
        label=_("effective"), widget=django_filters.widgets.BooleanWidget
    )
    after = django_filters.DateFilter(
        field_name="planned_at", lookup_expr="date__gte", label=_("from")
    )
    before = django_filters.DateFilter(
        field_name="planned_at", lookup_expr="date__lte", label=_("to")
    )

    class Meta:
        model = Visit
        fields = ["q", "mine", "status", "effective", "after", "before"]

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def only_mine(self, queryset, name, value):
        if value and self.request is not None:
            return queryset.filter(owner=self.request.user)
        return queryset

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(account__name__icontains=value)
            | Q(objective__icontains=value)
            | Q(outcome__icontains=value)
            | Q(deal__name__icontains=value)
        )
