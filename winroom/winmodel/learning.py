"""The learned win probability: encoding, training with calibration, and explanations.

The model is scikit-learn's L2-regularised logistic regression on standardised features,
calibrated with Platt scaling by ``CalibratedClassifierCV(method="sigmoid")``: for each of k
folds (grouped by deal, so the weeks of one deal never sit on both sides) a regression is
fitted on the other folds and a sigmoid on its scores of the held-out fold (scikit-learn's
default ``ensemble=True``).

The k calibrated regressions are combined by averaging their log-odds (rather than their
probabilities as scikit-learn does; on Salvirt the two differ by 0.3 percentage points on
average, 1.2 at most), because then the probability splits exactly into a
base (an average closed deal) plus one contribution per feature. Fold m gives

    logitₘ(p) = −aₘ·(b₀ₘ + Σ wⱼₘ zⱼ) − bₘ

where zⱼ is the standardised value, wⱼₘ the coefficient and (aₘ, bₘ) the sigmoid's
parameters; so with W̄ⱼ = mean over m of (−aₘ·wⱼₘ) and B̄ = mean of (−aₘ·b₀ₘ − bₘ):

    logit(p) = B̄ + Σ W̄ⱼ zⱼ

Contributions of one field's columns (e.g. every stage, or a value and its "unknown"
indicator) are added up, so a factor reads "stage 4: +0.6".
"""

from __future__ import annotations

import hashlib
import io
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import joblib
import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold
from threadpoolctl import threadpool_limits

from .features import Snapshot, Value

MIN_CLOSED = 50
MIN_PER_CLASS = 10
MIN_LEVEL_COUNT = 5
MAX_LEVELS = 40
C_GRID = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
#: above this many rows C is not searched (1.0): regularisation matters less with much data
C_SEARCH_MAX_ROWS = 20000
OTHER = "(other)"
LEAK_SHARE = 0.99

REASON_TOO_FEW_CLOSED = "too_few_closed"
REASON_TOO_FEW_WON = "too_few_won"
REASON_TOO_FEW_LOST = "too_few_lost"


def insufficient_reason(won: int, lost: int) -> str:
    """Why there is too little history to learn from ("" when there is enough)."""
    if won + lost < MIN_CLOSED:
        return REASON_TOO_FEW_CLOSED
    if won < MIN_PER_CLASS:
        return REASON_TOO_FEW_WON
    if lost < MIN_PER_CLASS:
        return REASON_TOO_FEW_LOST
    return ""


@dataclass
class Column:
    group: str
    label: str
    kind: str  # "numeric", "missing" or "level"
    level: str = ""


@dataclass
class FeatureEncoder:
    """Feature dicts → a standardised matrix; remembers what every column means.

    Numbers: the value (unknown → the training mean) and, when some rows lack it, an
    "unknown" indicator. Text: one column per value seen at least ``MIN_LEVEL_COUNT`` times
    (at most ``MAX_LEVELS``), rarer values share an "(other)" column; blank → no column set.
    Columns that never vary in training are dropped.
    """

    columns: list[Column] = field(default_factory=list)
    means: dict[str, float] = field(default_factory=dict)
    center: np.ndarray | None = None
    scale: np.ndarray | None = None

    def fit(self, rows: Sequence[dict[str, Value]]) -> FeatureEncoder:
        names: list[str] = []
        seen: set[str] = set()
        for row in rows:
            for name in row:
                if name not in seen:
                    seen.add(name)
                    names.append(name)
        columns: list[Column] = []
        self.means = {}
        for name in names:
            values = [row.get(name) for row in rows]
            known = [v for v in values if v is not None]
            if not known:
                continue
            if any(isinstance(v, str) for v in known):
                counts = Counter(str(v) for v in known)
                frequent = [v for v, n in counts.most_common(MAX_LEVELS) if n >= MIN_LEVEL_COUNT]
                for level in sorted(frequent):
                    columns.append(Column(name, f"{name}={level}", "level", level))
                if len(frequent) < len(counts):
                    columns.append(Column(name, f"{name}={OTHER}", "level", OTHER))
            else:
                numbers = [float(v) for v in known]
                self.means[name] = sum(numbers) / len(numbers)
                columns.append(Column(name, name, "numeric"))
                if len(known) < len(values):
                    columns.append(Column(name, f"{name} (unknown)", "missing"))
        self.columns = columns
        raw = self._raw(rows)
        center = raw.mean(axis=0) if len(rows) else np.zeros(len(columns))
        scale = raw.std(axis=0) if len(rows) else np.ones(len(columns))
        keep = scale > 1e-12
        self.columns = [c for c, k in zip(columns, keep, strict=True) if k]
        self.center, self.scale = center[keep], scale[keep]
        return self

    def _raw(self, rows: Sequence[dict[str, Value]]) -> np.ndarray:
        matrix = np.zeros((len(rows), len(self.columns)))
        by_group: dict[str, list[tuple[int, Column]]] = {}
        for j, column in enumerate(self.columns):
            by_group.setdefault(column.group, []).append((j, column))
        for group, columns in by_group.items():
            values = [row.get(group) for row in rows]
            if columns[0][1].kind in ("numeric", "missing"):
                mean = self.means[group]
                for j, column in columns:
                    if column.kind == "numeric":
                        matrix[:, j] = [mean if v is None else float(v) for v in values]
                    else:
                        matrix[:, j] = [1.0 if v is None else 0.0 for v in values]
                continue
            index = {column.level: j for j, column in columns}
            other = index.get(OTHER)
            for i, value in enumerate(values):
                if value is None:
                    continue
                j = index.get(str(value), other)
                if j is not None:
                    matrix[i, j] = 1.0
        return matrix

    def transform(self, rows: Sequence[dict[str, Value]]) -> np.ndarray:
        assert self.center is not None and self.scale is not None
        return (self._raw(rows) - self.center) / self.scale

    @property
    def groups(self) -> list[str]:
        result: list[str] = []
        for column in self.columns:
            if column.group not in result:
                result.append(column.group)
        return result


@dataclass
class Explanation:
    probability: float
    base: float
    #: feature group → contribution in log-odds; base + Σ = logit(probability)
    contributions: dict[str, float]


@dataclass
class FittedModel:
    """The encoder and the calibrated classifier, with what explaining needs."""

    encoder: FeatureEncoder
    classifier: CalibratedClassifierCV
    C: float
    sklearn_version: str = ""
    #: fields left out because they tell the outcome by themselves (see leaking_groups)
    excluded: list[str] = field(default_factory=list)

    @property
    def _parts(self) -> tuple[np.ndarray, float]:
        """(W̄ per column, B̄): the calibrated folds' weights and base, averaged."""
        weights = []
        bases = []
        for calibrated in self.classifier.calibrated_classifiers_:
            regression = calibrated.estimator
            sigmoid = calibrated.calibrators[0]
            weights.append(-sigmoid.a_ * regression.coef_[0])
            bases.append(-sigmoid.a_ * float(regression.intercept_[0]) - sigmoid.b_)
        return np.mean(weights, axis=0), float(np.mean(bases))

    def _logits(self, rows: Sequence[dict[str, Value]]) -> tuple[np.ndarray, np.ndarray, float]:
        z = self.encoder.transform(rows)
        weights, base = self._parts
        parts = z * weights
        return parts, base + parts.sum(axis=1), base

    def probabilities(self, rows: Sequence[dict[str, Value]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        _parts, logits, _base = self._logits(rows)
        return 1 / (1 + np.exp(-logits))

    def explain(self, rows: Sequence[dict[str, Value]]) -> list[Explanation]:
        if not rows:
            return []
        parts, _logits, base = self._logits(rows)
        groups = [c.group for c in self.encoder.columns]
        result = []
        for i in range(len(rows)):
            contributions: dict[str, float] = {}
            for j, group in enumerate(groups):
                contributions[group] = contributions.get(group, 0.0) + float(parts[i, j])
            logit = base + sum(contributions.values())
            result.append(Explanation(1 / (1 + math.exp(-logit)), base, contributions))
        return result

    def coefficients(self) -> list[dict]:
        """Every column with its weight on the calibrated log-odds scale (W̄)."""
        weights, _base = self._parts
        return [
            {"group": c.group, "column": c.label, "weight": float(w)}
            for c, w in zip(self.encoder.columns, weights, strict=True)
        ]

    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        joblib.dump(self, buffer, compress=3)
        return buffer.getvalue()

    @staticmethod
    def loads(data: bytes) -> FittedModel:
        return joblib.load(io.BytesIO(bytes(data)))


def duplicate_groups(snapshots: Sequence[Snapshot]) -> list[int]:
    """A group number per snapshot: the weeks of one deal share a group, and so do deals whose
    every snapshot is identical (duplicate rows must not sit on both sides of a split)."""
    by_deal: dict[int, list[str]] = {}
    for snapshot in snapshots:
        by_deal.setdefault(snapshot.deal_id, []).append(
            repr(sorted(snapshot.features.items(), key=lambda kv: kv[0]))
        )
    signature_group: dict[str, int] = {}
    deal_group: dict[int, int] = {}
    for deal_id, rows in by_deal.items():
        signature = hashlib.sha1("|".join(rows).encode()).hexdigest()
        deal_group[deal_id] = signature_group.setdefault(signature, len(signature_group))
    return [deal_group[s.deal_id] for s in snapshots]


def _splits(y: np.ndarray, groups: np.ndarray, folds: int, seed: int) -> list:
    """Stratified folds by group (``folds`` or fewer when a class has fewer groups)."""
    minority = min(len(set(groups[y == 1])), len(set(groups[y == 0])))
    folds = max(2, min(folds, minority))
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(y)), y, groups))


def choose_c(x: np.ndarray, y: np.ndarray, groups: np.ndarray, seed: int) -> float:
    """The regularisation strength by grouped 5-fold cross-validated AUC on the training rows
    (ranking only: the calibration fixes the scale afterwards), with the one-standard-error
    rule: the strongest regularisation whose AUC is within one standard error of the best.
    Large data skips the search (C = 1)."""
    if len(y) > C_SEARCH_MAX_ROWS:
        return 1.0
    try:
        splits = _splits(y, groups, 5, seed)
    except ValueError:
        return 1.0
    results: list[tuple[float, float, float]] = []
    for c in C_GRID:
        scores = []
        for train_rows, test_rows in splits:
            if len(set(y[train_rows])) < 2 or len(set(y[test_rows])) < 2:
                continue
            regression = LogisticRegression(C=c, max_iter=2000)
            regression.fit(x[train_rows], y[train_rows])
            scores.append(roc_auc_score(y[test_rows], regression.decision_function(x[test_rows])))
        if scores:
            error = float(np.std(scores) / math.sqrt(len(scores)))
            results.append((c, float(np.mean(scores)), error))
    if not results:
        return 1.0
    _c, best, error = max(results, key=lambda r: r[1])
    return min(c for c, auc, _e in results if auc >= best - error)


def leaking_groups(rows: Sequence[dict[str, Value]], y: np.ndarray) -> list[str]:
    """Fields that tell the outcome of (almost) every training deal by themselves: such a
    field was recorded after the outcome (an amount left empty for every lost deal, a source
    system's "Won" stage …), not before it, so it is left out of the model.

    Text (blank counting as a value of its own): the values seen only in won or only in lost
    deals cover ≥ 99 % of the rows. Numbers: the value alone — blank ranked below or above
    every number — orders won above lost (or the reverse) with AUC ≥ 0.99."""
    labels = [int(v) for v in y.tolist()]
    if len(rows) < MIN_CLOSED or len(set(labels)) < 2:
        return []
    names: list[str] = []
    seen: set[str] = set()
    for row in rows:
        for name in row:
            if name not in seen:
                seen.add(name)
                names.append(name)
    leaks = []
    for name in names:
        values = [row.get(name) for row in rows]
        if any(isinstance(v, str) for v in values):
            outcomes: dict[str, set[int]] = {}
            for value, label in zip(values, labels, strict=True):
                outcomes.setdefault(str(value), set()).add(label)
            pure = sum(1 for v in values if len(outcomes[str(v)]) == 1)
            if len(outcomes) > 1 and pure >= LEAK_SHARE * len(values):
                leaks.append(name)
            continue
        known = [float(v) for v in values if v is not None]
        if not known:
            continue
        for blank in (min(known) - 1, max(known) + 1):
            filled = [blank if v is None else float(v) for v in values]
            if len(set(filled)) < 2:
                continue
            auc = roc_auc_score(labels, filled)
            if max(auc, 1 - auc) >= LEAK_SHARE:
                leaks.append(name)
                break
    return leaks


def train(
    snapshots: Sequence[Snapshot],
    *,
    seed: int = 0,
    folds: int = 5,
    c: float | None = None,
    groups: Sequence[int] | None = None,
) -> FittedModel:
    """Fit the encoder and the calibrated regression on labelled snapshots."""
    import sklearn

    y = np.array([1 if s.won else 0 for s in snapshots])
    # the weeks of one deal stay on one side of every internal fold (identical deals need not:
    # with few fields, a new deal looks exactly like past ones, and that is fine)
    group_ids = np.array(groups if groups is not None else [s.deal_id for s in snapshots])
    excluded = leaking_groups([s.features for s in snapshots], y)
    rows = [{k: v for k, v in s.features.items() if k not in excluded} for s in snapshots]
    encoder = FeatureEncoder().fit(rows)
    x = encoder.transform(rows)
    with threadpool_limits(1):  # small problems: threads only fight over a shared machine
        strength = c if c is not None else choose_c(x, y, group_ids, seed)
    classifier = CalibratedClassifierCV(
        LogisticRegression(C=strength, max_iter=2000),
        method="sigmoid",
        cv=_splits(y, group_ids, folds, seed),
        ensemble=True,
    )
    with threadpool_limits(1):
        classifier.fit(x, y)
    return FittedModel(encoder, classifier, strength, sklearn.__version__, excluded)


def fingerprint(snapshots: Sequence[Snapshot]) -> str:
    """A hash of the training data (deals, moments, outcomes, features)."""
    digest = hashlib.sha256()
    for s in snapshots:
        digest.update(
            repr((s.deal_id, s.as_of.isoformat(), s.won, sorted(s.features.items()))).encode()
        )
    return digest.hexdigest()
