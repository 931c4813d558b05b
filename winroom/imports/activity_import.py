"""Importing the activity log: visits, calls and meetings from another system or a sheet.

Rows are checked as ``activities.actions.log_activity`` checks the activity form: write
rights on the account (an account the user may not edit is "unknown"), participants of that
account only, opportunities of that account the user can see, red lines, and the model's own
checks. New activities are then written in bulk with their people, actions and history, and
what ``log_activity`` does after each one — the deal's last-activity time and the
participants' relationship levels — is done once for all of them. Existing activities are
updated through ``update_activity``. Rows are matched for an update by external id, else by
account, time, kind and subject (the same interaction twice is the same activity), so a
second import of the same file changes nothing.

Also the helpers the lead importer shares: date-times, defaults, bilingual refusals and a
cache of external ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import dateparse, timezone, translation
from django.utils.translation import gettext_lazy as _

from winroom.accounts.models import Account, Contact, RelationshipActionType, name_key
from winroom.accounts.relationships import check_red_lines, recompute_levels
from winroom.activities import actions
from winroom.activities.models import Activity, ActivityKind
from winroom.imports.importer import (
    IMPORTERS,
    LANGUAGES,
    Importer,
    RowError,
    RowResult,
    _plain,
    _validation_errors,
)
from winroom.imports.mapping import required
from winroom.imports.models import ImportedKey
from winroom.imports.reading import (
    FileRefused,
    Table,
    ValueRefused,
    header_key,
    is_blank,
    normalise_text,
    parse_date,
    parse_text,
)
from winroom.org.access import can_write

#: rows written together
CHUNK = 500

# ------------------------------------------------------------------ shared helpers

_MOMENT = re.compile(
    r"^(?P<day>.+?)(?:[ T]+(?P<h>\d{1,2})[:：](?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?)?$"
)


def parse_moment(value: Any, *, month_first: bool = False) -> datetime | None:
    """A date with an optional time of day, as an aware datetime (a bare date: midnight).

    Reads Excel date-time cells and serials, ISO 8601 with or without offset
    (2026-03-01T06:30:00Z), and every date form of ``parse_date`` followed by HH:MM[:SS]."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        day = parse_date(value)
        seconds = round((value - int(value)) * 86400)
        moment = datetime.combine(day, time()) + timedelta(seconds=seconds)
    else:
        text = normalise_text(value)
        try:
            moment = dateparse.parse_datetime(text)
        except ValueError as error:
            raise ValueRefused("date", value=value) from error
        if moment is None:
            match = _MOMENT.match(text)
            if match is None:
                raise ValueRefused("date", value=value)
            day = parse_date(match["day"], month_first=month_first)
            try:
                clock = time(int(match["h"] or 0), int(match["m"] or 0), int(match["s"] or 0))
            except ValueError as error:
                raise ValueRefused("date", value=value) from error
            moment = datetime.combine(day, clock)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def in_both_languages(text, params: dict | None = None) -> dict[str, list[str]]:
    """A lazy message rendered in each language, as the report keeps model messages."""
    result = {}
    for language in LANGUAGES:
        with translation.override(language):
            result[language] = [str(text) % (params or {})]
    return result


def refused(text, **params) -> ValueRefused:
    """A value refused with a sentence of this module (kept in both languages)."""
    return ValueRefused("validation", text=in_both_languages(text, params))


def check_required_columns(importer: Importer) -> None:
    """Refuse the file when a required target has neither a column nor a default."""
    defaults = importer.mapping.options.get("defaults") or {}
    from winroom.imports.forms import TARGET_LABELS

    for name in required(importer.kind):
        if name not in importer.column_of and name not in defaults:
            label = TARGET_LABELS.get(name, name)
            raise FileRefused(
                "validation",
                text=in_both_languages(
                    _("No column is mapped to “%(field)s”; choose which column holds it."),
                    {"field": label},
                ),
            )


_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def render_default(template: str, table: Table, row: list) -> str:
    """A mapping's default for a blank cell; ``{Header}`` stands for that column's value and
    ``{#}`` (unless a column is called "#") for the row's line in the file — an identity
    for files that have none, such as anonymised samples with repeated rows."""

    def value(match):
        header = match.group(1)
        if header not in table.headers:
            return str(_line_of(table, row)) if header == "#" else match.group(0)
        index = table.headers.index(header)
        return parse_text(row[index] if index < len(row) else None)

    return _PLACEHOLDER.sub(value, str(template))


def _line_of(table: Table, row: list) -> int | str:
    lines = table.__dict__.get("_line_by_row")
    if lines is None:  # rows[:] is a plain copy: going through it reports no progress
        lines = {id(r): line for r, line in zip(table.rows[:], table.lines, strict=True)}
        table.__dict__["_line_by_row"] = lines
    return lines.get(id(row), "")


class ImportedKeys:
    """The external ids of one kind and source, read once and written in bulk at the end."""

    def __init__(self, kind: str, source: str):
        self.kind, self.source = kind, source
        self.known: dict[str, int] = dict(
            ImportedKey.objects.filter(kind=kind, source=source).values_list(
                "external_id", "object_id"
            )
        )
        self.stored = set(self.known)
        self.fresh: dict[str, int] = {}

    def get(self, external_id: str) -> int | None:
        return self.known.get(external_id) if external_id else None

    def remember(self, external_id: str, object_id: int) -> None:
        if external_id and self.known.get(external_id) != object_id:
            self.known[external_id] = self.fresh[external_id] = object_id

    def save(self) -> None:
        stale = {k: v for k, v in self.fresh.items() if k in self.stored}
        for external_id, object_id in stale.items():
            ImportedKey.objects.filter(
                kind=self.kind, source=self.source, external_id=external_id
            ).update(object_id=object_id)
        ImportedKey.objects.bulk_create(
            [
                ImportedKey(kind=self.kind, source=self.source, external_id=k, object_id=v)
                for k, v in self.fresh.items()
                if k not in self.stored
            ],
            batch_size=500,
        )
        self.stored |= set(self.fresh)
        self.fresh = {}


def key_of_any_source(kind: str, source: str, external_id: str) -> int | None:
    """An external id of another kind (an account, a deal): this source first, else the
    only source that knows it (activities often come in a file of their own)."""
    keys = list(
        ImportedKey.objects.filter(kind=kind, external_id=external_id).values_list(
            "source", "object_id"
        )
    )
    same = [pk for s, pk in keys if s == source]
    if same:
        return same[0]
    ids = {pk for _s, pk in keys}
    return ids.pop() if len(ids) == 1 else None


def split_names(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,，、;；\n]+", text) if part.strip()]


# ------------------------------------------------------------------ activities


class ActivityImporter(Importer):
    kind = "activity"
    model = Activity

    REFS = {"external_id", "account", "participants", "deal", "relationship_actions"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.keys = ImportedKeys(self.kind, self.source)
        self.accounts: dict[str, Account | None] = {}
        self.pending: list[NewActivity] = []
        self.stored: dict[int, Activity] = {}
        self.contacts: set[int] = set()
        self.deals: set[int] = set()
        self.people: dict[int, dict[str, list[Contact]]] = {}
        self.actions = {
            **{header_key(a.name): a for a in RelationshipActionType.objects.filter(active=True)},
            **{header_key(a.code): a for a in RelationshipActionType.objects.filter(active=True)},
        }

    def writable_parent(self, obj):
        return obj.account

    def parse(self, target, raw):
        if target.name == "occurred_at":
            return parse_moment(raw, month_first=self.mapping.flagged("month_first", target.name))
        return super().parse(target, raw)

    # ------------------------------------------------------------ references

    def account(self, text: str) -> Account | None:
        """By external id (any import source) or name; one the user may not edit is unknown."""
        if text not in self.accounts:
            account = None
            pk = key_of_any_source("account", self.source, text)
            if pk is not None:
                account = Account.objects.filter(pk=pk).first()
            if account is None:
                account = Account.objects.filter(name_key=name_key(text)).first()
            if account is not None and not can_write(self.user, account):
                account = None
            self.accounts[text] = account
        return self.accounts[text]

    def participants(self, account: Account, text: str) -> list[Contact]:
        if account.pk not in self.people:
            by_name: dict[str, list[Contact]] = {}
            for contact in Contact.objects.filter(account=account):
                by_name.setdefault(contact.name, []).append(contact)
            self.people[account.pk] = by_name
        found = []
        for name in split_names(text):
            same = self.people[account.pk].get(name, [])
            if len(same) > 1:
                raise refused(_("Several people at this account are called “%(name)s”."), name=name)
            if not same:
                pk = key_of_any_source("contact", self.source, name)
                same = list(Contact.objects.filter(pk=pk, account=account)) if pk else []
            if not same:
                raise ValueRefused("reports_to_unknown", value=name)
            found.append(same[0])
        return found

    def deal(self, account: Account, text: str):
        cache = self.__dict__.setdefault("_deals", {})
        if (account.pk, text) not in cache:
            try:
                cache[account.pk, text] = (self.find_deal(account, text), None)
            except ValueRefused as error:
                cache[account.pk, text] = (None, error)
        found, error = cache[account.pk, text]
        if error is not None:
            raise error
        return found

    def find_deal(self, account: Account, text: str):
        from winroom.deals.models import Deal

        deals = Deal.objects.visible_to(self.user).filter(account=account)
        pk = key_of_any_source("deal", self.source, text)
        found = deals.filter(pk=pk).first() if pk else None
        if found is None:
            same = list(deals.filter(name=text)[:2])
            found = same[0] if len(same) == 1 else None
        if found is None:
            raise refused(
                _("No opportunity “%(value)s” of this account that you can see."), value=text
            )
        return found

    def relationship_actions(self, text: str) -> list[RelationshipActionType]:
        found = []
        for word in split_names(text):
            action = self.actions.get(header_key(word))
            if action is None:
                raise refused(
                    _("“%(value)s” is not in the relationship action catalogue."), value=word
                )
            found.append(action)
        return found

    def references(self, table: Table, row: list, result: RowResult, data: dict) -> None:
        cell = self.cell(table, row, "account")
        if cell is None or is_blank(cell[1]):
            result.errors.append(RowError(cell[0] if cell else "", "", "required"))
            return
        account = self.account(parse_text(cell[1]))
        if account is None:
            result.errors.append(RowError(cell[0], parse_text(cell[1]), "account_unknown"))
            return
        data["account"] = account
        for name, read in (
            ("participants", lambda text: self.participants(account, text)),
            ("deal", lambda text: self.deal(account, text)),
            ("relationship_actions", self.relationship_actions),
        ):
            cell = self.cell(table, row, name)
            if cell is None or is_blank(cell[1]):
                continue
            try:
                data[name] = read(parse_text(cell[1]))
            except ValueRefused as error:
                result.errors.append(
                    RowError(cell[0], parse_text(cell[1]), error.code, _plain(error.params))
                )

    # ------------------------------------------------------------ rows

    def read(self, table: Table, row: list, result: RowResult) -> dict:
        data = self.read_row(table, row, result, skip=self.REFS)
        for name, template in (self.mapping.options.get("defaults") or {}).items():
            if name in self.targets and name not in data and name not in self.REFS:
                try:
                    value = self.parse(self.targets[name], render_default(template, table, row))
                except ValueRefused as error:
                    result.errors.append(RowError("", str(template), error.code, error.params))
                    continue
                if value not in (None, ""):
                    data[name] = value
        data.setdefault("kind", ActivityKind.OTHER)  # an export without types: "other"
        for name in ("subject", "occurred_at"):
            if name not in data:
                result.errors.append(RowError(self.column_of.get(name, ""), "", "required"))
        self.references(table, row, result, data)
        return data

    def existing(self, external_id: str, data: dict) -> Activity | None:
        """By external id when the file has one, else the same account, time, kind and
        subject (the same interaction logged twice is one activity)."""
        if external_id:
            pk = self.keys.get(external_id)
            if pk is None:
                return None
            return self.stored.get(pk) or Activity.objects.filter(pk=pk).first()
        same = list(
            Activity.objects.filter(
                account=data["account"],
                occurred_at=data["occurred_at"],
                kind=data["kind"],
                subject=data["subject"],
            )[:2]
        )
        return same[0] if len(same) == 1 else None

    def run(self, table: Table) -> list[RowResult]:
        check_required_columns(self)
        results = []
        # table.rows is gone through once, in order: it may report progress as it goes
        for index, (row, line) in enumerate(zip(table.rows, table.lines, strict=True)):
            if index % CHUNK == 0:
                self.prefetch(table, table.rows[index : index + CHUNK])
            result = RowResult(line=line)
            results.append(result)
            external_id = parse_text((self.cell(table, row, "external_id") or ("", ""))[1])
            data = self.read(table, row, result)
            result.label = data.get("subject", "")
            if result.errors:
                result.action = "refused"
                continue
            natural = (data["account"].pk, data["occurred_at"], data["kind"], data["subject"])
            key = f"id:{external_id}" if external_id else f"row:{natural}"
            if self.duplicate(key, result):
                result.action = "refused"
                continue
            activity = self.existing(external_id, data)
            if activity is None:
                self.plan(result, data, external_id)
                if len(self.pending) >= CHUNK:
                    self.write()
                continue
            data.pop("owner", None)  # the person who logged it stays (as in the form)
            for name in ("participants", "relationship_actions"):
                if name in data and {o.pk for o in data[name]} == {
                    o.pk for o in getattr(activity, name).all()
                }:
                    del data[name]
            saved = self.save_row(
                result,
                activity,
                data,
                create=None,
                update=lambda obj, changes: actions.update_activity(
                    obj, by=self.user, data=changes, expected_version=None
                ),
            )
            if saved is None:
                result.action = "refused"
                continue
            result.object_id = saved.pk
            self.keys.remember(external_id, saved.pk)
        self.write()
        self.finish()
        self.keys.save()
        return results

    def prefetch(self, table: Table, rows: list[list]) -> None:
        """The stored activities of the next rows' external ids, with what an update
        compares and checks, in a few queries."""
        ids = []
        for row in rows:
            cell = self.cell(table, row, "external_id")
            pk = self.keys.get(parse_text(cell[1])) if cell else None
            if pk is not None:
                ids.append(pk)
        self.stored = {
            activity.pk: activity
            for activity in Activity.objects.filter(pk__in=ids)
            .select_related("account")
            .prefetch_related("participants", "relationship_actions", "account__members")
        }

    # ------------------------------------------------------------ new activities

    def plan(self, result: RowResult, data: dict, external_id: str) -> None:
        """Check a new activity as ``log_activity`` does; it is written with the others.

        The account (one the user may write), its people and its deals were looked up by
        this importer; the red lines and the model's own checks run here."""
        data = dict(data)
        participants = data.pop("participants", [])
        relationship_actions = data.pop("relationship_actions", [])
        activity = Activity(owner=data.pop("owner", None) or self.user, **data)
        activity._history_user = self.user
        try:
            check_red_lines(
                subject=activity.subject, notes=activity.notes, actions=relationship_actions
            )
            activity.full_clean(
                exclude=["account", "owner", "deal", "participants", "relationship_actions"]
            )
        except ValidationError as error:
            for name, texts in _validation_errors(error).items():
                value = parse_text(data[name]) if name in data else ""
                result.errors.append(
                    RowError(self.column_of.get(name, ""), value, "validation", {"text": texts})
                )
            result.action = "refused"
            return
        result.action = "created"
        self.pending.append(
            NewActivity(result, external_id, activity, participants, relationship_actions)
        )

    def write(self) -> None:
        """Insert the checked activities, their people and actions, and their history, in
        bulk: the history reads as if each had been logged with its people at once."""
        if not self.pending:
            return
        new, self.pending = self.pending, []
        activities = [n.activity for n in new]
        Activity.objects.bulk_create(activities, batch_size=CHUNK)
        history = Activity.history.bulk_history_create(
            activities, batch_size=CHUNK, default_user=self.user
        )
        history_of = {h.id: h for h in history}
        for name, attname in (
            ("participants", "contact_id"),
            ("relationship_actions", "relationshipactiontype_id"),
        ):
            through = getattr(Activity, name).through
            links = through.objects.bulk_create(
                [
                    through(activity_id=n.activity.pk, **{attname: other.pk})
                    for n in new
                    for other in getattr(n, name)
                ],
                batch_size=CHUNK,
            )
            historical = getattr(Activity.history.model, name).model
            historical.objects.bulk_create(
                [
                    historical(
                        id=link.id,
                        activity_id=link.activity_id,
                        history=history_of[link.activity_id],
                        **{attname: getattr(link, attname)},
                    )
                    for link in links
                ],
                batch_size=CHUNK,
            )
        for n in new:
            n.result.object_id = n.activity.pk
            self.keys.remember(n.external_id, n.activity.pk)
            self.contacts.update(c.pk for c in n.participants)
            if n.activity.deal_id:
                self.deals.add(n.activity.deal_id)

    def finish(self) -> None:
        """What ``log_activity`` does after each activity, once for all of them: the deals'
        last-activity time (staleness reads it) and the participants' relationship levels."""
        from winroom.deals.models import Deal

        latest = (
            Activity.objects.filter(deal_id__in=self.deals)
            .order_by()
            .values("deal_id")
            .annotate(latest=Max("occurred_at"))
        )
        for row in latest:
            Deal.all_objects.filter(pk=row["deal_id"]).update(last_activity_at=row["latest"])
        recompute_levels(self.contacts)


@dataclass
class NewActivity:
    """A checked row that becomes an activity once the batch is written."""

    result: RowResult
    external_id: str
    activity: Activity
    participants: list[Contact] = field(default_factory=list)
    relationship_actions: list[RelationshipActionType] = field(default_factory=list)


IMPORTERS["activity"] = ActivityImporter
