"""The demo's activities carry catalogue relationship actions, so scores and levels move."""

from decimal import Decimal

from winroom.accounts.models import Contact
from winroom.accounts.relationships import scores_for
from winroom.activities.models import Activity
from winroom.demo.generator import generate
from winroom.demo.relationship_actions import add_relationship_actions
from winroom.org.models import CompanySettings


def test_demo_activities_carry_catalogue_actions(db):
    counts = generate(accounts=8, activities=400, seed=5)
    through = Activity.relationship_actions.through
    assert counts["relationship_actions"] == through.objects.count() > 0
    carrying = Activity.all_objects.filter(relationship_actions__isnull=False).distinct()
    assert 0.3 < carrying.count() / Activity.all_objects.count() < 0.95
    # e-mails never carry an action; some technical exchanges carry two
    assert not carrying.filter(kind="email").exists()
    contacts = list(Contact.objects.all())
    scores = scores_for(contacts, company=CompanySettings.current())
    assert any(score.score > Decimal(0) for score in scores.values())
    # running it again adds nothing
    before = through.objects.count()
    assert add_relationship_actions(seed=5) == 0
    assert through.objects.count() == before
