"""A small company built by hand: credit by seller type and a commission statement checked
against values worked out here; must-win forfeiture; approval and payout timeliness."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from winroom.deals.models import DealStatus
from winroom.incentives import actions, facts
from winroom.incentives.models import (
    CommissionPlan,
    CommissionStatement,
    Payout,
    RepTarget,
    SellerProfile,
    SellerType,
    StatementStatus,
)
from winroom.incentives.presenting import describe, timeliness
from winroom.methodology.targets import even_split
from winroom.testing.factories import AccountFactory

from .conftest import YEAR, make_deal

pytestmark = pytest.mark.django_db
Q1 = date(YEAR, 1, 1)


@pytest.fixture
def books(company, line_mes):
    """East: ``owner`` (account seller) and ``teammate`` (no profile: project seller);
    West: ``member`` (solution seller of MES in 上海). The owner's Q1 2025:

    - D1 at the owner's account (上海, MES), ¥200,000, margin 35 %;
    - D2 and D3 at the strategic account S, ¥250,000 (margin 45 %) and ¥50,000 (no margin);
    - the teammate's D4 at their own account, ¥80,000 (not the owner's);
    - a deal lost at the must-win account M in December 2024 (another year: not a loss of
      2025's must-win).
    """
    owner, teammate, member = company.owner, company.teammate, company.member
    SellerProfile.objects.create(user=owner, seller_type=SellerType.ACCOUNT)
    solution = SellerProfile.objects.create(
        user=member, seller_type=SellerType.SOLUTION, regions=["上海"]
    )
    solution.product_lines.add(line_mes)
    strategic = AccountFactory(name="战略客户S", owner=owner, region="北京")
    must_win = AccountFactory(name="保底客户M", owner=owner, region="北京")
    target = RepTarget.objects.create(
        rep=owner,
        year=YEAR,
        baseline=D("1200000"),
        challenge=D("1500000"),
        monthly=[str(v) for v in even_split(D("1200000"))],
    )
    target.must_win_accounts.add(must_win)
    deals = {
        "d1": make_deal(
            owner,
            "200000",
            date(YEAR, 1, 15),
            account=company.account,
            lines=[line_mes],
            margin="0.35",
            name="D1",
        ),
        "d2": make_deal(
            owner, "250000", date(YEAR, 2, 10), account=strategic, margin="0.45", name="D2"
        ),
        "d3": make_deal(owner, "50000", date(YEAR, 3, 20), account=strategic, name="D3"),
        "d4": make_deal(teammate, "80000", date(YEAR, 3, 1), name="D4"),
        "old_loss": make_deal(
            owner, "1", date(YEAR - 1, 12, 1), account=must_win, status=DealStatus.LOST
        ),
    }
    plan = CommissionPlan.objects.create(
        name="2025 提成方案",
        year=YEAR,
        period="quarter",
        base_rate=D("0.02"),
        over_multiple=D(3),
        strategic_award=D("50000"),
        margin_red_line=D("0.30"),
        margin_band_low=D("0.30"),
        margin_band_high=D("0.40"),
        margin_share=D("0.5"),
        payout_within_days=30,
    )
    plan.strategic_accounts.add(strategic)
    return {"plan": plan, "strategic": strategic, "must_win": must_win, **deals}


def test_credit_by_seller_type_and_totals_count_a_booking_once(company, books):
    reps = [company.owner.pk, company.teammate.pk, company.member.pk]
    credited = facts.credited(reps, Q1, date(YEAR, 4, 1))
    assert credited.total(company.owner.pk) == D("500000")  # D1 + D2 + D3
    assert credited.total(company.member.pk) == D("200000")  # D1: MES in 上海
    assert credited.total(company.teammate.pk) == D("80000")  # D4, which they lead
    reasons = {(c.seller, c.booking): c.reason for c in credited.credits}
    assert reasons[(company.member.pk, books["d1"].pk)] == "solution"
    assert reasons[(company.owner.pk, books["d1"].pk)] == "account"
    # the company booked 580,000 although the credits add up to 780,000
    assert credited.team_total(reps) == D("580000")
    assert credited.team_total([company.owner.pk, company.member.pk]) == D("500000")


def test_statement_by_hand(company, books):
    (statement,) = actions.build_statements(
        plan=books["plan"], period_start=Q1, by=company.manager, reps=[company.owner]
    )
    # Q1 target: 3 × 100,000 (1,200,000 split evenly)
    assert statement.target == D("300000.00")
    lines = [(line["rule"], D(line["basis"]), D(line["amount"])) for line in statement.lines]
    assert lines == [
        ("base", D("300000"), D("6000.00")),  # 300,000 × 2 %
        ("over_target", D("200000"), D("12000.00")),  # 200,000 × 2 % × 3
        ("margin_band", D("200000"), D("5000.00")),  # D1: (35 % − 30 %) × 0.5 × 200,000
        ("strategic", D("250000"), D("50000.00")),  # once for S, not again for D3
        ("margin_band", D("250000"), D("12500.00")),  # D2: (40 % − 30 %) × 0.5 × 250,000
    ]
    assert statement.earned == statement.total == D("85500.00")
    assert not statement.forfeited
    assert statement.status == StatementStatus.DRAFT
    assert [b["name"] for b in statement.bookings] == ["D1", "D2", "D3"]
    assert statement.amounts == {"order": "500000.00"}


def test_every_line_names_its_rule_in_the_readers_language(company, books):
    (statement,) = actions.build_statements(
        plan=books["plan"], period_start=Q1, by=company.manager, reps=[company.owner]
    )
    with translation.override("en"):
        texts = [describe(line) for line in statement.lines]
    assert texts[0] == (
        "Base rate on orders up to the period target of ¥300,000.00: ¥300,000.00 × 2 % = ¥6,000.00"
    )
    assert "× 3" in texts[1] and "¥12,000.00" in texts[1]
    assert "red line of 30 %" in texts[2] and "between 30 % and 40 %" in texts[2]
    assert "2.5 % of ¥200,000.00 = ¥5,000.00" in texts[2]
    assert "战略客户S" in texts[3] and "D2" in texts[3]
    with translation.override("zh-hans"):
        assert describe(statement.lines[0])  # translated text (or the English source) renders


def test_losing_a_must_win_account_forfeits_the_year(company, books):
    make_deal(
        company.owner, "1", date(YEAR, 5, 5), account=books["must_win"], status=DealStatus.LOST
    )
    (statement,) = actions.build_statements(
        plan=books["plan"], period_start=Q1, by=company.manager, reps=[company.owner]
    )
    assert statement.forfeited
    assert statement.earned == D("85500.00") and statement.total == D("0")
    forfeit = statement.lines[-1]
    assert forfeit["rule"] == "forfeit" and D(forfeit["amount"]) == D("-85500.00")
    assert forfeit["detail"]["accounts"] == [{"id": books["must_win"].pk, "name": "保底客户M"}]


def test_a_must_win_account_also_won_is_not_lost(company, books):
    make_deal(
        company.owner, "1", date(YEAR, 5, 5), account=books["must_win"], status=DealStatus.LOST
    )
    make_deal(company.owner, "1", date(YEAR, 6, 5), account=books["must_win"])
    (statement,) = actions.build_statements(
        plan=books["plan"], period_start=Q1, by=company.manager, reps=[company.owner]
    )
    assert not statement.forfeited


def test_a_manager_builds_for_their_reps_only(company, books):
    built = actions.build_statements(plan=books["plan"], period_start=Q1, by=company.manager)
    assert {s.rep for s in built} == {company.owner, company.teammate}
    assert actions.build_statements(plan=books["plan"], period_start=Q1, by=company.owner) == []
    with pytest.raises(ValidationError):
        actions.build_statements(
            plan=books["plan"], period_start=date(YEAR + 1, 1, 1), by=company.manager
        )


def test_approval_flow_and_payout_timeliness(company, books):
    (statement,) = actions.build_statements(
        plan=books["plan"], period_start=Q1, by=company.manager, reps=[company.owner]
    )
    for refused in (company.owner, company.teammate, company.other_manager, company.outsider):
        with pytest.raises(PermissionDenied):
            actions.approve_statement(statement, by=refused)
    approved = actions.approve_statement(statement, by=company.manager)
    assert approved.status == StatementStatus.APPROVED
    assert approved.approved_by == company.manager and approved.approved_at is not None
    payout = Payout.objects.get(statement=statement)
    assert (payout.amount, payout.earned_on, payout.paid_on) == (
        D("85500.00"),
        date(YEAR, 3, 31),
        None,
    )
    with pytest.raises(ValidationError):
        actions.approve_statement(statement, by=company.director)
    # an approved statement no longer changes when the period is built again
    make_deal(company.owner, "100000", date(YEAR, 3, 25), account=books["strategic"])
    assert (
        actions.build_statements(
            plan=books["plan"], period_start=Q1, by=company.manager, reps=[company.owner]
        )
        == []
    )
    assert CommissionStatement.objects.get(pk=statement.pk).total == D("85500.00")
    # finance pays 45 days after the period: 15 days beyond the plan's 30
    with pytest.raises(PermissionDenied):
        actions.record_payment(payout, by=company.manager, paid_on=date(YEAR, 5, 15))
    actions.record_payment(payout, by=company.admin, paid_on=date(YEAR, 5, 15))
    assert timeliness(payout, allowed_days=30) == {"days_late": 15, "on_time": False, "paid": True}


def test_a_statement_of_a_running_period_is_not_approved(company, books):
    (statement,) = actions.build_statements(
        plan=books["plan"], period_start=Q1, by=company.manager, reps=[company.owner]
    )
    with pytest.raises(ValidationError):
        actions.approve_statement(statement, by=company.manager, today=date(YEAR, 3, 31))
    actions.approve_statement(statement, by=company.manager, today=date(YEAR, 4, 1))


def test_collections_pay_when_payments_are_recorded(company, books):
    plan = books["plan"]
    plan.collection_rate = D("0.01")
    plan.save()
    model = facts.payment_model()
    if model is not None:
        model.objects.create(deal=books["d1"], amount=D("100000"), received_on=date(YEAR, 2, 1))
        # paid in Q1 on a deal won earlier still counts; outside the period does not
        model.objects.create(deal=books["d2"], amount=D("70000"), received_on=date(YEAR, 4, 2))
    (statement,) = actions.build_statements(
        plan=plan, period_start=Q1, by=company.manager, reps=[company.owner]
    )
    collection = [line for line in statement.lines if line["component"] == "collection"]
    if model is None:
        assert statement.gaps == ["collection"] and collection == []
    else:
        assert statement.gaps == []
        assert [(D(c["basis"]), D(c["amount"])) for c in collection] == [
            (D("100000"), D("1000.00"))
        ]


def test_revenue_is_a_gap_the_statement_names(company, books):
    plan = books["plan"]
    plan.revenue_rate = D("0.01")
    plan.save()
    (statement,) = actions.build_statements(
        plan=plan, period_start=Q1, by=company.manager, reps=[company.owner]
    )
    assert "revenue" in statement.gaps


def test_one_active_plan_a_year(company, books):
    from winroom.incentives.forms import CommissionPlanForm

    form = CommissionPlanForm(
        {
            "name": "新方案",
            "year": YEAR,
            "is_active": "on",
            "period": "month",
            "base_rate": "0.03",
            "over_multiple": "2",
            "revenue_rate": "0",
            "collection_rate": "0",
            "strategic_award": "0",
            "margin_share": "1",
            "payout_within_days": "30",
        }
    )
    assert form.is_valid(), form.errors
    with pytest.raises(PermissionDenied):
        actions.save_plan(form, by=company.manager)
    new = actions.save_plan(form, by=company.admin)
    assert list(CommissionPlan.objects.filter(year=YEAR, is_active=True)) == [new]


def test_margin_band_needs_all_its_values(company, books):
    plan = books["plan"]
    plan.margin_band_high = None
    with pytest.raises(ValidationError):
        plan.full_clean()
