"""Each block of the management pages as an Excel workbook (openpyxl).

A block is a few small tables (the figures, a breakdown, a grid), so it is written as one
sheet per table with a title line saying whose numbers, which period and how fresh they
are. Cells are made safe by the generic exporter's rules (:mod:`winroom.exports.spreadsheet`:
text a spreadsheet would run as a formula — starting with ``= + - @``, a tab or a carriage
return — gets a leading apostrophe).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from winroom.exports.spreadsheet import XLSX_TYPE, _sheet_title, _xlsx_text, plain


@dataclass
class Sheet:
    title: object
    headers: Sequence[object]
    rows: list[Sequence[object]] = field(default_factory=list)


def cell_value(value):
    value = plain(value)
    if isinstance(value, str):
        return _xlsx_text(value)
    return value


def workbook(caption: str, sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    used: set[str] = set()
    for sheet in sheets:
        title = _sheet_title(sheet.title)
        while title in used:
            title = (title[:28] + "_" + str(len(used)))[:31]
        used.add(title)
        ws = book.create_sheet(title)
        ws.append([cell_value(caption)])
        ws.append([cell_value(h) for h in sheet.headers])
        for cell in ws[2]:
            cell.font = bold
        for row in sheet.rows:
            values = [cell_value(v) for v in row]
            ws.append(values)
        for index, header in enumerate(sheet.headers, start=1):
            width = max([len(str(header))] + [len(str(r[index - 1])) for r in sheet.rows[:200]])
            ws.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 50)
        for row in ws.iter_rows(min_row=3):
            for cell in row:
                if isinstance(cell.value, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A3"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def response(name: str, caption: str, sheets: Sequence[Sheet]) -> HttpResponse:
    result = HttpResponse(workbook(caption, sheets), content_type=XLSX_TYPE)
    filename = f"{name}-{timezone.localdate().isoformat()}.xlsx"
    result["Content-Disposition"] = content_disposition_header(True, filename)
    return result
