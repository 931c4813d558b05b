"""The monthly ranking as an Excel workbook, through the shared writer
(:mod:`winroom.exports.spreadsheet`: formula-looking text neutralised, numbers as numbers,
a bold frozen header)."""

from __future__ import annotations

import io
from datetime import date

from django.utils.translation import gettext_lazy as _

from winroom.exports.spreadsheet import Column, ListExport, write_xlsx

from .models import RankingGroup


class _Rows(list):
    """The ranking's rows (already restricted to what the viewer may see) in the shape the
    writer reads from a queryset."""

    def iterator(self, chunk_size=None):
        return iter(self)

    def count(self):
        return len(self)


def _group(row) -> str:
    return str(dict(RankingGroup.choices).get(row.group, row.group))


def _percent(value):
    return None if value is None else float(value * 100)


COLUMNS = [
    Column(_("position"), lambda r: r.position, width=8),
    Column(_("reps ranked"), lambda r: r.rep_count, width=8),
    Column(_("rep"), lambda r: str(r.rep)),
    Column(_("sales team"), lambda r: str(r.rep.team or "") if r.rep else ""),
    Column(_("group"), _group),
    Column(_("composite score"), lambda r: r.score),
    Column(_("attainment (%)"), lambda r: _percent(r.attainment)),
    Column(_("credited bookings (CNY)"), lambda r: r.credited),
    Column(_("target (CNY)"), lambda r: r.target),
    Column(_("relationship score"), lambda r: r.relationship),
    Column(_("effective visits"), lambda r: r.effective_visits),
    Column(_("tied across a group boundary"), lambda r: r.tied_across_boundary),
]


def ranking_workbook(month: date, result, rows) -> bytes:
    export = ListExport(name=f"ranking-{month:%Y-%m}", title=_("Monthly ranking"), columns=COLUMNS)
    buffer = io.BytesIO()
    write_xlsx(export, _Rows(rows), buffer)
    return buffer.getvalue()
