"""Market capacity and the bottom-up plan (市场容量与规划), METHODOLOGY §3.3.

The market is a table of cells, one per region × industry. For each cell:

- the target customers split into our existing customers, competitors' customers and the
  rest (new to everyone): ``new = target − existing − competitors'``;
- the customers we expect to win: ``existing × c_existing + new × c_new +
  competitors' × c_competitors`` (conversion rates 0–1);
- the bottom-up number: expected customers × average deal size, never more than the
  cell's market size when that is known (the plan is then marked as capped);
- a cell whose demand is not changing is **barren** (no change → no reason to buy): it is
  skipped, its number is 0 and it is reported as skipped.

:func:`plan` adds the cells up, overall and per sales model (tool / solution / strategic),
beside last year's revenue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .errors import MethodologyError

TOOL, SOLUTION, STRATEGIC = "tool", "solution", "strategic"
SALES_MODELS: tuple[str, ...] = (TOOL, SOLUTION, STRATEGIC)
MONEY = Decimal("0.01")
CUSTOMERS = Decimal("0.01")
RATIO = Decimal("0.0001")


@dataclass(frozen=True)
class Cell:
    key: object  # whatever identifies the cell to the caller (e.g. (region, industry))
    target_customers: int
    existing_customers: int
    competitor_customers: int
    market_size: Decimal | None
    last_year_revenue: Decimal
    demand_changing: bool
    sales_model: str
    conversion_existing: Decimal
    conversion_new: Decimal
    conversion_competitors: Decimal
    average_deal_size: Decimal

    def __post_init__(self) -> None:
        for name in ("target_customers", "existing_customers", "competitor_customers"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise MethodologyError(f"{name} must be a whole number ≥ 0")
        if self.existing_customers + self.competitor_customers > self.target_customers:
            raise MethodologyError(
                "existing and competitors' customers cannot exceed the target customers"
            )
        for name in ("conversion_existing", "conversion_new", "conversion_competitors"):
            rate = Decimal(str(getattr(self, name)))
            if not rate.is_finite() or not 0 <= rate <= 1:
                raise MethodologyError(f"{name} is a rate between 0 and 1")
        for name in ("last_year_revenue", "average_deal_size"):
            if Decimal(str(getattr(self, name))) < 0:
                raise MethodologyError(f"{name} cannot be negative")
        if self.market_size is not None and Decimal(str(self.market_size)) < 0:
            raise MethodologyError("market_size cannot be negative")
        if self.sales_model not in SALES_MODELS:
            raise MethodologyError(f"unknown sales model {self.sales_model!r}")

    @property
    def new_customers(self) -> int:
        return self.target_customers - self.existing_customers - self.competitor_customers


@dataclass(frozen=True)
class CellPlan:
    cell: Cell
    barren: bool
    expected_existing: Decimal
    expected_new: Decimal
    expected_competitors: Decimal
    uncapped: Decimal
    bottom_up: Decimal
    capped: bool

    @property
    def expected_customers(self) -> Decimal:
        return self.expected_existing + self.expected_new + self.expected_competitors

    @property
    def growth(self) -> Decimal | None:
        """Bottom-up against last year's revenue (None without revenue last year)."""
        last = Decimal(str(self.cell.last_year_revenue))
        if self.barren or last == 0:
            return None
        return (self.bottom_up / last - 1).quantize(RATIO, ROUND_HALF_UP)


def plan_cell(cell: Cell) -> CellPlan:
    zero = Decimal(0)
    if not cell.demand_changing:
        return CellPlan(cell, True, zero, zero, zero, zero, zero, False)
    existing = (cell.existing_customers * Decimal(str(cell.conversion_existing))).quantize(
        CUSTOMERS, ROUND_HALF_UP
    )
    new = (cell.new_customers * Decimal(str(cell.conversion_new))).quantize(
        CUSTOMERS, ROUND_HALF_UP
    )
    theirs = (cell.competitor_customers * Decimal(str(cell.conversion_competitors))).quantize(
        CUSTOMERS, ROUND_HALF_UP
    )
    uncapped = ((existing + new + theirs) * Decimal(str(cell.average_deal_size))).quantize(
        MONEY, ROUND_HALF_UP
    )
    bottom_up, capped = uncapped, False
    if cell.market_size is not None and uncapped > Decimal(str(cell.market_size)):
        bottom_up, capped = Decimal(str(cell.market_size)).quantize(MONEY, ROUND_HALF_UP), True
    return CellPlan(cell, False, existing, new, theirs, uncapped, bottom_up, capped)


@dataclass(frozen=True)
class Plan:
    cells: tuple[CellPlan, ...]
    bottom_up: Decimal
    last_year_revenue: Decimal
    by_sales_model: dict[str, Decimal]
    barren_cells: int

    @property
    def growth(self) -> Decimal | None:
        if self.last_year_revenue == 0:
            return None
        return (self.bottom_up / self.last_year_revenue - 1).quantize(RATIO, ROUND_HALF_UP)


def plan(cells: Iterable[Cell]) -> Plan:
    """Every cell's plan and the totals; barren cells count as skipped, not as zero growth.

    Last year's revenue is summed over the cells that are not barren, so the growth
    compares like with like.
    """
    planned = tuple(plan_cell(c) for c in cells)
    live = [p for p in planned if not p.barren]
    by_model = dict.fromkeys(SALES_MODELS, Decimal(0))
    for item in live:
        by_model[item.cell.sales_model] += item.bottom_up
    return Plan(
        cells=planned,
        bottom_up=sum((p.bottom_up for p in live), Decimal(0)),
        last_year_revenue=sum((Decimal(str(p.cell.last_year_revenue)) for p in live), Decimal(0)),
        by_sales_model=by_model,
        barren_cells=len(planned) - len(live),
    )
