from decimal import Decimal

import pytest

from winroom.methodology import capacity
from winroom.methodology.errors import MethodologyError


def cell(**values):
    base = {
        "key": ("华东", "manufacturing"),
        "target_customers": 100,
        "existing_customers": 20,
        "competitor_customers": 30,
        "market_size": Decimal("100000000"),
        "last_year_revenue": Decimal("8000000"),
        "demand_changing": True,
        "sales_model": "solution",
        "conversion_existing": Decimal("0.5"),
        "conversion_new": Decimal("0.1"),
        "conversion_competitors": Decimal("0.2"),
        "average_deal_size": Decimal("500000"),
    }
    base.update(values)
    return capacity.Cell(**base)


def test_bottom_up_number_of_a_cell():
    plan = capacity.plan_cell(cell())
    # 20 × 0.5 + 50 × 0.1 + 30 × 0.2 = 21 customers × 500,000
    assert plan.cell.new_customers == 50
    assert plan.expected_customers == Decimal("21.00")
    assert plan.bottom_up == Decimal("10500000.00")
    assert not plan.capped and not plan.barren
    assert plan.growth == Decimal("0.3125")


def test_a_barren_cell_is_skipped():
    plan = capacity.plan_cell(cell(demand_changing=False))
    assert plan.barren and plan.bottom_up == 0 and plan.growth is None


def test_never_more_than_the_market():
    plan = capacity.plan_cell(cell(market_size=Decimal("1000000")))
    assert plan.capped
    assert plan.uncapped == Decimal("10500000.00")
    assert plan.bottom_up == Decimal("1000000.00")
    assert not capacity.plan_cell(cell(market_size=None)).capped


def test_plan_totals_skip_barren_cells():
    total = capacity.plan(
        [
            cell(),
            cell(key="b", sales_model="tool", average_deal_size=Decimal("100000")),
            cell(key="c", demand_changing=False, last_year_revenue=Decimal("9999")),
        ]
    )
    assert total.barren_cells == 1
    assert total.bottom_up == Decimal("10500000.00") + Decimal("2100000.00")
    assert total.last_year_revenue == Decimal("16000000")
    assert total.by_sales_model == {
        "tool": Decimal("2100000.00"),
        "solution": Decimal("10500000.00"),
        "strategic": Decimal(0),
    }
    assert total.growth == Decimal("-0.2125")
    assert capacity.plan([]).growth is None


def test_no_revenue_last_year_has_no_growth():
    assert capacity.plan_cell(cell(last_year_revenue=Decimal(0))).growth is None


@pytest.mark.parametrize(
    "bad",
    [
        {"existing_customers": 80, "competitor_customers": 30},
        {"target_customers": -1},
        {"target_customers": True},
        {"conversion_new": Decimal("1.1")},
        {"conversion_existing": Decimal("-0.1")},
        {"average_deal_size": Decimal(-1)},
        {"market_size": Decimal(-1)},
        {"sales_model": "retail"},
    ],
)
def test_refused_cells(bad):
    with pytest.raises(MethodologyError):
        cell(**bad)
