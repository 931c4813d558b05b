"""Out-of-sample evaluation of the learned win probability against its baselines.

- **time-ordered split** when the deals have usable dates: deals created before the cut-off
  train the model, later deals test it (the default cut-off leaves the latest 30 % of the
  closed deals for testing);
- **grouped cross-validation** otherwise: stratified folds by group (the weeks of one deal,
  and identical deals, stay together), repeated with several seeds.

Every predictor is scored on the rows it can score (its *coverage*), and the model is scored on
those same rows beside it, so a baseline that only covers some deals is compared fairly:

- ``model`` — the calibrated logistic regression (:mod:`.learning`);
- ``base_rate`` — the training share of won deals, for everyone;
- ``stage`` — the stage-based probabilities the method rejects (§2.6), where the stage at
  the moment was known;
- ``naive_bayes`` — Odoo's frequency score (+0.1 smoothing) over every feature (numbers with
  many values cut into training quintiles);
- ``rule`` — the rule-based TAS+ win rate at the moment, where it was computed.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

import numpy as np

from winroom.methodology import metrics
from winroom.methodology import naive_bayes_baseline as nb
from winroom.methodology.errors import MethodologyError
from winroom.methodology.forecast import STAGE_PROBABILITIES

from .features import Snapshot
from .learning import duplicate_groups, insufficient_reason, train

PREDICTORS = ("model", "base_rate", "stage", "naive_bayes", "rule")
MIN_DISTINCT_DAYS = 20
MIN_TEST_CLASS = 10
TRAIN_FRACTION = 0.7
DISCRETE_MAX_VALUES = 12
BOOTSTRAP = 1000


class NotEnoughData(Exception):
    """Too little history (or one outcome only) to learn or to evaluate."""

    def __init__(self, reason: str, won: int, lost: int):
        super().__init__(reason)
        self.reason, self.won, self.lost = reason, won, lost


def _deal_outcomes(snapshots: Sequence[Snapshot]) -> tuple[int, int]:
    deals = {s.deal_id: bool(s.won) for s in snapshots}
    won = sum(deals.values())
    return won, len(deals) - won


def nb_fields(train_rows: Sequence[dict], rows: Sequence[dict]) -> list[dict[str, str | None]]:
    """Every feature as text for the frequency score: numbers with few distinct training
    values as they are, others by training quintile (q1 … q5)."""
    edges: dict[str, list[float]] = {}
    names = {name for row in train_rows for name in row}
    for name in names:
        values = [row.get(name) for row in train_rows]
        numbers = [float(v) for v in values if isinstance(v, (int, float)) and v is not None]
        if numbers and len(set(numbers)) > DISCRETE_MAX_VALUES:
            edges[name] = [float(q) for q in np.quantile(numbers, [0.2, 0.4, 0.6, 0.8])]
    result = []
    for row in rows:
        fields: dict[str, str | None] = {}
        for name, value in row.items():
            if value is None:
                fields[name] = None
            elif name in edges and isinstance(value, (int, float)):
                fields[name] = f"q{1 + sum(1 for e in edges[name] if float(value) > e)}"
            else:
                fields[name] = str(value)
        result.append(fields)
    return result


def predict_baselines(
    train: Sequence[Snapshot], test: Sequence[Snapshot], excluded: Sequence[str] = ()
) -> dict[str, list[float | None]]:
    """Each baseline's prediction for each test row (``None`` where it cannot predict); the
    frequency score reads the same fields as the model (``excluded`` ones left out)."""
    base = sum(1 for s in train if s.won) / len(train)

    def kept(snapshot: Snapshot) -> dict:
        return {k: v for k, v in snapshot.features.items() if k not in excluded}

    train_rows = [kept(s) for s in train]
    try:
        table = nb.fit(
            zip(nb_fields(train_rows, train_rows), (bool(s.won) for s in train), strict=True)
        )
        naive: list[float | None] = [
            table.probability(f) for f in nb_fields(train_rows, [kept(s) for s in test])
        ]
    except MethodologyError:
        naive = [None] * len(test)
    return {
        "base_rate": [base] * len(test),
        "stage": [
            float(STAGE_PROBABILITIES[s.stage]) if s.stage in STAGE_PROBABILITIES else None
            for s in test
        ],
        "naive_bayes": naive,
        "rule": [s.rule_rate for s in test],
    }


def dates_usable(snapshots: Sequence[Snapshot]) -> bool:
    days = {s.created_at.date() for s in snapshots}
    return len(days) >= MIN_DISTINCT_DAYS


def time_split(
    snapshots: Sequence[Snapshot],
    *,
    train_fraction: float = TRAIN_FRACTION,
    split_at: datetime | None = None,
) -> tuple[list[int], list[int], datetime]:
    """(train indices, test indices, cut-off): by the deal's creation moment."""
    if split_at is None:
        starts = sorted({(s.created_at, s.deal_id) for s in snapshots})
        split_at = starts[min(int(len(starts) * train_fraction), len(starts) - 1)][0]
    train = [i for i, s in enumerate(snapshots) if s.created_at < split_at]
    test = [i for i, s in enumerate(snapshots) if s.created_at >= split_at]
    return train, test, split_at


def _split_ok(snapshots: Sequence[Snapshot], train: list[int], test: list[int]) -> bool:
    for part in (train, test):
        won, lost = _deal_outcomes([snapshots[i] for i in part])
        if won < MIN_TEST_CLASS or lost < MIN_TEST_CLASS:
            return False
    return True


def _metrics_dict(result: metrics.Metrics) -> dict:
    data = asdict(result)
    data["calibration"] = [asdict(band) for band in result.calibration]
    return data


def _score(predictions: dict[str, list[float | None]], outcomes: list[int]) -> dict[str, dict]:
    """Metrics of each predictor on its covered rows, with the model's on the same rows."""
    model = predictions["model"]
    result = {}
    for name, values in predictions.items():
        covered = [i for i, v in enumerate(values) if v is not None]
        entry: dict = {
            "rows": len(covered),
            "coverage": len(covered) / len(values) if values else 0,
        }
        if covered:
            p = [float(values[i]) for i in covered]  # type: ignore[arg-type]
            y = [outcomes[i] for i in covered]
            entry["metrics"] = _metrics_dict(metrics.evaluate(p, y))
            if name != "model":
                same = [float(model[i]) for i in covered]  # type: ignore[arg-type]
                entry["model_same_rows"] = _metrics_dict(metrics.evaluate(same, y))
        result[name] = entry
    return result


def evaluate(
    snapshots: Sequence[Snapshot],
    *,
    method: str = "auto",
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    folds: int = 5,
    train_fraction: float = TRAIN_FRACTION,
    split_at: datetime | None = None,
) -> dict:
    """The full report as plain data (JSON-ready)."""
    won, lost = _deal_outcomes(snapshots)
    reason = insufficient_reason(won, lost)
    if reason:
        raise NotEnoughData(reason, won, lost)
    report: dict = {
        "data": {
            "closed_deals": won + lost,
            "won": won,
            "lost": lost,
            "rows": len(snapshots),
            "first_created": min(s.created_at for s in snapshots).isoformat(),
            "last_created": max(s.created_at for s in snapshots).isoformat(),
        },
    }
    if method == "auto":
        method = "cv"
        if dates_usable(snapshots):
            train_idx, test_idx, _cut = time_split(
                snapshots, train_fraction=train_fraction, split_at=split_at
            )
            if _split_ok(snapshots, train_idx, test_idx):
                method = "time"
    report["method"] = method
    if method == "time":
        train_idx, test_idx, cut = time_split(
            snapshots, train_fraction=train_fraction, split_at=split_at
        )
        if not _split_ok(snapshots, train_idx, test_idx):
            raise NotEnoughData("split_too_small", *_deal_outcomes(snapshots))
        runs = [_run(snapshots, train_idx, test_idx, seed=seeds[0] if seeds else 0)]
        excluded = set(runs[0]["excluded"])
        report["split"] = {
            "cut": cut.isoformat(),
            "train_rows": len(train_idx),
            "test_rows": len(test_idx),
            "train_deals": len({snapshots[i].deal_id for i in train_idx}),
            "test_deals": len({snapshots[i].deal_id for i in test_idx}),
        }
        report["seeds"] = [seeds[0] if seeds else 0]
    elif method == "cv":
        from .learning import _splits

        groups = np.array(duplicate_groups(snapshots))
        y = np.array([1 if s.won else 0 for s in snapshots])
        runs = []
        excluded = set()
        for seed in seeds:
            predictions: dict[str, list[float | None]] = {
                n: [None] * len(snapshots) for n in PREDICTORS
            }
            for train_idx, test_idx in _splits(y, groups, folds, seed):
                part = _run(snapshots, list(train_idx), list(test_idx), seed=seed)
                excluded.update(part["excluded"])
                for name, values in part["predictions"].items():
                    for index, value in zip(test_idx, values, strict=True):
                        predictions[name][index] = value
            runs.append({"predictions": predictions, "outcomes": y.tolist()})
        report["seeds"] = list(seeds)
        report["folds"] = folds
        report["groups"] = len(set(groups.tolist()))
    else:
        raise ValueError(f"unknown method {method!r}")
    report["excluded_features"] = sorted(excluded)
    report["predictors"] = _summarise(runs)
    return report


def _run(
    snapshots: Sequence[Snapshot],
    train_idx: list[int],
    test_idx: list[int],
    *,
    seed: int,
    raw=False,
):
    train_set = [snapshots[i] for i in train_idx]
    test_set = [snapshots[i] for i in test_idx]
    model = train(train_set, seed=seed)
    predictions: dict[str, list[float | None]] = {
        "model": [float(p) for p in model.probabilities([s.features for s in test_set])]
    }
    predictions.update(predict_baselines(train_set, test_set, model.excluded))
    return {
        "predictions": predictions,
        "outcomes": [1 if s.won else 0 for s in test_set],
        "excluded": model.excluded,
    }


def _summarise(runs: list[dict]) -> dict[str, dict]:
    """Per predictor: metrics of each run, their mean and spread, and the pooled calibration."""
    per_run = [_score(run["predictions"], run["outcomes"]) for run in runs]
    summary: dict[str, dict] = {}
    for name in PREDICTORS:
        entries = [r[name] for r in per_run]
        scored = [e for e in entries if "metrics" in e]
        item: dict = {"rows": entries[0]["rows"], "coverage": entries[0]["coverage"]}
        if scored:
            for key in ("auc", "brier", "log_loss", "ece"):
                values = [e["metrics"][key] for e in scored if e["metrics"][key] is not None]
                item[key] = statistics.fmean(values) if values else None
                item[f"{key}_sd"] = statistics.stdev(values) if len(values) > 1 else None
                if name != "model":
                    same = [
                        e["model_same_rows"][key]
                        for e in scored
                        if e["model_same_rows"][key] is not None
                    ]
                    item[f"model_{key}"] = statistics.fmean(same) if same else None
            pooled_p: list[float] = []
            pooled_y: list[int] = []
            for run in runs:
                for value, outcome in zip(run["predictions"][name], run["outcomes"], strict=True):
                    if value is not None:
                        pooled_p.append(float(value))
                        pooled_y.append(outcome)
            item["calibration"] = [
                asdict(b) for b in metrics.calibration_by_decile(pooled_p, pooled_y)
            ]
            if name != "model":
                item["difference_interval"] = paired_bootstrap(
                    runs[0]["predictions"]["model"],
                    runs[0]["predictions"][name],
                    runs[0]["outcomes"],
                )
        summary[name] = item
    return summary


def paired_bootstrap(
    model: list[float | None],
    baseline: list[float | None],
    outcomes: list[int],
    *,
    resamples: int = BOOTSTRAP,
    seed: int = 0,
) -> dict[str, list[float] | None]:
    """95 % intervals of (model − baseline) AUC and (baseline − model) Brier over resamples of
    the rows the baseline covers (of the first run): above 0 means the model is better."""
    from sklearn.metrics import roc_auc_score

    rows = [i for i, v in enumerate(baseline) if v is not None]
    if len(rows) < 2:
        return {"auc": None, "brier": None}
    m = np.array([model[i] for i in rows], dtype=float)
    b = np.array([baseline[i] for i in rows], dtype=float)
    y = np.array([outcomes[i] for i in rows])
    rng = np.random.default_rng(seed)
    auc_gain, brier_gain = [], []
    for _ in range(resamples):
        pick = rng.integers(0, len(rows), len(rows))
        brier_gain.append(
            float(np.mean((b[pick] - y[pick]) ** 2) - np.mean((m[pick] - y[pick]) ** 2))
        )
        if 0 < y[pick].sum() < len(pick):
            auc_gain.append(
                float(roc_auc_score(y[pick], m[pick]) - roc_auc_score(y[pick], b[pick]))
            )

    def interval(values: list[float]) -> list[float] | None:
        if not values:
            return None
        low, high = np.quantile(values, [0.025, 0.975])
        return [float(low), float(high)]

    return {"auc": interval(auc_gain), "brier": interval(brier_gain)}
