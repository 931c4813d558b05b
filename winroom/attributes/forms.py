"""Forms: administering the definitions, and the typed fields a deal's or account's form
carries for them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import AttributeDefinition, AttributeType

#: a record form's field for an attribute is named ``custom.<code>`` (codes have no dots)
FIELD_PREFIX = "custom."
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: what never changes once a definition exists: stored values and imports depend on them
FIXED = ("target", "code", "type")


class DefinitionForm(forms.ModelForm):
    """Create or edit a definition; the choices are typed one per line."""

    choices = forms.CharField(
        label=_("choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For a choice attribute: the allowed values, one per line."),
    )

    class Meta:
        model = AttributeDefinition
        fields = [
            "target",
            "code",
            "label",
            "label_en",
            "type",
            "choices",
            "help_text",
            "position",
            "filterable",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields["position"].help_text = _("Smaller numbers come first in forms and lists.")
        if self.instance.pk:
            for name in FIXED:
                self.fields[name].disabled = True
            self.fields["code"].help_text = _(
                "The code and the type cannot change: stored values and imports use them."
            )
            if not self.is_bound:
                self.initial["choices"] = "\n".join(self.instance.choices or [])

    def clean(self):
        cleaned = super().clean()
        target, code = cleaned.get("target"), cleaned.get("code")
        taken = AttributeDefinition.objects.filter(target=target, code=code)
        if not self.instance.pk and target and code and taken.exists():
            self.add_error(
                "code", _("Another attribute of the same records already uses this code.")
            )
        return cleaned

    def clean_position(self) -> int:
        return self.cleaned_data.get("position") or 0

    def clean_choices(self) -> list[str]:
        text = self.cleaned_data.get("choices") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


def field_name(code: str) -> str:
    return f"{FIELD_PREFIX}{code}"


def form_field(definition: AttributeDefinition, current: Any = None) -> forms.Field:
    """The typed form field for one definition (a choice keeps a value no longer offered)."""
    common = {
        "label": definition.display_label(),
        "help_text": definition.help_text,
        "required": False,
    }
    if definition.type == AttributeType.NUMBER:
        return forms.DecimalField(widget=forms.NumberInput(attrs={"step": "any"}), **common)
    if definition.type == AttributeType.DATE:
        return forms.DateField(widget=DATE, **common)
    if definition.type == AttributeType.CHOICE:
        values = list(definition.choices or [])
        if current not in (None, "") and current not in values:
            values.append(str(current))
        return forms.ChoiceField(choices=[("", "—"), *((v, v) for v in values)], **common)
    return forms.CharField(max_length=1000, **common)


class CustomAttributesMixin:
    """For a deal's or account's ModelForm: one field per active attribute of
    ``custom_target``, filled from ``instance.custom``, and ``changes()`` carrying the new
    ``custom`` (merged: codes without a field here are kept untouched)."""

    custom_target: str

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.custom_definitions = list(AttributeDefinition.objects.for_target(self.custom_target))
        stored = self.instance.custom or {}
        for definition in self.custom_definitions:
            name = field_name(definition.code)
            current = stored.get(definition.code)
            self.fields[name] = form_field(definition, current)
            if current is not None and not self.is_bound:
                self.initial[name] = current

    def clean(self):
        cleaned = super().clean()
        stored = self.instance.custom or {}
        self._custom_values = {}
        for definition in self.custom_definitions:
            name = field_name(definition.code)
            if name not in cleaned:  # the field's own validation failed
                continue
            raw = cleaned[name]
            if (
                definition.type == AttributeType.CHOICE
                and raw
                and raw == stored.get(definition.code)
            ):
                # a value the administrator has since withdrawn stays until someone changes it
                self._custom_values[definition.code] = raw
                continue
            try:
                self._custom_values[definition.code] = definition.to_python(raw)
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def custom_changes(self) -> dict | None:
        """The record's new ``custom``, or None when nothing in it changed."""
        stored = dict(self.instance.custom or {}) if self.instance.pk else {}
        merged = dict(stored)
        for code, value in getattr(self, "_custom_values", {}).items():
            if value is None:
                merged.pop(code, None)
            else:
                merged[code] = value
        return None if merged == stored else merged

    def changes(self) -> dict:
        data = super().changes()
        custom = self.custom_changes()
        if custom is not None:
            data["custom"] = custom
        return data
