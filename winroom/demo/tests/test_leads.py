"""The demo company's leads: every state, channel and route, with history, deterministic."""

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from winroom.demo.generator import generate
from winroom.leads.models import Lead, LeadChannel, LeadRoute, LeadStatus
from winroom.leads.reactivation import due_accounts
from winroom.org.models import User


@pytest.fixture
def demo(db):
    return generate(accounts=12, activities=200, seed=5)


def test_the_demo_has_leads_in_every_state(demo):
    leads = Lead.objects.all()
    assert demo["leads"] == leads.count()
    assert 150 <= leads.count() <= 250
    statuses = Counter(leads.values_list("status", flat=True))
    assert set(statuses) == set(LeadStatus.values), statuses
    assert leads.filter(owner=None, status=LeadStatus.NEW).exists()  # new in the pool
    assert leads.filter(owner__isnull=False, status=LeadStatus.WORKING).exists()
    assert set(leads.values_list("route", flat=True)) == set(LeadRoute.values)
    assert set(leads.values_list("channel", flat=True)) == set(
        LeadChannel.objects.values_list("pk", flat=True)
    )
    oldest = leads.order_by("created_at").first().created_at
    assert oldest >= timezone.now() - timedelta(days=200)


def test_qualified_leads_lead_to_their_opportunity(demo):
    qualified = Lead.objects.filter(status=LeadStatus.QUALIFIED).select_related("qualified_deal")
    assert qualified.exists()
    for lead in qualified:
        deal = lead.qualified_deal
        assert deal is not None and lead.account_id == deal.account_id
        assert lead.owner_id == deal.owner_id and lead.created_at < deal.created_at
        assert lead.created_at < lead.first_touched_at <= lead.last_touched_at


def test_rejected_leads_have_reasons_and_recycled_ones_history(demo):
    rejected = Lead.objects.filter(status=LeadStatus.REJECTED)
    assert rejected.exists() and not rejected.filter(rejection_reason="").exists()
    recycled = Lead.objects.filter(status=LeadStatus.RECYCLED)
    assert recycled.exists()
    for lead in recycled[:5]:
        states = [h.status for h in lead.history.order_by("history_date")]
        assert states == [LeadStatus.NEW, LeadStatus.RECYCLED]
    reclaimed = Lead.history.filter(status=LeadStatus.RECYCLED).values("id")
    assert Lead.objects.filter(pk__in=reclaimed, owner__isnull=False).exists()


def test_the_daily_sweep_leaves_the_demo_alone(demo):
    out = StringIO()
    call_command("recycle_leads", stdout=out)
    assert out.getvalue().startswith("0 ")


def test_the_demo_leads_are_the_same_for_the_same_seed(demo):
    first = list(Lead.objects.order_by("pk").values_list("company_name", "status", "route"))
    Lead.all_objects.all().delete()
    Lead.history.all().delete()
    from winroom.demo.leads import generate_leads

    generate_leads(seed=5, now=None)
    again = list(Lead.objects.order_by("pk").values_list("company_name", "status", "route"))
    assert [row[0] for row in again] == [row[0] for row in first]


def test_the_funnel_and_reactivation_pages_have_demo_data(demo, client):
    client.force_login(User.objects.get(username="director"))
    response = client.get("/leads/funnel/")
    assert response.status_code == 200
    total = response.context["report"].total
    assert total.leads_in > 50 and total.qualified > 0 and total.recycled > 0
    due = due_accounts(
        User.objects.get(username="admin"), today=timezone.localdate(), interval_days=180
    )
    assert client.get("/leads/reactivation/").status_code == 200
    assert due.count() >= 0
