"""A list as a spreadsheet: a generic, streaming export to .xlsx and .csv.

A list describes its file as a :class:`ListExport` — columns of (lazily translated header,
value getter) — and hands over the queryset its page shows: already restricted to the rows
the viewer may read and filtered as the page is. :func:`export_response` writes exactly
those rows, without pagination, in the viewer's language:

- CSV: UTF-8 with a byte-order mark (without it Excel reads Chinese as mojibake), streamed
  to the browser chunk by chunk when longer than one chunk;
- XLSX: a write-only openpyxl workbook (rows go to disk as they come), dates as real dates,
  amounts and counts as numbers, a bold frozen header with a filter, column widths fitted
  to the first rows.

Text a spreadsheet would run as a formula — starting with ``= + - @``, a tab or a carriage
return — gets a leading apostrophe in both formats (CSV/formula injection). The importer
drops that apostrophe again (:func:`winroom.imports.reading.parse_text`), so an export
re-imports unchanged.

Rows are read in chunks (``iterator(chunk_size=CHUNK)``). A list's ``prepare`` hook may
decorate a chunk with one query, so the number of queries grows with chunks, never with
rows. More rows than the cap (``WINROOM_EXPORT_MAX_ROWS``, 100,000 by default) are refused
with a message asking to narrow the filters, rather than cut silently.
"""

from __future__ import annotations

import csv
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: a cell starting with one of these is read as a formula by spreadsheets
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"xlsx": XLSX_TYPE, "csv": CSV_TYPE}

#: rows read (and decorated) at a time
CHUNK = 2000
DEFAULT_MAX_ROWS = 100_000
#: Excel's limit for the text of one cell
MAX_CELL_CHARS = 32_767
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MIN_WIDTH, MAX_WIDTH = 6, 60


@dataclass(frozen=True)
class Column:
    """One column of an export: its header (lazily translated) and how to read a row."""

    header: Any
    value: Callable[[Any], Any]
    #: width in characters; fitted to the header and the first rows when None
    width: int | None = None


@dataclass(frozen=True)
class ListExport:
    """What a list's file holds."""

    #: file name stem (ASCII): ``deals`` gives ``deals-2026-11-25.xlsx``
    name: str
    #: the sheet's title (lazily translated)
    title: Any
    columns: Sequence[Column]
    #: decorates one chunk of rows before they are read (e.g. one query for the chunk)
    prepare: Callable[[list], Any] | None = None


# -- cells ---------------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """The text with a leading apostrophe when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def spreadsheet_safe(value) -> str:
    """A value as the text of a CSV cell: numbers as they are, text neutralised."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return neutralise(value)


def plain(value):
    """A getter's value as what a cell holds: None, a number, a date, a naive local
    datetime, or text (booleans become the translated yes / no)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        return value.replace(microsecond=0)
    if isinstance(value, date):
        return value
    if isinstance(value, Promise):
        return str(value)
    return str(value)


def _xlsx_text(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL_CHARS])


def _display_width(value) -> int:
    """Characters a value takes on screen (a Chinese character counts twice)."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    text = str(value).split("\n", 1)[0]
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# -- rows ----------------------------------------------------------------------------------


def _chunks(queryset) -> Iterator[list]:
    batch: list = []
    for obj in queryset.iterator(chunk_size=CHUNK):
        batch.append(obj)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def rows(export: ListExport, queryset) -> Iterator[list]:
    """The export's rows (plain values), read chunk by chunk."""
    for batch in _chunks(queryset):
        if export.prepare is not None:
            batch = export.prepare(batch) or batch
        for obj in batch:
            yield [plain(column.value(obj)) for column in export.columns]


def headers(export: ListExport) -> list[str]:
    return [str(column.header) for column in export.columns]


def write_csv(export: ListExport, queryset) -> Iterator[str]:
    """The CSV file, a chunk of lines at a time, starting with the byte-order mark."""

    class Lines:
        def __init__(self):
            self.parts: list[str] = []

        def write(self, text):
            self.parts.append(text)

        def take(self) -> str:
            text, self.parts = "".join(self.parts), []
            return text

    out = Lines()
    writer = csv.writer(out)
    writer.writerow([neutralise(h) for h in headers(export)])
    yield "\ufeff" + out.take()
    for number, row in enumerate(rows(export, queryset), start=1):
        writer.writerow([spreadsheet_safe(v) for v in row])
        if number % 200 == 0:
            yield out.take()
    yield out.take()


def write_xlsx(export: ListExport, queryset, target) -> None:
    """Write the workbook to the binary file ``target``."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(export.title))
    names = headers(export)
    every = rows(export, queryset)
    first = list(islice(every, CHUNK))  # the widths are fitted to these
    for index, column in enumerate(export.columns):
        width = column.width or min(
            MAX_WIDTH,
            max(MIN_WIDTH, _display_width(names[index]), *(_display_width(r[index]) for r in first))
            + 2,
        )
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    if names:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(names))}1"
    bold = Font(bold=True)
    header_row = []
    for name in names:
        cell = WriteOnlyCell(sheet, _xlsx_text(name))
        cell.font = bold
        header_row.append(cell)
    sheet.append(header_row)

    def cells(row):
        for value in row:
            if isinstance(value, str):
                yield _xlsx_text(value)
            elif isinstance(value, date):
                cell = WriteOnlyCell(sheet, value)
                cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
                yield cell
            else:
                yield value

    for row in chain(first, every):
        sheet.append(list(cells(row)))
    book.save(target)


def _sheet_title(title) -> str:
    text = "".join(c for c in str(title) if c not in "[]:*?/\\").strip()
    return text[:31] or "Sheet1"


# -- the response --------------------------------------------------------------------------


def wanted_format(request) -> str | None:
    """``xlsx`` or ``csv`` when the list is asked for as a file (``?format=…``)."""
    fmt = request.GET.get("format")
    return fmt if fmt in FORMATS else None


def max_rows() -> int:
    return getattr(settings, "WINROOM_EXPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def filename(export: ListExport, fmt: str) -> str:
    return f"{export.name}-{timezone.localdate().isoformat()}.{fmt}"


def export_response(request, export: ListExport, queryset, fmt: str | None = None):
    """The file of ``queryset`` (the list as filtered), or back to the list when too long."""
    fmt = fmt or wanted_format(request) or "xlsx"
    count = queryset.count()
    limit = max_rows()
    if count > limit:
        messages.error(
            request,
            ngettext(
                "This list has %(count)s row; an export holds at most %(limit)s. "
                "Narrow the filters and export again.",
                "This list has %(count)s rows; an export holds at most %(limit)s. "
                "Narrow the filters and export again.",
                count,
            )
            % {"count": f"{count:,}", "limit": f"{limit:,}"},
        )
        query = request.GET.copy()
        query.pop("format", None)
        return HttpResponseRedirect(request.path + (f"?{query.urlencode()}" if query else ""))
    name = filename(export, fmt)
    small = count <= CHUNK  # one chunk: built in memory, sent with its length
    if fmt == "csv":
        lines = write_csv(export, queryset)
        if small:
            response = HttpResponse("".join(lines), content_type=CSV_TYPE)
        else:
            response = StreamingHttpResponse(_in_context(lines), content_type=CSV_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    # the response closes the file once sent
    target = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
    write_xlsx(export, queryset, target)
    target.seek(0)
    if small:
        with target:
            response = HttpResponse(target.read(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    return FileResponse(target, as_attachment=True, filename=name, content_type=XLSX_TYPE)


def _in_context(lines: Iterator[str]) -> Iterator[str]:
    """Keep the request's language and time zone while the response streams (after the
    view has returned and the middleware may have moved on)."""
    language = translation.get_language()
    zone = timezone.get_current_timezone()

    def stream():
        with translation.override(language), timezone.override(zone):
            yield from lines

    return stream()
