"""The naive-Bayes frequency score, as Odoo's predictive lead scoring computes it.

A baseline for the learned win probability (issue 8): what a well-known CRM offers out of the
box. From closed deals it counts, per field and value, how many were won and how many lost,
each count plus 0.1 (so an unseen combination is unlikely, never impossible). A deal's score:

    s_won  = P(won)  × Π over its fields  (won(field = value) + 0.1) / Σ_values (won + 0.1)
    s_lost = P(lost) × Π over its fields (lost(field = value) + 0.1) / Σ_values (lost + 0.1)
    p      = s_won / (s_won + s_lost)

A field left blank, or a value never seen in a closed deal, is skipped (it says nothing).
Computed in log space so that many fields cannot underflow to 0 / 0. Odoo's special
treatment of the stage (a lost lead also counts in every earlier stage it passed) is not
reproduced: here the stage is a field like any other, which is how the baseline is used.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .errors import MethodologyError

SMOOTHING = 0.1

Fields = Mapping[str, str | None]


@dataclass(frozen=True)
class FieldCounts:
    """Won and lost counts of each value of one field (before smoothing)."""

    won: Mapping[str, int] = field(default_factory=dict)
    lost: Mapping[str, int] = field(default_factory=dict)

    def values(self) -> set[str]:
        return set(self.won) | set(self.lost)

    def totals(self) -> tuple[float, float]:
        """Σ over the field's values of (won + 0.1) and of (lost + 0.1)."""
        values = self.values()
        won = sum(self.won.get(v, 0) + SMOOTHING for v in values)
        lost = sum(self.lost.get(v, 0) + SMOOTHING for v in values)
        return won, lost


@dataclass(frozen=True)
class NaiveBayesScore:
    """The frequency table of the closed deals; :meth:`probability` scores a deal."""

    won: int
    lost: int
    fields: Mapping[str, FieldCounts]

    def probability(self, deal: Fields) -> float:
        """The score of a deal, 0..1 (the prior when none of its values was ever seen)."""
        log_won = math.log(self.won / (self.won + self.lost))
        log_lost = math.log(self.lost / (self.won + self.lost))
        for name, value in deal.items():
            if value is None or value == "":
                continue
            value = str(value)
            counts = self.fields.get(name)
            if counts is None or value not in counts.values():
                continue
            total_won, total_lost = counts.totals()
            log_won += math.log((counts.won.get(value, 0) + SMOOTHING) / total_won)
            log_lost += math.log((counts.lost.get(value, 0) + SMOOTHING) / total_lost)
        top = max(log_won, log_lost)
        s_won, s_lost = math.exp(log_won - top), math.exp(log_lost - top)
        return s_won / (s_won + s_lost)


def fit(examples: Iterable[tuple[Fields, bool]]) -> NaiveBayesScore:
    """The frequency table of closed deals given as (fields, won). Both outcomes must occur:
    with only won (or only lost) deals there is nothing to tell apart."""
    won = lost = 0
    tables: dict[str, tuple[dict[str, int], dict[str, int]]] = {}
    for fields, outcome in examples:
        if outcome not in (True, False):
            raise MethodologyError("an outcome must be won (True) or lost (False)")
        if outcome:
            won += 1
        else:
            lost += 1
        for name, value in fields.items():
            if value is None or value == "":
                continue
            won_counts, lost_counts = tables.setdefault(name, ({}, {}))
            target = won_counts if outcome else lost_counts
            target[str(value)] = target.get(str(value), 0) + 1
    if won == 0 or lost == 0:
        raise MethodologyError("the frequency score needs both won and lost deals")
    return NaiveBayesScore(
        won=won,
        lost=lost,
        fields={name: FieldCounts(won=w, lost=lo) for name, (w, lo) in tables.items()},
    )
