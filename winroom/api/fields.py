"""Serializer fields for references to other records.

A reference is written as the record's id and read back as ``{"id", "name"}``. Which records
may be referenced is decided per request by a *scope* (usually the caller's visible records),
and a record outside the scope is reported exactly like one that does not exist, so the API
never confirms the existence of a record the caller may not see.
"""

import datetime
from collections.abc import Callable, Mapping

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type, build_object_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers

#: the largest id a database integer column holds; larger numbers would overflow in SQL
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """A positive database id from JSON or text input, or None (never an overflow)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        text = value.strip()
        if len(text) > 19:
            return None
        number = int(text)
    else:
        return None
    if not 1 <= number <= MAX_ID:
        return None
    return number


def ref(obj) -> dict | None:
    """How a referenced record is shown: its id and its display name."""
    if obj is None:
        return None
    return {"id": obj.pk, "name": str(obj)}


Scope = Callable[["RefField"], QuerySet]


class RefField(serializers.Field):
    """A reference to a record within a per-request scope: id in, ``{id, name}`` out."""

    default_error_messages = {
        "invalid": _("Give the id (a whole number) of the record."),
        "does_not_exist": _("No such record."),
    }

    def __init__(self, *, scope: Scope | None = None, **kwargs):
        assert scope is not None or kwargs.get("read_only"), "a writable reference needs a scope"
        self.scope = scope
        super().__init__(**kwargs)

    @property
    def request(self):
        return self.context.get("request")

    @property
    def instance(self):
        """The object being updated (None on create)."""
        return getattr(self.root, "instance", None)

    def get_queryset(self) -> QuerySet:
        return self.scope(self)

    def parse(self, data) -> int:
        number = parse_id(data)
        if number is None:
            self.fail("invalid")
        return number

    def to_internal_value(self, data):
        obj = self.get_queryset().filter(pk=self.parse(data)).first()
        if obj is None:
            self.fail("does_not_exist")
        return obj

    def to_representation(self, value):
        return ref(value)


class RefListField(serializers.ListField):
    """A list of references, looked up in one query."""

    def __init__(self, *, child: RefField, max_length: int = 200, **kwargs):
        super().__init__(child=child, max_length=max_length, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str | bytes | Mapping) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        data = list(data)
        if not self.allow_empty and not data:
            self.fail("empty")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        ids = list(dict.fromkeys(self.child.parse(item) for item in data))
        found = self.child.get_queryset().in_bulk(ids)
        if len(found) != len(ids):
            self.child.fail("does_not_exist")
        return [found[number] for number in ids]

    def to_representation(self, data):
        items = data.all() if hasattr(data, "all") else data
        return [ref(obj) for obj in items]


class SafeDateTimeField(serializers.DateTimeField):
    """A date-time the database can store: also near year 1 or 9999 a 400, never a 500.

    (DRF catches the overflow for aware input only; a naive one made aware near the ends
    of the calendar, or one that overflows when stored as UTC, would crash.)
    """

    def enforce_timezone(self, value):
        try:
            value = super().enforce_timezone(value)
            if timezone.is_aware(value):
                value.astimezone(datetime.UTC)
        except OverflowError:
            self.fail("overflow")
        return value


class RefFieldSchema(OpenApiSerializerFieldExtension):
    """In requests a reference is an integer id; in responses an object with id and name."""

    target_class = RefField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return build_basic_type(OpenApiTypes.INT)
        return build_object_type(
            properties={
                "id": build_basic_type(OpenApiTypes.INT),
                "name": build_basic_type(OpenApiTypes.STR),
            },
            required=["id", "name"],
        )
