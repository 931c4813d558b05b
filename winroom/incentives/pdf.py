"""A commission statement as a PDF (reportlab), in the reader's language.

Text is set in reportlab's built-in CID font STSong-Light (as the account plan's PDF), so no
font file has to be installed; the output is ``invariant`` (same statement, same bytes).
"""

import io
from functools import cache
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .presenting import money, percent, period_label

FONT = "STSong-Light"


@cache
def _styles():
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=24, spaceAfter=4),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontSize=12.5,
            leading=18,
            spaceBefore=10,
            spaceAfter=4,
            textColor=colors.HexColor("#1d3557"),
        ),
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
        "muted": ParagraphStyle(
            "muted", parent=base, fontSize=8, leading=11, textColor=colors.HexColor("#666666")
        ),
    }


def _p(text, style="body"):
    value = escape(str(text if text not in (None, "") else "—")).replace("\n", "<br/>")
    return Paragraph(value, _styles()[style])


def _table(header, rows, widths):
    data = [[_p(h, "cell") for h in header]] + [[_p(c, "cell") for c in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9eef5")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b8c2cc")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _date(value):
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def statement_pdf(statement, *, lines, bookings, gaps) -> bytes:
    """The statement: who, which period, every line with its rule, bookings, the total."""
    width = A4[0] - 36 * mm
    status = statement.get_status_display()
    if statement.approved_by:
        status += " · " + _("approved by %(who)s on %(date)s") % {
            "who": statement.approved_by,
            "date": _date(timezone.localtime(statement.approved_at).date()),
        }
    story = [
        _p(_("Commission statement"), "title"),
        _p(f"{statement.rep} · {period_label(statement)} · {statement.plan}", "h2"),
        _p(
            _("Status: %(status)s · period target %(target)s · built %(built)s")
            % {
                "status": status,
                "target": money(statement.target) if statement.target is not None else "—",
                "built": _date(timezone.localtime(statement.built_at).date()),
            },
            "muted",
        ),
        Spacer(1, 4 * mm),
        _p(_("Lines and the rules behind them"), "h2"),
    ]
    if lines:
        story.append(
            _table(
                [_("rule"), _("explanation"), _("amount (CNY)")],
                [[line["rule_label"], line["text"], money(line["amount"])] for line in lines],
                [width * 0.18, width * 0.64, width * 0.18],
            )
        )
    else:
        story.append(_p(_("No lines: nothing was credited in this period."), "muted"))
    story.append(Spacer(1, 3 * mm))
    story.append(
        _p(
            _("Earned %(earned)s · payable %(total)s")
            % {"earned": money(statement.earned), "total": money(statement.total)},
            "h2",
        )
    )
    for gap in gaps:
        story.append(_p(gap, "muted"))
    story.append(_p(_("Credited bookings"), "h2"))
    if bookings:
        story.append(
            _table(
                [
                    _("opportunity"),
                    _("account"),
                    _("closed"),
                    _("amount (CNY)"),
                    _("why credited"),
                    _("gross margin"),
                ],
                [
                    [
                        b["name"],
                        b["account_name"],
                        b["closed_on"],
                        money(b["amount"]),
                        b["reason_label"],
                        percent(b["margin"]) if b.get("margin") is not None else "—",
                    ]
                    for b in bookings
                ],
                [width * 0.22, width * 0.2, width * 0.12, width * 0.14, width * 0.22, width * 0.1],
            )
        )
    else:
        story.append(_p(_("None."), "muted"))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{_('Commission statement')} {statement.rep} {period_label(statement)}",
        author="Winroom",
        invariant=1,
    )
    doc.build(story)
    return buffer.getvalue()
