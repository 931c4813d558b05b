"""Writes of the learned win probability: train, score, evaluate, propose and decide standards."""

from __future__ import annotations

import time
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from winroom.deals.actions import refresh_health_scores
from winroom.deals.assessment import company_standards
from winroom.deals.models import Deal, DealStatus, HealthStandard, Stage
from winroom.methodology.learned_standards import StageObservation, learn_standards

from . import features as feature_module
from .evaluation import evaluate
from .features import HEALTH_CODES, DealFacts, current_snapshots, training_snapshots
from .learning import FittedModel, fingerprint, insufficient_reason, train
from .models import (
    DealScore,
    EvaluationReport,
    ModelStatus,
    ProposalStatus,
    StandardProposal,
    WinModel,
)

FACTORS_KEPT = 8
PROBABILITY = Decimal("0.0001")


def _metrics_of(model: FittedModel, snapshots) -> dict:
    from winroom.methodology import metrics

    p = [float(x) for x in model.probabilities([s.features for s in snapshots])]
    y = [1 if s.won else 0 for s in snapshots]
    result = metrics.evaluate(p, y)
    return {
        "auc": result.auc,
        "brier": result.brier,
        "log_loss": result.log_loss,
        "ece": result.ece,
    }


def train_win_model(*, force: bool = False, seed: int = 0, per_deal: int | None = None) -> dict:
    """Train on every closed deal and store the run; score the open deals with the model.

    Idempotent: when the training data is unchanged since the current model, nothing is
    retrained (the open deals are scored again). Too little history stores a run that says
    so, and no model (the deal room then says so too)."""
    started = time.perf_counter()
    snapshots = training_snapshots(
        per_deal=per_deal if per_deal is not None else feature_module.SNAPSHOTS_PER_DEAL
    )
    deals = {s.deal_id: bool(s.won) for s in snapshots}
    won = sum(deals.values())
    lost = len(deals) - won
    reason = insufficient_reason(won, lost)
    print_ = fingerprint(snapshots)
    current = WinModel.current()
    if (
        not force
        and current is not None
        and current.fingerprint == print_
        and current.status == (ModelStatus.INSUFFICIENT if reason else ModelStatus.TRAINED)
    ):
        scored = score_open_deals(current) if current.is_trained else 0
        return {"model": current, "created": False, "scored": scored}
    if reason:
        model = WinModel.objects.create(
            status=ModelStatus.INSUFFICIENT,
            reason=reason,
            closed_deals=won + lost,
            won=won,
            lost=lost,
            rows=len(snapshots),
            fingerprint=print_,
            seconds=time.perf_counter() - started,
        )
        DealScore.objects.all().delete()  # an old model's scores must not outlive it
        return {"model": model, "created": True, "scored": 0}
    fitted = train(snapshots, seed=seed)
    seconds = time.perf_counter() - started
    model = WinModel.objects.create(
        status=ModelStatus.TRAINED,
        closed_deals=won + lost,
        won=won,
        lost=lost,
        rows=len(snapshots),
        features=fitted.coefficients(),
        metrics={"in_sample": _metrics_of(fitted, snapshots)},
        parameters={
            "C": fitted.C,
            "calibration": "sigmoid",
            "snapshots_per_deal": per_deal or feature_module.SNAPSHOTS_PER_DEAL,
            "seed": seed,
            "sklearn": fitted.sklearn_version,
            "excluded": fitted.excluded,
        },
        fingerprint=print_,
        seconds=seconds,
        artifact=fitted.dumps(),
    )
    scored = score_open_deals(model, fitted)
    return {"model": model, "created": True, "scored": scored}


def _rate(value: float) -> Decimal:
    return Decimal(str(value)).quantize(PROBABILITY, ROUND_HALF_UP)


def explain_deals(model: WinModel, deal_ids, fitted: FittedModel | None = None, now=None):
    """(snapshot, explanation) of each deal as it stands now."""
    fitted = fitted or FittedModel.loads(model.artifact)
    snapshots = current_snapshots(list(deal_ids), now=now)
    explanations = fitted.explain([s.features for s in snapshots])
    return list(zip(snapshots, explanations, strict=True))


def factor_rows(snapshot, explanation, kept: int = FACTORS_KEPT) -> list[dict]:
    ordered = sorted(explanation.contributions.items(), key=lambda kv: -abs(kv[1]))
    return [
        {
            "code": code,
            "value": snapshot.features.get(code),
            "contribution": round(value, 4),
        }
        for code, value in ordered[:kept]
    ]


def score_open_deals(model: WinModel, fitted: FittedModel | None = None, *, chunk: int = 2000):
    """Store every open deal's learned probability and its top factors (bulk)."""
    if not model.is_trained:
        return 0
    fitted = fitted or FittedModel.loads(model.artifact)
    ids = list(Deal.objects.open().values_list("pk", flat=True))
    now = timezone.now()
    written = 0
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        rows = []
        for snapshot, explanation in explain_deals(model, part, fitted, now):
            rows.append(
                DealScore(
                    deal_id=snapshot.deal_id,
                    model=model,
                    probability=_rate(explanation.probability),
                    rule_rate=_rate(snapshot.rule_rate) if snapshot.rule_rate is not None else None,
                    base=explanation.base,
                    factors=factor_rows(snapshot, explanation),
                    scored_at=now,
                )
            )
        with transaction.atomic():
            DealScore.objects.filter(deal_id__in=part).delete()
            DealScore.objects.bulk_create(rows, batch_size=500)
        written += len(rows)
    return written


def live_score(deal: Deal) -> DealScore | None:
    """The deal's score now, computed on the spot (not saved) when the stored one is missing
    or from an older model; ``None`` without a trained model."""
    model = WinModel.current()
    if model is None or not model.is_trained:
        return None
    stored = DealScore.objects.filter(deal=deal, model=model).first()
    if stored is not None or deal.status != DealStatus.OPEN:
        return stored
    pairs = explain_deals(model, [deal.pk])
    if not pairs:
        return None
    snapshot, explanation = pairs[0]
    return DealScore(
        deal=deal,
        model=model,
        probability=_rate(explanation.probability),
        rule_rate=_rate(snapshot.rule_rate) if snapshot.rule_rate is not None else None,
        base=explanation.base,
        factors=factor_rows(snapshot, explanation),
        scored_at=timezone.now(),
    )


def run_evaluation(*, by=None, **options) -> EvaluationReport:
    """Evaluate on every closed deal and keep the report (raises NotEnoughData)."""
    per_deal = options.pop("per_deal", None) or feature_module.SNAPSHOTS_PER_DEAL
    started = time.perf_counter()
    snapshots = training_snapshots(per_deal=per_deal)
    data = evaluate(snapshots, **options)
    data["seconds"] = round(time.perf_counter() - started, 2)
    data["snapshots_per_deal"] = per_deal
    return EvaluationReport.objects.create(method=data["method"], data=data, ran_by=by)


# ---------------------------------------------------------------------- learned standards


def stage_observations() -> list[StageObservation]:
    """Each closed deal's health indicators and covered roles as it left each stage."""
    ids = feature_module.closed_deal_ids()
    observations = []
    for start in range(0, len(ids), feature_module.CHUNK):
        facts = DealFacts(ids[start : start + feature_module.CHUNK])
        for deal_id in facts.ids:
            deal = facts.deals[deal_id]
            won = deal["status"] == DealStatus.WON
            for stage, moment in feature_module.stage_exit_moments(facts, deal_id):
                snapshot = facts.snapshot(deal_id, moment, won)
                if snapshot is None:
                    continue
                observations.append(
                    StageObservation(
                        stage=stage,
                        won=won,
                        indicators={
                            code: int(snapshot.features[f"health_{code}"]) for code in HEALTH_CODES
                        },
                        roles=snapshot.roles,
                    )
                )
    return observations


def propose_health_standards() -> dict:
    """Replace the open proposals with what the closed deals show now; keep the evidence."""
    learned = learn_standards(stage_observations(), company_standards())
    stages = {s.number: s for s in Stage.objects.all()}
    with transaction.atomic():
        StandardProposal.objects.filter(status=ProposalStatus.PROPOSED).delete()
        created = StandardProposal.objects.bulk_create(
            [
                StandardProposal(
                    stage=stages[e.stage],
                    indicator=e.indicator,
                    current=e.current,
                    proposed=e.proposed,
                    won_count=e.won_count,
                    lost_count=e.lost_count,
                    won_mean=e.won_mean or 0,
                    lost_mean=e.lost_mean or 0,
                )
                for e in learned.proposals
                if e.stage in stages and e.proposed is not None
            ]
        )
        evidence = {
            "indicators": [e.__dict__ for e in learned.indicators],
            "roles": [r.__dict__ for r in learned.roles],
        }
        EvaluationReport.objects.create(method="standards", data=evidence)
    return {"proposals": len(created), "evidence": evidence}


def decide_proposal(proposal: StandardProposal, *, by, accept: bool) -> StandardProposal:
    """An administrator accepts (the standard changes) or rejects a proposed standard."""
    if not getattr(by, "is_administrator", False):
        raise PermissionDenied
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(_("This proposal has been decided already."))
    with transaction.atomic():
        if accept:
            HealthStandard.objects.update_or_create(
                stage=proposal.stage,
                indicator=proposal.indicator,
                defaults={"value": proposal.proposed},
            )
        proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.REJECTED
        proposal.decided_by = by
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:  # the stored health of the open deals at that stage follows the new standard
        refresh_health_scores(
            deals=Deal.objects.open().filter(stage=proposal.stage).select_related("stage")
        )
    return proposal
