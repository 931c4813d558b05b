"""The account plan as a PDF (reportlab), in the reader's language.

Text is set in reportlab's built-in CID font STSong-Light (Adobe's Song for simplified
Chinese; its Latin glyphs serve English), so no font file has to be installed. Output is
``invariant`` (no timestamps or random ids) so the same plan gives the same bytes.
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

from .presenting import action_progress, whitespace_matrix

FONT = "STSong-Light"


@cache
def _styles():
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=24, spaceAfter=4),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=10, textColor=colors.HexColor("#555555")
        ),
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
    value = escape(str(text or "—")).replace("\n", "<br/>")
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


def plan_pdf(plan, *, user) -> bytes:
    """The whole plan: title, context, initiatives, whitespace, goals, outcomes, actions."""
    styles = _styles()
    width = A4[0] - 36 * mm
    story = [
        Paragraph(escape(_("Annual account plan")), styles["title"]),
        _p(f"{plan.account.name} · {plan.year}", "h2"),
        _p(
            _("Status: %(status)s · printed %(date)s")
            % {
                "status": plan.get_status_display(),
                "date": date_format(timezone.localdate(), "SHORT_DATE_FORMAT"),
            },
            "subtitle",
        ),
        Spacer(1, 4 * mm),
    ]
    for label, text in (
        (_("The customer's strategy"), plan.strategy),
        (_("Changes in the customer's environment"), plan.environment),
    ):
        story += [_p(label, "h2"), _p(text)]

    story.append(_p(_("Key initiatives and department KPIs"), "h2"))
    initiatives = list(plan.initiatives.all())
    if initiatives:
        story.append(
            _table(
                [_("initiative"), _("department"), _("department KPI"), _("we can serve it")],
                [
                    [
                        i.initiative,
                        i.department,
                        i.kpi,
                        (_("yes") if i.can_serve else _("no"))
                        + (f" · {i.serve_note}" if i.serve_note else ""),
                    ]
                    for i in initiatives
                ],
                [width * 0.34, width * 0.16, width * 0.26, width * 0.24],
            )
        )
    else:
        story.append(_p(_("None recorded."), "muted"))

    matrix = whitespace_matrix(plan, user=user)
    story.append(_p(_("Whitespace: our product lines × their business units"), "h2"))
    if matrix.units and matrix.lines:
        first = width * 0.24
        other = (width - first) / len(matrix.units)
        rows = []
        for line, cells in matrix.line_rows:
            row = [line.name]
            for cell in cells:
                text = str(cell.label) + (" *" if cell.suggested else "")
                if cell.deals:
                    text += "\n" + ", ".join(d.name for d in cell.deals)
                row.append(text)
            rows.append(row)
        story.append(
            _table(
                [_("product line")] + [u.name for u in matrix.units],
                rows,
                [first] + [other] * len(matrix.units),
            )
        )
        share = matrix.coverage.owned_share
        story.append(
            _p(
                _("* suggested from the opportunities. Owned: %(share)s of the relevant cells.")
                % {"share": "—" if share is None else f"{share}%"},
                "muted",
            )
        )
    else:
        story.append(_p(_("No business units recorded."), "muted"))

    story.append(_p(_("Relationship goals"), "h2"))
    goals = list(plan.goals.select_related("contact"))
    if goals:
        story.append(
            _table(
                [_("key person"), _("relationship level"), _("target"), _("note")],
                [
                    [
                        f"{g.contact.name} · {g.contact.title}"
                        if g.contact.title
                        else g.contact.name,
                        g.contact.get_relationship_level_display(),
                        g.get_target_level_display(),
                        g.note,
                    ]
                    for g in goals
                ],
                [width * 0.3, width * 0.18, width * 0.18, width * 0.34],
            )
        )
    else:
        story.append(_p(_("None recorded."), "muted"))

    for label, text in (
        (_("3-month quick win"), plan.quick_win),
        (_("1-year outcome"), plan.year_outcome),
    ):
        story += [_p(label, "h2"), _p(text)]

    actions = list(plan.actions.select_related("owner").order_by("due_on", "pk"))
    progress = action_progress(actions)
    story.append(_p(_("Actions"), "h2"))
    story.append(
        _p(
            _("%(done)s of %(total)s done · %(overdue)s overdue")
            % {"done": progress.done, "total": progress.total, "overdue": progress.overdue},
        )
    )
    if actions:
        story.append(Spacer(1, 2 * mm))
        story.append(
            _table(
                [_("action"), _("owner"), _("due"), _("status")],
                [
                    [
                        a.title,
                        str(a.owner),
                        date_format(a.due_on, "SHORT_DATE_FORMAT"),
                        a.get_status_display() + (f" · {_('overdue')}" if a.is_overdue else ""),
                    ]
                    for a in actions
                ],
                [width * 0.46, width * 0.18, width * 0.16, width * 0.2],
            )
        )

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{_('Annual account plan')} {plan.account.name} {plan.year}",
        author="Winroom",
        invariant=1,
    )
    doc.build(story)
    return buffer.getvalue()
