"""Fast multi-row inserts for generated data: plain dicts in, rows out, no model instances.

``bulk_create`` builds and inspects a model instance per row, which dominates the time
once a demo database holds millions of rows. ``Inserter`` takes dicts keyed by attribute
name (``account_id``, not ``account``), fills in the model's defaults for missing keys,
adapts dates for the database and sends batches with ``executemany``.

Primary keys are assigned by the caller (``first_free_id``) so that related rows can point
at each other before they are written; ``reset_sequences`` then moves PostgreSQL's id
sequences past them (SQLite follows explicit ids by itself). Run everything inside one
transaction, with no one else inserting into the same tables meanwhile.
"""

from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import connections
from django.db.models import Max
from django.utils import timezone

_STRING_TYPES = {"CharField", "TextField", "EmailField", "URLField", "SlugField"}
_PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "BooleanField",
    "FloatField",
    "ForeignKey",
    "OneToOneField",
}


def first_free_id(model, using: str = "default") -> int:
    """The first id above every row of ``model`` (deleted rows included)."""
    top = model._base_manager.using(using).aggregate(top=Max("pk"))["top"]
    return (top or 0) + 1


def reset_sequences(models, using: str = "default") -> None:
    """Move the id sequences past explicitly inserted ids (a no-op on SQLite)."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class Inserter:
    """INSERTs dict rows into one model's table; the primary key is taken from the rows."""

    def __init__(self, model, *, with_pk: bool = True, using: str = "default", batch=5000):
        self.model = model
        self.connection = connections[using]
        self.batch = batch
        self.rows_written = 0
        ops = self.connection.ops
        now = timezone.now()
        self.columns = []
        for field in model._meta.concrete_fields:
            if field.primary_key and not with_pk:
                continue
            kind = field.get_internal_type()
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                default = now
            elif field.primary_key:
                default = None
            else:
                default = field.get_default()
            if kind in _STRING_TYPES:
                adapt = _as_str
            elif kind in _PLAIN_TYPES:
                adapt = None
            elif kind == "DateTimeField":
                adapt = ops.adapt_datetimefield_value
            elif kind == "DateField":
                adapt = ops.adapt_datefield_value
            else:
                adapt = _prep_for(field, self.connection)
            self.columns.append((field.attname, default, adapt, field.column))
        quote = ops.quote_name
        names = ", ".join(quote(column) for *_rest, column in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"

    def params(self, row: dict) -> tuple:
        values = []
        get = row.get
        for attname, default, adapt, _column in self.columns:
            value = get(attname, default)
            if adapt is not None and value is not None:
                value = adapt(value)
            values.append(value)
        return tuple(values)

    def insert(self, rows: Iterable[dict]) -> int:
        """Write the rows; returns how many."""
        params = [self.params(row) for row in rows]
        with self.connection.cursor() as cursor:
            for start in range(0, len(params), self.batch):
                cursor.executemany(self.sql, params[start : start + self.batch])
        self.rows_written += len(params)
        return len(params)


def _as_str(value):
    return value if type(value) is str else str(value)


def _prep_for(field, connection):
    def adapt(value):
        return field.get_db_prep_save(value, connection)

    return adapt
