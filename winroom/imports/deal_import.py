"""Importing opportunities (商机) from a sheet or another CRM's export.

Imported deals are historical facts, not steps of our process: the import sets the stage,
the outcome (open, won, lost) and the dates directly instead of walking the stage gates,
and records on every deal it creates that it was imported, from which source and file.

What a row may carry (see ``TARGETS["deal"]``): name, account (its external id from the
same source, or its name), owner, amount (a "万" column when the mapping says so),
expected close, created (engaged) and closed dates, stage (our number or name in either
language, or their stage names through the value mapping; a name that means an outcome,
such as Salesforce's "Closed Won", sets the status), status, IsWon/IsClosed, reason lost,
product lines and competitors (names separated by , 、 or ;), source, partner, grade and
custom attributes. Options of the mapping:

* ``create_accounts``: an unknown account is created by name, owned by the deal's owner;
  without it such a row is refused;
* ``defaults``: ``{"account": "…"}`` names the account for rows that have none (Maven's
  open deals often have none). A deal cannot exist without an account, and guessing one
  would put deals in the wrong place, so without a default such a row is refused; with
  ``create_accounts`` the named account is created (owned by the importing person) and
  collects those deals until someone moves them;
* ``create_product_lines``: an administrator's import adds unknown product lines;
* ``closed_stage``: ``{"lost": 2}`` — the stage of a lost deal whose file names only the
  outcome (default: the first stage; a won deal gets the last stage).

New deals are checked row by row and then written in bulk (a file with any bad row writes
nothing at all), so tens of thousands of rows take seconds. Rows whose deal exists already
(same external id from the same source, else same account and name) update it through
``deals.actions.update_deal``, row by row; blank cells leave stored values alone, and
product lines and competitors are only ever added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from functools import lru_cache
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from winroom.accounts import actions as account_actions
from winroom.accounts.models import Account, TeamRole, name_key
from winroom.deals import actions as deal_actions
from winroom.deals.api.library import find_or_create_competitor
from winroom.deals.assessment import bounds, build_health_inputs, company_standards
from winroom.deals.labels import STAGES
from winroom.deals.models import (
    Competitor,
    Deal,
    DealCompetitor,
    DealEvent,
    DealMember,
    DealStatus,
    ProductLine,
    Stage,
    WinRatePoint,
    WinRateStatus,
)
from winroom.demo.bulk import Inserter, first_free_id
from winroom.imports.activity_import import render_default
from winroom.imports.importer import (
    IMPORTERS,
    LANGUAGES,
    Importer,
    RowError,
    RowResult,
    _plain,
    _validation_errors,
)
from winroom.imports.mapping import CUSTOM_PREFIX, STATUS_WORDS
from winroom.imports.models import ImportedKey
from winroom.imports.reading import (
    FileRefused,
    Table,
    ValueRefused,
    header_key,
    is_blank,
    parse_text,
)
from winroom.methodology.grade import Grade as CoreGrade
from winroom.methodology.grade import effective_grade
from winroom.methodology.health import explain_health
from winroom.methodology.stages import DealFacts
from winroom.methodology.visibility import RecordAccess, may_write
from winroom.methodology.win_rate import PartyAssessment, WinRateInputs, explain_win_rate
from winroom.org.access import can_write, viewer_for
from winroom.org.models import CompanySettings

BATCH = 500
ACCOUNT_MANAGER = TeamRole.ACCOUNT_MANAGER
_SEPARATORS = re.compile(r"[,，、;；\n]+")


def in_both_languages(text, params: dict | None = None) -> dict[str, list[str]]:
    """A lazy sentence rendered in each language, as the report keeps model messages."""
    result = {}
    for language in LANGUAGES:
        with translation.override(language):
            result[language] = [str(text) % (params or {})]
    return result


def refused(text, **params) -> ValueRefused:
    return ValueRefused("validation", text=in_both_languages(text, params))


def row_error(header: str, value: Any, text, **params) -> RowError:
    return RowError(
        header, parse_text(value), "validation", {"text": in_both_languages(text, params)}
    )


def split_names(value: Any) -> list[str]:
    """Names in one cell: "GTX Pro, MG Special" / "华为、新华三" / "a; b"."""
    names = []
    for part in _SEPARATORS.split(parse_text(value)):
        part = " ".join(part.split())
        if part and part not in names:
            names.append(part)
    return names


def product_key(name: str) -> str:
    """Product names match ignoring case, width, spaces and dashes ("GTXPro" = "GTX Pro")."""
    return "".join(ch for ch in header_key(name) if ch.isalnum())


@lru_cache(maxsize=8192)
def local_noon(day: date | None, zone: tzinfo) -> datetime | None:
    """A date as a moment: noon in the time zone, the same date everywhere."""
    if day is None:
        return None
    return datetime.combine(day, time(12), tzinfo=zone)


class FastInserter(Inserter):
    """An ``Inserter`` that adapts each distinct date and time once (imports repeat them)."""

    def __init__(self, model, **kwargs):
        super().__init__(model, **kwargs)
        ops = self.connection.ops
        slow = {ops.adapt_datetimefield_value, ops.adapt_datefield_value}
        self.columns = [
            (attname, default, lru_cache(maxsize=4096)(adapt) if adapt in slow else adapt, col)
            for attname, default, adapt, col in self.columns
        ]

    def insert(self, rows) -> int:
        """On PostgreSQL through COPY: INSERTs bind every value on the client, which costs
        more than the rows themselves."""
        if self.connection.vendor != "postgresql":
            return super().insert(rows)
        from django.db.backends.postgresql.psycopg_any import is_psycopg3

        if not is_psycopg3:
            return super().insert(rows)
        params = [self.params(row) for row in rows]
        quote = self.connection.ops.quote_name
        names = ", ".join(quote(column) for *_rest, column in self.columns)
        table = quote(self.model._meta.db_table)
        with (
            self.connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for values in params:
                copy.write_row(values)
        self.rows_written += len(params)
        return len(params)


def reserve_ids(model, count: int) -> list[int]:
    """``count`` unused primary keys for rows written with explicit ids.

    PostgreSQL hands them out from the table's sequence (safe beside other writers); on
    SQLite the import's transaction holds the database's write lock, so the ids above the
    highest ever used are free."""
    if not count:
        return []
    connection = connections[router.db_for_write(model)]
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        used = cursor.fetchone()
    start = max(first_free_id(model), (used[0] + 1) if used else 1)
    return list(range(start, start + count))


@dataclass
class NewDeal:
    """A checked row that creates a deal once every row passed."""

    result: RowResult
    row: dict
    stage: Stage
    external_id: str
    product_lines: list[ProductLine] = field(default_factory=list)
    competitors: list[Competitor] = field(default_factory=list)


class DealImporter(Importer):
    kind = "deal"
    model = Deal
    #: targets this importer reads itself rather than through ``read_row``
    OWN = frozenset(
        {
            "external_id",
            "account",
            "stage",
            "status",
            "is_won",
            "is_closed",
            "closed",
            "created",
            "product_lines",
            "competitors",
            "grade",
        }
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        options = self.mapping.options
        self.create_accounts = bool(options.get("create_accounts"))
        self.create_products = bool(options.get("create_product_lines"))
        self.defaults = options.get("defaults") or {}
        self.closed_stage = options.get("closed_stage") or {}
        self.company = CompanySettings.current()
        self.bounds = bounds(self.company)
        self.now = timezone.now()
        self.zone = timezone.get_current_timezone()
        self.deal_fields = {f.name: f for f in Deal._meta.concrete_fields}
        #: a new deal's row before the file's values: the model's defaults
        self.deal_defaults = {f.attname: f.get_default() for f in Deal._meta.concrete_fields}
        self.stages = list(Stage.objects.order_by("number"))
        self.stage_index = self._stage_index()
        self.status_index = self._status_index()
        self.accounts: dict[str, Account | None] = {}
        self.account_keys: dict[str, int] | None = None
        self.products: dict[str, ProductLine] | None = None
        self.competitor_cache: dict[str, Competitor] = {}
        self.existing: dict[str, Deal] = {}
        self.keys: dict[str, ImportedKey] = {}
        self.links: dict[int, dict[str, set[int]]] = {}
        self.memo: dict[tuple[str, Any], Any] = {}
        self.index_of: list | None = None
        self.index: dict[str, int] = {}
        self.present: dict[frozenset, list] = {}

    # ------------------------------------------------------------ choices

    def _stage_index(self) -> dict[str, Stage]:
        index: dict[str, Stage] = {}
        for stage in self.stages:
            words = {str(stage.number), stage.code, stage.name, f"stage {stage.number}"}
            words.add(f"阶段{stage.number}")
            for language in LANGUAGES:
                with translation.override(language):
                    words.add(str(STAGES.get(stage.code, stage.code)))
            for word in words:
                if word:
                    index.setdefault(header_key(word), stage)
        return index

    def _status_index(self) -> dict[str, str]:
        index = {}
        for code, words in STATUS_WORDS.items():
            for word in words:
                index[header_key(word)] = code
        for code, labels in self.choices("status"):
            for word in (code, *labels):
                index.setdefault(header_key(word), code)
        return index

    def stage_value(self, raw: Any) -> tuple[Stage | None, str]:
        """(our stage, or None) and the outcome the value implies ("" when none)."""
        mapped = self.mapping.value_for("stage", raw)
        value = raw if mapped is None else mapped
        key = header_key(value)
        if key in self.stage_index:
            return self.stage_index[key], ""
        if key in self.status_index:
            return None, self.status_index[key]
        raise refused(
            _("“%(value)s” is neither one of our stages (a number or a name) nor won or lost."),
            value=parse_text(raw),
        )

    def status_value(self, raw: Any) -> str:
        mapped = self.mapping.value_for("status", raw)
        key = header_key(raw if mapped is None else mapped)
        if key not in self.status_index:
            raise ValueRefused("choice", value=raw)
        return self.status_index[key]

    # ------------------------------------------------------------ references

    def account(self, text: str, owner) -> Account | None:
        """The account by its imported id (same source) or its name; created if allowed."""
        if text in self.accounts:
            return self.accounts[text]
        if self.account_keys is None:
            self.account_keys = dict(
                ImportedKey.objects.filter(kind="account", source=self.source).values_list(
                    "external_id", "object_id"
                )
            )
        account = None
        if text in self.account_keys:
            account = Account.objects.filter(pk=self.account_keys[text]).first()
        if account is None:
            account = Account.objects.filter(name_key=name_key(text)).first()
        if account is None and self.create_accounts:
            # a failure here (e.g. the name is in the recycle bin) refuses the row
            with transaction.atomic():
                account = account_actions.create_account(
                    by=self.user, data={"name": text, "owner": owner or self.user}
                )
        if account is not None and not can_write(self.user, account):
            account = None  # an account one may not edit is as good as unknown
        self.accounts[text] = account
        return account

    def product_lines(self, value: Any) -> list[ProductLine]:
        if self.products is None:
            self.products = {product_key(p.name): p for p in ProductLine.objects.all()}
        found = []
        for name in split_names(value):
            product = self.products.get(product_key(name))
            if product is None:
                if not (self.create_products and self.user.is_administrator):
                    raise refused(
                        _(
                            "No product line “%(value)s”; an administrator adds it first "
                            "(or imports with “create missing product lines”)."
                        ),
                        value=name,
                    )
                product = ProductLine(name=name)
                try:
                    product.full_clean()
                except ValidationError as error:
                    raise ValueRefused(
                        "validation", text=next(iter(_validation_errors(error).values()))
                    ) from error
                product.save()
                self.products[product_key(name)] = product
            if product not in found:
                found.append(product)
        return found

    def competitors(self, value: Any) -> list[Competitor]:
        found = []
        for name in split_names(value):
            key = name.casefold()
            if key not in self.competitor_cache:
                try:
                    with transaction.atomic():
                        competitor = find_or_create_competitor(by=self.user, name=name)
                except ValidationError as error:
                    raise ValueRefused(
                        "validation", text=next(iter(_validation_errors(error).values()))
                    ) from error
                self.competitor_cache[key] = competitor
            competitor = self.competitor_cache[key]
            if competitor not in found:
                found.append(competitor)
        return found

    # ------------------------------------------------------------ reading a row

    # Reading is most of an import's time: cells are found by a column index made once per
    # file, only the mapped targets are visited, and a value that repeats down a column
    # (dates, stages, owners, products …) is parsed once.

    def cell(self, table: Table, row: list, target: str) -> tuple[str, Any] | None:
        if target in self.joins:
            return self.joined_cell(table, row, target)
        if self.index_of is not table.headers:
            self.index_of = table.headers
            self.index = {}
            for number, header in enumerate(table.headers):
                self.index.setdefault(header, number)
            self.present = {}
        header = self.column_of.get(target)
        number = self.index.get(header) if header is not None else None
        if number is None:
            return None
        return header, (row[number] if number < len(row) else None)

    def read_row(self, table: Table, row: list, result: RowResult, skip=()) -> dict[str, Any]:
        """As the base class's, visiting only the targets this file has a column for."""
        self.cell(table, row, "name")  # (re)builds the column index for this file
        key = frozenset(skip)
        if key not in self.present:
            self.present[key] = [
                (name, target)
                for name, target in self.targets.items()
                if name not in skip
                and (name in self.joins or self.index.get(self.column_of.get(name)) is not None)
            ]
        data: dict[str, Any] = {}
        for name, target in self.present[key]:
            header, raw = self.cell(table, row, name)
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

    REPEATING = frozenset({"date", "choice", "owner", "bool", "custom", "ref"})

    def parse(self, target, raw: Any) -> Any:
        if target.type not in self.REPEATING:
            return super().parse(target, raw)
        return self.remembered(
            target.name, raw, lambda value: super(DealImporter, self).parse(target, value)
        )

    def remembered(self, name: str, raw: Any, parse) -> Any:
        """``parse(raw)``, computed once per distinct value of the column (refusals too)."""
        try:
            found = self.memo[(name, raw)]
        except KeyError:
            try:
                found = parse(raw)
            except ValueRefused as error:
                found = error
            self.memo[(name, raw)] = found
        except TypeError:  # a value that cannot be a key
            return parse(raw)
        if isinstance(found, ValueRefused):
            raise found
        return found

    def own_cell(self, table: Table, row: list, name: str, result: RowResult, parse):
        """A cell of one of the targets read here, parsed; a refusal becomes a row error."""
        found = self.cell(table, row, name)
        if found is None or is_blank(found[1]):
            return None
        header, raw = found
        try:
            return self.remembered(f"own:{name}", raw, parse)
        except ValueRefused as error:
            result.errors.append(
                RowError(header, parse_text(raw), error.code, _plain(error.params))
            )
            return None

    def read(self, table: Table, row: list, result: RowResult) -> tuple[dict, dict]:
        """(the deal's fields as the file states them, the references and outcome)."""
        data = self.read_row(table, row, result, skip=self.OWN)
        for name, template in self.defaults.items():
            if name in self.targets and data.get(name) in (None, "") and name not in self.OWN:
                value = render_default(template, table, row)
                try:
                    parsed = self.parse(self.targets[name], value)
                except ValueRefused as error:
                    result.errors.append(RowError("", value, error.code, error.params))
                    continue
                if parsed not in (None, ""):
                    data[name] = parsed
        if not data.get("name"):
            result.errors.append(RowError(self.column_of.get("name", ""), "", "required"))
        facts: dict[str, Any] = {}
        stage = self.own_cell(table, row, "stage", result, self.stage_value)
        if stage is not None:
            facts["stage"], facts["implied_status"] = stage
        status = self.own_cell(table, row, "status", result, self.status_value)
        won = self.own_cell(table, row, "is_won", result, lambda raw: self.parse_bool(raw))
        closed = self.own_cell(table, row, "is_closed", result, lambda raw: self.parse_bool(raw))
        implied = facts.get("implied_status", "")
        if status:
            facts["status"] = status
        elif won:
            facts["status"] = DealStatus.WON
        elif closed:  # closed and not won: lost, unless their stage name says more
            closed_outcome = implied if implied and implied != DealStatus.OPEN else ""
            keep = won is None and closed_outcome
            facts["status"] = closed_outcome if keep else DealStatus.LOST
        elif closed is False:
            facts["status"] = DealStatus.OPEN
        elif implied:
            facts["status"] = implied
        for name in ("created", "closed"):
            day = self.own_cell(table, row, name, result, lambda raw, n=name: self.date(n, raw))
            if day is not None:
                facts[name] = day
        grade = self.own_cell(table, row, "grade", result, self.grade_value)
        if grade:
            facts["grade"] = grade
        facts["product_lines"] = (
            self.own_cell(table, row, "product_lines", result, self.product_lines) or []
        )
        facts["competitors"] = (
            self.own_cell(table, row, "competitors", result, self.competitors) or []
        )
        facts["account"] = self.read_account(table, row, result, data.get("owner"))
        return data, facts

    def parse_bool(self, raw):
        return self.parse(self.targets["is_won"], raw)

    def date(self, name: str, raw):
        return self.parse(self.targets[name], raw)

    def grade_value(self, raw) -> str:
        mapped = self.mapping.value_for("grade", raw)
        text = header_key(raw if mapped is None else mapped)
        if text not in {"a", "b", "c", "d", "e"}:
            raise ValueRefused("choice", value=raw)
        return text

    def read_account(self, table: Table, row: list, result: RowResult, owner) -> Account | None:
        found = self.cell(table, row, "account")
        header = found[0] if found else self.column_of.get("account", "")
        text = parse_text(found[1]) if found else ""
        if not text:
            text = parse_text(render_default(self.defaults.get("account") or "", table, row))
            owner = None  # a default account collects many people's deals: the importer's
            if not text:
                result.errors.append(
                    row_error(
                        header,
                        "",
                        _(
                            "The deal has no account; name one, or give the mapping a "
                            "default account for such rows."
                        ),
                    )
                )
                return None
        try:
            account = self.account(text, owner)
        except ValidationError as error:
            for texts in _validation_errors(error).values():
                result.errors.append(RowError(header, text, "validation", {"text": texts}))
            return None
        except PermissionDenied:
            account = None
        if account is None:
            if self.create_accounts:
                result.errors.append(RowError(header, text, "not_writable"))
            else:
                result.errors.append(RowError(header, text, "account_unknown"))
        return account

    # ------------------------------------------------------------ existing deals

    def preload(self, table: Table) -> None:
        """The deals this source's ids point to, fetched in a few queries."""
        if "external_id" not in self.column_of:
            return
        ids = set()
        for row in table.rows[:]:  # a copy: going through it must not report progress
            found = self.cell(table, row, "external_id")
            if found is not None and parse_text(found[1]):
                ids.add(parse_text(found[1]))
        ids = sorted(ids)
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            for key in ImportedKey.objects.filter(
                kind="deal", source=self.source, external_id__in=chunk
            ):
                self.keys[key.external_id] = key
        by_pk = {key.object_id: ext for ext, key in self.keys.items()}
        pks = sorted(by_pk)
        for start in range(0, len(pks), BATCH):
            chunk = pks[start : start + BATCH]
            for deal in Deal.objects.filter(pk__in=chunk):
                self.existing[by_pk[deal.pk]] = deal
            self.load_links(chunk)

    def load_links(self, pks) -> None:
        """Each deal's team, product lines and competitors, as ids (no model instances)."""
        for pk in pks:
            self.links[pk] = {"members": set(), "product_lines": set(), "competitors": set()}
        through = Deal.product_lines.through
        for name, rows in (
            ("members", DealMember.objects.values_list("deal_id", "user_id")),
            ("product_lines", through.objects.values_list("deal_id", "productline_id")),
            ("competitors", DealCompetitor.objects.values_list("deal_id", "competitor_id")),
        ):
            for deal_id, other in rows.filter(deal_id__in=pks):
                self.links[deal_id][name].add(other)

    def linked(self, deal: Deal) -> dict[str, set[int]]:
        if deal.pk not in self.links:
            self.load_links([deal.pk])
        return self.links[deal.pk]

    def find(self, external_id: str, data: dict, account: Account) -> Deal | None:
        if external_id:
            return self.existing.get(external_id)
        same = list(Deal.objects.filter(account=account, name=data["name"])[:2])
        return same[0] if len(same) == 1 else None

    # ------------------------------------------------------------ the run

    def run(self, table: Table) -> list[RowResult]:
        if "name" not in self.column_of and "name" not in self.defaults:
            raise FileRefused("no_name_column")
        self.preload(table)
        results: list[RowResult] = []
        new: list[NewDeal] = []
        for row, line in zip(table.rows, table.lines, strict=True):
            result = RowResult(line=line)
            results.append(result)
            found = self.cell(table, row, "external_id")
            external_id = parse_text(found[1]) if found else ""
            data, facts = self.read(table, row, result)
            result.label = data.get("name", "")
            account = facts["account"]
            key = (
                f"id:{external_id}"
                if external_id
                else f"name:{getattr(account, 'pk', '')}:{name_key(result.label)}"
            )
            if self.duplicate(key, result) or result.errors:
                result.action = "refused"
                continue
            deal = self.find(external_id, data, account)
            if deal is None:
                planned = self.plan(result, data, facts, external_id)
                if planned is None:
                    result.action = "refused"
                    continue
                result.action = "created"
                new.append(planned)
            else:
                self.update(result, deal, data, facts)
                if result.errors:
                    result.action = "refused"
                    continue
                result.object_id = deal.pk
                key = self.keys.get(external_id)
                if external_id and (key is None or key.object_id != deal.pk):
                    self.remember(external_id, deal)
        if new and not any(r.action == "refused" for r in results):
            self.write(new)
        return results

    # ------------------------------------------------------------ new deals

    def plan(self, result: RowResult, data: dict, facts: dict, external_id: str):
        """A checked row of the new deal (or None, with the row's errors)."""
        status = facts.get("status") or DealStatus.OPEN
        stage = facts.get("stage")
        if stage is None:
            if status == DealStatus.WON:
                stage = self.stages[-1]
            elif status == DealStatus.OPEN:
                stage = self.stages[0]
            else:
                number = self.closed_stage.get(status)
                stage = next((s for s in self.stages if s.number == number), self.stages[0])
        fields = dict(data)
        owner = fields.pop("owner", None) or self.user
        custom = fields.pop("custom", {})
        problems = {}
        for name, value in fields.items():
            try:
                fields[name] = self.deal_fields[name].clean(value, None)
            except ValidationError as error:
                problems[name] = error
        if problems:
            for name, texts in _validation_errors(ValidationError(problems)).items():
                result.errors.append(
                    RowError(
                        self.column_of.get(name, ""),
                        parse_text(data.get(name, "")),
                        "validation",
                        {"text": texts},
                    )
                )
            return None
        created = self.noon(facts.get("created")) or self.now
        row = {
            **self.deal_defaults,
            **fields,
            "account_id": facts["account"].pk,
            "owner_id": owner.pk,
            "stage_id": stage.pk,
            "status": status,
            "created_at": created,
            "updated_at": self.now,
            "stage_changed_at": created,
            "custom": custom,
        }
        if status != DealStatus.OPEN:
            closed_at = self.noon(facts.get("closed") or data.get("expected_close")) or self.now
            row["closed_at"] = row["stage_changed_at"] = closed_at
            row["expected_close"] = row["expected_close"] or timezone.localdate(closed_at)
            if status == DealStatus.WON:
                row["contract_signed_on"] = timezone.localdate(closed_at)
        letter = facts.get("grade")
        computed = self.grade_for(row["amount"], "")
        if letter and letter != computed:
            row["grade_override"] = letter
            row["grade_override_reason"] = self.override_reason()
        row["grade"] = self.grade_for(row["amount"], row["grade_override"])
        return NewDeal(
            result=result,
            row=row,
            stage=stage,
            external_id=external_id,
            product_lines=facts["product_lines"],
            competitors=facts["competitors"],
        )

    def noon(self, day: date | None) -> datetime | None:
        return local_noon(day, self.zone)

    def grade_for(self, amount, override: str) -> str:
        grade = effective_grade(
            amount=amount,
            override=CoreGrade(override) if override else None,
            partner_led=False,
            bounds=self.bounds,
        )
        return str(grade.grade)

    def override_reason(self) -> str:
        return gettext("Imported from %(source)s") % {"source": self.source or self.filename}

    def write(self, new: list[NewDeal]) -> None:
        """Every checked new deal, its team, products, competitors, history and keys."""
        now = self.now
        standards = company_standards(self.stages)
        points = []
        for item in new:
            row = item.row
            if row["status"] != DealStatus.OPEN:
                continue  # a closed deal's outcome is known: no win rate is predicted
            rate = explain_win_rate(
                WinRateInputs(
                    has_compelling_event=False,
                    has_inside_coach=None,
                    us=PartyAssessment(name="us"),
                    competitors=tuple(PartyAssessment(name=str(c)) for c in item.competitors),
                    grade=CoreGrade(row["grade"]),
                )
            )
            health = explain_health(
                build_health_inputs(
                    latest=None,
                    people=[],
                    live_event=None,
                    facts=DealFacts(deal_team_size=1),
                    requirement_versions=[],
                ),
                item.stage.number,
                standards,
            )
            row["health_score"] = health.score
            row["win_rate"], row["win_rate_status"] = rate.rate, str(rate.status)
            if rate.rate is not None or row["win_rate_status"] != WinRateStatus.NOT_COMPUTED:
                points.append((item, rate))
        ids = reserve_ids(Deal, len(new))
        rows, history, members, products, rivals, events, keys = [], [], [], [], [], [], []
        moved = []
        where = " · ".join(part for part in (self.source, self.filename) if part)[:200]
        Kind = DealEvent.Kind
        by = self.user.pk
        stage_names = {stage.pk: str(stage) for stage in self.stages}
        for item, pk in zip(new, ids, strict=True):
            row = item.row
            row["id"] = item.result.object_id = pk
            rows.append(row)
            history.append(
                {
                    **row,
                    "history_date": now,
                    "history_user_id": by,
                    "history_type": "+",
                    "history_change_reason": None,
                }
            )
            members.append({"deal_id": pk, "user_id": row["owner_id"], "role": ACCOUNT_MANAGER})
            products += [{"deal_id": pk, "productline_id": p.pk} for p in item.product_lines]
            rivals += [
                {"deal_id": pk, "competitor_id": c.pk, "added_at": now} for c in item.competitors
            ]
            event = {"deal_id": pk, "by_id": by, "old": "", "detail": ""}
            events.append(
                {
                    **event,
                    "kind": Kind.CREATED,
                    "at": row["created_at"],
                    "new": stage_names[row["stage_id"]],
                }
            )
            if row["status"] != DealStatus.OPEN:
                events.append(
                    {
                        **event,
                        "kind": Kind.STATUS,
                        "at": row["closed_at"],
                        "old": DealStatus.OPEN,
                        "new": row["status"],
                    }
                )
            events.append(
                {**event, "kind": Kind.IMPORTED, "at": now, "new": where, "detail": where}
            )
            if item.external_id:
                key = self.keys.get(item.external_id)
                if key is None:
                    keys.append(
                        {
                            "kind": self.kind,
                            "source": self.source,
                            "external_id": item.external_id,
                            "object_id": pk,
                            "created_at": now,
                        }
                    )
                else:  # the deal it named was deleted: the id now names the new one
                    key.object_id = pk
                    moved.append(key)
        cause = gettext("opportunity imported")
        points = [
            {
                "deal_id": item.row["id"],
                "at": now,
                "status": str(rate.status),
                "rate": rate.rate,
                "factors": [
                    {"code": f.code, "value": str(f.value), "subject": f.subject}
                    for f in rate.factors
                ],
                "cause": cause,
            }
            for item, rate in points
        ]
        FastInserter(Deal).insert(rows)
        FastInserter(Deal.history.model, with_pk=False).insert(history)
        FastInserter(DealMember, with_pk=False).insert(members)
        FastInserter(Deal.product_lines.through, with_pk=False).insert(products)
        FastInserter(DealCompetitor, with_pk=False).insert(rivals)
        FastInserter(DealEvent, with_pk=False).insert(events)
        FastInserter(ImportedKey, with_pk=False).insert(keys)
        FastInserter(WinRatePoint, with_pk=False).insert(points)
        ImportedKey.objects.bulk_update(moved, ["object_id"], batch_size=BATCH)

    # ------------------------------------------------------------ existing deals

    def changes(self, deal: Deal, data: dict, facts: dict) -> dict:
        """What the row would change: only what the file states."""
        wanted = dict(data)
        wanted["account"] = facts["account"]
        if "custom" in wanted:  # imported attributes add to the stored ones
            wanted["custom"] = {**(deal.custom or {}), **wanted["custom"]}
        if facts.get("stage") is not None:
            wanted["stage"] = facts["stage"]
        if facts.get("created"):
            wanted["created_at"] = self.noon(facts["created"])
        status = facts.get("status")
        if status:
            wanted["status"] = status
            if status == DealStatus.OPEN:
                wanted["closed_at"] = None
            elif facts.get("closed"):
                wanted["closed_at"] = self.noon(facts["closed"])
            elif deal.status == DealStatus.OPEN:
                wanted["closed_at"] = self.noon(data.get("expected_close")) or self.now
            if status == DealStatus.WON and deal.contract_signed_on is None:
                closed_at = wanted.get("closed_at") or deal.closed_at or self.now
                wanted["contract_signed_on"] = timezone.localdate(closed_at)
        elif facts.get("closed") and deal.status != DealStatus.OPEN:
            wanted["closed_at"] = self.noon(facts["closed"])
        if facts.get("grade"):
            computed = self.grade_for(wanted.get("amount", deal.amount), "")
            override = "" if facts["grade"] == computed else facts["grade"]
            if override != deal.grade_override:
                wanted["grade_override"] = override
                wanted["grade_override_reason"] = self.override_reason() if override else ""
        changes = {}
        for name, value in wanted.items():
            current = getattr(deal, f"{name}_id") if hasattr(value, "_meta") else None
            if hasattr(value, "_meta"):
                if current != value.pk:
                    changes[name] = value
            elif getattr(deal, name) != value:
                changes[name] = value
        have = self.linked(deal)["product_lines"]
        adding = [p.pk for p in facts["product_lines"] if p.pk not in have]
        if adding:
            changes["product_lines"] = sorted(have) + adding
        return changes

    def event(self, deal: Deal, kind: str, old, new) -> None:
        DealEvent.objects.create(
            deal=deal, by=self.user, kind=kind, old=str(old)[:200], new=str(new)[:200]
        )

    def update(self, result: RowResult, deal: Deal, data: dict, facts: dict) -> None:
        links = self.linked(deal)
        access = RecordAccess(owner_id=deal.owner_id, member_ids=frozenset(links["members"]))
        if not may_write(viewer_for(self.user), access):
            result.errors.append(RowError("", result.label, "not_writable"))
            return
        changes = self.changes(deal, data, facts)
        rivals = [c for c in facts["competitors"] if c.pk not in links["competitors"]]
        if not changes and not rivals:
            result.action = "unchanged"
            return
        result.action = "updated"
        try:
            with transaction.atomic():
                if changes:
                    old_stage, old_status = deal.stage, deal.status
                    saved = deal_actions.update_deal(
                        deal, by=self.user, data=changes, expected_version=None
                    )
                    Kind = DealEvent.Kind
                    if saved.stage_id != old_stage.pk:
                        Deal.all_objects.filter(pk=saved.pk).update(stage_changed_at=timezone.now())
                        self.event(saved, Kind.STAGE, old_stage, saved.stage)
                    if saved.status != old_status:
                        self.event(saved, Kind.STATUS, old_status, saved.status)
                for competitor in rivals:
                    deal_actions.add_competitor(deal, by=self.user, competitor=competitor)
        except PermissionDenied:
            result.errors.append(RowError("", result.label, "not_writable"))
        except ValidationError as error:
            for name, texts in _validation_errors(error).items():
                header = self.column_of.get(name, "")
                value = parse_text(data.get(name, "")) if name in data else ""
                result.errors.append(RowError(header, value, "validation", {"text": texts}))


IMPORTERS["deal"] = DealImporter
