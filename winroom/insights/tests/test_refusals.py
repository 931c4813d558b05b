"""Every insights route refuses who may not see it, and changes nothing.

The route list is read from the URLconf: a new route fails here until it says how it is
refused. The people (winroom/conftest.py): HQ (director) → East (manager: owner, teammate)
and West (other manager: outsider, member). Refused, per route:

- anonymous → the login page;
- a rep asking for a team, or for the team pages (capacity, watch list, adjustments,
  overrides) → 404;
- the manager of another team (West) asking for East's numbers or records → 404;
- the East manager asking for the director's whole tree ("a forecast above them") → 404.
"""

from datetime import date

import pytest
from django.urls import reverse

from winroom.insights.models import (
    CapacityCell,
    ForecastAdjustment,
    Payment,
    RevenueSourceOverride,
    WatchedAccount,
    WatchReview,
)
from winroom.insights.urls import urlpatterns

pytestmark = pytest.mark.django_db


def routes(shop):
    """name → (method, url, data) asking for East's things."""
    c = shop.company
    east = {"scope": f"team:{c.east.pk}"}
    won = shop.deals["D3"]  # the owner's (East)
    return {
        "dashboard": ("get", reverse("insights:dashboard"), east),
        "metrics": ("get", reverse("insights:metrics"), east),
        "path": ("get", reverse("insights:path"), east),
        "what_if": ("get", reverse("insights:what_if"), {**east, "move_leads": "10"}),
        "wheel": ("get", reverse("insights:wheel"), east),
        "override_source": (
            "post",
            reverse("insights:override_source", args=[won.pk]),
            {"source": "new", "reason": "试试"},
        ),
        "forecast": ("get", reverse("insights:forecast"), east),
        "adjust": (
            "post",
            reverse("insights:adjust") + f"?scope=team:{c.east.pk}",
            {
                "target": f"team:{c.east.pk}",
                "month": "2026-07",
                "kind": "delta",
                "amount": "100",
                "reason": "试试",
            },
        ),
        "backtest": ("get", reverse("insights:backtest"), east),
        "capacity": ("get", reverse("insights:capacity"), {}),
        "watch": ("get", reverse("insights:watch"), {}),
        "watch_add": (
            "post",
            reverse("insights:watch_add"),
            {"account": c.account.pk, "kind": "must_win"},
        ),
        "watch_remove": ("post", reverse("insights:watch_remove", args=[c.account.pk]), {}),
        "watch_review": (
            "post",
            reverse("insights:watch_review", args=[c.account.pk]),
            {"note": "试试"},
        ),
        "deal_money": (
            "post",
            reverse("insights:deal_money", args=[won.pk]),
            {"payment-amount": "1", "payment-received_on": "2026-06-01"},
        ),
    }


def snapshot():
    return (
        Payment.objects.count(),
        RevenueSourceOverride.objects.count(),
        ForecastAdjustment.objects.count(),
        WatchedAccount.objects.count(),
        WatchReview.objects.count(),
        CapacityCell.objects.count(),
    )


def test_every_route_is_listed(shop):
    assert {p.name for p in urlpatterns} == set(routes(shop))


@pytest.mark.parametrize("name", [p.name for p in urlpatterns])
def test_anonymous_is_sent_to_login(shop, client, name):
    method, url, data = routes(shop)[name]
    response = getattr(client, method)(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


#: routes a rep may use for their own numbers (asking for a team is refused)
SCOPED = {"dashboard", "metrics", "path", "what_if", "wheel", "forecast", "backtest"}


@pytest.mark.parametrize("name", [p.name for p in urlpatterns])
def test_a_rep_is_refused_team_numbers_and_team_pages(shop, login, name):
    c = shop.company
    client = login(c.teammate)  # an East rep, not the owner of D3 nor of the account
    before = snapshot()
    method, url, data = routes(shop)[name]
    assert getattr(client, method)(url, data).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("name", [p.name for p in urlpatterns])
def test_the_manager_of_another_team_is_refused(shop, login, name):
    client = login(shop.company.other_manager)
    before = snapshot()
    method, url, data = routes(shop)[name]
    if name in {"capacity", "watch"}:
        pytest.skip("company-wide pages every manager may open (their contents are scoped)")
    if name == "watch_add":
        data = {**data}  # East's account is not among the accounts they may choose
        response = getattr(client, method)(url, data)
        assert response.status_code == 302  # refused with a message, nothing added
    else:
        assert getattr(client, method)(url, data).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(SCOPED))
def test_no_one_sees_a_team_above_them(shop, login, name):
    c = shop.company
    method, url, data = routes(shop)[name]
    hq = {**data, "scope": f"team:{c.east.parent_id}"}
    assert getattr(login(c.manager), method)(url, hq).status_code == 404
    assert getattr(login(c.owner), method)(url, hq).status_code == 404
    company = {**data, "scope": "company"}
    assert getattr(login(c.director), method)(url, company).status_code == 404


@pytest.mark.parametrize("scope", ["team:abc", "rep:", "team:999999", "rep:999999", "nonsense"])
def test_malformed_scopes_are_404(shop, login, scope):
    assert (
        login(shop.company.admin).get(reverse("insights:metrics"), {"scope": scope}).status_code
        == 404
    )


def test_a_rep_may_not_see_another_reps_numbers(shop, login):
    c = shop.company
    url = reverse("insights:forecast")
    assert login(c.owner).get(url, {"scope": f"rep:{c.teammate.pk}"}).status_code == 404
    assert login(c.owner).get(url, {"scope": f"rep:{c.owner.pk}"}).status_code == 200


def test_the_watch_list_of_another_manager_hides_accounts_they_cannot_read(shop, login):
    c = shop.company
    WatchedAccount.objects.create(account=c.account, kind="must_win", added_by=c.director)
    WatchReview.objects.create(
        account=c.account, month=date(2026, 6, 1), note="机密", by=c.director
    )
    response = login(c.other_manager).get(reverse("insights:watch"))
    assert response.status_code == 200
    assert response.context["entries"] == []
    assert "机密" not in response.content.decode()
