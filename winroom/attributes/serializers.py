"""The ``custom`` field of the deal and account API: read as stored, written as a merge."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import merge_custom

CUSTOM_HELP = _(
    "Custom attributes, code → value (numbers as numbers, dates as YYYY-MM-DD, a choice as "
    "one of its values). On write, only the codes you send change: null or an empty string "
    "removes one, other stored codes are kept; an unknown or inactive code is refused. "
    "Lists filter by them with custom.<code> (a choice exactly, a text containing it), "
    "custom.<code>.min / .max (numbers) and custom.<code>.from / .to (dates)."
)


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "oneOf": [{"type": "string"}, {"type": "number"}],
            "nullable": True,
        },
    }
)
class CustomAttributesField(serializers.Field):
    """Code → value of one record's custom attributes; validated against the active
    definitions of ``target`` and merged into what the record already holds."""

    default_error_messages = {"not_an_object": _("Expected an object of code → value.")}

    def __init__(self, *, target: str, **kwargs):
        self.target = target
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", CUSTOM_HELP)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return dict(value or {})

    def to_internal_value(self, data):
        if not isinstance(data, dict) or any(
            isinstance(value, (dict, list)) for value in data.values()
        ):
            self.fail("not_an_object")
        instance = getattr(self.parent, "instance", None)
        current = getattr(instance, "custom", None) or {}
        try:
            return merge_custom(self.target, current, data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
