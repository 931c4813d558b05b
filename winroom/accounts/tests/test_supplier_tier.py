"""Supplier tier (§1.5): recorded with evidence, kept as history, refused to outsiders."""

import pytest
from django.urls import reverse

from winroom.accounts.models import SupplierTierAssessment

pytestmark = pytest.mark.django_db


def test_tier_is_recorded_with_evidence_and_history(company, client):
    client.force_login(company.owner)
    url = reverse("accounts:supplier_tier", args=[company.account.pk])
    client.post(url, {"tier": "2", "evidence": "连续三年按期交付"})
    client.post(url, {"tier": "4", "evidence": "承担了智慧车站整体方案"})
    history = list(SupplierTierAssessment.objects.filter(account=company.account))
    assert [h.tier for h in history] == [4, 2]
    assert history[0].assessed_by == company.owner
    page = client.get(reverse("accounts:detail", args=[company.account.pk]))
    assert page.context["tier_history"][0].tier == 4


def test_evidence_is_required_and_tier_bounded(company, client):
    client.force_login(company.owner)
    url = reverse("accounts:supplier_tier", args=[company.account.pk])
    client.post(url, {"tier": "3", "evidence": "  "})
    client.post(url, {"tier": "9", "evidence": "x"})
    assert not SupplierTierAssessment.objects.exists()


@pytest.mark.parametrize("role", ["teammate", "outsider", "other_manager"])
def test_outsiders_are_refused(company, client, role):
    client.force_login(getattr(company, role))
    response = client.post(
        reverse("accounts:supplier_tier", args=[company.account.pk]),
        {"tier": "5", "evidence": "x"},
    )
    assert response.status_code == 404
    assert not SupplierTierAssessment.objects.exists()
