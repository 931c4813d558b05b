"""The API of rankings and commission statements: the pages' visibility, and the schema."""

from datetime import date
from decimal import Decimal as D

import pytest
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from winroom.incentives import actions, ranking
from winroom.incentives.models import CommissionPlan, RepTarget, StatementStatus

from .conftest import YEAR, make_deal, make_visit

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def statement(company):
    RepTarget.objects.create(
        rep=company.owner, year=YEAR, baseline=D("1200000"), monthly=["100000"] * 12
    )
    make_deal(company.owner, "400000", date(YEAR, 2, 1), account=company.account, name="D1")
    plan = CommissionPlan.objects.create(
        name="方案", year=YEAR, period="quarter", base_rate=D("0.02"), over_multiple=D(2)
    )
    (built,) = actions.build_statements(
        plan=plan, period_start=date(YEAR, 1, 1), by=company.manager, reps=[company.owner]
    )
    return built


def test_statements_follow_the_rep_rule(company, statement):
    url = "/api/v1/commission-statements/"
    for role in ("owner", "manager", "director", "admin"):
        response = api(getattr(company, role)).get(url)
        assert response.status_code == 200, role
        assert [s["id"] for s in response.json()["results"]] == [statement.pk], role
        assert api(getattr(company, role)).get(f"{url}{statement.pk}/").status_code == 200
    for role in ("teammate", "outsider", "member", "other_manager"):
        response = api(getattr(company, role)).get(url)
        assert response.json()["results"] == [], role
        assert api(getattr(company, role)).get(f"{url}{statement.pk}/").status_code == 404, role
    assert api(None).get(url).status_code in (401, 403)


def test_statement_lines_carry_their_rule_in_the_callers_language(company, statement):
    company.owner.language = "en"
    company.owner.save()
    data = api(company.owner).get(f"/api/v1/commission-statements/{statement.pk}/").json()
    assert data["total"] == "10000.00"
    assert [line["rule"] for line in data["lines"]] == ["base", "over_target"]
    assert data["lines"][0]["text"].startswith("Base rate on orders up to the period target")
    assert data["bookings"][0]["name"] == "D1"
    assert data["period"] == f"{YEAR} Q1"


def test_approve_through_the_api(company, statement):
    url = f"/api/v1/commission-statements/{statement.pk}/approve/"
    for role in ("owner", "teammate", "other_manager", "outsider"):
        assert api(getattr(company, role)).post(url).status_code == 404, role
    response = api(company.manager).post(url)
    assert response.status_code == 200
    assert response.json()["status"] == StatementStatus.APPROVED
    assert response.json()["payout"]["amount"] == "10000.00"
    again = api(company.director).post(url)
    assert again.status_code == 400


def test_rankings_show_a_rep_only_their_place(small_team):
    manager, reps = small_team(3)
    for n, rep in enumerate(reps):
        RepTarget.objects.create(rep=rep, year=YEAR, baseline=D("120000"), monthly=["10000"] * 12)
        make_deal(rep, str(1000 * (n + 1)), date(YEAR, 3, 10))
        make_visit(rep, date(YEAR, 3, 11))
    ranking.snapshot(date(YEAR, 3, 1))
    rep_view = api(reps[1]).get("/api/v1/rankings/", {"month": f"{YEAR}-03"}).json()
    assert rep_view["rows"] == []
    assert (rep_view["mine"]["position"], rep_view["mine"]["group"]) == (2, "middle")
    assert rep_view["top_group"] == [str(reps[2])]
    assert rep_view["live"] is False and rep_view["rep_count"] == 3
    boss_view = api(manager).get("/api/v1/rankings/", {"month": f"{YEAR}-03"}).json()
    assert [row["rep"]["id"] for row in boss_view["rows"]] == [r.pk for r in reversed(reps)]
    assert boss_view["mine"] is None
    assert api(manager).get("/api/v1/rankings/", {"month": "2999-01"}).status_code == 400
    assert api(None).get("/api/v1/rankings/").status_code in (401, 403)


def test_schema_lists_the_incentive_endpoints(company):
    response = api(company.owner).get("/api/v1/schema/", {"format": "json"})
    schema = response.json()
    validate_schema(schema)
    for path in (
        "/api/v1/rankings/",
        "/api/v1/commission-statements/",
        "/api/v1/commission-statements/{id}/",
        "/api/v1/commission-statements/{id}/approve/",
    ):
        assert path in schema["paths"], path
