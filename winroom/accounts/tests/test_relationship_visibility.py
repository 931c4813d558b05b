"""Issue-4 acceptance: relationship scores and assessments are visible only to the account
team, their managers and administrators — pages, API and export, as a matrix.

The rule in force (winroom.methodology.visibility): an account, and with it its people's
scores, levels and seven-element ratings, is read by its owner, the members of its account
team, the owner's managers (transitively) and administrators. A teammate of the owner who is
on neither list does not read it, nor does the manager of a team member's own team.
"""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from winroom.accounts.models import (
    Contact,
    RelationshipActionType,
    RelationshipLevelChange,
    SupplierTierAssessment,
)
from winroom.activities.actions import log_activity

pytestmark = pytest.mark.django_db

#: who reads the fixture account (owned by ``owner``, ``member`` on its team)
SEES = {
    "owner": True,
    "member": True,
    "teammate": False,
    "outsider": False,
    "manager": True,
    "other_manager": False,
    "director": True,
    "admin": True,
    "deactivated": False,
    "anonymous": False,
}

SCORE = "7.5"  # hq visit, 5 points × 1.5 (executive)
EVIDENCE = "提供了个性化运维服务"


@pytest.fixture
def rated(company):
    contact = company.contact
    Contact.objects.filter(pk=contact.pk).update(
        level="executive", marked_key=True, element_value=4, element_depth=3
    )
    log_activity(
        by=company.owner,
        data={
            "account": company.account,
            "kind": "visit",
            "subject": "总部考察",
            "notes": "",
            "occurred_at": timezone.now() - timedelta(days=3),
            "participants": [contact],
            "relationship_actions": [RelationshipActionType.objects.get(code="hq_visit")],
        },
    )
    RelationshipLevelChange.objects.create(contact=contact, old="opponent", new="neutral")
    SupplierTierAssessment.objects.create(account=company.account, tier=3, evidence=EVIDENCE)
    return company


def _user(company, role):
    return None if role == "anonymous" else getattr(company, role)


def _page_client(client, company, role):
    user = _user(company, role)
    if user is not None:
        client.force_login(user)
    return client


def _api_client(company, role):
    client = APIClient()
    user = _user(company, role)
    if user is not None:
        # a deactivated user's token is refused like no credentials at all
        from rest_framework.authtoken.models import Token

        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _refused(response):
    """404 for a signed-in user; the login page (or 401/403 on the API) for the others."""
    return response.status_code in (302, 401, 403, 404)


@pytest.mark.parametrize("role", list(SEES))
def test_pages_show_relationship_figures_only_to_who_reads_the_account(rated, client, role):
    sees = SEES[role]
    account, contact = rated.account, rated.contact
    client = _page_client(client, rated, role)

    detail = client.get(reverse("accounts:detail", args=[account.pk]))
    person = client.get(reverse("contacts:detail", args=[contact.pk]))
    compare = client.get(reverse("accounts:elements", args=[account.pk]))
    one_sheet = client.get(reverse("accounts:scores"), {"account": account.pk})
    if sees:
        assert detail.status_code == 200
        assert detail.context["account_score"] == Decimal(SCORE)
        assert 'data-testid="account-score">' + SCORE in detail.content.decode()
        assert EVIDENCE in detail.content.decode()
        assert person.status_code == 200 and SCORE in person.content.decode()
        assert person.context["elements"].values["value"] == 4
        assert compare.status_code == 200
        assert [p.pk for p in compare.context["people"]] == [contact.pk]
        assert compare.context["people"][0].cells[0]["value"] == 4
        assert one_sheet.status_code == 200
        assert [c.pk for c in one_sheet.context["page"]] == [contact.pk]
    else:
        for response in (detail, person, compare, one_sheet):
            assert _refused(response), response.status_code
            assert SCORE not in response.content.decode()

    sheet = client.get(reverse("accounts:scores"))
    portfolio = client.get(reverse("accounts:portfolio"))
    export = client.get(reverse("accounts:portfolio_export"))
    if role in ("anonymous", "deactivated"):
        for response in (sheet, portfolio, export):
            assert response.status_code == 302
        return
    listed_contacts = {c.pk for c in sheet.context["page"]}
    listed_accounts = {a.pk: a for a in portfolio.context["page"]}
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))[1:]
    assert (contact.pk in listed_contacts) is sees
    assert (account.pk in listed_accounts) is sees
    assert any(r[0] == account.name for r in rows) is sees
    if sees:
        assert str(listed_accounts[account.pk].score) == SCORE
        assert next(r for r in rows if r[0] == account.name)[6] == SCORE
    else:
        assert account.name not in portfolio.content.decode()
        assert account.name not in export.content.decode("utf-8-sig")


@pytest.mark.parametrize("role", list(SEES))
def test_api_shows_relationship_figures_only_to_who_reads_the_account(rated, role):
    sees = SEES[role]
    account, contact = rated.account, rated.contact
    client = _api_client(rated, role)
    urls = [
        f"/api/v1/account-relationships/{account.pk}/",
        f"/api/v1/account-relationships/{account.pk}/elements/",
        f"/api/v1/account-relationships/{account.pk}/supplier-tiers/",
        f"/api/v1/contact-relationships/{contact.pk}/",
        f"/api/v1/contact-relationships/{contact.pk}/elements/",
        f"/api/v1/contact-relationships/{contact.pk}/level-changes/",
    ]
    for url in urls:
        response = client.get(url)
        if sees:
            assert response.status_code == 200, url
        else:
            assert response.status_code in (401, 403, 404), (url, response.status_code)
            assert SCORE not in response.content.decode()
            assert EVIDENCE not in response.content.decode()
    if sees:
        assert client.get(urls[0]).json()["score"] == SCORE
        assert client.get(urls[4]).json()["values"]["value"] == 4
        assert client.get(urls[5]).json()[0]["new"] == "neutral"
    listing = client.get("/api/v1/account-relationships/")
    if role in ("anonymous", "deactivated"):
        assert listing.status_code in (401, 403)
    else:
        assert (account.pk in {r["id"] for r in listing.json()["results"]}) is sees


@pytest.mark.parametrize("role", [r for r, sees in SEES.items() if not sees])
def test_ratings_and_tiers_cannot_be_written_without_access(rated, client, role):
    account, contact = rated.account, rated.contact
    before = (
        Contact.objects.get(pk=contact.pk).version,
        Contact.objects.get(pk=contact.pk).element_value,
        SupplierTierAssessment.objects.count(),
    )
    client = _page_client(client, rated, role)
    page = client.post(
        reverse("contacts:elements", args=[contact.pk]),
        {"element_value": 1, "version": before[0]},
    )
    assert _refused(page)
    tier = client.post(
        reverse("accounts:supplier_tier", args=[account.pk]), {"tier": 5, "evidence": "x"}
    )
    assert _refused(tier)
    api = _api_client(rated, role)
    patch = api.patch(
        f"/api/v1/contact-relationships/{contact.pk}/elements/", {"value": 1}, format="json"
    )
    assert patch.status_code in (401, 403, 404)
    post = api.post(
        f"/api/v1/account-relationships/{account.pk}/supplier-tiers/",
        {"tier": 5, "evidence": "x"},
        format="json",
    )
    assert post.status_code in (401, 403, 404)
    after = (
        Contact.objects.get(pk=contact.pk).version,
        Contact.objects.get(pk=contact.pk).element_value,
        SupplierTierAssessment.objects.count(),
    )
    assert after == before


@pytest.mark.parametrize("role", ["owner", "member", "manager", "director", "admin"])
def test_who_reads_the_account_may_write_its_ratings(rated, role):
    contact = rated.contact
    api = _api_client(rated, role)
    response = api.patch(
        f"/api/v1/contact-relationships/{contact.pk}/elements/", {"favour": 5}, format="json"
    )
    assert response.status_code == 200
    assert Contact.objects.get(pk=contact.pk).element_favour == 5
