"""Ready mappings shipped with Winroom: one JSON file per mapping in this folder.

Each file holds::

    {"name": "Salesforce opportunities",      # the saved mapping's name (also its source)
     "kind": "deal",
     "description": "…", "description_en": "…",
     "columns": {...}, "values": {...}, "options": {...},
     "attributes": [                         # custom attributes the mapping fills
         {"target": "deal", "code": "sf_probability", "label": "Salesforce 概率",
          "label_en": "Salesforce probability", "type": "number"}]}

``install`` creates the custom attributes it needs (if missing) and saves the mapping as an
:class:`~winroom.imports.models.ImportMapping`, so the UI, the command (``--mapping NAME``)
and the API all find it by name. Installing twice changes nothing.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.db import transaction

FOLDER = Path(__file__).resolve().parent


@cache
def _read_all() -> dict[str, dict]:
    result = {}
    for path in sorted(FOLDER.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data.setdefault("slug", path.stem)
        result[path.stem] = data
    return result


def ready_mappings(kind: str | None = None) -> list[dict]:
    return [m for m in _read_all().values() if kind is None or m["kind"] == kind]


def find(name: str) -> dict | None:
    """A ready mapping by file stem or by name (case-insensitive)."""
    every = _read_all()
    if name in every:
        return every[name]
    for data in every.values():
        if data["name"].casefold() == name.casefold():
            return data
    return None


@transaction.atomic
def install(name: str, *, by=None):
    """Create the mapping's custom attributes and save it; returns the ImportMapping."""
    from winroom.attributes.models import AttributeDefinition
    from winroom.imports.models import ImportMapping

    data = find(name)
    if data is None:
        raise KeyError(name)
    for position, attribute in enumerate(data.get("attributes", [])):
        definition, created = AttributeDefinition.objects.get_or_create(
            target=attribute.get("target", data["kind"]),
            code=attribute["code"],
            defaults={
                "label": attribute["label"],
                "label_en": attribute.get("label_en", ""),
                "type": attribute.get("type", "text"),
                "choices": attribute.get("choices", []),
                "position": attribute.get("position", 100 + position),
            },
        )
        if created:
            definition.full_clean()
    mapping, _ = ImportMapping.objects.update_or_create(
        kind=data["kind"],
        name=data["name"],
        defaults={
            "columns": data.get("columns", {}),
            "values": data.get("values", {}),
            "options": data.get("options", {}),
            "created_by": by,
        },
    )
    return mapping
