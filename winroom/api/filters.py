"""Filter building blocks shared by the API's FilterSets."""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .fields import MAX_ID

#: longest search text accepted (a longer LIKE pattern only costs the database)
MAX_SEARCH_LENGTH = 200


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """Filter by a related record's id; no existence check, so nothing leaks.

    An id the caller may not see simply matches nothing in an already scoped list.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class SearchFilter(django_filters.CharFilter):
    """Free-text search; the FilterSet's ``method`` decides which columns."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_SEARCH_LENGTH)
        kwargs.setdefault("label", _("Search"))
        super().__init__(*args, **kwargs)


class SafeIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date-time the database can store (year 1 or 9999 may overflow in UTC)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None:
            try:
                aware = value if timezone.is_aware(value) else timezone.make_aware(value)
                aware.astimezone(datetime.UTC)
            except (OverflowError, ValueError) as error:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from error
        return value


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    """Filter by an ISO 8601 date-time; out-of-range values are a 400."""

    field_class = SafeIsoDateTimeField


class WhitelistOrderingFilter(django_filters.OrderingFilter):
    """``?ordering=name,-updated_at`` over an explicit list of fields; anything else is a 400.

    The primary key breaks ties so that pages never repeat or skip rows.
    """

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "pk")
