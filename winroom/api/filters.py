"""Filter building blocks shared by the API's FilterSets."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import MAX_ID

#: longest search text accepted (a longer LIKE pattern only costs the database)
MAX_SEARCH_LENGTH = 200


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


class WhitelistOrderingFilter(django_filters.OrderingFilter):
    """``?ordering=name,-updated_at`` over an explicit list of fields; anything else is a 400.

    The primary key breaks ties so that pages never repeat or skip rows.
    """

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "pk")
