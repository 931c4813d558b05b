"""The encoder, the leak guard and the explanations, on plain feature dicts (no database)."""

import math
import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from winroom.winmodel.evaluation import nb_fields, paired_bootstrap
from winroom.winmodel.features import Snapshot
from winroom.winmodel.learning import (
    OTHER,
    FeatureEncoder,
    FittedModel,
    duplicate_groups,
    insufficient_reason,
    leaking_groups,
    train,
)


def _snapshots(n=200, seed=0):
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    result = []
    for i in range(n):
        quality = rng.gauss(0, 1)
        won = rng.random() < 1 / (1 + math.exp(-2 * quality))
        result.append(
            Snapshot(
                deal_id=i,
                as_of=start + timedelta(days=i),
                created_at=start + timedelta(days=i),
                won=won,
                stage=None,
                rule_rate=None,
                features={
                    "our_fit": min(5, max(1, round(3 + quality))),
                    "channel": rng.choice(["direct", "partner", "web"]),
                    "amount": None if rng.random() < 0.2 else rng.uniform(1, 10),
                },
            )
        )
    return result


def test_the_encoder_standardises_marks_unknowns_and_pools_rare_values():
    rows = [{"n": 1.0, "c": "a"}, {"n": 3.0, "c": "a"}, {"n": None, "c": "b"}] * 5
    rows.append({"n": 2.0, "c": "rare"})
    encoder = FeatureEncoder().fit(rows)
    labels = [c.label for c in encoder.columns]
    assert labels == ["n", "n (unknown)", "c=a", "c=b", f"c={OTHER}"]
    x = encoder.transform(rows)
    assert np.allclose(x.mean(axis=0), 0) and np.allclose(x.std(axis=0), 1)
    unseen = encoder.transform([{"n": None, "c": "never seen"}])
    other = encoder.transform([{"n": None, "c": "rare"}])
    assert np.allclose(unseen, other)  # an unseen value counts as a rare one
    # a field that never varies carries nothing and is dropped
    assert FeatureEncoder().fit([{"k": 1.0}, {"k": 1.0}]).columns == []


def test_a_field_that_tells_the_outcome_by_itself_is_left_out():
    rng = random.Random(1)
    y = np.array([rng.random() < 0.5 for _ in range(200)], dtype=int)
    rows = [
        {
            "fair": rng.random(),
            "stage_name": "Won" if label else "Lost",
            "amount": rng.uniform(1, 9) if label else None,  # blank for every lost deal
            "almost": rng.random() + label * 0.3,
        }
        for label in y
    ]
    assert sorted(leaking_groups(rows, y)) == ["amount", "stage_name"]
    assert leaking_groups(rows[:20], y[:20]) == []  # too few rows to judge


def test_the_explanation_adds_up_to_the_probability():
    snapshots = _snapshots()
    model = train(snapshots)
    rows = [s.features for s in snapshots[:20]]
    probabilities = model.probabilities(rows)
    for explanation, p in zip(model.explain(rows), probabilities, strict=True):
        logit = explanation.base + sum(explanation.contributions.values())
        assert 1 / (1 + math.exp(-logit)) == pytest.approx(p, abs=1e-12)
        assert set(explanation.contributions) <= {"our_fit", "channel", "amount"}
    # our fit drives the outcome: its weight is positive and the largest
    weights = {c["column"]: c["weight"] for c in model.coefficients()}
    assert weights["our_fit"] == max(weights.values()) > 0
    # the calibrated folds agree with scikit-learn's own averaging closely
    sklearn = model.classifier.predict_proba(model.encoder.transform(rows))[:, 1]
    assert np.abs(sklearn - probabilities).max() < 0.03
    again = FittedModel.loads(model.dumps())
    assert np.allclose(again.probabilities(rows), probabilities)


def test_duplicates_share_a_group_and_weeks_of_a_deal_too():
    base = _snapshots(3)
    twin = Snapshot(**{**base[0].__dict__, "deal_id": 99})
    week = Snapshot(**{**base[1].__dict__, "features": {"our_fit": 1}})
    groups = duplicate_groups([base[0], twin, base[1], week, base[2]])
    assert groups[0] == groups[1] and groups[2] == groups[3]
    assert len(set(groups)) == 3


def test_too_little_history():
    assert insufficient_reason(won=20, lost=29) == "too_few_closed"
    assert insufficient_reason(won=9, lost=60) == "too_few_won"
    assert insufficient_reason(won=60, lost=0) == "too_few_lost"
    assert insufficient_reason(won=10, lost=40) == ""


def test_naive_bayes_reads_numbers_with_many_values_by_quintile():
    train_rows = [{"x": float(i), "c": "a", "few": i % 3} for i in range(100)]
    fields = nb_fields(train_rows, [{"x": 5.0, "c": "a", "few": 2}, {"x": 95.0, "c": None}])
    assert fields[0] == {"x": "q1", "c": "a", "few": "2"}
    assert fields[1] == {"x": "q5", "c": None}


def test_the_paired_bootstrap_says_which_side_is_better():
    y = [1, 0] * 50
    good = [0.9 if o else 0.1 for o in y]
    coin = [0.5] * 100
    gain = paired_bootstrap(good, coin, y, resamples=200)
    assert gain["auc"][0] > 0 and gain["brier"][0] > 0
    assert paired_bootstrap(good, [None] * 100, y) == {"auc": None, "brier": None}
