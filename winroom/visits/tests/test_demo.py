"""The demo company has a month of visits for its reps."""

from datetime import timedelta

import pytest
from django.utils import timezone

from winroom.demo.generator import generate
from winroom.visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db


def test_demo_has_visits_for_the_skills_page_and_today():
    counts = generate(accounts=12, activities=100, seed=7)
    assert counts["visits"] == Visit.objects.count() > 0
    today = timezone.localdate()
    done = Visit.objects.filter(status=VisitStatus.DONE)
    assert done.filter(effective=True).exists() and done.filter(effective=False).exists()
    assert done.filter(manager_scored_at__isnull=False, mgr_prepare__isnull=False).exists()
    assert done.filter(rep_commit__isnull=False).count() == done.count()
    assert Visit.objects.filter(status=VisitStatus.PLANNED, planned_at__date__gte=today).exists()
    assert not done.filter(visited_on__gt=today).exists()
    assert not done.filter(visited_on__lt=today - timedelta(days=31)).exists()
    # the stored verdict is the rule's
    for visit in done[:50]:
        assert visit.effective == visit.explain_effective().effective
    # people to meet are at the visit's account
    for visit in Visit.objects.prefetch_related("people")[:20]:
        assert all(c.account_id == visit.account_id for c in visit.people.all())
