"""Every leads page and step refuses who may not see the lead (or account) with 404 and
changes nothing; lists simply leave it out.

The route list is read from the URLconf, so a new route cannot be added without entering
this test (it fails on a route it does not know how to call).
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from winroom.accounts.models import Account
from winroom.deals.models import Deal
from winroom.leads.models import Lead
from winroom.leads.urls import urlpatterns

from .test_reactivation import won

pytestmark = pytest.mark.django_db

#: pages without an id: they answer 200 and must not show the held lead
LISTS = {"list", "create", "funnel", "reactivation"}
#: routes whose id is the account's, not the lead's
ACCOUNT_ROUTES = {"cross_sell"}


@pytest.fixture
def held(make_lead, company):
    lead = make_lead(company_name="杭州保密客户有限公司", expected_size=Decimal(50_000))
    won(company.account, by=company.owner, days_ago=400)
    return lead


def _snapshot(lead):
    row = Lead.all_objects.get(pk=lead.pk)
    return (
        row.version,
        row.status,
        row.owner_id,
        row.notes,
        row.qualified_deal_id,
        Deal.all_objects.count(),
        Account.all_objects.count(),
        Lead.history.count(),
    )


def _shown(name, response):
    context = response.context
    if name == "list":
        return {lead.pk for lead in context["page"]}
    if name == "funnel":
        return context["report"].total.leads_in
    if name == "reactivation":
        return {row["account"].pk for row in context["rows"]}
    return None


@pytest.mark.parametrize("role", ["teammate", "outsider", "other_manager"])
def test_every_route_refuses_who_may_not_see(company, held, client, role):
    client.force_login(getattr(company, role))
    before = _snapshot(held)
    names = [p.name for p in urlpatterns]
    assert len(names) == len(set(names))
    for pattern in urlpatterns:
        name = pattern.name
        if name in LISTS:
            response = client.get(reverse(f"leads:{name}"))
            assert response.status_code == 200, name
            shown = _shown(name, response)
            if name == "list":
                assert held.pk not in shown
            elif name == "funnel":
                assert shown == 0
            elif name == "reactivation":
                assert company.account.pk not in shown
            continue
        wanted = set(pattern.pattern.converters)
        assert wanted == {"pk"}, f"unlisted route {name}: teach this test its arguments"
        pk = company.account.pk if name in ACCOUNT_ROUTES else held.pk
        url = reverse(f"leads:{name}", kwargs={"pk": pk})
        for method in (client.get, client.post):
            response = method(
                url,
                {
                    "note": "x",
                    "rejection_reason": "x",
                    "create_account": "on",
                    "company_name": "改",
                },
            )
            assert response.status_code in (404, 405), (name, method, response.status_code)
    assert _snapshot(held) == before


def test_the_owner_reaches_every_route(company, held, client):
    client.force_login(company.owner)
    for pattern in urlpatterns:
        if pattern.name in LISTS:
            assert client.get(reverse(f"leads:{pattern.name}")).status_code == 200
            continue
        pk = company.account.pk if pattern.name in ACCOUNT_ROUTES else held.pk
        response = client.get(reverse(f"leads:{pattern.name}", kwargs={"pk": pk}))
        assert response.status_code in (200, 405), (pattern.name, response.status_code)


def test_a_deactivated_user_is_sent_to_sign_in(company, held, client):
    client.force_login(company.deactivated)
    for pattern in urlpatterns:
        kwargs = {} if pattern.name in LISTS else {"pk": held.pk}
        response = client.get(reverse(f"leads:{pattern.name}", kwargs=kwargs))
        assert response.status_code in (302, 404, 405), pattern.name
