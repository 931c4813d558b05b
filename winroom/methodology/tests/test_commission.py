from datetime import date
from decimal import Decimal as D

import pytest

from winroom.methodology import commission as c
from winroom.methodology.errors import MethodologyError


def total(plan, facts):
    return c.statement(plan, facts).total


def test_base_rate_up_to_target_only():
    plan = c.Plan(components={"order": c.Component(rate=D("0.02"), target=D("1000000"))})
    result = c.statement(plan, c.Facts(amounts={"order": D("800000")}))
    assert result.total == D("16000.00")
    assert [line.rule for line in result.lines] == ["base"]


def test_over_target_increment_at_a_multiple():
    plan = c.Plan(
        components={"order": c.Component(rate=D("0.02"), target=D("1000000"), over_multiple=D(3))}
    )
    result = c.statement(plan, c.Facts(amounts={"order": D("1500000")}))
    # 1,000,000 × 2 % + 500,000 × 6 %
    assert result.total == D("50000.00")
    over = result.lines[1]
    assert (over.rule, over.basis, over.rate) == ("over_target", D("500000"), D("0.06"))


def test_exactly_at_target_has_no_over_line():
    plan = c.Plan(
        components={"order": c.Component(rate=D("0.02"), target=D("100"), over_multiple=D(2))}
    )
    assert [ln.rule for ln in c.statement(plan, c.Facts(amounts={"order": D("100")})).lines] == [
        "base"
    ]


def test_component_without_target_pays_base_on_everything():
    plan = c.Plan(components={"collection": c.Component(rate=D("0.01"))})
    assert total(plan, c.Facts(amounts={"collection": D("250000")})) == D("2500.00")


def test_order_revenue_and_collection_each_carry_pay():
    plan = c.Plan(
        components={
            "order": c.Component(rate=D("0.01")),
            "revenue": c.Component(rate=D("0.005")),
            "collection": c.Component(rate=D("0.01")),
        }
    )
    facts = c.Facts(amounts={"order": D("100000"), "revenue": D("80000"), "collection": D("50000")})
    assert total(plan, facts) == D("1000") + D("400") + D("500")


def test_strategic_breakthrough_once_per_designated_account():
    plan = c.Plan(strategic_award=D("20000"), strategic_accounts=frozenset({"acme"}))
    facts = c.Facts(
        bookings=(
            c.Booking("d1", "acme", D("100")),
            c.Booking("d2", "acme", D("100")),
            c.Booking("d3", "other", D("100")),
        )
    )
    result = c.statement(plan, facts)
    assert result.total == D("20000.00")
    assert [ln.detail["deal"] for ln in result.lines] == ["d1"]


@pytest.mark.parametrize(
    ("margin", "expected"),
    [
        (None, D("0")),
        (D("0.20"), D("0")),  # at the red line: nothing
        (D("0.25"), D("0")),  # above the red line but not above the band's lower bound
        (D("0.30"), D("5000.00")),  # 5 points of 100,000
        (D("0.35"), D("10000.00")),  # at the band's upper bound
        (D("0.50"), D("10000.00")),  # above: capped at the band
    ],
)
def test_margin_band_edges(margin, expected):
    band = c.MarginBand(red_line=D("0.20"), band_low=D("0.25"), band_high=D("0.35"))
    plan = c.Plan(margin_band=band)
    facts = c.Facts(bookings=(c.Booking("d", "a", D("100000"), margin),))
    assert total(plan, facts) == expected


def test_margin_band_share():
    band = c.MarginBand(D("0.1"), D("0.1"), D("0.3"), share=D("0.5"))
    facts = c.Facts(bookings=(c.Booking("d", "a", D("1000"), D("0.2")),))
    assert total(c.Plan(margin_band=band), facts) == D("50.00")


def test_losing_a_must_win_account_forfeits_everything_but_keeps_the_lines():
    plan = c.Plan(
        components={"order": c.Component(rate=D("0.02"))},
        strategic_award=D("1000"),
        strategic_accounts=frozenset({"acme"}),
    )
    facts = c.Facts(
        amounts={"order": D("100000")},
        bookings=(c.Booking("d1", "acme", D("100000")),),
        must_win_lost=("bigbank",),
    )
    result = c.statement(plan, facts)
    assert result.earned == D("3000.00")
    assert result.total == 0 and result.forfeited
    assert result.lines[-1].rule == "forfeit" and result.lines[-1].amount == D("-3000.00")


def test_all_rules_combined():
    plan = c.Plan(
        components={
            "order": c.Component(rate=D("0.02"), target=D("1000000"), over_multiple=D(2)),
            "collection": c.Component(rate=D("0.005")),
        },
        strategic_award=D("10000"),
        strategic_accounts=frozenset({"s"}),
        margin_band=c.MarginBand(D("0.2"), D("0.2"), D("0.3")),
    )
    facts = c.Facts(
        amounts={"order": D("1200000"), "collection": D("600000")},
        bookings=(
            c.Booking("d1", "s", D("700000"), D("0.25")),
            c.Booking("d2", "x", D("500000"), D("0.1")),
        ),
    )
    # 20,000 + 200,000×4 % = 8,000; collection 3,000; strategic 10,000; band 700,000×5 % = 35,000
    assert total(plan, facts) == D("76000.00")


def test_invalid_plans_are_refused():
    with pytest.raises(MethodologyError):
        c.Component(rate=D("-0.1"))
    with pytest.raises(MethodologyError):
        c.Component(rate=D("0.1"), over_multiple=D("0.5"))
    with pytest.raises(MethodologyError):
        c.MarginBand(D("0.2"), D("0.4"), D("0.3"))
    with pytest.raises(MethodologyError):
        c.Plan(components={"bonus": c.Component()})
    plan = c.Plan(components={"order": c.Component(rate=D("0.1"))})
    with pytest.raises(MethodologyError):
        c.statement(plan, c.Facts(amounts={"order": D("-5")}))


def test_timeliness():
    paid = c.Payout(D("1"), date(2026, 1, 31), date(2026, 2, 20))
    unpaid = c.Payout(D("1"), date(2026, 1, 31), None)
    assert c.days_late(paid, today=date(2026, 3, 1), allowed_days=15) == 5
    assert c.days_late(unpaid, today=date(2026, 3, 1), allowed_days=15) == 14
    assert c.days_late(paid, today=date(2026, 3, 1), allowed_days=30) == 0
    on_time = c.Payout(D("1"), date(2026, 1, 31), date(2026, 2, 10))
    assert c.on_time_share([paid, unpaid, on_time], today=date(2026, 3, 1), allowed_days=15) == D(
        "0.3333"
    )
    assert c.on_time_share([], today=date(2026, 3, 1)) is None
