"""Every incentive route refuses whoever may not see or decide, with 404, and changes nothing.

The route list is read from the URLconf, so a new route cannot be added without entering
this test (it fails on a route it does not know how to call).

The records belong to the East rep ``owner``: their target, seller profile, statement (with
a payout), ranking snapshot in the bottom group and a won deal. Who may read them: the owner,
the East ``manager``, the ``director`` above, the ``admin``. Who decides on them (targets,
approval, review, margin): the manager, the director, the admin — not the owner.
"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from winroom.incentives import actions
from winroom.incentives.models import (
    CommissionPlan,
    CommissionStatement,
    DealMargin,
    Payout,
    RankingReview,
    RankingSnapshot,
    RankingWeights,
    RepTarget,
    SellerProfile,
)
from winroom.incentives.urls import urlpatterns

from .conftest import YEAR, make_deal

pytestmark = pytest.mark.django_db

LISTS = {"index", "ranking", "ranking_history", "targets", "sellers", "plans", "statements"}
#: routes only administrators use
ADMIN_ONLY = {"ranking_weights", "plan_create", "plan_edit", "payout_paid"}
#: routes for managers and administrators whatever the record
MANAGERS = {"ranking_export", "statement_build"}
OUTSIDERS = ["teammate", "outsider", "member", "other_manager"]
READERS = ["owner", "manager", "director", "admin"]


@pytest.fixture
def ids(company):
    owner = company.owner
    deal = make_deal(owner, "100000", date(YEAR, 2, 1), account=company.account)
    RepTarget.objects.create(rep=owner, year=YEAR, baseline=D("120000"), monthly=["10000"] * 12)
    SellerProfile.objects.create(user=owner)
    plan = CommissionPlan.objects.create(name="方案", year=YEAR, period="quarter")
    (statement,) = actions.build_statements(
        plan=plan, period_start=date(YEAR, 1, 1), by=company.manager, reps=[owner]
    )
    actions.approve_statement(statement, by=company.manager)
    RankingSnapshot.objects.create(
        month=date(YEAR, 3, 1), rep=owner, position=2, rep_count=2, group="bottom", score=D(1)
    )
    return {
        "pk": statement.pk,
        "rep_pk": owner.pk,
        "year": YEAR,
        "month": f"{YEAR}-03",
        "deal_pk": deal.pk,
        "plan_pk": plan.pk,
    }


def _snapshot(ids):
    return (
        list(RepTarget.objects.values_list("pk", "baseline", "challenge", "bottom_up", "monthly")),
        list(SellerProfile.objects.values_list("pk", "seller_type", "regions")),
        list(CommissionStatement.objects.values_list("pk", "status", "total", "built_at")),
        list(Payout.objects.values_list("pk", "paid_on")),
        list(CommissionPlan.objects.values_list("pk", "name", "base_rate", "is_active")),
        list(RankingReview.objects.values_list("pk", "causes")),
        list(RankingWeights.objects.values_list("attainment", "relationship", "visits")),
        list(DealMargin.objects.values_list("deal_id", "gross_margin")),
    )


def _url(pattern, ids):
    wanted = set(pattern.pattern.converters)
    unknown = wanted - set(ids)
    assert not unknown, f"unlisted route {pattern.name}: teach this test its arguments"
    values = {k: ids[k] for k in wanted}
    if pattern.name == "plan_edit":
        values["pk"] = ids["plan_pk"]
    return reverse(f"incentives:{pattern.name}", kwargs=values)


BODY = {
    "baseline": "999999",
    "challenge": "9999999",
    "bottom_up": "1",
    "note": "改了",
    "seller_type": "project",
    "causes": "改了",
    "help_agreed": "改了",
    "attainment": "1",
    "relationship": "1",
    "visits": "1",
    "name": "改了",
    "year": str(YEAR),
    "period": "month",
    "base_rate": "0.5",
    "over_multiple": "2",
    "revenue_rate": "0",
    "collection_rate": "0",
    "strategic_award": "0",
    "margin_share": "1",
    "payout_within_days": "1",
    "plan": "1",
    "day": f"{YEAR}-01-01",
    "paid_on": f"{YEAR}-12-01",
    "gross_margin": "0.9",
}


@pytest.mark.parametrize("role", OUTSIDERS)
def test_every_route_refuses_an_outsider(company, ids, client, role):
    client.force_login(getattr(company, role))
    before = _snapshot(ids)
    names = [p.name for p in urlpatterns]
    assert len(names) == len(set(names))
    for pattern in urlpatterns:
        if pattern.name in LISTS:
            continue
        if pattern.name in MANAGERS and role == "other_manager":
            continue  # a manager uses these, over their own reps (see the pages' tests)
        url = _url(pattern, ids)
        for method in (client.get, client.post):
            response = method(url, {**BODY, "plan": ids["plan_pk"]})
            assert response.status_code in (404, 405), (pattern.name, method, response.status_code)
    assert _snapshot(ids) == before


def test_the_rep_may_not_decide_on_their_own_records(company, ids, client):
    client.force_login(company.owner)
    before = _snapshot(ids)
    deciding = (
        ADMIN_ONLY
        | MANAGERS
        | {
            "ranking_review",
            "target_edit",
            "seller_edit",
            "statement_approve",
            "statement_rebuild",
            "deal_margin",
        }
    )
    for pattern in urlpatterns:
        if pattern.name not in deciding:
            continue
        response = client.post(_url(pattern, ids), {**BODY, "plan": ids["plan_pk"]})
        assert response.status_code in (404, 405), (pattern.name, response.status_code)
    assert _snapshot(ids) == before


def test_a_manager_may_not_use_the_administrators_routes(company, ids, client):
    client.force_login(company.manager)
    before = _snapshot(ids)
    for pattern in urlpatterns:
        if pattern.name in ADMIN_ONLY:
            for method in (client.get, client.post):
                response = method(_url(pattern, ids), BODY)
                assert response.status_code in (404, 405), pattern.name
    # nor submit a rep's bottom-up number for them
    assert client.post(_url(_route("bottom_up"), ids), BODY).status_code == 404
    assert _snapshot(ids) == before


def _route(name):
    return next(p for p in urlpatterns if p.name == name)


@pytest.mark.parametrize("role", READERS)
def test_readers_reach_the_rep_pages(company, ids, client, role):
    client.force_login(getattr(company, role))
    for name in ("target", "statement", "statement_pdf"):
        response = client.get(_url(_route(name), ids))
        assert response.status_code == 200, (name, response.status_code)


@pytest.mark.parametrize("role", ["manager", "director", "admin"])
def test_managers_reach_the_deciding_pages(company, ids, client, role):
    client.force_login(getattr(company, role))
    for name in ("target_edit", "seller_edit", "ranking_review"):
        response = client.get(_url(_route(name), ids))
        assert response.status_code == 200, (name, response.status_code)


def test_anonymous_is_sent_to_the_login(ids, client):
    for pattern in urlpatterns:
        url = reverse(f"incentives:{pattern.name}") if pattern.name in LISTS else _url(pattern, ids)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (302, 405), (pattern.name, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", OUTSIDERS)
def test_lists_hide_the_owners_records(company, ids, client, role):
    client.force_login(getattr(company, role))
    statements = client.get(reverse("incentives:statements")).context["page"]
    assert ids["pk"] not in {s.pk for s in statements}
    targets = client.get(reverse("incentives:targets"), {"year": YEAR}).context["rows"]
    assert company.owner.pk not in {row["rep"].pk for row in targets}
    sellers = client.get(reverse("incentives:sellers")).context["rows"]
    assert company.owner.pk not in {row["rep"].pk for row in sellers}
    history = client.get(reverse("incentives:ranking_history")).context["table"]
    assert company.owner.pk not in {line["rep"].pk for line in history}
    ranking = client.get(reverse("incentives:ranking"), {"month": f"{YEAR}-03"}).context
    assert company.owner.pk not in {row.rep_id for row in ranking["rows"]}
