"""List filters for the account and contact pages (search, filters, whitelisted sorting)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from winroom.attributes.filters import CustomAttributeFilters
from winroom.org.models import User

from .models import Account, AccountStatus, Contact, Industry, Orientation, RelationshipStatus


class AccountFilter(CustomAttributeFilters, django_filters.FilterSet):
    custom_target = "account"

    q = django_filters.CharFilter(method="search", label=_("Search"))
    industry = django_filters.ChoiceFilter(choices=Industry.choices, label=_("industry"))
    status = django_filters.ChoiceFilter(choices=AccountStatus.choices, label=_("status"))
    region = django_filters.CharFilter(lookup_expr="icontains", label=_("region"))
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(is_active=True), label=_("owner")
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("region", "region"),
            ("industry", "industry"),
            ("status", "status"),
            ("updated_at", "updated"),
            ("contact_count", "contacts"),
        ),
        field_labels={
            "name": _("name"),
            "region": _("region"),
            "industry": _("industry"),
            "status": _("status"),
            "updated_at": _("updated"),
            "contact_count": _("contacts"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Account
        fields = ["q", "industry", "status", "region", "owner"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(region__icontains=value) | Q(address__icontains=value)
        )


class ContactFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    relationship_status = django_filters.ChoiceFilter(
        choices=RelationshipStatus.choices, label=_("relationship status")
    )
    orientation = django_filters.ChoiceFilter(
        choices=Orientation.choices, label=_("behavioural orientation")
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("account__name", "account"),
            ("title", "title"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "name": _("name"),
            "account__name": _("account"),
            "title": _("title"),
            "updated_at": _("updated"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Contact
        fields = ["q", "relationship_status", "orientation"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(title__icontains=value)
            | Q(department__icontains=value)
            | Q(email__icontains=value)
            | Q(phone__icontains=value)
            | Q(account__name__icontains=value)
        )
