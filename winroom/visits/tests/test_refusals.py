"""Every visit page refuses those who may not see (or not do) it with 404 and changes nothing.

The route list is read from the URLconf, so a new route cannot be added without entering
this test (it fails on a route it does not know how to call).
"""

import pytest
from django.urls import reverse

from winroom.deals.models import Action
from winroom.visits import feed
from winroom.visits.models import CalendarFeed, Visit
from winroom.visits.urls import urlpatterns

pytestmark = pytest.mark.django_db

#: pages without a record in the URL: they answer 200 with only the caller's own data
LISTS = {"list", "create", "skills", "calendar"}
#: routes reached with query parameters naming a deal or an account
QUERY = {"suggestions"}
#: steps taken by a button (no page of their own)
POST_ONLY = {"cancel", "restore"}


def _snapshot(visit_pk):
    visit = Visit.all_objects.get(pk=visit_pk)
    return (
        visit.version,
        visit.status,
        visit.objective,
        visit.rep_prepare,
        visit.mgr_prepare,
        visit.deleted_at,
        Visit.all_objects.count(),
        Action.all_objects.count(),
        list(visit.people.values_list("pk", flat=True)),
    )


POST = {
    "account": "",
    "objective": "改",
    "visited_on": "2020-01-01",
    "commitment": "won",
    "rep_prepare": 5,
    "mgr_prepare": 5,
    "version": 1,
}


@pytest.mark.parametrize("role", ["teammate", "outsider", "other_manager"])
def test_every_route_refuses_an_outsider(company, done_visit, deal, client, role):
    client.force_login(getattr(company, role))
    token = feed.issue_token(company.owner)
    kwargs = {"pk": done_visit.pk, "token": "not-the-token"}
    before = _snapshot(done_visit.pk)
    names = [p.name for p in urlpatterns]
    assert len(names) == len(set(names))
    for pattern in urlpatterns:
        name = pattern.name
        if name in LISTS:
            response = client.get(reverse(f"visits:{name}"))
            assert response.status_code == 200, name
            if name == "list":
                assert done_visit.pk not in {v.pk for v in response.context["page"]}
            continue
        if name in QUERY:
            response = client.get(reverse(f"visits:{name}"), {"deal": deal.pk})
            assert response.status_code == 404, name
            continue
        wanted = set(pattern.pattern.converters)
        unknown = wanted - set(kwargs)
        assert not unknown, f"unlisted route {name}: teach this test its arguments"
        url = reverse(f"visits:{name}", kwargs={k: kwargs[k] for k in wanted})
        for method in (client.get, client.post):
            response = method(url, {**POST, "account": company.account.pk})
            assert response.status_code in (404, 405), (name, method, response.status_code)
    assert _snapshot(done_visit.pk) == before
    # the owner's feed still works, and nobody else's calendar page touched it
    assert client.get(reverse("visits:ics", args=[token])).status_code == 200
    assert CalendarFeed.objects.count() == 1


@pytest.mark.parametrize("role", ["teammate", "outsider", "other_manager"])
def test_create_with_a_hidden_account_or_deal_is_404(company, deal, client, role):
    client.force_login(getattr(company, role))
    assert client.get(reverse("visits:create"), {"account": company.account.pk}).status_code == 404
    assert client.get(reverse("visits:create"), {"deal": deal.pk}).status_code == 404


def test_skills_of_someone_outside_the_scope_is_404(company, client):
    client.force_login(company.owner)
    assert client.get(reverse("visits:skills"), {"rep": company.teammate.pk}).status_code == 404
    assert client.get(reverse("visits:skills"), {"team": company.east.pk}).status_code == 404
    client.force_login(company.manager)
    assert client.get(reverse("visits:skills"), {"rep": company.outsider.pk}).status_code == 404
    assert client.get(reverse("visits:skills"), {"team": company.west.pk}).status_code == 404


def test_owner_reaches_every_route(company, done_visit, deal, client):
    client.force_login(company.owner)
    token = feed.issue_token(company.owner)
    kwargs = {"pk": done_visit.pk, "token": token}
    for pattern in urlpatterns:
        if pattern.name in LISTS:
            continue
        if pattern.name in QUERY:
            assert (
                client.get(reverse(f"visits:{pattern.name}"), {"deal": deal.pk}).status_code == 200
            )
            continue
        wanted = set(pattern.pattern.converters)
        url = reverse(f"visits:{pattern.name}", kwargs={k: kwargs[k] for k in wanted})
        response = client.get(url)
        expected = 404 if pattern.name == "evaluate" else 200  # never their own evaluation
        if pattern.name in POST_ONLY:
            expected = 405
        assert response.status_code == expected, (pattern.name, response.status_code)
