"""Every plan and canvas page and step refuses an outsider with 404 and changes nothing.

The route list is read from the URLconf, so a new route cannot be added without entering
this test (it fails on a route it does not know how to call). The customer's page is the
one route without a login; its own tests are in test_customer_link.py.
"""

import pytest
from django.urls import reverse

from winroom.plans import actions
from winroom.plans.models import AccountPlan, CustomerLink, FitCanvas
from winroom.plans.urls import urlpatterns

from .conftest import OUTSIDERS, READERS

pytestmark = pytest.mark.django_db

LISTS = {"list"}
PUBLIC = {"customer"}


@pytest.fixture
def ids(company, plan, canvas, lines):
    link, token = actions.create_link(canvas, by=company.owner)
    return {
        "pk": plan.pk,
        "account_pk": company.account.pk,
        "section": "context",
        "initiative_pk": plan.initiatives.first().pk,
        "unit_pk": plan.units.first().pk,
        "line_pk": lines[0].pk,
        "goal_pk": plan.goals.first().pk,
        "action_pk": plan.actions.first().pk,
        "canvas_pk": canvas.pk,
        "link_pk": link.pk,
        "token": token,
    }


def _snapshot(ids):
    plan = AccountPlan.all_objects.get(pk=ids["pk"])
    canvas = FitCanvas.all_objects.get(pk=ids["canvas_pk"])
    return (
        plan.version,
        plan.deleted_at,
        plan.initiatives.count(),
        plan.units.count(),
        plan.cells.count(),
        plan.goals.count(),
        list(plan.actions.values_list("pk", "status", "version")),
        AccountPlan.all_objects.count(),
        canvas.version,
        canvas.our_scores,
        FitCanvas.all_objects.count(),
        list(CustomerLink.objects.values_list("pk", "revoked_at")),
    )


def _url(pattern, ids):
    wanted = set(pattern.pattern.converters)
    unknown = wanted - set(ids)
    assert not unknown, f"unlisted route {pattern.name}: teach this test its arguments"
    return reverse(f"plans:{pattern.name}", kwargs={k: ids[k] for k in wanted})


@pytest.mark.parametrize("role", OUTSIDERS)
def test_every_route_refuses_an_outsider(company, ids, client, role):
    client.force_login(getattr(company, role))
    before = _snapshot(ids)
    names = [p.name for p in urlpatterns]
    assert len(names) == len(set(names))
    for pattern in urlpatterns:
        if pattern.name in PUBLIC:
            continue
        if pattern.name in LISTS:
            response = client.get(reverse(f"plans:{pattern.name}"))
            assert response.status_code == 200
            assert ids["pk"] not in {p.pk for p in response.context["page"]}
            continue
        url = _url(pattern, ids)
        body = {
            "year": 2027,
            "status": "active",
            "strategy": "改了",
            "initiative": "新举措",
            "name": "新单元",
            "state": "open",
            "contact": company.contact.pk,
            "target_level": "supporter",
            "title": "新行动",
            "owner": company.owner.pk,
            "due_on": "2026-12-01",
            "horizon": "long",
            "score_strategy": "1",
            "days": "7",
        }
        for method in (client.get, client.post):
            response = method(url, body)
            assert response.status_code in (404, 405), (pattern.name, method, response.status_code)
            response = method(url, body, HTTP_HX_REQUEST="true")
            assert response.status_code in (404, 405), (pattern.name, method, response.status_code)
    assert _snapshot(ids) == before


@pytest.mark.parametrize("role", READERS)
def test_readers_reach_every_route(company, ids, client, role):
    client.force_login(getattr(company, role))
    for pattern in urlpatterns:
        if pattern.name in PUBLIC | LISTS:
            continue
        response = client.get(_url(pattern, ids))
        assert response.status_code in (200, 405), (pattern.name, response.status_code)


def test_anonymous_is_sent_to_the_login(ids, client):
    for pattern in urlpatterns:
        if pattern.name in PUBLIC:
            continue
        url = reverse("plans:list") if pattern.name in LISTS else _url(pattern, ids)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (302, 405), (pattern.name, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("login"))


def test_a_deleted_account_hides_its_plan(company, plan, client):
    from winroom.records import soft_delete

    soft_delete(company.account, by=company.owner)
    client.force_login(company.owner)
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    assert plan.pk not in {p.pk for p in client.get(reverse("plans:list")).context["page"]}
