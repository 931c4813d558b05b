"""List filters for the filterable custom attributes, for the pages' and the API's FilterSets.

One filter per attribute (two for a range), named after the code so that the same query
string works on a page and on the API:

* choice → ``custom.<code>=<value>`` (exact),
* text → ``custom.<code>=<text>`` (contains, case-insensitive),
* number → ``custom.<code>.min`` / ``custom.<code>.max`` (inclusive),
* date → ``custom.<code>.from`` / ``custom.<code>.to`` (inclusive, ISO dates).

The values are JSON (numbers as numbers, dates as ISO strings), so Django's key lookups
(``custom__<code>__gte`` …) compare them the same way on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import django_filters
from django import forms
from django.utils.translation import gettext as _

from .models import AttributeDefinition, AttributeType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _lookup(code: str) -> str:
    return f"custom__{code}"


class JSONNumberFilter(django_filters.NumberFilter):
    """A number bound on a JSON value: compared as a JSON number, not as a Decimal."""

    def filter(self, qs, value):
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        return super().filter(qs, value)


class JSONDateFilter(django_filters.DateFilter):
    """A date bound on a JSON value stored as an ISO string (which sorts as the date does)."""

    def filter(self, qs, value):
        if isinstance(value, date):
            value = value.isoformat()
        return super().filter(qs, value)


def filters_for(definition: AttributeDefinition) -> dict[str, django_filters.Filter]:
    code, label = definition.code, definition.display_label()
    name = f"custom.{code}"
    if definition.type == AttributeType.CHOICE:
        choices = [(value, value) for value in definition.choices or []]
        return {
            name: django_filters.ChoiceFilter(
                field_name=_lookup(code), lookup_expr="exact", choices=choices, label=label
            )
        }
    if definition.type == AttributeType.NUMBER:
        widget = forms.NumberInput(attrs={"step": "any"})
        return {
            f"{name}.min": JSONNumberFilter(
                field_name=_lookup(code),
                lookup_expr="gte",
                label=_("%(label)s, at least") % {"label": label},
                widget=widget,
            ),
            f"{name}.max": JSONNumberFilter(
                field_name=_lookup(code),
                lookup_expr="lte",
                label=_("%(label)s, at most") % {"label": label},
                widget=widget,
            ),
        }
    if definition.type == AttributeType.DATE:
        return {
            f"{name}.from": JSONDateFilter(
                field_name=_lookup(code),
                lookup_expr="gte",
                label=_("%(label)s, from") % {"label": label},
                widget=DATE,
            ),
            f"{name}.to": JSONDateFilter(
                field_name=_lookup(code),
                lookup_expr="lte",
                label=_("%(label)s, until") % {"label": label},
                widget=DATE,
            ),
        }
    return {
        name: django_filters.CharFilter(
            field_name=_lookup(code), lookup_expr="icontains", label=label, max_length=200
        )
    }


def add_custom_filters(filterset: django_filters.FilterSet, target: str) -> None:
    """Add the filters of ``target``'s filterable attributes, before any sort filter
    (one query for the definitions, whatever the number of rows)."""
    added: dict[str, django_filters.Filter] = {}
    for definition in AttributeDefinition.objects.for_target(target).filter(filterable=True):
        added.update(filters_for(definition))
    if not added:
        return
    model = filterset.queryset.model
    for filter_ in added.values():
        filter_.model = model
        filter_.parent = filterset
    sorts = {
        name: f
        for name, f in filterset.filters.items()
        if isinstance(f, django_filters.OrderingFilter)
    }
    rest = {name: f for name, f in filterset.filters.items() if name not in sorts}
    filterset.filters = {**rest, **added, **sorts}


class CustomAttributeFilters:
    """Mixin for a FilterSet of deals or accounts: filters by the attributes of
    ``custom_target`` that administrators marked filterable."""

    custom_target: str

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_custom_filters(self, self.custom_target)
