"""A deal's features at a moment W read only what was recorded by W: changing the deal after
W (its fields, questionnaire, competitors, decision map, compelling event, custom attributes,
activities — even ones backdated to before W — the account's tier) changes nothing at W."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from winroom.accounts import actions as account_actions
from winroom.accounts.models import RelationshipActionType
from winroom.activities import actions as activity_actions
from winroom.attributes.models import AttributeDefinition
from winroom.deals import actions
from winroom.deals.models import Competitor, Deal, DealCompetitor, DealPerson
from winroom.testing.factories import ContactFactory
from winroom.winmodel.features import DealFacts, features_at, training_moments

pytestmark = pytest.mark.django_db


def tick():
    """Let the clock move on, so 'after W' is strictly after."""
    time.sleep(0.002)


@pytest.fixture
def attributes():
    AttributeDefinition.objects.create(
        target="deal", code="budget_wan", label="预算", type="number"
    )
    AttributeDefinition.objects.create(
        target="deal", code="channel", label="渠道", type="choice", choices=["直销", "代理"]
    )


def _deal_with_everything(company):
    owner = company.owner
    deal = actions.create_deal(
        by=owner, data={"account": company.account, "name": "智慧园区项目", "amount": "2500000"}
    )
    Deal.objects.filter(pk=deal.pk).update(custom={"budget_wan": 250, "channel": "直销"})
    deal = actions.update_deal(
        Deal.objects.get(pk=deal.pk), by=owner, data={"amount": "2600000"}, expected_version=None
    )
    actions.record_compelling_event(deal, by=owner, description="年底前必须上线")
    rival = Competitor.objects.create(name="华为")
    other = Competitor.objects.create(name="新华三")
    entry = actions.add_competitor(deal, by=owner, competitor=rival)
    actions.answer_questionnaire(
        deal,
        by=owner,
        has_inside_coach=True,
        our_fit=4,
        our_closeness=3,
        competitors={entry: (3, 3)},
    )
    actions.map_person(
        deal,
        by=owner,
        contact=company.contact,
        decision_role="decision_maker",
        relationship_status="positive",
    )
    activity_actions.log_activity(
        by=owner,
        data={
            "account": company.account,
            "kind": "meeting",
            "subject": "需求沟通",
            "occurred_at": timezone.now() - timedelta(days=3),
            "deal": deal,
            "participants": [company.contact],
        },
    )
    account_actions.assess_supplier_tier(company.account, by=owner, tier=2, evidence="供过两次货")
    return deal, entry, other


def test_changing_a_deal_after_w_does_not_change_its_features_at_w(company, attributes):
    owner = company.owner
    deal, entry, other = _deal_with_everything(company)
    tick()
    w = timezone.now()
    before = features_at(deal.pk, w)
    assert before["our_fit"] == 4 and before["inside_coach"] == 1.0
    assert before["compelling_event"] == 1.0 and before["competitors"] == 1
    assert before["rank"] == 1 and before["competitor1_fit"] == 3
    assert before["roles_covered"] == 1 and before["supporters_share"] == 1.0
    assert before["custom:budget_wan"] == 250.0 and before["custom:channel"] == "直销"
    assert before["activities_90d"] == 1 and before["supplier_tier"] == 2
    assert before["stage"] == "1" and before["grade"] == deal.grade
    tick()

    # every kind of change, after W
    deal = Deal.objects.get(pk=deal.pk)
    deal = actions.update_deal(
        deal,
        by=owner,
        data={"amount": "9000000", "custom": {"budget_wan": 900, "channel": "代理"}},
        expected_version=None,
    )
    actions.answer_questionnaire(
        deal, by=owner, has_inside_coach=False, our_fit=1, our_closeness=1, competitors={}
    )
    actions.add_competitor(deal, by=owner, competitor=other)
    actions.remove_competitor(DealCompetitor.objects.get(pk=entry.pk), by=owner)
    event = deal.compelling_events.get()
    actions.reconfirm_compelling_event(event, by=owner, holds=False)
    person = DealPerson.objects.get(deal=deal)
    actions.map_person(
        deal,
        by=owner,
        contact=company.contact,
        decision_role="user",
        relationship_status="strong_negative",
    )
    actions.map_person(deal, by=owner, contact=ContactFactory(account=company.account))
    actions.unmap_person(DealPerson.objects.get(pk=person.pk), by=owner)
    action_type = RelationshipActionType.objects.first()
    activity_actions.log_activity(  # entered after W, although it says it happened before
        by=owner,
        data={
            "account": company.account,
            "kind": "meeting",
            "subject": "补录的拜访",
            "occurred_at": w - timedelta(days=1),
            "deal": deal,
            "participants": [company.contact],
            "relationship_actions": [action_type] if action_type else [],
        },
    )
    account_actions.assess_supplier_tier(company.account, by=owner, tier=5, evidence="战略伙伴")
    actions.close_deal(Deal.objects.get(pk=deal.pk), by=owner, status="won")

    assert features_at(deal.pk, w) == before
    now = features_at(deal.pk, timezone.now())
    assert now != before
    assert now["our_fit"] == 1 and now["compelling_event"] == 0.0
    assert now["custom:budget_wan"] == 900.0 and now["supplier_tier"] == 5


def test_a_deal_has_no_features_before_it_existed(company):
    deal = actions.create_deal(
        by=company.owner, data={"account": company.account, "name": "新项目"}
    )
    assert features_at(deal.pk, deal.created_at - timedelta(seconds=1)) is None


def test_an_imported_closed_deal_hides_its_stage_before_the_import(company):
    """The importer sets a won deal's stage to the last one: that must not leak backwards."""
    deal = actions.create_deal(by=company.owner, data={"account": company.account, "name": "导入"})
    created = timezone.now() - timedelta(days=100)
    Deal.all_objects.filter(pk=deal.pk).update(created_at=created)
    deal.events.create(kind="imported", new="CRM")
    facts = DealFacts([deal.pk])
    snapshot = facts.snapshot(deal.pk, created + timedelta(days=1))
    assert snapshot.stage is None and snapshot.features["stage"] is None
    assert snapshot.features["days_in_stage"] is None
    assert snapshot.features["grade"] == deal.grade  # descriptive fields stay


def test_training_moments_are_mondays_inside_the_life_of_the_deal():
    created = timezone.make_aware(timezone.datetime(2026, 3, 4, 10))  # a Wednesday
    closed = created + timedelta(days=60)
    moments = training_moments(created, closed, per_deal=4)
    assert len(moments) == 4
    assert all(m.weekday() == 0 and created < m < closed for m in moments)
    assert moments == sorted(moments)
    short = training_moments(created, created + timedelta(days=2))
    assert short == [created + timedelta(days=1)]
