"""API filters for accounts and contacts (the HTML lists have their own in accounts.filters)."""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from winroom.accounts.models import (
    Account,
    AccountStatus,
    Contact,
    Industry,
    Orientation,
    RelationshipStatus,
    name_key,
)
from winroom.accounts.validators import normalize_phone
from winroom.api.filters import IdFilter, SearchFilter, WhitelistOrderingFilter
from winroom.attributes.filters import CustomAttributeFilters


class AccountFilter(CustomAttributeFilters, django_filters.FilterSet):
    custom_target = "account"

    q = SearchFilter(method="search", help_text=_("Search in name and region."))
    industry = django_filters.ChoiceFilter(choices=Industry.choices)
    status = django_filters.ChoiceFilter(choices=AccountStatus.choices)
    region = django_filters.CharFilter(lookup_expr="iexact", max_length=60)
    owner = IdFilter(field_name="owner_id", help_text=_("Owner's user id."))
    ordering = WhitelistOrderingFilter(
        fields=(
            ("name", "name"),
            ("industry", "industry"),
            ("status", "status"),
            ("region", "region"),
            ("created_at", "created_at"),
            ("updated_at", "updated_at"),
        )
    )

    class Meta:
        model = Account
        fields: list[str] = []

    def search(self, queryset, name, value):
        text = " ".join(value.split())
        if not text:
            return queryset
        return queryset.filter(
            Q(name__icontains=text)
            | Q(name_key__contains=name_key(text))
            | Q(region__icontains=text)
        )


class ContactFilter(django_filters.FilterSet):
    q = SearchFilter(
        method="search", help_text=_("Search in name, title, department, email and phone.")
    )
    account = IdFilter(field_name="account_id", help_text=_("Account id."))
    relationship_status = django_filters.ChoiceFilter(choices=RelationshipStatus.choices)
    orientation = django_filters.ChoiceFilter(choices=Orientation.choices)
    ordering = WhitelistOrderingFilter(
        fields=(
            ("name", "name"),
            ("title", "title"),
            ("department", "department"),
            ("relationship_status", "relationship_status"),
            ("account__name", "account"),
            ("created_at", "created_at"),
            ("updated_at", "updated_at"),
        )
    )

    class Meta:
        model = Contact
        fields: list[str] = []

    def search(self, queryset, name, value):
        text = " ".join(value.split())
        if not text:
            return queryset
        condition = (
            Q(name__icontains=text)
            | Q(title__icontains=text)
            | Q(department__icontains=text)
            | Q(email__icontains=text)
            | Q(phone__icontains=text)
        )
        try:  # numbers are stored in international form; find them as typed locally too
            phone = normalize_phone(text)
        except ValidationError:
            phone = ""
        if phone:
            condition |= Q(phone=phone)
        return queryset.filter(condition)
