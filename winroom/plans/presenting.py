"""Adapt plans and canvases to the core's rules and back: the whitespace matrix with its
suggestions, the actions' progress, the canvas's fit and gaps (pages, API and PDF alike)."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from winroom.deals.models import Deal, DealStatus, ProductLine
from winroom.methodology import account_plan as rules
from winroom.methodology import canvas as core

from .models import ELEMENT_LABELS, LAYER_LABELS, CellState, PlanActionStatus

STATE_LABELS = dict(CellState.choices)
STATE_COLOURS = {
    CellState.OWNED: "#1b7f3b",
    CellState.IN_PROGRESS: "#0d6efd",
    CellState.OPEN: "#f0ad4e",
    CellState.NOT_RELEVANT: "#adb5bd",
}


def product_lines():
    """Our product lines, the matrix's columns (ProductLine has no retired flag: all are
    active)."""
    return list(ProductLine.objects.order_by("name", "pk"))


@dataclass
class CellView:
    unit: object
    line: object
    state: str
    suggested: bool
    deals: list = field(default_factory=list)
    note: str = ""

    @property
    def label(self):
        return STATE_LABELS[self.state]

    @property
    def colour(self):
        return STATE_COLOURS[self.state]


@dataclass
class Matrix:
    units: list
    lines: list
    rows: list  # (unit, [CellView]) per business unit
    coverage: rules.Coverage

    @property
    def line_rows(self) -> list:
        """(product line, [CellView per business unit]): how pages and the PDF draw it."""
        return [
            (line, [cells[index] for _unit, cells in self.rows])
            for index, line in enumerate(self.lines)
        ]


def deal_lines(account_id):
    """(won lines, open lines, open deals per line) from the account's opportunities."""
    won: set[int] = set()
    open_: dict[int, list[int]] = {}
    rows = (
        Deal.objects.filter(
            account_id=account_id,
            status__in=[DealStatus.WON, DealStatus.OPEN],
            product_lines__isnull=False,
        )
        .values_list("pk", "status", "product_lines")
        .order_by("pk")
    )
    for deal_id, status, line in rows:
        if status == DealStatus.WON:
            won.add(line)
        else:
            open_.setdefault(line, []).append(deal_id)
    return won, open_


def whitespace_matrix(plan, *, user) -> Matrix:
    """The plan's matrix: stored cells as set, the others suggested from the deals. Linked
    deals are shown only where the viewer may see them."""
    lines = product_lines()
    units = list(plan.units.all())
    cells = {
        (c.unit_id, c.product_line_id): c
        for c in plan.cells.prefetch_related("deals").order_by("pk")
    }
    won, open_ = deal_lines(plan.account_id)
    matrix = rules.whitespace(
        [u.pk for u in units],
        [line.pk for line in lines],
        stored={key: cell.state for key, cell in cells.items()},
        won_lines=won,
        open_lines=open_,
    )
    visible = {
        d.pk: d
        for d in Deal.objects.visible_to(user).filter(account_id=plan.account_id).only("pk", "name")
    }
    line_by_id = {line.pk: line for line in lines}
    rows = []
    for unit, row in zip(units, matrix, strict=True):
        views = []
        for cell in row:
            stored = cells.get((cell.unit, cell.line))
            if stored is not None:
                deal_ids = [d.pk for d in stored.deals.all()]
            elif cell.state == rules.CellState.IN_PROGRESS:
                deal_ids = open_.get(cell.line, [])
            else:
                deal_ids = []
            views.append(
                CellView(
                    unit=unit,
                    line=line_by_id[cell.line],
                    state=cell.state.value,
                    suggested=cell.suggested,
                    deals=[visible[i] for i in deal_ids if i in visible],
                    note=stored.note if stored else "",
                )
            )
        rows.append((unit, views))
    return Matrix(units=units, lines=lines, rows=rows, coverage=rules.coverage(matrix))


def action_progress(actions) -> rules.Progress:
    today = timezone.localdate()
    return rules.progress(
        [
            rules.PlanAction(done=a.status == PlanActionStatus.DONE, due_on=a.due_on)
            for a in actions
        ],
        today,
    )


def with_progress(plans):
    """Annotate done / total / overdue actions in the database (the core's rule: overdue =
    open and due before today)."""
    alive = Q(actions__deleted_at__isnull=True)
    return plans.annotate(
        actions_total=Count("actions", filter=alive),
        actions_done=Count("actions", filter=alive & Q(actions__status=PlanActionStatus.DONE)),
        actions_overdue=Count(
            "actions",
            filter=alive
            & Q(actions__status=PlanActionStatus.OPEN, actions__due_on__lt=timezone.localdate()),
        ),
    )


# -- canvas --------------------------------------------------------------------------------


@dataclass
class ElementRow:
    code: str
    label: object
    layer: object
    ours: int | None
    theirs: int | None
    note: str
    gap: core.Gap | None


def canvas_rows(canvas, result: core.CanvasResult) -> list[ElementRow]:
    gaps = {gap.element: gap for gap in result.gaps}
    theirs = result.theirs or {}
    return [
        ElementRow(
            code=code,
            label=label,
            layer=LAYER_LABELS[core.layer_of(code).value],
            ours=result.ours[code],
            theirs=theirs.get(code),
            note=(canvas.our_notes or {}).get(code, ""),
            gap=gaps.get(code),
        )
        for code, label in ELEMENT_LABELS.items()
    ]


def layer_rows(result: core.CanvasResult):
    """(layer label, our mean, the customer's mean, the elements) per layer."""
    return [
        (
            LAYER_LABELS[layer.value],
            result.our_layers[layer.value],
            result.customer_layers[layer.value],
            [ELEMENT_LABELS[e.value] for e in elements],
        )
        for layer, elements in core.LAYERS.items()
    ]


def radar(result: core.CanvasResult, *, ours_label, theirs_label) -> dict:
    """ECharts radar data: nine indicators, our series and (when answered) the customer's."""
    series = [{"name": str(ours_label), "value": [v or 0 for v in result.ours.values()]}]
    if result.theirs is not None:
        series.append(
            {"name": str(theirs_label), "value": [v or 0 for v in result.theirs.values()]}
        )
    return {
        "indicators": [{"name": str(label), "max": 5} for label in ELEMENT_LABELS.values()],
        "series": series,
    }
