"""Importing leads (线索) from a marketing tool, a trade-fair list or another CRM.

Every lead is checked like the lead form (the model's own cleaning: phone, e-mail, sizes,
lengths) and the owner like ``leads.actions.create_lead`` (only someone the importing user
may assign to). Routing is not skipped, for closed leads either: the route is a label
derived from the expected size and need type (as ``Lead.save`` does), with no side effect —
an imported lead is not offered to anyone, and no notification is sent. New leads are
inserted in bulk with their history (9,240 leads in seconds, not minutes).

What an import does differently from the form, on purpose:

* **Status comes from the file.** History arrives closed: a qualified lead is stored as
  qualified *without* creating an account and an opportunity (the qualify workflow is for
  live leads; an old CRM's converted leads usually exist as customers already), and a
  rejected lead needs its reason, as in ``reject_lead`` (from a column, or the mapping's
  default). A "back in the pool" lead has no owner.
* **A blank owner is the importing user** (as for accounts and deals); owners apply only to
  new leads, since a held lead changes hands by claim or recycle.
* **An import is not work on the lead:** updating does not touch it (the recycle clock and
  "new → working" belong to people's work).
* **Columns that fit no field** are mapped to ``extra`` and kept as "header: value" lines in
  the notes — leads have no custom attributes.
* **Channels** are the administrators' list: an unknown channel is refused, unless the
  mapping's option ``create_channels`` is on and an administrator imports.

Matching for an update: the external id (per source), else the same company, person, phone
and e-mail.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from winroom.imports.activity_import import (
    ImportedKeys,
    check_required_columns,
    in_both_languages,
    parse_moment,
    refused,
    render_default,
)
from winroom.imports.importer import (
    IMPORTERS,
    Importer,
    RowError,
    RowResult,
    _differs,
    _validation_errors,
)
from winroom.imports.reading import Table, ValueRefused, header_key, parse_text
from winroom.leads.models import Lead, LeadChannel, LeadStatus, routing_rule
from winroom.methodology import leads as core
from winroom.methodology.errors import ReasonRequiredError
from winroom.org.access import can_write, viewer_for

#: rows whose stored leads are fetched together
CHUNK = 500


class LeadImporter(Importer):
    kind = "lead"
    model = Lead

    SKIP = {"external_id", "extra"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.keys = ImportedKeys(self.kind, self.source)
        self.channels = {header_key(c.name): c for c in LeadChannel.objects.all()}
        self.create_channels = bool(self.mapping.options.get("create_channels")) and (
            viewer_for(self.user).is_admin
        )
        self.defaults = self.mapping.options.get("defaults") or {}
        self.extra = [h for h, target in self.mapping.columns.items() if target == "extra"]
        self.stored: dict[int, Lead] = {}
        self.pending: list[tuple[RowResult, str, Lead]] = []
        self.rule = routing_rule()
        self.now = timezone.now()

    # ------------------------------------------------------------ values

    def parse(self, target, raw):
        if target.name == "created_at":
            return parse_moment(raw, month_first=self.mapping.flagged("month_first", target.name))
        if target.name == "channel":
            return self.channel(raw)
        return super().parse(target, raw)

    def channel(self, raw: Any) -> LeadChannel | None:
        text = parse_text(raw)
        if not text:
            return None
        key = header_key(text)
        if key not in self.channels:
            if not self.create_channels:
                raise refused(
                    _("No lead channel “%(value)s”; an administrator adds channels first."),
                    value=text,
                )
            if len(text) > LeadChannel._meta.get_field("name").max_length:
                raise refused(_("The channel name “%(value)s” is too long."), value=text)
            self.channels[key] = LeadChannel.objects.create(name=text)
        return self.channels[key]

    def read(self, table: Table, row: list, result: RowResult) -> dict:
        data = self.read_row(table, row, result, skip=self.SKIP)
        for name, template in self.defaults.items():
            if name not in self.targets or name in data or name in self.SKIP:
                continue
            try:
                value = self.parse(self.targets[name], render_default(template, table, row))
            except ValueRefused as error:
                result.errors.append(RowError("", str(template), error.code, error.params))
                continue
            if value not in (None, ""):
                data[name] = value
        if not data.get("company_name"):
            result.errors.append(RowError(self.column_of.get("company_name", ""), "", "required"))
        return data

    def notes(self, table: Table, row: list, data: dict, lines: list[str]) -> None:
        """The file's notes, then one "header: value" line per non-blank extra column."""
        for header in self.extra:
            found = self.cell_of(table, row, header)
            if found:
                lines.append(f"{header}: {found}")
        if lines:
            data["notes"] = "\n".join([data["notes"], *lines] if data.get("notes") else lines)

    def cell_of(self, table: Table, row: list, header: str) -> str:
        if header not in table.headers:
            return ""
        index = table.headers.index(header)
        return parse_text(row[index] if index < len(row) else None)

    def status_rules(self, table, row, data: dict, lead: Lead | None, result, lines: list[str]):
        """A rejected lead needs its reason; the reason column of any other lead goes to the
        notes (a default reason of the mapping is for rejected leads only)."""
        status = data.get("status") or (lead.status if lead else LeadStatus.NEW)
        header = self.column_of.get("rejection_reason", "")
        if status == LeadStatus.REJECTED:
            reason = data.get("rejection_reason") or (lead.rejection_reason if lead else "")
            try:
                data["rejection_reason"] = core.check_rejection(reason)
            except ReasonRequiredError:
                text = in_both_languages(_("Say why the lead is rejected."))
                column = header or self.column_of.get("status", "")
                result.errors.append(RowError(column, "", "validation", {"text": text}))
        elif "rejection_reason" in data:
            del data["rejection_reason"]
            given = self.cell_of(table, row, header) if header else ""
            if given:
                lines.append(f"{header}: {given}")
        if status == LeadStatus.RECYCLED:
            data["owner"] = None  # back in the pool: nobody holds it

    # ------------------------------------------------------------ writes

    def build(self, data: dict, result: RowResult) -> Lead | None:
        """A new lead, checked like ``create_lead`` does, to be inserted with the others.

        Thousands of leads are inserted in bulk (with their history), so the route
        ``Lead.save`` would derive is derived here, with the company's rule read once."""
        data = dict(data)
        owner = data.pop("owner") if "owner" in data else self.user
        lead = Lead(owner=owner, **data)
        if owner is not None:
            lead.assigned_at = self.now
        try:
            # owner and channel were looked up by this importer already
            lead.full_clean(exclude=["owner", "channel"])
        except ValidationError as error:
            self.refuse(result, error, data)
            return None
        decision = core.route_lead(
            expected_size=lead.expected_size, need_type=lead.need_type or None, rule=self.rule
        )
        lead.route, lead.route_reason = str(decision.route), decision.reason
        return lead

    def refuse(self, result: RowResult, error: ValidationError, data: dict) -> None:
        for name, texts in _validation_errors(error).items():
            value = parse_text(data[name]) if name in data else ""
            result.errors.append(
                RowError(self.column_of.get(name, ""), value, "validation", {"text": texts})
            )

    def insert_pending(self) -> None:
        if not self.pending:
            return
        leads = [lead for _result, _external_id, lead in self.pending]
        bulk_create_with_history(leads, Lead, batch_size=CHUNK, default_user=self.user)
        for (result, external_id, _lead), lead in zip(self.pending, leads, strict=True):
            result.object_id = lead.pk
            self.keys.remember(external_id, lead.pk)
        self.pending = []

    def update(self, lead: Lead, changes: dict) -> Lead:
        from winroom.leads.actions import _require_write
        from winroom.records import save_edit

        _require_write(self.user, lead)
        return save_edit(lead, by=self.user, expected_version=None, changes=changes)

    def visible(self, lead: Lead) -> bool:
        """A pooled lead is everyone's to see; a held one follows the owner rule."""
        return lead.in_pool or can_write(self.user, lead)

    def prefetch(self, table: Table, rows: list[list]) -> None:
        """The stored leads of the next rows' external ids, in one query."""
        ids = []
        for row in rows:
            cell = self.cell(table, row, "external_id")
            pk = self.keys.get(parse_text(cell[1])) if cell else None
            if pk is not None:
                ids.append(pk)
        self.stored = Lead.objects.in_bulk(ids) if ids else {}

    def existing(self, external_id: str, data: dict) -> Lead | None:
        """By external id when the file has one (many leads share a company name), else by
        the same company, person, phone and e-mail."""
        if external_id:
            pk = self.keys.get(external_id)
            if pk is None:
                return None
            return self.stored.get(pk) or Lead.objects.filter(pk=pk).first()
        same = list(
            Lead.objects.filter(
                company_name=data.get("company_name", ""),
                person_name=data.get("person_name", ""),
                phone=data.get("phone", ""),
                email=data.get("email", ""),
            )[:2]
        )
        return same[0] if len(same) == 1 else None

    def run(self, table: Table) -> list[RowResult]:
        check_required_columns(self)
        results = []
        # table.rows is gone through once, in order: it may report progress as it goes
        for index, (row, line) in enumerate(zip(table.rows, table.lines, strict=True)):
            if index % CHUNK == 0:
                self.insert_pending()
                self.prefetch(table, table.rows[index : index + CHUNK])
            results.append(self.run_row(table, row, line))
        self.insert_pending()
        self.keys.save()
        return results

    def run_row(self, table: Table, row: list, line: int) -> RowResult:
        result = RowResult(line=line)
        external_id = parse_text((self.cell(table, row, "external_id") or ("", ""))[1])
        data = self.read(table, row, result)
        result.label = data.get("company_name", "")
        natural = "|".join(
            data.get(k, "") for k in ("company_name", "person_name", "phone", "email")
        )
        key = f"id:{external_id}" if external_id else f"lead:{natural}"
        if self.duplicate(key, result) or result.errors:
            result.action = "refused"
            return result
        lead = self.existing(external_id, data)
        lines: list[str] = []
        self.status_rules(table, row, data, lead, result, lines)
        self.notes(table, row, data, lines)
        if result.errors:
            result.action = "refused"
            return result
        if lead is not None:
            data.pop("owner", None)  # a held lead changes hands by claim or recycle
            if not any(_differs(lead, k, v) for k, v in data.items()) and self.visible(lead):
                # the same again: unchanged, also for a pooled lead nobody may edit unclaimed
                result.action, result.object_id = "unchanged", lead.pk
                self.keys.remember(external_id, lead.pk)
                return result
        if lead is None:
            built = self.build(data, result)
            if built is None:
                result.action = "refused"
            else:
                result.action = "created"
                self.pending.append((result, external_id, built))
            return result
        saved = self.save_row(result, lead, data, create=None, update=self.update)
        if saved is None:
            result.action = "refused"
            return result
        result.object_id = saved.pk
        self.keys.remember(external_id, saved.pk)
        return result


IMPORTERS["lead"] = LeadImporter
