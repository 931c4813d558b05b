"""API clients for the shared company (winroom/conftest.py) and a deal with a full room.

Who sees the ``deal`` fixture (owned by ``owner`` of the East team): the owner, their
manager, the director above, an administrator. Not: a peer rep of the same team
(``teammate``), the West rep on the *account's* team but not the deal's (``member``), the
other team's rep (``outsider``) and manager (``other_manager``). ``deactivated`` is nobody.
"""

from datetime import date

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from winroom.deals import actions
from winroom.deals.models import Competitor, Deal, DealMember, Stage, TeamRole
from winroom.testing.factories import AccountFactory, ContactFactory

READERS = ["owner", "manager", "director", "admin"]
OUTSIDERS = ["teammate", "member", "outsider", "other_manager"]


@pytest.fixture
def api(company):
    """An API client signed in with the user's token: ``api("owner")`` or ``api(user)``.

    Everyone speaks English here so that messages can be compared.
    """

    def make(who):
        user = getattr(company, who) if isinstance(who, str) else who
        if user.language != "en":
            user.language = "en"
            user.save(update_fields=["language"])
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        client.user = user
        return client

    return make


@pytest.fixture
def room(company, deal):
    """The deal with one of everything: a second team member, compelling event, two
    competitors (one quoted), an answered questionnaire, a person on the decision map, an
    action and a review."""
    owner = company.owner
    director = actions.add_deal_member(
        deal, by=owner, user=company.director, role=TeamRole.DELIVERY_MANAGER
    )
    event = actions.record_compelling_event(
        deal, by=owner, description="市政府要求年底前上线", due_on=date(2026, 12, 31)
    )
    huawei = actions.add_competitor(
        deal, by=owner, competitor=Competitor.objects.create(name="华为")
    )
    hik = actions.add_competitor(
        deal, by=owner, competitor=Competitor.objects.create(name="海康威视")
    )
    quote = actions.record_quote(huawei, by=owner, amount="3000000", quoted_on=date(2026, 11, 1))
    questionnaire = actions.answer_questionnaire(
        deal,
        by=owner,
        has_inside_coach=True,
        inside_coach=company.contact,
        our_fit=4,
        our_closeness=4,
        competitors={huawei: (4, 3), hik: (2, 2)},
    )
    person = actions.map_person(
        deal, by=owner, contact=company.contact, decision_role="decision_maker"
    )
    action = actions.add_action(
        deal, by=owner, title="拜访王主任", owner=owner, due_on=date(2026, 12, 1)
    )
    review = actions.record_review(
        deal,
        by=company.manager,
        held_on=date(2026, 11, 20),
        elements=["compelling_event"],
        decisions="继续",
    )
    return {
        "deal": Deal.objects.get(pk=deal.pk),
        "member": DealMember.objects.get(pk=director.pk),
        "event": event,
        "entry": huawei,
        "other_entry": hik,
        "quote": quote,
        "questionnaire": questionnaire,
        "person": person,
        "action": action,
        "review": review,
    }


@pytest.fixture
def other_deal(company):
    """A deal of the West team (outsider's), at an account of theirs."""
    account = AccountFactory(name="宝钢股份", owner=company.outsider)
    ContactFactory(account=account, name="李娜")
    return actions.create_deal(
        by=company.outsider, data={"account": account, "name": "宝钢数据中心", "amount": "500000"}
    )


@pytest.fixture
def stages():
    return {s.number: s for s in Stage.objects.all()}
