"""Custom attributes administrators define for deals and accounts.

A definition names a typed field (text, number, choice, date); the values live in the
``custom`` JSON column of :class:`~winroom.deals.models.Deal` and
:class:`~winroom.accounts.models.Account`, keyed by the definition's ``code``:

* text → a string, number → a JSON number, date → an ISO string ("2026-11-25"),
* choice → one of the definition's ``choices`` (a list of strings).

Kept in JSON so that adding an attribute needs no migration, and queries can still filter
(``custom__<code>=…``, ``custom__<code>__gte=…``) on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class AttributeTarget(models.TextChoices):
    DEAL = "deal", _("Deal")
    ACCOUNT = "account", _("Account")


class AttributeType(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    CHOICE = "choice", _("Choice")
    DATE = "date", _("Date")


code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,39}$",
    _("Use lower-case letters, digits and underscores, starting with a letter."),
)


class AttributeDefinitionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def for_target(self, target: str):
        return self.filter(target=target, active=True).order_by("position", "pk")


class AttributeDefinition(models.Model):
    target = models.CharField(_("applies to"), max_length=10, choices=AttributeTarget.choices)
    code = models.CharField(
        _("code"),
        max_length=40,
        validators=[code_validator],
        help_text=_("The key stored with each record and used by imports and the API."),
    )
    label = models.CharField(_("label"), max_length=80)
    label_en = models.CharField(_("English label"), max_length=80, blank=True)
    type = models.CharField(
        _("type"), max_length=10, choices=AttributeType.choices, default=AttributeType.TEXT
    )
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("For a choice: the allowed values.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    filterable = models.BooleanField(_("filter lists by it"), default=True)
    active = models.BooleanField(_("active"), default=True)
    help_text = models.CharField(_("help text"), max_length=200, blank=True)

    objects = AttributeDefinitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("custom attribute")
        verbose_name_plural = _("custom attributes")
        ordering = ["target", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["target", "code"], name="attribute_unique_code")
        ]

    def __str__(self) -> str:
        return self.label

    def display_label(self, language: str | None = None) -> str:
        from django.utils import translation

        language = language or translation.get_language() or "zh-hans"
        if language.startswith("en") and self.label_en:
            return self.label_en
        return self.label

    def clean(self):
        super().clean()
        if self.type == AttributeType.CHOICE:
            values = [str(v).strip() for v in (self.choices or []) if str(v).strip()]
            if not values:
                raise ValidationError(
                    {"choices": _("A choice attribute needs at least one value.")}
                )
            if len(set(values)) != len(values):
                raise ValidationError({"choices": _("The values must differ from each other.")})
            self.choices = values
        elif self.choices:
            self.choices = []

    def to_python(self, value: Any) -> Any:
        """The stored JSON value for a cleaned input; ``None`` for blank. Raises ValidationError."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if self.type == AttributeType.NUMBER:
            if isinstance(value, bool):
                raise ValidationError(_("Enter a number."), code="invalid")
            try:
                number = Decimal(str(value).strip().replace(",", ""))
            except InvalidOperation:
                raise ValidationError(_("Enter a number."), code="invalid") from None
            if not number.is_finite():
                raise ValidationError(_("Enter a number."), code="invalid")
            return int(number) if number == number.to_integral_value() else float(number)
        if self.type == AttributeType.DATE:
            if isinstance(value, date):
                return value.isoformat()
            try:
                return date.fromisoformat(str(value).strip()).isoformat()
            except ValueError:
                raise ValidationError(_("Enter a valid date."), code="invalid") from None
        if self.type == AttributeType.CHOICE:
            text = str(value).strip()
            for choice in self.choices or []:
                if choice.casefold() == text.casefold():
                    return choice
            raise ValidationError(
                _("“%(value)s” is not one of the allowed values."),
                code="invalid_choice",
                params={"value": text},
            )
        return str(value).strip()[:1000]


def clean_custom(target: str, values: dict[str, Any]) -> dict[str, Any]:
    """Validate ``code → raw value`` against the active definitions; unknown codes refused."""
    definitions = {d.code: d for d in AttributeDefinition.objects.for_target(target)}
    cleaned: dict[str, Any] = {}
    errors: dict[str, list] = {}
    for code, raw in values.items():
        definition = definitions.get(code)
        if definition is None:
            errors.setdefault("custom", []).append(
                ValidationError(_("Unknown custom attribute “%(code)s”."), params={"code": code})
            )
            continue
        try:
            value = definition.to_python(raw)
        except ValidationError as error:
            errors.setdefault("custom", []).extend(
                ValidationError(f"{definition.label}: {message}") for message in error.messages
            )
            continue
        if value is not None:
            cleaned[code] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def merge_custom(target: str, current: dict[str, Any] | None, values: dict[str, Any]) -> dict:
    """``current`` with ``values`` applied: each validated, a blank or null removes its code,
    and codes not named in ``values`` (inactive or unknown ones too) are kept as they are."""
    cleaned = clean_custom(target, values)
    merged = {code: value for code, value in (current or {}).items() if code not in values}
    merged.update(cleaned)
    return merged


def displayed_value(definition: AttributeDefinition, value: Any) -> str:
    """A stored value as a person reads it (dates in the locale's short form)."""
    from django.utils import formats

    if definition.type == AttributeType.DATE:
        try:
            return formats.date_format(date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
        except ValueError:
            return str(value)
    if definition.type == AttributeType.NUMBER and isinstance(value, (int, float)):
        return formats.number_format(value, force_grouping=True)
    return str(value)
