"""Importing rows of accounts and contacts: validated like the forms, dry-run, all-or-nothing.

``run_import`` always runs the real code inside one transaction. A dry run (or a real run
with any refused row) rolls it back, so a dry run and the real run cannot disagree, and a
confirmed run either writes every row or nothing.

On an update, blank cells leave the stored value alone; only mapped columns are written.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from winroom.accounts import actions
from winroom.accounts.models import Account, Contact, name_key
from winroom.accounts.validators import normalize_phone
from winroom.imports.mapping import CUSTOM_PREFIX, Mapping, Target, match_choice, targets
from winroom.imports.messages import message
from winroom.imports.models import ImportedKey, ImportJob, JobStatus
from winroom.imports.progress import CHECKING, READING, WRITING, CountedRows, Progress
from winroom.imports.reading import (
    FileRefused,
    Limits,
    Table,
    ValueRefused,
    is_blank,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
    read_table,
)
from winroom.org.access import assignable_users, can_write

LANGUAGES = ("zh-hans", "en")


@dataclass
class RowError:
    column: str
    value: str
    code: str
    params: dict = field(default_factory=dict)

    def text(self, language: str | None = None) -> str:
        return message(self.code, {"value": self.value, **self.params}, language=language)


@dataclass
class RowResult:
    line: int
    action: str = ""  # created, updated, unchanged, refused
    label: str = ""
    object_id: int | None = None
    errors: list[RowError] = field(default_factory=list)


@dataclass
class Report:
    kind: str
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    file_error: RowError | None = None
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        result = {"created": 0, "updated": 0, "unchanged": 0, "refused": 0}
        for row in self.rows:
            result[row.action] = result.get(row.action, 0) + 1
        return result

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.counts()["refused"]

    def bad_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.errors]

    def to_json(self) -> dict:
        data = asdict(self)
        data["counts"] = self.counts()
        return data

    @classmethod
    def from_json(cls, data: dict) -> Report:
        def error(item):
            return RowError(**item) if item else None

        rows = [
            RowResult(**{**row, "errors": [RowError(**e) for e in row.get("errors", [])]})
            for row in data.get("rows", [])
        ]
        return cls(
            kind=data.get("kind", ""),
            dry_run=data.get("dry_run", True),
            rows=rows,
            file_error=error(data.get("file_error")),
            seconds=data.get("seconds", 0.0),
        )

    def lines(self, language: str | None = None) -> list[str]:
        """The report as text lines (the command prints these)."""
        with translation.override(language or translation.get_language()):
            if self.file_error:
                return [self.file_error.text()]
            counts = self.counts()
            out = [
                translation.gettext(
                    "created %(created)s, updated %(updated)s, unchanged %(unchanged)s, "
                    "refused %(refused)s"
                )
                % counts
            ]
            for row in self.bad_rows():
                for problem in row.errors:
                    out.append(
                        translation.gettext("line %(line)s, column “%(column)s”: %(reason)s")
                        % {"line": row.line, "column": problem.column, "reason": problem.text()}
                    )
            return out


class _Rollback(Exception):
    pass


def _validation_errors(error: ValidationError) -> dict[str, dict[str, list[str]]]:
    """field → language → messages, so the report reads in either language later."""
    result: dict[str, dict[str, list[str]]] = {}
    for language in LANGUAGES:
        with translation.override(language):
            if hasattr(error, "error_dict"):
                items = error.message_dict.items()
            else:
                items = [(NON_FIELD_ERRORS, list(error.messages))]
            for name, texts in items:
                result.setdefault(name, {})[language] = list(texts)
    return result


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


def join_words(parts: list[str]) -> str:
    """Parts joined by spaces, except between Chinese characters (王 + 建国 → 王建国)."""
    text = ""
    for part in parts:
        if text and not (_CJK.match(text[-1]) and _CJK.match(part[0])):
            text += " "
        text += part
    return text


def find_user(text: str, *, source: str = ""):
    """An active user by username or email, else by the imported id of a person from the
    same source, else by the name (when only one active person has it)."""
    users = get_user_model().objects.filter(is_active=True)
    user = users.filter(Q(username__iexact=text) | Q(email__iexact=text)).first()
    if user is None:
        key = ImportedKey.objects.filter(kind="user", source=source, external_id=text).first()
        if key is not None:
            user = users.filter(pk=key.object_id).first()
    if user is None:
        named = list(users.filter(display_name__iexact=text)[:2])
        user = named[0] if len(named) == 1 else None
    return user


class Importer:
    kind = ""
    model: Any = None
    #: the imported file's name (run_import sets it; deals record it in their history)
    filename = ""

    def __init__(self, *, user, mapping: Mapping, source: str = ""):
        self.user = user
        self.mapping = mapping
        # a set of mappings for one system's linked files shares its ids' source
        self.source = mapping.options.get("source") or source
        self.targets = targets(self.kind)
        self.column_of = {target: header for header, target in mapping.columns.items()}
        #: targets filled from several columns joined (options {"join": {target: [headers]}})
        self.joins: dict[str, list[str]] = {
            target: list(headers)
            for target, headers in (mapping.options.get("join") or {}).items()
            if headers
        }
        for target, headers in self.joins.items():
            self.column_of.setdefault(target, headers[0])
        self.definitions = {}
        if any(target.type == "custom" for target in self.targets.values()):
            from winroom.attributes.models import AttributeDefinition

            self.definitions = {
                f"{CUSTOM_PREFIX}{d.code}": d
                for d in AttributeDefinition.objects.for_target(self.kind)
            }
        self.assignable: set[int] | None = None
        self.seen: dict[str, int] = {}

    def fit(self, table: Table) -> None:
        """Read each target from a mapped header this file has: a mapping may name one
        column several ways (Winroom's own exports are headed in the reader's language)."""
        present = set(table.headers)
        for header, target in self.mapping.columns.items():
            if header in present and self.column_of.get(target) not in present:
                self.column_of[target] = header

    # ------------------------------------------------------------ values

    def cell(self, table: Table, row: list, target: str) -> tuple[str, Any] | None:
        if target in self.joins:
            return self.joined_cell(table, row, target)
        header = self.column_of.get(target)
        if header is None or header not in table.headers:
            return None
        index = table.headers.index(header)
        return header, (row[index] if index < len(row) else None)

    def joined_cell(self, table: Table, row: list, target: str) -> tuple[str, Any] | None:
        """The non-blank values of the joined columns, e.g. LastName + FirstName."""
        found = [h for h in self.joins[target] if h in table.headers]
        if not found:
            return None
        parts = []
        for header in found:
            index = table.headers.index(header)
            text = parse_text(row[index] if index < len(row) else None)
            if text:
                parts.append(text)
        return self.column_of.get(target, found[0]), join_words(parts) or None

    def parse(self, target: Target, raw: Any) -> Any:
        kind = target.type
        if kind == "date":
            return parse_date(raw, month_first=self.mapping.flagged("month_first", target.name))
        if kind == "decimal":
            return parse_decimal(raw, in_wan=self.mapping.flagged("in_wan", target.name))
        if kind == "int":
            return parse_int(raw)
        if kind == "bool":
            return parse_bool(raw)
        if kind == "choice":
            if is_blank(raw):
                return ""
            mapped = self.mapping.value_for(target.name, raw)
            if mapped is not None:
                return mapped
            found = match_choice(raw, self.choices(target.name))
            if found is None:
                raise ValueRefused("choice", value=raw)
            return found
        if kind == "owner":
            return self.owner(raw)
        if kind == "custom":
            return self.custom_value(target, raw)
        text = parse_text(raw)
        if target.name == "phone" and text:
            try:
                return normalize_phone(text)
            except ValidationError as error:
                raise ValueRefused(
                    "validation", text=_validation_errors(error)[NON_FIELD_ERRORS]
                ) from error
        if target.name == "email":
            return text.lower()
        return text

    def custom_value(self, target: Target, raw: Any) -> Any:
        """A custom attribute's stored value, read with the importer's own parsers first."""
        definition = self.definitions[target.name]
        # a value mapping may give a placeholder word its meaning (IBM's competitor "None")
        mapped = self.mapping.value_for(target.name, raw) if raw is not None else None
        if is_blank(raw) and mapped is None:
            return None
        if definition.type == "date":
            value: Any = parse_date(
                raw, month_first=self.mapping.flagged("month_first", target.name)
            )
        elif definition.type == "number":
            value = parse_decimal(raw, in_wan=self.mapping.flagged("in_wan", target.name))
        elif definition.type == "choice":
            value = mapped if mapped is not None else parse_text(raw)
        else:
            value = parse_text(raw)
        try:
            return definition.to_python(value)
        except ValidationError as error:
            raise ValueRefused(
                "validation", text=_validation_errors(error)[NON_FIELD_ERRORS]
            ) from error

    def choices(self, name: str) -> list[tuple[str, list[str]]]:
        model_field = self.model._meta.get_field(name)
        result = []
        for code, label in model_field.choices:
            labels = []
            for language in LANGUAGES:
                with translation.override(language):
                    labels.append(str(label))
            result.append((code, labels))
        return result

    def owner(self, raw: Any):
        """By username or email (or the value mapping's username for their value), else by
        the imported id or the name of a person from the same source; looked up once."""
        text = parse_text(raw)
        if not text:
            return None
        found = self.__dict__.setdefault("_owners", {})
        if text not in found:
            mapped = self.mapping.value_for("owner", text)
            found[text] = find_user(mapped or text, source=self.source)
        user = found[text]
        if user is None:
            raise ValueRefused("owner_unknown", value=text)
        if self.assignable is None:
            self.assignable = set(assignable_users(self.user).values_list("pk", flat=True))
        if user.pk not in self.assignable:
            raise ValueRefused("owner_not_assignable", value=text)
        return user

    def read_row(self, table: Table, row: list, result: RowResult, skip=()) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name, target in self.targets.items():
            if name in skip:
                continue
            found = self.cell(table, row, name)
            if found is None:
                continue
            header, raw = found
            try:
                value = self.parse(target, raw)
            except ValueRefused as error:
                result.errors.append(
                    RowError(header, parse_text(raw), error.code, _plain(error.params))
                )
                continue
            if value in (None, "") and name != "name":
                continue  # a blank cell leaves the stored value alone
            if target.type == "custom":
                data.setdefault("custom", {})[name.removeprefix(CUSTOM_PREFIX)] = value
                continue
            data[name] = value
        return data

    # ------------------------------------------------------------ keys

    def key_lookup(self, external_id: str):
        key = ImportedKey.objects.filter(
            kind=self.kind, source=self.source, external_id=external_id
        ).first()
        if key is None:
            return None
        return self.model.objects.filter(pk=key.object_id).first()

    def remember(self, external_id: str, obj) -> None:
        if external_id:
            ImportedKey.objects.update_or_create(
                kind=self.kind,
                source=self.source,
                external_id=external_id,
                defaults={"object_id": obj.pk},
            )

    def save_row(self, result: RowResult, obj, data: dict, create, update) -> Any:
        """Create or update in a savepoint; refusals become the row's errors."""
        try:
            with transaction.atomic():
                if obj is None:
                    obj = create(data)
                    result.action = "created"
                else:
                    if not can_write(self.user, self.writable_parent(obj)):
                        raise PermissionDenied
                    if "custom" in data:  # imported attributes add to the stored ones
                        data = {**data, "custom": {**(obj.custom or {}), **data["custom"]}}
                    changes = {k: v for k, v in data.items() if _differs(obj, k, v)}
                    if changes:
                        obj = update(obj, changes)
                        result.action = "updated"
                    else:
                        result.action = "unchanged"
                return obj
        except PermissionDenied:
            result.errors.append(RowError("", result.label, "not_writable"))
        except ValidationError as error:
            for name, texts in _validation_errors(error).items():
                header = self.column_of.get(name, "")
                value = parse_text(data.get(name, "")) if name in data else ""
                result.errors.append(RowError(header, value, "validation", {"text": texts}))
        return None

    def writable_parent(self, obj):
        return obj

    def duplicate(self, key: str, result: RowResult) -> bool:
        if not key:
            return False
        if key in self.seen:
            result.errors.append(
                RowError("", result.label, "duplicate_in_file", {"line": self.seen[key]})
            )
            return True
        self.seen[key] = result.line
        return False

    def run(self, table: Table) -> list[RowResult]:
        raise NotImplementedError


def _plain(params: dict) -> dict:
    return {
        k: (v if isinstance(v, int | float | str | dict | list) else str(v))
        for k, v in params.items()
    }


def _differs(obj, name: str, value) -> bool:
    if hasattr(value, "_meta"):  # a related object
        return getattr(obj, f"{name}_id") != value.pk
    return getattr(obj, name) != value


class AccountImporter(Importer):
    kind = "account"
    model = Account

    def run(self, table: Table) -> list[RowResult]:
        if "name" not in self.column_of:
            raise FileRefused("no_name_column")
        from winroom.imports.activity_import import ImportedKeys

        # read once, not a query per row (100,000-row files): the external ids of this
        # source and the accounts named in the file; the keys are written in bulk at the end
        keys = ImportedKeys(self.kind, self.source)
        by_name = self.accounts_named(table)
        results = []
        for row, line in zip(table.rows, table.lines, strict=True):
            result = RowResult(line=line)
            results.append(result)
            external_id = parse_text((self.cell(table, row, "external_id") or ("", ""))[1])
            data = self.read_row(table, row, result, skip={"external_id"})
            result.label = data.get("name", "")
            key = f"id:{external_id}" if external_id else f"name:{name_key(result.label)}"
            if self.duplicate(key, result) or result.errors:
                result.action = "refused"
                continue
            found = keys.get(external_id)
            account = Account.objects.filter(pk=found).first() if found else None
            if account is None and result.label:
                found = by_name.get(name_key(result.label))
                account = Account.objects.filter(pk=found).first() if found else None
            saved = self.save_row(
                result,
                account,
                data,
                create=lambda data: actions.create_account(by=self.user, data=dict(data)),
                update=lambda obj, changes: actions.update_account(
                    obj, by=self.user, data=changes, expected_version=None
                ),
            )
            if saved is None:
                result.action = "refused"
                continue
            result.object_id = saved.pk
            by_name[saved.name_key] = saved.pk
            keys.remember(external_id, saved.pk)
        keys.save()
        return results

    def accounts_named(self, table: Table) -> dict[str, int]:
        """name key → id of the existing accounts whose names the file's name column holds."""
        header = self.column_of["name"]
        if header not in table.headers:
            return {}
        index = table.headers.index(header)
        wanted = sorted(
            {name_key(parse_text(row[index])) for row in table.rows[:] if index < len(row)} - {""}
        )
        found: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            found.update(
                Account.objects.filter(name_key__in=wanted[start : start + 500]).values_list(
                    "name_key", "pk"
                )
            )
        return found


class ContactImporter(Importer):
    kind = "contact"
    model = Contact

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.accounts: dict[str, Account | None] = {}

    def writable_parent(self, obj):
        return obj.account

    def account(self, raw: Any) -> Account | None:
        text = parse_text(raw)
        if text not in self.accounts:
            account = None
            key = ImportedKey.objects.filter(
                kind="account", source=self.source, external_id=text
            ).first()
            if key is not None:
                account = Account.objects.filter(pk=key.object_id).first()
            if account is None:
                account = Account.objects.filter(name_key=name_key(text)).first()
            if account is not None and not can_write(self.user, account):
                account = None  # an account one may not edit is as good as unknown
            self.accounts[text] = account
        return self.accounts[text]

    def run(self, table: Table) -> list[RowResult]:
        if "name" not in self.column_of:
            raise FileRefused("no_name_column")
        results = []
        pending: list[tuple[RowResult, Contact, str, str]] = []
        by_external_id: dict[str, Contact] = {}
        for row, line in zip(table.rows, table.lines, strict=True):
            result = RowResult(line=line)
            results.append(result)
            external_id = parse_text((self.cell(table, row, "external_id") or ("", ""))[1])
            data = self.read_row(table, row, result, skip={"external_id", "account", "reports_to"})
            result.label = data.get("name", "")
            account_cell = self.cell(table, row, "account")
            account = None
            if account_cell is None or is_blank(account_cell[1]):
                result.errors.append(
                    RowError(account_cell[0] if account_cell else "", "", "required")
                )
            else:
                account = self.account(account_cell[1])
                if account is None:
                    result.errors.append(
                        RowError(account_cell[0], parse_text(account_cell[1]), "account_unknown")
                    )
            if self.duplicate(external_id and f"id:{external_id}", result) or result.errors:
                result.action = "refused"
                continue
            contact = self.key_lookup(external_id) if external_id else None
            if contact is None:
                same = list(Contact.objects.filter(account=account, name=result.label)[:2])
                contact = same[0] if len(same) == 1 else None
            saved = self.save_row(
                result,
                contact,
                data,
                create=lambda data, account=account: actions.create_contact(
                    by=self.user, account=account, data=dict(data)
                ),
                update=lambda obj, changes: actions.update_contact(
                    obj, by=self.user, data=changes, expected_version=None
                ),
            )
            if saved is None:
                result.action = "refused"
                continue
            result.object_id = saved.pk
            self.remember(external_id, saved)
            if external_id:
                by_external_id[external_id] = saved
            boss = self.cell(table, row, "reports_to")
            if boss is not None and not is_blank(boss[1]):
                pending.append((result, saved, boss[0], parse_text(boss[1])))
        self.link_reports_to(pending, by_external_id)
        return results

    def link_reports_to(self, pending, by_external_id) -> None:
        """Reporting lines once every row exists, so a boss may come later in the file."""
        for result, contact, header, text in pending:
            boss = by_external_id.get(text) or self.key_lookup(text)
            if boss is None or boss.account_id != contact.account_id:
                matches = list(
                    Contact.objects.filter(account_id=contact.account_id, name=text).exclude(
                        pk=contact.pk
                    )[:2]
                )
                boss = matches[0] if len(matches) == 1 else None
            if boss is None:
                result.errors.append(RowError(header, text, "reports_to_unknown"))
                result.action = "refused"
                continue
            current = Contact.objects.get(pk=contact.pk)
            if current.reports_to_id == boss.pk:
                continue
            before = result.action
            saved = self.save_row(
                result,
                current,
                {"reports_to": boss},
                create=None,
                update=lambda obj, changes: actions.update_contact(
                    obj, by=self.user, data=changes, expected_version=None
                ),
            )
            if saved is None:
                result.action = "refused"
            elif before == "created":
                result.action = "created"  # a new person's line is part of their creation


IMPORTERS = {"account": AccountImporter, "contact": ContactImporter}


def import_limits() -> Limits:
    from django.conf import settings

    return Limits(
        max_bytes=getattr(settings, "WINROOM_IMPORT_MAX_BYTES", Limits.max_bytes),
        max_rows=getattr(settings, "WINROOM_IMPORT_MAX_ROWS", Limits.max_rows),
        max_unzipped_bytes=getattr(
            settings, "WINROOM_IMPORT_MAX_UNZIPPED_BYTES", Limits.max_unzipped_bytes
        ),
    )


def run_import(
    *,
    kind: str,
    data: bytes,
    filename: str,
    user,
    mapping: Mapping,
    source: str = "",
    sheet: str | None = None,
    dry_run: bool = True,
    progress: Progress | None = None,
) -> Report:
    """Read, check and import a file; write nothing unless it is a real run with no bad row.

    ``progress(phase, done, total)``, if given, is told how far it got (see ``progress``)."""
    started = time.monotonic()
    report = Report(kind=kind, dry_run=dry_run)
    try:
        if progress is not None:
            progress(READING, 0, 0)
        table = read_table(data, filename, limits=import_limits(), sheet=sheet)
        if progress is not None:  # the importer's row loop reports as it goes
            table.rows = CountedRows(table.rows, progress, CHECKING if dry_run else WRITING)
        importer = IMPORTERS[kind](user=user, mapping=mapping, source=source)
        importer.filename = filename
        importer.fit(table)
        with transaction.atomic():
            report.rows = importer.run(table)
            if dry_run or not report.ok:
                raise _Rollback
    except _Rollback:
        pass
    except FileRefused as error:
        report.file_error = RowError("", "", error.code, _plain(error.params))
    report.seconds = round(time.monotonic() - started, 3)
    return report


def run_job(job_id: int, progress: Progress | None = None) -> ImportJob:
    """Run an import job: a dry run while it is one, the real run once confirmed.

    A task runner or the command line calls this; any crash marks the job failed and,
    the import being one transaction, leaves the database as it was."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    dry_run = job.status == JobStatus.DRY_RUN
    try:
        report = run_import(
            kind=job.kind,
            data=bytes(job.content),
            filename=job.filename,
            user=job.created_by,
            mapping=Mapping.from_json(job.mapping),
            source=job.source,
            sheet=job.sheet or None,
            dry_run=dry_run,
            progress=progress,
        )
    except Exception:
        job.status = JobStatus.FAILED
        job.report = Report(
            kind=job.kind, dry_run=dry_run, file_error=RowError("", "", "crash")
        ).to_json()
        job.finished_at = timezone.now()
        job.save()
        raise
    counts = report.counts()
    job.report = report.to_json()
    job.created, job.updated = counts["created"], counts["updated"]
    job.unchanged, job.refused = counts["unchanged"], counts["refused"]
    job.seconds = report.seconds
    job.finished_at = timezone.now()
    if not dry_run:
        job.status = JobStatus.DONE if report.ok else JobStatus.FAILED
    job.save()
    return job
