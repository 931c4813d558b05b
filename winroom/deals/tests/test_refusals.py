"""Every deal page and step refuses an outsider with 404 and changes nothing.

The route list is read from the URLconf, so a new route cannot be added without entering
this test (it fails on a route it does not know how to call).
"""

from datetime import date

import pytest
from django.urls import reverse

from winroom.deals import actions
from winroom.deals.models import Competitor, Deal, ProductLine
from winroom.deals.urls import urlpatterns
from winroom.testing.factories import ContactFactory

pytestmark = pytest.mark.django_db

LISTS = {"list", "board", "create"}


@pytest.fixture
def full_deal(company, deal):
    owner = company.owner
    event = actions.record_compelling_event(deal, by=owner, description="预算已批")
    entry = actions.add_competitor(deal, by=owner, competitor=Competitor.objects.create(name="甲"))
    questionnaire = actions.answer_questionnaire(
        deal,
        by=owner,
        has_inside_coach=False,
        our_fit=3,
        our_closeness=3,
        competitors={entry: (3, 3)},
    )
    person = actions.map_person(deal, by=owner, contact=ContactFactory(account=deal.account))
    action = actions.add_action(deal, by=owner, title="拜访", owner=owner, due_on=date(2026, 12, 1))
    line = ProductLine.objects.create(name="MES")
    registration = actions.submit_registration(deal, by=owner, product_line=line, partner="伙伴")
    version = actions.write_requirements(deal, by=owner, items="需求一")
    member = actions.add_deal_member(deal, by=owner, user=company.member, role="solution_manager")
    return {
        "pk": deal.pk,
        "event_pk": event.pk,
        "entry_pk": entry.pk,
        "questionnaire_pk": questionnaire.pk,
        "person_pk": person.pk,
        "action_pk": action.pk,
        "registration_pk": registration.pk,
        "version_pk": version.pk,
        "member_pk": member.pk,
    }


def _snapshot(deal_pk):
    deal = Deal.all_objects.get(pk=deal_pk)
    return (
        deal.version,
        deal.stage_id,
        deal.status,
        deal.compelling_events.count(),
        deal.competitors.count(),
        deal.questionnaires.count(),
        deal.people.count(),
        deal.actions.count(),
        deal.reviews.count(),
        deal.members.count(),
        deal.registrations.count(),
        deal.requirement_versions.count(),
        deal.events.count(),
    )


@pytest.mark.parametrize("role", ["teammate", "outsider", "other_manager"])
def test_every_route_refuses_an_outsider(company, full_deal, client, role):
    client.force_login(getattr(company, role))
    before = _snapshot(full_deal["pk"])
    names = [p.name for p in urlpatterns]
    assert len(names) == len(set(names))
    for pattern in urlpatterns:
        name = pattern.name
        if name in LISTS:
            response = client.get(reverse(f"deals:{name}"))
            assert response.status_code == 200
            assert str(full_deal["pk"]) not in {
                str(d.pk) for d in (response.context.get("page") or [])
            }
            continue
        wanted = set(pattern.pattern.converters)
        unknown = wanted - set(full_deal)
        assert not unknown, f"unlisted route {name}: teach this test its arguments"
        url = reverse(f"deals:{name}", kwargs={k: full_deal[k] for k in wanted})
        for method in (client.get, client.post):
            response = method(url, {"stage": 1, "description": "x", "new_name": "乙"})
            assert response.status_code in (404, 405), (name, method, response.status_code)
    assert _snapshot(full_deal["pk"]) == before


def test_owner_reaches_every_route(company, full_deal, client):
    client.force_login(company.owner)
    for pattern in urlpatterns:
        if pattern.name in LISTS:
            continue
        wanted = set(pattern.pattern.converters)
        url = reverse(f"deals:{pattern.name}", kwargs={k: full_deal[k] for k in wanted})
        response = client.get(url)
        assert response.status_code in (200, 405), (pattern.name, response.status_code)
