"""How true a probability is: the out-of-sample metrics of the win-probability report.

METHODOLOGY §3.5 asks how well past win rates predicted outcomes (calibration, Brier score);
the learned win probability (issue 8) is judged the same way, beside its baselines:

- :func:`auc` — the chance that a won deal was given a higher number than a lost one (ties
  count half): 0.5 is a coin, 1 is perfect ranking. Undefined (``None``) with one class only.
- :func:`brier` — mean of (p − outcome)²: 0 is perfect, 0.25 is what always saying 50 % earns.
- :func:`log_loss` — mean of −ln(probability given to what happened); probabilities are clipped
  to [1e-15, 1 − 1e-15] so a confident mistake costs a lot but not infinity.
- :func:`calibration_by_decile` — ten equal-width bands of the predicted probability
  ([0, 0.1), …, [0.9, 1.0]) with the mean prediction beside the share that actually won.
- :func:`expected_calibration_error` — the bands' |observed − predicted| weighted by size.

Plain floats in and out (these are statistics, not money). Outcomes are 1 (won) / 0 (lost);
``True`` / ``False`` are accepted. Empty input gives ``None`` ("no data" is not a score).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import MethodologyError

#: log loss clips probabilities to [EPSILON, 1 - EPSILON]
EPSILON = 1e-15
DECILES = 10


def _outcomes(outcomes: Sequence[int | bool]) -> list[int]:
    result = []
    for outcome in outcomes:
        if outcome not in (0, 1):  # True == 1 and False == 0
            raise MethodologyError(f"an outcome must be 1 (won) or 0 (lost), not {outcome!r}")
        result.append(int(outcome))
    return result


def _scores(scores: Sequence[float], outcomes: Sequence[int | bool]) -> list[float]:
    if len(scores) != len(outcomes):
        raise MethodologyError(
            f"{len(scores)} predictions for {len(outcomes)} outcomes: they must pair up"
        )
    values = []
    for score in scores:
        value = float(score)
        if not math.isfinite(value):
            raise MethodologyError("a prediction must be a finite number")
        values.append(value)
    return values


def _probabilities(
    probabilities: Sequence[float], outcomes: Sequence[int | bool]
) -> tuple[list[float], list[int]]:
    values = _scores(probabilities, outcomes)
    if any(not 0.0 <= p <= 1.0 for p in values):
        raise MethodologyError("a probability must be between 0 and 1")
    return values, _outcomes(outcomes)


def base_rate(outcomes: Sequence[int | bool]) -> float | None:
    """The share of won deals; ``None`` without deals."""
    values = _outcomes(outcomes)
    if not values:
        return None
    return sum(values) / len(values)


def auc(scores: Sequence[float], outcomes: Sequence[int | bool]) -> float | None:
    """Area under the ROC curve by the rank-sum (Mann–Whitney) formula, ties averaged.

    Any finite scores are accepted (only their order matters). ``None`` when there is no won
    or no lost deal: ranking needs both.
    """
    values = _scores(scores, outcomes)
    labels = _outcomes(outcomes)
    positives = sum(labels)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        return None
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        average = (start + end) / 2 + 1  # ranks are 1-based
        for position in range(start, end + 1):
            ranks[order[position]] = average
        start = end + 1
    rank_sum = sum(rank for rank, label in zip(ranks, labels, strict=True) if label)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def brier(probabilities: Sequence[float], outcomes: Sequence[int | bool]) -> float | None:
    """Mean squared distance between prediction and outcome; ``None`` without predictions."""
    values, labels = _probabilities(probabilities, outcomes)
    if not values:
        return None
    return sum((p - o) ** 2 for p, o in zip(values, labels, strict=True)) / len(values)


def log_loss(probabilities: Sequence[float], outcomes: Sequence[int | bool]) -> float | None:
    """Mean negative log-likelihood (natural log), probabilities clipped; ``None`` if empty."""
    values, labels = _probabilities(probabilities, outcomes)
    if not values:
        return None
    total = 0.0
    for p, o in zip(values, labels, strict=True):
        clipped = min(max(p, EPSILON), 1 - EPSILON)
        total -= math.log(clipped) if o else math.log(1 - clipped)
    return total / len(values)


@dataclass(frozen=True)
class CalibrationBand:
    """Predictions in [low, high) (the last band includes 1.0) and how many of them won."""

    low: float
    high: float
    count: int
    won: int
    mean_predicted: float | None
    observed: float | None

    @property
    def gap(self) -> float | None:
        """Observed minus predicted: positive = the predictions were too pessimistic."""
        if self.mean_predicted is None or self.observed is None:
            return None
        return self.observed - self.mean_predicted


def calibration_by_decile(
    probabilities: Sequence[float], outcomes: Sequence[int | bool], bands: int = DECILES
) -> tuple[CalibrationBand, ...]:
    """``bands`` equal-width bands of the predicted probability (empty bands included)."""
    if bands < 1:
        raise MethodologyError("at least one band is needed")
    values, labels = _probabilities(probabilities, outcomes)
    counts = [0] * bands
    won = [0] * bands
    sums = [0.0] * bands
    for p, o in zip(values, labels, strict=True):
        index = min(int(p * bands), bands - 1)
        counts[index] += 1
        won[index] += o
        sums[index] += p
    return tuple(
        CalibrationBand(
            low=i / bands,
            high=(i + 1) / bands,
            count=counts[i],
            won=won[i],
            mean_predicted=sums[i] / counts[i] if counts[i] else None,
            observed=won[i] / counts[i] if counts[i] else None,
        )
        for i in range(bands)
    )


def expected_calibration_error(
    probabilities: Sequence[float], outcomes: Sequence[int | bool], bands: int = DECILES
) -> float | None:
    """Σ over bands of (band size / n) × |observed − mean predicted|; ``None`` if empty."""
    table = calibration_by_decile(probabilities, outcomes, bands)
    total = sum(band.count for band in table)
    if not total:
        return None
    return sum(band.count / total * abs(band.gap or 0.0) for band in table)


@dataclass(frozen=True)
class Metrics:
    """Every metric of one set of predictions."""

    count: int
    won: int
    auc: float | None
    brier: float | None
    log_loss: float | None
    ece: float | None
    calibration: tuple[CalibrationBand, ...]


def evaluate(probabilities: Sequence[float], outcomes: Sequence[int | bool]) -> Metrics:
    """All metrics at once (the inputs are checked once more by each; they are small)."""
    labels = _outcomes(outcomes)
    return Metrics(
        count=len(labels),
        won=sum(labels),
        auc=auc(probabilities, labels),
        brier=brier(probabilities, labels),
        log_loss=log_loss(probabilities, labels),
        ece=expected_calibration_error(probabilities, labels),
        calibration=calibration_by_decile(probabilities, labels),
    )


def mean(values: Sequence[float | None]) -> float | None:
    """The mean of the known values (repeated runs may leave a metric undefined)."""
    known = [v for v in values if v is not None]
    if not known:
        return None
    return sum(known) / len(known)
