"""How well the weekly win rates predicted the outcome (METHODOLOGY §3.5), beside what a
stage-based CRM would have said.

For the deals of the scope closed in the period (won = 1; lost or abandoned = 0), every
weekly point of their win-rate curve taken before the close is a prediction. For the same
points, the stage the deal was in that week (read from the deal's change history) gives the
stage-based probability (10/25/50/70/90 style, ``forecast.STAGE_PROBABILITIES``). Weeks
without a rule-based rate (no compelling event, not assessed) are counted but not scored on
either side, so both columns judge the same predictions.

One query reads the points (rate, stage that week, outcome); the core computes the
calibration bands and the Brier scores.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from winroom.deals.models import Deal, DealStatus, WinRatePoint
from winroom.methodology import forecast as core
from winroom.methodology.periods import Period

from .metrics import bounds
from .scope import Scope


@dataclass
class Backtest:
    deals: int
    points: int
    unscored: int
    tas_brier: object
    stage_brier: object
    tas_bands: list[core.Band]
    stage_bands: list[core.Band]
    as_of: object

    def chart(self) -> dict:
        def series(bands):
            return [
                {
                    "band": f"{int(b.low * 100)}–{int(b.high * 100)}%",
                    "predicted": float(b.mean_predicted) if b.mean_predicted is not None else None,
                    "won": float(b.won_share) if b.won_share is not None else None,
                    "count": b.count,
                }
                for b in bands
            ]

        return {"tas": series(self.tas_bands), "stage": series(self.stage_bands)}


def closed_in(scope: Scope, period: Period):
    first, after = bounds(period)
    return Deal.objects.filter(
        scope.q(),
        status__in=[DealStatus.WON, DealStatus.LOST, DealStatus.ABANDONED],
        closed_at__gte=first,
        closed_at__lt=after,
        account__deleted_at__isnull=True,
    )


def points(scope: Scope, period: Period):
    """The weekly points before the close: (rate or None, stage number that week, won)."""
    history = Deal.history.model.objects.filter(
        id=OuterRef("deal_id"), history_date__lte=OuterRef("at")
    ).order_by("-history_date", "-history_id")
    stage_then = Subquery(history.values("stage__number")[:1], output_field=IntegerField())
    return (
        WinRatePoint.objects.filter(
            deal__in=closed_in(scope, period).values("pk"),
            week__isnull=False,
            at__lt=F("deal__closed_at"),
        )
        .annotate(
            stage_number=Coalesce(stage_then, F("deal__stage__number"), output_field=IntegerField())
        )
        .values_list("rate", "stage_number", "deal__status", "deal_id")
        .order_by()
    )


def _stage_probability(number: int) -> object:
    table = core.STAGE_PROBABILITIES
    if number in table:
        return table[number]
    return table[max(table)] if number > max(table) else table[min(table)]


CACHE_SECONDS = 900


def cached_run(scope: Scope, period: Period, *, fresh: bool = False) -> Backtest:
    """The backtest, kept for a quarter of an hour (it reads every weekly point)."""
    key = f"insights:backtest:{scope.code}:{period.start}:{period.end}"
    result = None if fresh else cache.get(key)
    if result is None:
        result = run(scope, period)
        cache.set(key, result, CACHE_SECONDS)
    return result


def run(scope: Scope, period: Period) -> Backtest:
    tas: list[tuple[object, bool]] = []
    stage: list[tuple[object, bool]] = []
    deals: set[int] = set()
    unscored = 0
    for rate, stage_number, status, deal_id in points(scope, period):
        deals.add(deal_id)
        if rate is None:
            unscored += 1
            continue
        won = status == DealStatus.WON
        tas.append((rate, won))
        stage.append((_stage_probability(stage_number), won))
    return Backtest(
        deals=len(deals),
        points=len(tas),
        unscored=unscored,
        tas_brier=core.brier_score(tas),
        stage_brier=core.brier_score(stage),
        tas_bands=core.calibration(tas),
        stage_bands=core.calibration(stage),
        as_of=timezone.now(),
    )
