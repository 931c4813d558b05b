"""Health standards learned from the company's own won and lost deals, METHODOLOGY §2.9.

"Role coverage: which decision roles must be met and positive by which stage; companies can
derive the standard from the coverage seen in their own won versus lost deals."

Input: one :class:`StageObservation` per closed deal and stage it went through — the six
health indicators (0–100) and the decision roles covered, as they stood when the deal left
that stage (or closed in it). Per stage and indicator the won deals are compared with the
lost ones; a new standard is **proposed** (never applied: an administrator accepts or
rejects it) when

- both outcomes have at least ``min_deals`` observations at the stage, and
- the won deals' mean is at least ``min_gap`` points above the lost deals' mean (otherwise
  the indicator did not tell winners from losers at this stage, and the current standard
  stays), and
- the proposal differs from the current standard.

The proposed value is the level three in four won deals reached: the lower quartile of the
won deals' values (nearest rank), rounded down to a multiple of 5.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .errors import MethodologyError
from .health import INDICATORS
from .strategy import ALL_DECISION_ROLES

MIN_DEALS = 10
MIN_GAP = 10
QUANTILE = 0.25
STEP = 5

# Reason codes of a :class:`IndicatorEvidence` without a proposal.
REASON_TOO_FEW_DEALS = "too_few_deals"
REASON_NO_DIFFERENCE = "no_difference"
REASON_ALREADY_STANDARD = "already_standard"
REASON_PROPOSED = "proposed"


@dataclass(frozen=True)
class StageObservation:
    """A closed deal at one stage: its indicators and covered roles, and whether it was won."""

    stage: int
    won: bool
    indicators: Mapping[str, int]
    roles: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for code, value in self.indicators.items():
            if code not in {i.value for i in INDICATORS}:
                raise MethodologyError(f"unknown health indicator {code!r}")
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
                raise MethodologyError(f"{code} must be an integer from 0 to 100")


@dataclass(frozen=True)
class IndicatorEvidence:
    """One indicator at one stage: won vs lost, and the proposal (or why there is none)."""

    stage: int
    indicator: str
    won_count: int
    lost_count: int
    won_mean: float | None
    lost_mean: float | None
    current: int | None
    proposed: int | None
    reason: str


@dataclass(frozen=True)
class RoleEvidence:
    """How often a decision role was covered at a stage in won and in lost deals."""

    stage: int
    role: str
    won_share: float | None
    lost_share: float | None


@dataclass(frozen=True)
class LearnedStandards:
    indicators: tuple[IndicatorEvidence, ...]
    roles: tuple[RoleEvidence, ...]

    @property
    def proposals(self) -> tuple[IndicatorEvidence, ...]:
        return tuple(e for e in self.indicators if e.proposed is not None)


def lower_quartile(values: Sequence[int]) -> int:
    """The nearest-rank 25th percentile of ``values`` (not empty)."""
    if not values:
        raise MethodologyError("no values")
    ordered = sorted(values)
    return ordered[max(math.ceil(QUANTILE * len(ordered)) - 1, 0)]


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def learn_standards(
    observations: Iterable[StageObservation],
    current: Mapping[int, Mapping[str, int]],
    *,
    min_deals: int = MIN_DEALS,
    min_gap: float = MIN_GAP,
) -> LearnedStandards:
    """Evidence per stage (ascending) and indicator (radar order), and per stage and role."""
    if min_deals < 1:
        raise MethodologyError("min_deals must be at least 1")
    by_stage: dict[int, list[StageObservation]] = {}
    for observation in observations:
        by_stage.setdefault(observation.stage, []).append(observation)
    evidence: list[IndicatorEvidence] = []
    roles: list[RoleEvidence] = []
    for stage in sorted(by_stage):
        rows = by_stage[stage]
        won = [o for o in rows if o.won]
        lost = [o for o in rows if not o.won]
        for indicator in INDICATORS:
            code = indicator.value
            won_values = [o.indicators[code] for o in won if code in o.indicators]
            lost_values = [o.indicators[code] for o in lost if code in o.indicators]
            standard = current.get(stage, {}).get(code)
            won_mean, lost_mean = _mean(won_values), _mean(lost_values)
            proposed = None
            if len(won_values) < min_deals or len(lost_values) < min_deals:
                reason = REASON_TOO_FEW_DEALS
            elif won_mean is None or lost_mean is None or won_mean - lost_mean < min_gap:
                reason = REASON_NO_DIFFERENCE
            else:
                value = lower_quartile(won_values) // STEP * STEP
                if value == standard:
                    reason = REASON_ALREADY_STANDARD
                else:
                    reason, proposed = REASON_PROPOSED, value
            evidence.append(
                IndicatorEvidence(
                    stage=stage,
                    indicator=code,
                    won_count=len(won_values),
                    lost_count=len(lost_values),
                    won_mean=won_mean,
                    lost_mean=lost_mean,
                    current=standard,
                    proposed=proposed,
                    reason=reason,
                )
            )
        for role in ALL_DECISION_ROLES:
            roles.append(
                RoleEvidence(
                    stage=stage,
                    role=str(role),
                    won_share=sum(1 for o in won if role in o.roles) / len(won) if won else None,
                    lost_share=sum(1 for o in lost if role in o.roles) / len(lost)
                    if lost
                    else None,
                )
            )
    return LearnedStandards(indicators=tuple(evidence), roles=tuple(roles))
