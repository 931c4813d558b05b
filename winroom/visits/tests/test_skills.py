"""The skills page against numbers worked out by hand."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from winroom.methodology.visits import VisitStep
from winroom.visits.skills import skills_for, weekly

from .conftest import make_visit, recorded

pytestmark = pytest.mark.django_db

S = VisitStep


def scores(p, u, pr, c, e):
    return dict(
        zip(
            ["prepare", "understand", "present", "commit", "evaluate"],
            [p, u, pr, c, e],
            strict=True,
        )
    )


@pytest.fixture
def scored(company):
    """Three recorded visits of the owner in the last 14 days, one of the teammate."""
    owner, account = company.owner, company.account
    recorded(
        make_visit(owner, account, days_ago=2),
        scores=scores(4, 3, 5, 2, 4),
        mgr=scores(3, 3, 4, 1, 3),
        by=company.manager,
    )
    recorded(make_visit(owner, account, days_ago=5), scores=scores(5, 2, 4, 3, 4))
    recorded(
        make_visit(owner, account, days_ago=10), recorded_days_after=5, scores={"prepare": 3}
    )  # late: not effective
    make_visit(owner, account, days_ago=1)  # planned only: not read
    recorded(make_visit(owner, account, days_ago=20), scores=scores(1, 1, 1, 1, 1))  # before
    recorded(make_visit(company.teammate, account, days_ago=3), scores=scores(1, 1, 1, 1, 1))


def test_hand_computed_profile(company, scored):
    end = timezone.localdate()
    report = skills_for([company.owner.pk], end - timedelta(days=13), end)
    assert report.recorded == 3 and report.effective == 2
    assert report.rep.visits == 3 and report.manager.visits == 1
    assert report.rep.averages == {
        S.PREPARE: Decimal("4.00"),
        S.UNDERSTAND: Decimal("2.50"),
        S.PRESENT: Decimal("4.50"),
        S.COMMIT: Decimal("2.50"),
        S.EVALUATE: Decimal("4.00"),
    }
    assert report.rep.counts[S.PREPARE] == 3 and report.rep.counts[S.UNDERSTAND] == 2
    assert report.rep.weakest == (S.UNDERSTAND, S.COMMIT)
    assert report.manager.averages[S.COMMIT] == Decimal("1.00")
    assert report.manager.weakest == (S.COMMIT,)
    commit = next(c for c in report.comparison if c.step == S.COMMIT)
    assert commit.difference == Decimal("1.50")
    assert report.per_week == Decimal("1.00")  # 2 effective × 7 ÷ 14 days
    assert sum(n for _m, _r, n in report.weeks) == 2


def test_weekly_rates_cover_partial_weeks():
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    start, end = monday - timedelta(days=3), monday + timedelta(days=2)  # Fri .. Wed
    rows = weekly([start, monday, monday], start, end)
    assert [(m, n) for m, _r, n in rows] == [(monday - timedelta(days=7), 1), (monday, 2)]
    assert [r for _m, r, _n in rows] == [Decimal("1.00"), Decimal("2.00")]


def test_a_rep_sees_only_themself(company, scored, login):
    response = login(company.owner).get(reverse("visits:skills"))
    assert response.status_code == 200
    assert response.context["subjects"] == [company.owner]
    chart = response.context["chart"]
    # default period: the last 28 days, so the visit 20 days ago counts too
    assert chart["rep"] == [3.25, 2.0, 3.33, 2.0, 3.0]
    assert chart["manager"] == [3.0, 3.0, 4.0, 1.0, 3.0]
    assert b'id="skills-data"' in response.content


def test_a_manager_sees_the_team_and_picks_a_rep(
    company, scored, login, django_assert_max_num_queries
):
    client = login(company.manager)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("visits:skills"))
    assert response.status_code == 200
    subjects = set(response.context["subjects"])
    assert {company.owner, company.teammate} <= subjects
    assert company.outsider not in subjects
    per_rep = {row["user"]: row for row in response.context["rows"]}
    assert per_rep[company.owner]["recorded"] == 4  # 28 days: the visit 20 days ago too
    assert per_rep[company.teammate]["recorded"] == 1
    end = timezone.localdate()
    params = {
        "rep": company.owner.pk,
        "start": (end - timedelta(days=13)).isoformat(),
        "end": end.isoformat(),
    }
    one = client.get(reverse("visits:skills"), params)
    assert one.context["subjects"] == [company.owner]
    assert one.context["report"].per_week == Decimal("1.00")
    team = client.get(reverse("visits:skills"), {"team": company.east.pk})
    assert company.teammate in team.context["subjects"]


def test_the_query_count_does_not_grow_with_visits(
    company, scored, login, django_assert_max_num_queries
):
    for n in range(20):
        recorded(make_visit(company.teammate, company.account, days_ago=n % 7), scores={})
    client = login(company.manager)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("visits:skills")).status_code == 200


def test_a_bad_period_is_explained_and_the_default_shown(company, login):
    response = login(company.owner).get(
        reverse("visits:skills"), {"start": "2026-05-10", "end": "2026-05-01"}
    )
    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    assert response.context["report"].end == timezone.localdate()
