"""``{% custom_attributes record %}``: a deal's or account's custom attributes, label: value."""

from django import template

from winroom.attributes.models import AttributeDefinition, displayed_value

register = template.Library()


@register.inclusion_tag("attributes/_values.html")
def custom_attributes(record):
    """The active attributes that hold a value, in the administrators' order (one query)."""
    stored = record.custom or {}
    rows = []
    if stored:
        for definition in AttributeDefinition.objects.for_target(record._meta.model_name):
            value = stored.get(definition.code)
            if value not in (None, ""):
                rows.append((definition.display_label(), displayed_value(definition, value)))
    return {"rows": rows}
