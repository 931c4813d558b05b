"""The Today page: who lands on it, whose items it shows, its cost, and its refusals."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from winroom.deals.models import Action, ActionStatus, DealStatus
from winroom.leads.models import Lead
from winroom.testing.factories import AccountFactory
from winroom.today.urls import urlpatterns
from winroom.visits.models import VisitStatus

pytestmark = pytest.mark.django_db


def test_reps_and_managers_start_on_today_admins_on_accounts(company, client):
    for user, target in (
        (company.owner, "/today/"),
        (company.manager, "/today/"),
        (company.admin, "/accounts/"),
    ):
        client.force_login(user)
        assert client.get("/").url == target


def _seed(company, make_deal, make_visit, owner, n):
    """``n`` rows in every section for ``owner``."""
    now = timezone.now()
    old = now - timedelta(days=400)
    for i in range(n):
        account = AccountFactory(owner=owner)
        deal = make_deal(
            owner=owner,
            account=account,
            name=f"项目{i}",
            created_at=old,
            stage_changed_at=old,
            health_score=20,
            stage=3,
        )
        make_deal(owner=owner, account=account, name=f"已赢{i}", status=DealStatus.WON)
        Action.objects.create(deal=deal, title=f"行动{i}", owner=owner, due_on=old.date())
        make_visit(owner=owner, account=account, planned_at=now + timedelta(hours=1))
        make_visit(owner=owner, account=account, planned_at=now - timedelta(days=1))
        make_visit(
            owner=owner,
            account=account,
            planned_at=now - timedelta(days=1),
            status=VisitStatus.DONE,
            visited_on=(now - timedelta(days=1)).date(),
        )
        Lead.objects.create(company_name=f"线索{i}", owner=owner, assigned_at=now)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_query_count_does_not_grow_with_rows(company, make_deal, make_visit, client, who):
    client.force_login(getattr(company, who))
    _seed(company, make_deal, make_visit, company.owner, 1)
    few, response = _queries(client, "/today/")
    assert response.context["sections"]["stale"].count == 1
    _seed(company, make_deal, make_visit, company.teammate, 1)
    _seed(company, make_deal, make_visit, company.owner, 6)
    many, response = _queries(client, "/today/")
    assert response.context["sections"]["stale"].count == (7 if who == "owner" else 8)
    assert many == few
    # a count and a page of rows per section, the people, the settings, the session
    assert few <= {"owner": 22, "manager": 36}[who], few


def test_manager_sees_the_team_only(company, make_deal, client):
    east = make_deal(owner=company.owner, name="华东项目", health_score=10)
    west_account = AccountFactory(owner=company.outsider)
    west = make_deal(owner=company.outsider, account=west_account, name="华西项目", health_score=10)
    client.force_login(company.manager)
    response = client.get("/today/")
    listed = {item.key for item in response.context["sections"]["health"].items}
    assert listed == {f"deal-{east.pk}"}
    people = {row["person"] for row in response.context["team_rows"]}
    assert company.owner in people and company.outsider not in people
    # one rep of the team
    response = client.get("/today/", {"rep": company.owner.pk})
    assert response.status_code == 200
    assert response.context["sections"]["health"].count == 1
    # someone else's rep: refused
    assert client.get("/today/", {"rep": company.outsider.pk}).status_code == 404
    assert client.get("/today/", {"rep": "x"}).status_code == 404
    # the director sees both regions
    client.force_login(company.director)
    listed = {i.key for i in client.get("/today/").context["sections"]["health"].items}
    assert listed == {f"deal-{east.pk}", f"deal-{west.pk}"}


def test_a_rep_sees_only_their_own(company, make_deal, client):
    make_deal(owner=company.owner, health_score=10)
    client.force_login(company.teammate)
    response = client.get("/today/")
    assert response.context["sections"]["health"].count == 0
    assert response.context["team_rows"] == []
    assert client.get("/today/", {"rep": company.owner.pk}).status_code == 404


def test_completing_an_action_from_today(company, make_deal, client):
    deal = make_deal()
    action = Action.objects.create(
        deal=deal,
        title="回访",
        owner=company.owner,
        due_on=timezone.localdate() - timedelta(days=2),
    )
    client.force_login(company.owner)
    url = reverse("today:action_done", args=[action.pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content == b""
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    # done already: nothing to do
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("role", ["outsider", "other_manager", "teammate"])
def test_every_route_refuses_outsiders(company, make_deal, client, role):
    """Routes read from the URLconf: a new route without a case here fails."""
    deal = make_deal()
    action = Action.objects.create(
        deal=deal, title="回访", owner=company.owner, due_on=timezone.localdate()
    )
    args = {"pk": action.pk}
    client.force_login(getattr(company, role))
    for pattern in urlpatterns:
        url = reverse(
            f"today:{pattern.name}", kwargs={k: args[k] for k in pattern.pattern.converters}
        )
        if pattern.name == "home":
            response = client.get(url)
            assert response.status_code == 200
            assert response.context["sections"]["actions"].count == 0
            continue
        for method in (client.get, client.post):
            assert method(url).status_code in (404, 405), pattern.name
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_anonymous_is_sent_to_log_in(client, db):
    for pattern in urlpatterns:
        kwargs = dict.fromkeys(pattern.pattern.converters, 1)
        response = client.get(reverse(f"today:{pattern.name}", kwargs=kwargs))
        assert response.status_code in (302, 405)


def test_query_count_does_not_grow_with_the_team(company, make_deal, make_visit, client):
    """A manager's rep picker and per-rep table read the people (and their teams) at once."""
    from winroom.testing.factories import UserFactory

    client.force_login(company.manager)
    _seed(company, make_deal, make_visit, company.owner, 1)
    few, _response = _queries(client, "/today/")
    for n in range(5):
        rep = UserFactory(username=f"east-rep-{n}", team=company.owner.team)
        _seed(company, make_deal, make_visit, rep, 1)
    many, response = _queries(client, "/today/")
    assert len(response.context["team_rows"]) >= 6
    assert many == few
