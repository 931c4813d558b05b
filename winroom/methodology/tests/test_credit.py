from decimal import Decimal as D

from winroom.methodology import credit as cr

AE = cr.Seller("ae", cr.ACCOUNT, accounts=frozenset({"acme"}))
SSP = cr.Seller("ssp", cr.SOLUTION, regions=frozenset({"杭州"}), product_lines=frozenset({"erp"}))
PM = cr.Seller("pm", cr.PROJECT)


def test_one_booking_credits_each_kind_of_seller_against_their_own_target():
    booking = cr.Booking("d1", D("100"), "acme", "杭州", frozenset({"erp", "crm"}), leader="pm")
    result = cr.credits([AE, SSP, PM], [booking])
    assert {(c.seller, c.reason) for c in result} == {
        ("ae", "account"),
        ("ssp", "solution"),
        ("pm", "project"),
    }
    assert cr.credited_totals(result) == {"ae": D("100"), "ssp": D("100"), "pm": D("100")}
    assert cr.team_total(result, ["ae", "ssp", "pm"], {"d1": D("100")}) == D("100")


def test_solution_seller_needs_their_line_and_their_coverage():
    other_region = cr.Booking("d", D("1"), "zeta", "宁波", frozenset({"erp"}))
    other_line = cr.Booking("d", D("1"), "zeta", "杭州", frozenset({"crm"}))
    covered_account = cr.Seller(
        "s", cr.SOLUTION, accounts=frozenset({"zeta"}), product_lines=frozenset({"erp"})
    )
    assert cr.reason(SSP, other_region) is None
    assert cr.reason(SSP, other_line) is None
    assert cr.reason(covered_account, other_region) == "solution"


def test_account_seller_only_at_assigned_accounts_and_project_seller_only_when_leading():
    booking = cr.Booking("d", D("1"), "beta", leader="someone")
    assert cr.reason(AE, booking) is None
    assert cr.reason(PM, booking) is None


def test_team_total_counts_only_bookings_credited_to_members():
    b1 = cr.Booking("d1", D("100"), "acme")
    b2 = cr.Booking("d2", D("50"), "beta", leader="pm")
    result = cr.credits([AE, PM], [b1, b2])
    assert cr.team_total(result, ["ae"], {"d1": 100, "d2": 50}) == D("100")
    assert cr.team_total(result, ["ae", "pm"], {"d1": 100, "d2": 50}) == D("150")
