"""Change history of a record as people read it: who, when, and each field's old → new."""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

CHANGE_TYPES = {"+": _("created"), "~": _("changed"), "-": _("removed")}
HIDDEN_FIELDS = {"deleted_by", "name_key", "updated_at", "version", "created_at"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: str
    kind: str
    changes: list[FieldChange] = field(default_factory=list)


def _ref(related, value):
    """The related object's id, also from a many-to-many through row given as a dict."""
    if isinstance(value, dict):
        return value.get(related._meta.model_name)
    return value


def _display(model, field_name, value, names):
    if value is None or value == "":
        return "—"
    try:
        model_field = model._meta.get_field(field_name)
    except Exception:
        return str(value)
    if isinstance(value, list):  # many-to-many: list of through rows as dicts
        related = model_field.related_model
        ids = [_ref(related, v) for v in value]
        return ", ".join(names.get((related, i), str(i)) for i in ids) or "—"
    if model_field.is_relation:
        return names.get((model_field.related_model, value), str(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if field_name == "deleted_at":
        return str(_("in the recycle bin"))
    return str(value)


def history_for(obj, *, limit=200) -> list[HistoryEntry]:
    """Newest first. Related names are resolved in one query per related model."""
    model = type(obj)
    records = list(obj.history.select_related("history_user").order_by("-history_date")[:limit])
    raw: list[tuple[object, list]] = []
    wanted: dict[type[models.Model], set] = {}
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        deltas = []
        if previous is not None:
            diff = record.diff_against(previous)
            for change in diff.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                deltas.append(change)
                try:
                    model_field = model._meta.get_field(change.field)
                except Exception:
                    continue
                if model_field.is_relation:
                    for value in (change.old, change.new):
                        values = value if isinstance(value, list) else [value]
                        for v in values:
                            key = _ref(model_field.related_model, v)
                            if key is not None:
                                wanted.setdefault(model_field.related_model, set()).add(key)
        raw.append((record, deltas))
    names = {}
    for related, ids in wanted.items():
        manager = getattr(related, "all_objects", related._base_manager)
        for pk, label in ((o.pk, str(o)) for o in manager.filter(pk__in=ids)):
            names[(related, pk)] = label
    entries = []
    for record, deltas in raw:
        who = str(record.history_user) if record.history_user else str(_("system"))
        kind = str(CHANGE_TYPES.get(record.history_type, record.history_type))
        entry = HistoryEntry(when=record.history_date, who=who, kind=kind)
        for change in deltas:
            try:
                label = str(model._meta.get_field(change.field).verbose_name)
            except Exception:
                label = change.field
            entry.changes.append(
                FieldChange(
                    label=label,
                    old=_display(model, change.field, change.old, names),
                    new=_display(model, change.field, change.new, names),
                )
            )
        if record.history_type == "~" and not entry.changes:
            continue
        entries.append(entry)
    return entries
