"""Training, scoring and evaluating on a small synthetic company; too little history."""

import json
import math

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from winroom.deals.models import Deal, DealStatus
from winroom.winmodel.actions import explain_deals, train_win_model
from winroom.winmodel.evaluation import PREDICTORS
from winroom.winmodel.features import training_snapshots
from winroom.winmodel.learning import FittedModel
from winroom.winmodel.models import DealScore, ModelStatus, WinModel
from winroom.winmodel.synthetic import build_company

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(company):
    """About 80 closed deals (both outcomes well represented) and some open ones."""
    return build_company(90, owner=company.owner, seed=3, open_share=0.12)


def test_too_little_history_stores_no_model_and_says_why(company):
    build_company(30, owner=company.owner, seed=1, open_share=0)
    result = train_win_model()
    model = result["model"]
    assert model.status == ModelStatus.INSUFFICIENT and model.reason == "too_few_closed"
    assert model.artifact is None and not model.is_trained
    assert DealScore.objects.count() == 0
    out = _call("train_win_model", "--skip-standards")
    assert "No model: too little history (too_few_closed)" in out
    with pytest.raises(CommandError, match="Too little history"):
        _call("evaluate_win_model")


def test_one_outcome_only_is_too_little_history(company):
    build_company(70, owner=company.owner, seed=2, open_share=0)
    Deal.objects.exclude(status=DealStatus.OPEN).update(status=DealStatus.WON)
    model = train_win_model()["model"]
    assert (model.status, model.reason) == (ModelStatus.INSUFFICIENT, "too_few_lost")
    assert model.lost == 0 and model.won == model.closed_deals


def _call(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_training_scores_open_deals_and_is_idempotent(company, history):
    result = train_win_model()
    model = result["model"]
    assert result["created"] and model.is_trained
    assert model.won >= 10 and model.lost >= 10 and model.closed_deals >= 50
    assert model.rows >= model.closed_deals  # several weekly snapshots per deal
    assert model.metrics["in_sample"]["auc"] > 0.6
    assert {c["group"] for c in model.features} >= {"our_fit", "inside_coach"}
    open_deals = Deal.objects.open().count()
    assert result["scored"] == open_deals == DealScore.objects.count()
    again = train_win_model()
    assert not again["created"] and WinModel.objects.count() == 1
    assert again["scored"] == open_deals


def test_factor_contributions_add_up_to_the_model_output(company, history):
    model = train_win_model()["model"]
    fitted = FittedModel.loads(model.artifact)
    open_ids = list(Deal.objects.open().values_list("pk", flat=True))
    pairs = explain_deals(model, open_ids, fitted)
    assert pairs
    predicted = fitted.probabilities([s.features for s, _e in pairs])
    for (_snapshot, explanation), p in zip(pairs, predicted, strict=True):
        logit = explanation.base + sum(explanation.contributions.values())
        assert 1 / (1 + math.exp(-logit)) == pytest.approx(p, abs=1e-9)
        assert explanation.probability == pytest.approx(p, abs=1e-9)
    score = DealScore.objects.first()
    stored = sorted(abs(f["contribution"]) for f in score.factors)
    assert stored == sorted(stored) and len(score.factors) <= 8


def test_better_questionnaire_answers_raise_the_learned_probability(company, history):
    model = train_win_model()["model"]
    fitted = FittedModel.loads(model.artifact)
    snapshot = training_snapshots()[0]
    weak = dict(snapshot.features, our_fit=1, our_closeness=1)
    strong = dict(snapshot.features, our_fit=5, our_closeness=5)
    low, high = fitted.probabilities([weak, strong])
    assert high > low


def test_the_evaluation_prints_every_metric_for_the_model_and_each_baseline(
    company, history, tmp_path
):
    path = tmp_path / "report.json"
    out = _call("evaluate-win-model", "--method", "cv", "--seeds", "2", "--json", str(path))
    for label in ("learned model", "base rate", "stage-based", "naive Bayes", "rule-based TAS+"):
        assert label in out
    for column in ("AUC", "Brier", "log loss", "ECE", "Calibration by decile"):
        assert column in out
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["method"] == "cv" and data["seeds"] == [0, 1]
    for name in PREDICTORS:
        item = data["predictors"][name]
        assert item["rows"] > 0, name
        for key in ("auc", "brier", "log_loss", "ece"):
            assert item[key] is not None, (name, key)
        assert len(item["calibration"]) == 10
    assert data["predictors"]["model"]["auc"] > 0.6


def test_a_time_split_when_the_deals_have_dates(company, history):
    out = _call("evaluate_win_model", "--method", "time", "--train-fraction", "0.6")
    assert "time-ordered split at" in out
