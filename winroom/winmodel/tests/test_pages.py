"""The administrators' pages (every route refused to reps, managers and strangers) and the
deal room's panel: shown to whoever may see the deal, model internals to administrators only."""

import pytest
from django.urls import reverse
from django.utils import translation

from winroom.deals import actions as deal_actions
from winroom.deals.models import Deal, HealthStandard, Stage
from winroom.winmodel.actions import train_win_model
from winroom.winmodel.models import (
    DealScore,
    EvaluationReport,
    ProposalStatus,
    StandardProposal,
    WinModel,
)
from winroom.winmodel.synthetic import build_company
from winroom.winmodel.urls import urlpatterns

pytestmark = pytest.mark.django_db

ROUTES = {p.name: str(p.pattern) for p in urlpatterns}


@pytest.fixture(autouse=True)
def english(client, settings):
    """English in the test and in the pages the client asks for (Chinese is the default)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def proposal():
    stage = Stage.objects.get(number=3)
    return StandardProposal.objects.create(
        stage=stage,
        indicator="decision_maker_coverage",
        current=75,
        proposed=100,
        won_count=20,
        lost_count=15,
        won_mean=90,
        lost_mean=40,
    )


@pytest.fixture
def report():
    return EvaluationReport.objects.create(method="cv", data={"predictors": {}, "data": {}})


def _urls(proposal, report):
    args = {
        "model": [],
        "report_json": [report.pk],
        "standards": [],
        "decide": [proposal.pk, "accept"],
    }
    assert set(args) == set(ROUTES), "teach this test the new route"
    return {name: reverse(f"winmodel:{name}", args=value) for name, value in args.items()}


@pytest.mark.parametrize("who", ["owner", "manager", "director", "outsider"])
def test_every_route_refuses_everyone_but_administrators(company, login, proposal, report, who):
    client = login(getattr(company, who))
    for name, url in _urls(proposal, report).items():
        response = client.post(url) if name == "decide" else client.get(url)
        assert response.status_code == 403, (who, name)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert not HealthStandard.objects.filter(stage=proposal.stage, value=100).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, proposal, report):
    for name, url in _urls(proposal, report).items():
        response = client.post(url) if name == "decide" else client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], name


def test_the_administrator_sees_the_model_page_with_too_little_history(company, login):
    train_win_model()
    client = login(company.admin)
    response = client.get(reverse("winmodel:model"))
    assert response.status_code == 200
    assert "No model: too little history (fewer than 50 closed deals)" in response.text
    assert "No evaluation yet" in response.text
    assert 'data-testid="nav-win-model"' in response.text


def test_the_administrator_accepts_and_rejects_proposals(company, login, proposal):
    client = login(company.admin)
    assert client.get(reverse("winmodel:standards")).status_code == 200
    response = client.post(reverse("winmodel:decide", args=[proposal.pk, "accept"]))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (ProposalStatus.ACCEPTED, company.admin)
    assert (
        HealthStandard.objects.get(stage=proposal.stage, indicator=proposal.indicator).value == 100
    )
    # deciding twice changes nothing
    client.post(reverse("winmodel:decide", args=[proposal.pk, "reject"]))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    other = StandardProposal.objects.create(
        stage=proposal.stage,
        indicator="urgency",
        current=70,
        proposed=90,
        won_count=20,
        lost_count=20,
        won_mean=90,
        lost_mean=50,
    )
    client.post(reverse("winmodel:decide", args=[other.pk, "reject"]))
    other.refresh_from_db()
    assert other.status == ProposalStatus.REJECTED
    assert HealthStandard.objects.get(stage=proposal.stage, indicator="urgency").value == 70
    assert client.post(reverse("winmodel:decide", args=[other.pk, "maybe"])).status_code == 404


def _trained_company(company):
    build_company(80, owner=company.owner, seed=5, open_share=0)
    train_win_model()
    deal = deal_actions.create_deal(
        by=company.owner,
        data={"account": company.account, "name": "数据中心扩容", "amount": "3000000"},
    )
    return deal


def test_the_deal_room_shows_the_learned_probability_to_those_who_see_the_deal(company, login):
    deal = _trained_company(company)
    assert not DealScore.objects.filter(deal=deal).exists()  # created after the training
    url = reverse("deals:detail", args=[deal.pk])
    page = login(company.owner).get(url).text
    assert 'data-testid="learned-value"' in page and 'data-testid="learned-factors"' in page
    assert "Learned from our history" in page
    # the rep sees the number and its factors, not the model's internals
    assert 'data-testid="learned-model-link"' not in page
    assert reverse("winmodel:model") not in page
    manager_page = login(company.manager).get(url).text
    assert 'data-testid="learned-value"' in manager_page
    assert 'data-testid="learned-model-link"' not in manager_page
    admin_page = login(company.admin).get(url).text
    assert 'data-testid="learned-model-link"' in admin_page
    assert login(company.outsider).get(url).status_code == 404


def test_a_strong_disagreement_is_a_coaching_prompt(company, login):
    deal = _trained_company(company)
    model = WinModel.current()
    DealScore.objects.create(deal=deal, model=model, probability="0.9000", factors=[])
    Deal.all_objects.filter(pk=deal.pk).update(win_rate="0.2000", win_rate_status="computed")
    page = login(company.owner).get(reverse("deals:detail", args=[deal.pk])).text
    assert 'data-testid="learned-disagree"' in page
    assert "70 points higher than the rule does" in page
    DealScore.objects.filter(deal=deal).update(probability="0.4000")
    page = login(company.owner).get(reverse("deals:detail", args=[deal.pk])).text
    assert 'data-testid="learned-disagree"' not in page


def test_the_deal_room_says_when_there_is_too_little_history(company, login):
    train_win_model()
    deal = deal_actions.create_deal(
        by=company.owner, data={"account": company.account, "name": "x"}
    )
    page = login(company.owner).get(reverse("deals:detail", args=[deal.pk])).text
    assert "No learned model: too little history (fewer than 50 closed deals)." in page
