"""The learned win probability: trained models, per-deal scores, evaluation reports and the
health standards learned from closed deals (METHODOLOGY §2.6, §2.9, §3.5; issue 8).

The rule-based TAS+ win rate stays the number every deal shows; this app adds a probability
learned from the company's own closed deals beside it, and the proof of how true each is.

Point-in-time features need to know what the deal room held at any past moment. The deal
itself has a change history (``HistoricalDeal``); the decision map, the compelling events,
the competitors in a deal and their assessments had none, so their histories are registered
here (tables ``winmodel_historical…``): every change made from now on is kept.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register

from winroom.deals.models import (
    CompellingEvent,
    CompetitorAssessment,
    Deal,
    DealCompetitor,
    DealPerson,
    Stage,
)

for _model in (DealPerson, CompellingEvent, DealCompetitor, CompetitorAssessment):
    register(_model, app="winroom.winmodel")


class ModelStatus(models.TextChoices):
    TRAINED = "trained", _("Trained")
    INSUFFICIENT = "insufficient", _("Too little history")


class WinModel(models.Model):
    """One training run on the company's closed deals: what it learned from and how well."""

    trained_at = models.DateTimeField(_("trained"), default=timezone.now)
    status = models.CharField(_("status"), max_length=14, choices=ModelStatus.choices)
    #: why there is no model (a code the page explains), empty when trained
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    closed_deals = models.PositiveIntegerField(_("closed deals"), default=0)
    won = models.PositiveIntegerField(_("won"), default=0)
    lost = models.PositiveIntegerField(_("lost"), default=0)
    rows = models.PositiveIntegerField(_("training rows (deal-weeks)"), default=0)
    #: the columns the model reads, with their coefficients once trained
    features = models.JSONField(_("features"), default=list)
    #: in-sample and cross-validated metrics of the training run
    metrics = models.JSONField(_("metrics"), default=dict)
    parameters = models.JSONField(_("parameters"), default=dict)
    #: a hash of the training data: retraining on the same data changes nothing
    fingerprint = models.CharField(max_length=64, blank=True)
    seconds = models.FloatField(_("training time (s)"), default=0)
    #: the fitted encoder and calibrated classifier, serialised with joblib
    artifact = models.BinaryField(null=True, editable=False)

    class Meta:
        verbose_name = _("learned win model")
        verbose_name_plural = _("learned win models")
        ordering = ["-trained_at", "-id"]
        get_latest_by = "trained_at"

    def __str__(self) -> str:
        return f"{self.get_status_display()} · {self.trained_at:%Y-%m-%d %H:%M}"

    @classmethod
    def current(cls) -> "WinModel | None":
        """The latest training run (which may have found too little history)."""
        return cls.objects.order_by("-trained_at", "-id").first()

    @property
    def is_trained(self) -> bool:
        return self.status == ModelStatus.TRAINED and self.artifact is not None


class DealScore(models.Model):
    """A deal's learned win probability, with the factors that pushed it up or down."""

    deal = models.OneToOneField(Deal, on_delete=models.CASCADE, related_name="learned_score")
    model = models.ForeignKey(WinModel, on_delete=models.CASCADE, related_name="scores")
    probability = models.DecimalField(_("learned probability"), max_digits=5, decimal_places=4)
    #: the rule-based rate at scoring time (None: not computed / not assessed)
    rule_rate = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    #: log-odds of an average closed deal; base + Σ factors = logit(probability)
    base = models.FloatField(default=0)
    #: [{"code", "value", "contribution"}] sorted by |contribution|, every group of features
    factors = models.JSONField(default=list)
    scored_at = models.DateTimeField(_("scored"), default=timezone.now)

    class Meta:
        verbose_name = _("learned deal score")
        verbose_name_plural = _("learned deal scores")

    def __str__(self) -> str:
        return f"{self.deal_id}: {self.probability}"


class EvaluationReport(models.Model):
    """The output of ``winroom evaluate-win-model``: every metric of the model and baselines."""

    ran_at = models.DateTimeField(_("run"), default=timezone.now)
    method = models.CharField(_("method"), max_length=20)
    data = models.JSONField(default=dict)
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("win model evaluation")
        verbose_name_plural = _("win model evaluations")
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"{self.method} · {self.ran_at:%Y-%m-%d %H:%M}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class StandardProposal(models.Model):
    """A health standard learned from won vs lost deals at a stage, for an admin to decide."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(_("indicator"), max_length=30)
    current = models.PositiveSmallIntegerField(_("current standard"), null=True, blank=True)
    proposed = models.PositiveSmallIntegerField(_("proposed standard"))
    won_count = models.PositiveIntegerField(_("won deals"))
    lost_count = models.PositiveIntegerField(_("lost deals"))
    won_mean = models.FloatField(_("mean in won deals"))
    lost_mean = models.FloatField(_("mean in lost deals"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposed health standard")
        verbose_name_plural = _("proposed health standards")
        ordering = ["stage__number", "indicator", "-created_at"]

    def __str__(self) -> str:
        return f"{self.stage}: {self.indicator} {self.current} → {self.proposed}"
