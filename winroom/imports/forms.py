"""The import pages' forms: upload, then the column mapping the user corrects."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from winroom.imports.mapping import MULTIPLE, Mapping, required, targets
from winroom.imports.models import ImportKind, ImportMapping
from winroom.imports.reading import DEFAULT_MAX_BYTES

TARGET_LABELS = {
    "name": _("Name"),
    "external_id": _("External id"),
    "owner": _("Owner (username or email)"),
    "industry": _("Industry"),
    "region": _("Region"),
    "size": _("Size"),
    "status": _("Status"),
    "website": _("Website"),
    "address": _("Address"),
    "description": _("Description"),
    "account": _("Account (name or external id)"),
    "title": _("Title"),
    "department": _("Department"),
    "phone": _("Phone"),
    "email": _("Email"),
    "level": _("Level in the organisation"),
    "relationship_status": _("Relationship status"),
    "orientation": _("Behavioural orientation"),
    "first_contact_on": _("First contact"),
    "marked_key": _("Key contact"),
    "notes": _("Notes"),
    "reports_to": _("Reports to (name or external id)"),
    # leads
    "company_name": _("Company"),
    "person_name": _("Contact person"),
    "need_description": _("Need"),
    "need_type": _("Need type"),
    "expected_size": _("Expected size (CNY)"),
    "source": _("Source"),
    "channel": _("Channel"),
    "rejection_reason": _("Reason rejected"),
    "created_at": _("Created on"),
    "extra": _("Other information (kept in the notes)"),
    # activities
    "subject": _("Subject"),
    "kind": _("Kind of activity"),
    "occurred_at": _("Date and time"),
    "participants": _("Participants (names, comma-separated)"),
    "deal": _("Opportunity (name or external id)"),
    "relationship_actions": _("Relationship actions (codes or names)"),
    # deals
    "amount": _("Amount"),
    "expected_close": _("Expected close date"),
    "created": _("Created (engaged) on"),
    "stage": _("Stage (number, name or their stage name)"),
    "is_won": _("Won (yes/no)"),
    "is_closed": _("Closed (yes/no)"),
    "closed": _("Closed on"),
    "lost_reason": _("Reason lost"),
    "product_lines": _("Product lines (comma-separated)"),
    "competitors": _("Competitors (comma-separated)"),
    "partner": _("Partner"),
    "grade": _("Grade (A–E)"),
    # people and teams
    "username": _("Username"),
    "manager": _("Manager (name or username)"),
    "team": _("Sales team"),
    "role": _("Role"),
}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to import"), choices=ImportKind.choices)
    file = forms.FileField(label=_("File (.xlsx or .csv)"))
    saved_mapping = forms.ModelChoiceField(
        label=_("Saved mapping"),
        queryset=ImportMapping.objects.all(),
        required=False,
        empty_label=_("Propose one from the file"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = getattr(settings, "WINROOM_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too big (the limit is %(limit_mb)s MB).")
                % {"limit_mb": round(limit / 1024 / 1024)}
            )
        return upload

    def clean(self):
        data = super().clean()
        saved = data.get("saved_mapping")
        if saved and saved.kind != data.get("kind"):
            self.add_error("saved_mapping", _("This mapping is for another kind of record."))
        return data


def target_label(name: str, target) -> str:
    if target.type == "custom":
        return _("Custom attribute: %(label)s") % {"label": target.synonyms[0]}
    return str(TARGET_LABELS.get(name, name))


class MappingForm(forms.Form):
    """One target per column, value mappings for choices, and a name to save it under."""

    save_as = forms.CharField(label=_("Save this mapping as"), max_length=100, required=False)

    def __init__(self, *args, kind: str, headers: list[str], mapping: Mapping, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.headers = headers
        self.given = mapping
        available = targets(kind)
        choices = [("", _("— do not import —"))] + [
            (name, target_label(name, target)) for name, target in available.items()
        ]
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header or f"#{index + 1}",
                choices=choices,
                required=False,
                initial=mapping.columns.get(header, ""),
            )
        for name, target in available.items():
            if target.type == "choice":
                lines = "\n".join(f"{k} = {v}" for k, v in mapping.values.get(name, {}).items())
                self.fields[f"values_{name}"] = forms.CharField(
                    label=TARGET_LABELS.get(name, name),
                    required=False,
                    initial=lines,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=_("One per line: their value = our value"),
                )
        self.fields["month_first"] = forms.BooleanField(
            label=_("Dates are written month first (3/1/2026 is March 1st)"),
            required=False,
            initial=bool(mapping.options.get("month_first")),
        )

    def column_fields(self):
        return [self[f"col_{index}"] for index in range(len(self.headers))]

    def value_fields(self):
        return [self[name] for name in self.fields if name.startswith("values_")]

    def clean(self):
        data = super().clean()
        seen: dict[str, str] = {}
        for index, header in enumerate(self.headers):
            target = data.get(f"col_{index}")
            if not target:
                continue
            if target in seen and target not in MULTIPLE:
                self.add_error(
                    f"col_{index}",
                    _("“%(other)s” is already mapped to this field.") % {"other": seen[target]},
                )
            seen[target] = header
        defaults = self.given.options.get("defaults") or {}
        for needed in required(self.kind):
            if needed in seen or needed in defaults:
                continue
            if needed == "name":
                raise forms.ValidationError(_("Choose which column holds the name."))
            raise forms.ValidationError(
                _("Choose which column holds “%(field)s”.")
                % {"field": TARGET_LABELS.get(needed, needed)}
            )
        name = (data.get("save_as") or "").strip()
        if name and ImportMapping.objects.filter(kind=self.kind, name=name).exists():
            data["replace_saved"] = True
        return data

    def mapping(self) -> Mapping:
        data = self.cleaned_data
        columns = {
            header: data[f"col_{index}"]
            for index, header in enumerate(self.headers)
            if data.get(f"col_{index}")
        }
        values: dict[str, dict[str, str]] = {}
        for name in self.fields:
            if not name.startswith("values_"):
                continue
            table = {}
            for line in (data.get(name) or "").splitlines():
                if "=" in line:
                    theirs, ours = line.rsplit("=", 1)
                    if theirs.strip() and ours.strip():
                        table[theirs.strip()] = ours.strip()
            if table:
                values[name.removeprefix("values_")] = table
        month_first = [n for n, t in targets(self.kind).items() if t.type == "date"]
        # the options this form does not show (in_wan, defaults …) stay as they came
        options = {k: v for k, v in self.given.options.items() if k != "month_first"}
        if data.get("month_first"):
            options["month_first"] = month_first
        return Mapping(columns=columns, values=values, options=options)
