"""The demo company has political maps and indicators consistent with the levels."""

import pytest
from django.db.models import Count, Q

from winroom.accounts.models import (
    Account,
    Contact,
    ContactIndicator,
    InfluenceCircle,
    InfluenceLine,
)
from winroom.accounts.relationships import annotate
from winroom.demo.generator import generate
from winroom.demo.political import add_political_maps
from winroom.org.models import CompanySettings


@pytest.fixture
def small(db):
    return generate(accounts=12, activities=300, seed=7)


def test_demo_has_political_maps(small):
    crowded = Account.objects.annotate(
        n=Count("contacts", filter=Q(contacts__deleted_at__isnull=True))
    ).filter(n__gte=4)
    mapped = crowded.filter(influence_circles__isnull=False).distinct()
    assert mapped.count() >= crowded.count() // 2
    assert small["influence_circles"] == InfluenceCircle.objects.count() > 0
    assert small["influence_lines"] == InfluenceLine.objects.count() > 0
    for circle in InfluenceCircle.objects.prefetch_related("members"):
        assert circle.members.count() >= 2
        assert {m.account_id for m in circle.members.all()} == {circle.account_id}
    for line in InfluenceLine.objects.select_related("source", "target"):
        assert line.source_id != line.target_id and 1 <= line.strength <= 3
        assert line.source.account_id == line.target.account_id == line.account_id
    per_account = InfluenceLine.objects.values("account").annotate(n=Count("pk"))
    assert all(row["n"] <= 6 for row in per_account)


def test_demo_indicators_agree_with_the_levels(small):
    assert small["indicators_met"] == ContactIndicator.objects.count() > 0
    met = Contact.objects.filter(indicator_marks__isnull=False).distinct()
    contacts = annotate(met, company=CompanySettings.current())
    for contact in contacts:
        assert contact.relationship_level == contact.level_explained.level.value


def test_same_seed_same_map(db):
    generate(accounts=6, activities=60, seed=3)

    def snapshot():
        return (
            sorted(InfluenceLine.objects.values_list("source__name", "target__name", "strength")),
            sorted(InfluenceCircle.objects.values_list("account__name", "name", "colour")),
            sorted(ContactIndicator.objects.values_list("contact__name", "indicator__code")),
        )

    first = snapshot()
    InfluenceLine.objects.all().delete()
    InfluenceCircle.objects.all().delete()
    ContactIndicator.objects.all().delete()
    add_political_maps(3)
    assert all(first) and snapshot() == first
