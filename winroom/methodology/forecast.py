"""Forecast (预测), METHODOLOGY §3.5.

- :func:`category` — commit (win rate ≥ 70 %), best case (40 % ≤ rate < 70 %), pipeline
  (< 40 %); bounds are settings, the defaults are the method's.
- :func:`weighted` — an amount weighted by its win rate, to the cent.
- :func:`brier_score` — mean squared distance between the predicted probabilities and the
  outcomes (1 won, 0 lost): 0 is perfect, 0.25 is what always saying 50 % earns.
- :func:`calibration` — predictions grouped by band with the average prediction beside the
  share that actually won, the table behind a calibration chart.
- :data:`STAGE_PROBABILITIES` — the stage-based probabilities the method rejects (§2.6), kept
  as the baseline the backtest compares the TAS+ win rates with.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .errors import MethodologyError

COMMIT, BEST_CASE, PIPELINE = "commit", "best_case", "pipeline"
CATEGORIES = (COMMIT, BEST_CASE, PIPELINE)
COMMIT_FROM = Decimal("0.70")
BEST_CASE_FROM = Decimal("0.40")
MONEY = Decimal("0.01")
RATIO = Decimal("0.0001")

#: "10/25/50/70/90 style": the probability a stage-based CRM would give each of our stages
STAGE_PROBABILITIES: dict[int, Decimal] = {
    1: Decimal("0.10"),
    2: Decimal("0.10"),
    3: Decimal("0.25"),
    4: Decimal("0.50"),
    5: Decimal("0.70"),
    6: Decimal("0.90"),
    7: Decimal("0.90"),
}

#: the default calibration bands: [0, 0.1), [0.1, 0.2), …, [0.9, 1.0]
DECILES: tuple[Decimal, ...] = tuple(Decimal(i) / 10 for i in range(11))


def _rate(value: object) -> Decimal:
    rate = Decimal(str(value))
    if not rate.is_finite() or rate < 0 or rate > 1:
        raise MethodologyError("a win rate is a fraction between 0 and 1")
    return rate


def category(
    win_rate: object, *, commit_from: object = COMMIT_FROM, best_case_from: object = BEST_CASE_FROM
) -> str:
    rate = _rate(win_rate)
    commit, best = Decimal(str(commit_from)), Decimal(str(best_case_from))
    if not 0 <= best <= commit <= 1:
        raise MethodologyError("need 0 ≤ best-case bound ≤ commit bound ≤ 1")
    if rate >= commit:
        return COMMIT
    if rate >= best:
        return BEST_CASE
    return PIPELINE


def weighted(amount: object, win_rate: object) -> Decimal:
    value = Decimal(str(amount))
    if value < 0:
        raise MethodologyError("amount cannot be negative")
    return (value * _rate(win_rate)).quantize(MONEY, ROUND_HALF_UP)


def stage_probability(stage: int, table: dict[int, Decimal] | None = None) -> Decimal:
    table = table or STAGE_PROBABILITIES
    if stage not in table:
        raise MethodologyError(f"no probability for stage {stage}")
    return table[stage]


def _pairs(predictions: Iterable[tuple[object, bool]]) -> list[tuple[Decimal, int]]:
    return [(_rate(p), 1 if won else 0) for p, won in predictions]


def brier_score(predictions: Iterable[tuple[object, bool]]) -> Decimal | None:
    """Mean of (p − outcome)²; None without predictions (no data is not a perfect score)."""
    pairs = _pairs(predictions)
    if not pairs:
        return None
    total = sum(((p - o) ** 2 for p, o in pairs), Decimal(0))
    return (total / len(pairs)).quantize(RATIO, ROUND_HALF_UP)


@dataclass(frozen=True)
class Band:
    low: Decimal
    high: Decimal
    count: int
    won: int
    mean_predicted: Decimal | None
    won_share: Decimal | None

    @property
    def gap(self) -> Decimal | None:
        """Observed minus predicted: positive = we were too pessimistic."""
        if self.mean_predicted is None or self.won_share is None:
            return None
        return self.won_share - self.mean_predicted


def calibration(
    predictions: Iterable[tuple[object, bool]], edges: Sequence[Decimal] = DECILES
) -> list[Band]:
    """One row per band [low, high) (the last band includes its upper edge)."""
    bounds = [Decimal(str(e)) for e in edges]
    if len(bounds) < 2 or bounds != sorted(bounds) or len(set(bounds)) != len(bounds):
        raise MethodologyError("band edges must be at least two increasing values")
    pairs = _pairs(predictions)
    bands = []
    last = len(bounds) - 2
    for index in range(len(bounds) - 1):
        low, high = bounds[index], bounds[index + 1]
        inside = [(p, o) for p, o in pairs if low <= p < high or (index == last and p == high)]
        count = len(inside)
        won = sum(o for _, o in inside)
        mean = (
            (sum((p for p, _ in inside), Decimal(0)) / count).quantize(RATIO, ROUND_HALF_UP)
            if count
            else None
        )
        share = (Decimal(won) / count).quantize(RATIO, ROUND_HALF_UP) if count else None
        bands.append(Band(low, high, count, won, mean, share))
    return bands
