"""The incentive pages: what a manager and a rep see, the forms, the exports, query counts."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from winroom.incentives import actions, ranking
from winroom.incentives.models import (
    CommissionPlan,
    CommissionStatement,
    DealMargin,
    Payout,
    RankingReview,
    RankingWeights,
    RepTarget,
    SellerProfile,
    StatementStatus,
)
from winroom.methodology.targets import even_split
from winroom.testing.factories import AccountFactory, UserFactory

from .conftest import YEAR, make_deal, make_visit

pytestmark = pytest.mark.django_db
MARCH = date(YEAR, 3, 1)


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def team_with_ranking(small_team, count):
    manager, reps = small_team(count)
    for n, rep in enumerate(reps):
        RepTarget.objects.create(
            rep=rep,
            year=YEAR,
            baseline=D("120000"),
            monthly=[str(v) for v in even_split(D("120000"))],
        )
        make_deal(rep, str(1000 * (n + 1)), date(YEAR, 3, 10))
        make_visit(rep, date(YEAR, 3, 11))
    return manager, reps


def test_manager_sees_the_whole_ranking(small_team, client):
    manager, reps = team_with_ranking(small_team, 3)
    client.force_login(english(manager))
    response = client.get(reverse("incentives:ranking"), {"month": f"{YEAR}-03"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.rep_id for row in rows] == [reps[2].pk, reps[1].pk, reps[0].pk]
    assert [row.group for row in rows] == ["top", "middle", "bottom"]
    assert response.context["ranking"].live  # never recorded
    assert b'data-testid="ranking-export"' in response.content


def test_a_rep_sees_their_place_and_the_top_names_only(small_team, client):
    _manager, reps = team_with_ranking(small_team, 3)
    ranking.snapshot(MARCH)
    client.force_login(english(reps[0]))
    response = client.get(reverse("incentives:ranking"), {"month": f"{YEAR}-03"})
    assert response.status_code == 200
    context = response.context
    assert context["rows"] == []
    assert (context["mine"].position, context["mine"].group) == (3, "bottom")
    assert context["top_names"] == [str(reps[2])]
    text = response.content.decode()
    assert "Your position: 3 of 3" in text
    assert str(reps[1]) not in text  # the middle rep: no name, no numbers
    assert 'data-testid="ranking-table"' not in text
    assert 'data-testid="ranking-export"' not in text
    # the export and the history of others are refused
    assert (
        client.get(reverse("incentives:ranking_export"), {"month": f"{YEAR}-03"}).status_code == 404
    )
    history = client.get(reverse("incentives:ranking_history")).context["table"]
    assert [line["rep"] for line in history] == [reps[0]]


def test_a_future_or_malformed_month_is_not_found(small_team, client):
    manager, _reps = team_with_ranking(small_team, 1)
    client.force_login(manager)
    for month in ("2999-01", "march", "2025-13"):
        assert client.get(reverse("incentives:ranking"), {"month": month}).status_code == 404


def test_ranking_page_query_count_does_not_grow_with_reps(small_team, client):
    """Pinned: the same number of queries for 3 reps as for 7 (live ranking)."""
    manager, _reps = team_with_ranking(small_team, 3)
    client.force_login(manager)
    url = reverse("incentives:ranking")
    client.get(url, {"month": f"{YEAR}-03"})  # warm the session and company settings
    with CaptureQueriesContext(connection) as three:
        assert client.get(url, {"month": f"{YEAR}-03"}).status_code == 200
    team = manager.team
    for n in range(4):
        rep = UserFactory(username=f"extra{n}", team=team)
        make_deal(rep, "5000", date(YEAR, 3, 2))
        make_visit(rep, date(YEAR, 3, 3))
    with CaptureQueriesContext(connection) as seven:
        assert client.get(url, {"month": f"{YEAR}-03"}).status_code == 200
    # session, user, snapshot lookup, reps, weights, targets, won deals + product lines,
    # seller profiles (3), company settings, relationship scores, visits, the reps' users,
    # the viewer's teams (3), reviews, the notification badge
    assert len(three) == len(seven) == 20, [q["sql"][:120] for q in seven.captured_queries]


def test_recorded_ranking_query_count(small_team, client, django_assert_num_queries):
    manager, _reps = team_with_ranking(small_team, 3)
    ranking.snapshot(MARCH)
    client.force_login(manager)
    url = reverse("incentives:ranking")
    client.get(url, {"month": f"{YEAR}-03"})
    with django_assert_num_queries(8):
        client.get(url, {"month": f"{YEAR}-03"})


def test_export_to_excel_neutralises_formulas(small_team, client):
    manager, reps = team_with_ranking(small_team, 3)
    reps[2].display_name = '=HYPERLINK("http://x")'
    reps[2].save()
    client.force_login(english(manager))
    response = client.get(reverse("incentives:ranking_export"), {"month": f"{YEAR}-03"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"ranking-{YEAR}-03" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("position", "reps ranked", "rep")
    assert rows[1][0] == 1 and rows[1][2] == '\'=HYPERLINK("http://x")'
    assert rows[1][4] == "Top group"
    assert len(rows) == 4


def test_review_of_a_bottom_rep(small_team, client):
    manager, reps = team_with_ranking(small_team, 3)
    ranking.snapshot(MARCH)
    client.force_login(manager)
    url = reverse("incentives:ranking_review", args=[f"{YEAR}-03", reps[0].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"causes": "新客户少", "help_agreed": "经理陪访"})
    assert response.status_code == 302
    review = RankingReview.objects.get(rep=reps[0], month=MARCH)
    assert (review.by, review.causes, review.help_agreed) == (manager, "新客户少", "经理陪访")
    # only the bottom group is reviewed
    top = reverse("incentives:ranking_review", args=[f"{YEAR}-03", reps[2].pk])
    assert client.get(top).status_code == 404
    # the rep reads their own review on the ranking
    client.force_login(reps[0])
    page = client.get(reverse("incentives:ranking"), {"month": f"{YEAR}-03"})
    assert page.context["my_review"] == review


def test_admin_changes_the_weights(company, client):
    client.force_login(company.admin)
    url = reverse("incentives:ranking_weights")
    assert (
        client.post(url, {"attainment": "60", "relationship": "20", "visits": "20"}).status_code
        == 302
    )
    assert RankingWeights.current().as_weights() == {
        "attainment": D(60),
        "relationship": D(20),
        "visits": D(20),
    }
    response = client.post(url, {"attainment": "0", "relationship": "0", "visits": "0"})
    assert response.status_code == 200 and response.context["form"].errors


# -- targets ---------------------------------------------------------------------------------


def test_manager_sets_targets_and_the_rep_submits_bottom_up(company, client):
    account = AccountFactory(owner=company.owner, name="保底客户")
    client.force_login(company.manager)
    url = reverse("incentives:target_edit", args=[company.owner.pk, YEAR])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"baseline": "1200000", "challenge": "1500000", "must_win": [account.pk]}
    )
    assert response.status_code == 302
    target = RepTarget.objects.get(rep=company.owner, year=YEAR)
    assert target.baseline == D("1200000") and target.set_by == company.manager
    assert [D(v) for v in target.monthly] == [D("100000")] * 12
    assert list(target.must_win_accounts.all()) == [account]
    # months that do not add up are refused
    months = {f"month_{m}": "100000" for m in range(1, 13)}
    months["month_12"] = "1"
    response = client.post(url, {"baseline": "1200000", **months})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    # a challenge below the baseline is refused by the model
    response = client.post(url, {"baseline": "1200000", "challenge": "1"})
    assert response.status_code == 200 and "challenge" in response.context["form"].errors
    client.force_login(company.owner)
    response = client.post(
        reverse("incentives:bottom_up", args=[company.owner.pk, YEAR]),
        {"bottom_up": "1000000", "note": "十个客户各十万"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.bottom_up, target.bottom_up_note) == (D("1000000"), "十个客户各十万")
    assert target.baseline == D("1200000")  # the rep does not change management's number


def test_targets_page_side_by_side_with_attainment(company, client):
    for rep, baseline, bottom in (
        (company.owner, "1200000", "1000000"),
        (company.teammate, "600000", "700000"),
    ):
        RepTarget.objects.create(
            rep=rep,
            year=YEAR,
            baseline=D(baseline),
            bottom_up=D(bottom),
            monthly=[str(v) for v in even_split(D(baseline))],
        )
    make_deal(company.owner, "600000", date(YEAR, 6, 1), account=company.account)
    client.force_login(company.manager)
    response = client.get(reverse("incentives:targets"), {"year": YEAR})
    rows = {row["rep"]: row for row in response.context["rows"]}
    assert rows[company.owner]["attainment"] == D("50.0")  # 600,000 of 1,200,000
    assert rows[company.owner]["won_as_owner"] == D("600000")
    totals = response.context["totals"]
    assert (totals["bottom_up"], totals["baseline"]) == (D("1700000"), D("1800000"))
    assert totals["booked_once"] == D("600000")
    detail = client.get(reverse("incentives:target", args=[company.owner.pk, YEAR]))
    june = detail.context["months"][5]
    assert (june["target"], june["credited"], june["attainment"]) == (
        D("100000.00"),
        D("600000"),
        D("600.0"),
    )


def test_manager_sets_a_seller_profile(company, line_mes, client):
    client.force_login(company.manager)
    url = reverse("incentives:seller_edit", args=[company.owner.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "seller_type": "solution",
            "regions": "上海， 杭州",
            "product_lines": [line_mes.pk],
            "accounts": [company.account.pk],
        },
    )
    assert response.status_code == 302
    profile = SellerProfile.objects.get(user=company.owner)
    assert (profile.seller_type, profile.regions) == ("solution", ["上海", "杭州"])
    assert list(profile.product_lines.all()) == [line_mes]


# -- commission plans and statements --------------------------------------------------------


@pytest.fixture
def statement(company):
    RepTarget.objects.create(
        rep=company.owner,
        year=YEAR,
        baseline=D("1200000"),
        monthly=[str(v) for v in even_split(D("1200000"))],
    )
    make_deal(company.owner, "400000", date(YEAR, 2, 1), account=company.account, name="D1")
    plan = CommissionPlan.objects.create(
        name="方案", year=YEAR, period="quarter", base_rate=D("0.02"), over_multiple=D(2)
    )
    (built,) = actions.build_statements(
        plan=plan, period_start=date(YEAR, 1, 1), by=company.manager, reps=[company.owner]
    )
    return built


def test_admin_creates_a_plan_in_the_app(company, client):
    client.force_login(company.admin)
    assert client.get(reverse("incentives:plan_create")).status_code == 200
    response = client.post(
        reverse("incentives:plan_create"),
        {
            "name": "2026 方案",
            "year": "2026",
            "is_active": "on",
            "period": "month",
            "base_rate": "0.03",
            "over_multiple": "3",
            "revenue_rate": "0",
            "collection_rate": "0",
            "strategic_award": "80000",
            "strategic_accounts": [company.account.pk],
            "margin_red_line": "0.3",
            "margin_band_low": "0.3",
            "margin_band_high": "0.4",
            "margin_share": "0.5",
            "payout_within_days": "15",
        },
    )
    assert response.status_code == 302
    plan = CommissionPlan.objects.get(name="2026 方案")
    assert (plan.base_rate, plan.over_multiple, plan.margin_red_line) == (D("0.03"), D(3), D("0.3"))
    assert list(plan.strategic_accounts.all()) == [company.account]
    assert plan.history.first().history_user == company.admin
    page = client.get(reverse("incentives:plans"))
    assert b"2026" in page.content


def test_manager_builds_approves_and_admin_records_payment(company, statement, client):
    client.force_login(english(company.manager))
    detail = client.get(reverse("incentives:statement", args=[statement.pk]))
    assert detail.status_code == 200 and detail.context["may_approve"]
    text = detail.content.decode()
    # 400,000 × 2 % up to 300,000 (Q1), 100,000 × 4 % above
    assert "¥6,000.00" in text and "¥4,000.00" in text
    response = client.post(reverse("incentives:statement_approve", args=[statement.pk]))
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == StatementStatus.APPROVED and statement.approved_by == company.manager
    assert Payout.objects.get(statement=statement).amount == D("10000.00")
    client.force_login(company.admin)
    client.post(
        reverse("incentives:payout_paid", args=[statement.pk]), {"paid_on": f"{YEAR}-04-20"}
    )
    assert Payout.objects.get(statement=statement).paid_on == date(YEAR, 4, 20)
    page = client.get(reverse("incentives:statements"))
    assert page.context["on_time"] == D("100.0")


def test_statement_pdf(company, statement, client):
    client.force_login(company.owner)
    response = client.get(reverse("incentives:statement_pdf", args=[statement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_build_form_and_margin_through_the_pages(company, statement, client):
    client.force_login(company.manager)
    deal_pk = statement.bookings[0]["deal"]
    url = reverse("incentives:statement", args=[statement.pk])
    response = client.post(
        reverse("incentives:deal_margin", args=[deal_pk]), {"gross_margin": "0.35", "next": url}
    )
    assert response.status_code == 302 and response["Location"] == url
    assert DealMargin.objects.get(deal_id=deal_pk).gross_margin == D("0.35")
    response = client.post(
        reverse("incentives:statement_build"), {"plan": statement.plan.pk, "day": f"{YEAR}-02-15"}
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.bookings[0]["margin"] == "0.3500"


def test_statements_list_query_count_is_pinned(company, statement, client):
    """The same number of queries for one statement as for three."""
    client.force_login(company.manager)
    url = reverse("incentives:statements")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    actions.approve_statement(statement, by=company.manager)
    plan = statement.plan
    make_deal(company.teammate, "1000", date(YEAR, 4, 5))
    actions.build_statements(plan=plan, period_start=date(YEAR, 4, 1), by=company.manager)
    assert CommissionStatement.objects.count() == 3
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(one) == len(three) == 10, [q["sql"][:100] for q in three.captured_queries]
