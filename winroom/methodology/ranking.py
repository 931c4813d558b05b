"""Monthly ranking of reps (排名), METHODOLOGY §3.6.

- :func:`composite_scores` — each rep's composite of configurable, weighted metrics. Each
  metric is first scaled to 0–100 against the best rep of the month (the best = 100, zero =
  0), so metrics in different units can be weighed together; the composite is the weighted
  mean of the scaled values. Every input and scaled value is kept for the explanation.
- :func:`group_sizes` — top 30 % rounded up (at least one), bottom 15 % rounded up (at least
  one), no one in both: with one rep there is only a top; with two, one each.
- :func:`rank` — ordered reps with their group. Ties are broken by the tie-break values given
  (e.g. attainment), then by the rep's key, so the groups keep exactly the sizes of the rule;
  a tie across a group boundary is flagged so a manager can see it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from .errors import MethodologyError

TOP_SHARE = Decimal("0.30")
BOTTOM_SHARE = Decimal("0.15")
SCORE = Decimal("0.01")

TOP, MIDDLE, BOTTOM = "top", "middle", "bottom"


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def group_sizes(
    count: int, top_share: Decimal = TOP_SHARE, bottom_share: Decimal = BOTTOM_SHARE
) -> tuple[int, int]:
    """(top, bottom) group sizes for ``count`` reps."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise MethodologyError("count must be a non-negative integer")
    if not (0 <= top_share <= 1 and 0 <= bottom_share <= 1):
        raise MethodologyError("shares are fractions between 0 and 1")
    if count == 0:
        return 0, 0
    top = max(1, _ceil(count * top_share))
    bottom = max(1, _ceil(count * bottom_share))
    top = min(top, count)
    bottom = min(bottom, count - top)  # no one in both
    return top, bottom


@dataclass(frozen=True)
class Score:
    key: Hashable
    composite: Decimal
    inputs: dict[str, Decimal]
    scaled: dict[str, Decimal]


def composite_scores(
    metrics: Mapping[Hashable, Mapping[str, object]], weights: Mapping[str, object]
) -> list[Score]:
    """Composite score (0–100) per rep; ``metrics`` is rep → metric → value (≥ 0)."""
    weight = {name: Decimal(str(w)) for name, w in weights.items()}
    if any(w < 0 for w in weight.values()):
        raise MethodologyError("weights cannot be negative")
    total_weight = sum(weight.values(), Decimal(0))
    if total_weight == 0:
        raise MethodologyError("at least one weight must be positive")
    values: dict[Hashable, dict[str, Decimal]] = {}
    for key, row in metrics.items():
        values[key] = {}
        for name in weight:
            raw = Decimal(str(row.get(name, 0) or 0))
            if raw < 0:
                raise MethodologyError(f"{name} cannot be negative")
            values[key][name] = raw
    best = {name: max((v[name] for v in values.values()), default=Decimal(0)) for name in weight}
    scores = []
    for key, row in values.items():
        scaled = {
            name: (row[name] / best[name] * 100 if best[name] else Decimal(0)).quantize(
                SCORE, ROUND_HALF_UP
            )
            for name in weight
        }
        composite = sum((scaled[n] * weight[n] for n in weight), Decimal(0)) / total_weight
        scores.append(Score(key, composite.quantize(SCORE, ROUND_HALF_UP), row, scaled))
    return scores


@dataclass(frozen=True)
class Ranked:
    key: Hashable
    position: int  # 1 = best
    score: Decimal
    group: str
    tied_across_boundary: bool = False
    tie_break: tuple[Decimal, ...] = field(default=())


def rank(
    scores: Mapping[Hashable, object],
    *,
    tie_break: Mapping[Hashable, Sequence[object]] | None = None,
    top_share: Decimal = TOP_SHARE,
    bottom_share: Decimal = BOTTOM_SHARE,
) -> list[Ranked]:
    """Order reps by score (higher first) and assign top / middle / bottom."""
    tie_break = tie_break or {}
    keyed = []
    for key, score in scores.items():
        breaks = tuple(Decimal(str(v)) for v in tie_break.get(key, ()))
        keyed.append((Decimal(str(score)), breaks, key))
    keyed.sort(key=lambda item: (tuple(-b for b in (item[0], *item[1])), str(item[2])))
    top, bottom = group_sizes(len(keyed), top_share, bottom_share)
    result = []
    count = len(keyed)
    for index, (score, breaks, key) in enumerate(keyed):
        if index < top:
            group = TOP
        elif index >= count - bottom:
            group = BOTTOM
        else:
            group = MIDDLE
        result.append(Ranked(key, index + 1, score, group, False, breaks))
    # flag equal scores that ended up on both sides of a boundary
    for i in range(1, count):
        a, b = result[i - 1], result[i]
        if a.group != b.group and a.score == b.score:
            result[i - 1] = Ranked(a.key, a.position, a.score, a.group, True, a.tie_break)
            result[i] = Ranked(b.key, b.position, b.score, b.group, True, b.tie_break)
    return result
