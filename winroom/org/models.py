"""People, sales teams and roles; the company's configurable rules."""

from decimal import Decimal

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from winroom.methodology.interaction import DEFAULT_DEEP_KINDS, InteractionRule
from winroom.methodology.leads import DEFAULT_REACTIVATION_DAYS, RecycleRule, RoutingRule
from winroom.methodology.relationship_level import LevelRule
from winroom.methodology.relationship_score import ScoreRule
from winroom.methodology.trees import would_create_cycle
from winroom.methodology.visits import EffectiveVisitRule


class Role(models.TextChoices):
    REP = "rep", _("Sales rep")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """A person who logs in: a sales rep, a manager or an administrator."""

    display_name = models.CharField(_("name"), max_length=80, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.REP)
    team = models.ForeignKey(
        "org.Team",
        verbose_name=_("sales team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    language = models.CharField(_("language"), max_length=10, blank=True, default="")

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_administrator(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN or self.is_superuser)


class Team(models.Model):
    """A sales team; teams nest (a region holds teams), and a manager leads each one."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    manager = models.ForeignKey(
        User,
        verbose_name=_("manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_teams",
    )

    class Meta:
        verbose_name = _("sales team")
        verbose_name_plural = _("sales teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.manager_id and self.manager.role == Role.REP:
            raise ValidationError(
                {"manager": _("A team's manager must have the manager or administrator role.")}
            )
        if self.pk and self.parent_id:
            parent_of = dict(Team.objects.values_list("pk", "parent_id"))
            if would_create_cycle(parent_of, self.pk, self.parent_id):
                raise ValidationError(
                    {"parent": _("A team cannot be placed under itself or one of its own teams.")}
                )


class ActivityKindChoices(models.TextChoices):
    """Kinds of logged customer interaction (METHODOLOGY §1.1)."""

    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit")
    EMAIL = "email", _("Email")
    TECHNICAL_EXCHANGE = "technical_exchange", _("Technical exchange")
    REFERENCE_VISIT = "reference_visit", _("Reference site visit")
    EXECUTIVE_MEETING = "executive_meeting", _("Executive meeting")
    OTHER = "other", _("Other")


def default_deep_kinds() -> list[str]:
    return sorted(DEFAULT_DEEP_KINDS)


class CompanySettings(models.Model):
    """The company's own values for the methodology's configurable defaults (one row)."""

    company_name = models.CharField(_("company name"), max_length=120, default="Winroom")
    interaction_window_days = models.PositiveIntegerField(
        _("interaction window (days)"),
        default=180,
        help_text=_("Activities within this many days count as recent."),
    )
    interaction_repeated_from = models.PositiveIntegerField(
        _("repeated contact from (recent activities)"), default=3
    )
    interaction_deep_from = models.PositiveIntegerField(
        _("deep contact from (recent activities)"), default=10
    )
    interaction_deep_kinds_from = models.PositiveIntegerField(
        _("deep contact from (recent deep-kind activities)"), default=3
    )
    deep_activity_kinds = models.JSONField(
        _("deep activity kinds"),
        default=default_deep_kinds,
        help_text=_("Activity kinds that count as deep interaction."),
    )

    stale_after_days = models.PositiveIntegerField(
        _("a deal is stale after (days)"),
        default=30,
        help_text=_("No activity and no stage change for this many days."),
    )
    grade_a_from = models.DecimalField(
        _("grade A from (CNY)"), max_digits=16, decimal_places=2, default=Decimal("5000000")
    )
    grade_b_from = models.DecimalField(
        _("grade B from (CNY)"), max_digits=16, decimal_places=2, default=Decimal("1000000")
    )
    grade_c_from = models.DecimalField(
        _("grade C from (CNY)"), max_digits=16, decimal_places=2, default=Decimal("200000")
    )
    review_every_days = models.PositiveIntegerField(
        _("coaching review of A/B deals every (days)"), default=14
    )
    registration_protection_days = models.PositiveIntegerField(
        _("partner registration protection (days)"), default=90
    )
    score_window_days = models.PositiveIntegerField(
        _("relationship score window (days)"),
        default=365,
        help_text=_("Relationship actions within this many days count toward a contact's score."),
    )
    coefficient_executive = models.DecimalField(
        _("score coefficient: executive"), max_digits=5, decimal_places=2, default=Decimal("1.5")
    )
    coefficient_manager = models.DecimalField(
        _("score coefficient: manager"), max_digits=5, decimal_places=2, default=Decimal("1.2")
    )
    coefficient_staff = models.DecimalField(
        _("score coefficient: staff"), max_digits=5, decimal_places=2, default=Decimal("1.0")
    )
    iron_supporter_from = models.DecimalField(
        _("iron supporter from (score)"), max_digits=5, decimal_places=1, default=Decimal(80)
    )
    supporter_from = models.DecimalField(
        _("supporter from (score)"), max_digits=5, decimal_places=1, default=Decimal(40)
    )
    lead_self_service_max = models.DecimalField(
        _("leads: online self-service up to (CNY)"),
        max_digits=16,
        decimal_places=2,
        default=Decimal(20_000),
    )
    lead_standard_max = models.DecimalField(
        _("leads: standard sales up to (CNY)"),
        max_digits=16,
        decimal_places=2,
        default=Decimal(200_000),
        help_text=_("Larger leads, and solution or strategic needs, go to a key-account team."),
    )
    lead_recycle_days = models.PositiveIntegerField(
        _("leads return to the pool when untouched for (days)"), default=14
    )
    reactivation_after_days = models.PositiveIntegerField(
        _("won customers are due for cross-sell after (days)"),
        default=DEFAULT_REACTIVATION_DAYS,
        validators=[MinValueValidator(1)],
        help_text=_(
            "An account whose last won deal closed at least this long ago, with no open "
            "deal, is listed for cross-sell re-activation."
        ),
    )
    visit_record_within_days = models.PositiveIntegerField(
        _("effective visit: recorded within (days)"), default=3
    )
    visit_requires_objective = models.BooleanField(
        _("effective visit: needs an objective"), default=True
    )
    visit_requires_commitment = models.BooleanField(
        _("effective visit: needs the commitment question answered"), default=True
    )
    revisit_after_days = models.PositiveIntegerField(
        _("revisit existing customers after (days)"),
        default=90,
        help_text=_("A customer with a won deal and no visit for this long appears on Today."),
    )

    class Meta:
        verbose_name = _("company settings")
        verbose_name_plural = _("company settings")

    def __str__(self) -> str:
        return str(self.company_name)

    def clean(self):
        try:
            self.interaction_rule()
        except ValueError as error:
            raise ValidationError(
                _("The interaction thresholds must satisfy 1 ≤ repeated < deep.")
            ) from error
        valid = set(ActivityKindChoices.values)
        if (
            not isinstance(self.deep_activity_kinds, list)
            or not set(self.deep_activity_kinds) <= valid
        ):
            raise ValidationError(
                {"deep_activity_kinds": _("Choose deep kinds from the activity kinds.")}
            )
        try:
            self.score_rule()
            self.level_rule()
            self.routing_rule()
            self.recycle_rule()
        except ValueError as error:
            raise ValidationError(
                _(
                    "The score window must be at least one day, every coefficient positive, "
                    "the supporter threshold not above the iron-supporter threshold, the "
                    "self-service bound below the standard-sales bound and the recycling "
                    "period at least one day."
                )
            ) from error

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "CompanySettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    def interaction_rule(self) -> InteractionRule:
        return InteractionRule(
            window_days=self.interaction_window_days,
            repeated_from=self.interaction_repeated_from,
            deep_from=self.interaction_deep_from,
            deep_kinds_from=self.interaction_deep_kinds_from,
        )

    def score_rule(self) -> ScoreRule:
        return ScoreRule(
            window_days=self.score_window_days,
            coefficients={
                "executive": Decimal(self.coefficient_executive),
                "manager": Decimal(self.coefficient_manager),
                "staff": Decimal(self.coefficient_staff),
            },
        )

    def level_rule(self) -> LevelRule:
        return LevelRule(
            iron_score=Decimal(self.iron_supporter_from),
            supporter_score=Decimal(self.supporter_from),
        )

    def routing_rule(self) -> RoutingRule:
        return RoutingRule(
            self_service_max=Decimal(self.lead_self_service_max),
            standard_max=Decimal(self.lead_standard_max),
        )

    def recycle_rule(self) -> RecycleRule:
        return RecycleRule(untouched_days=self.lead_recycle_days)

    def reactivation_days(self) -> int:
        """Days after the last won deal before an account is due for cross-sell (≥ 1)."""
        return max(1, int(self.reactivation_after_days))

    def effective_visit_rule(self) -> EffectiveVisitRule:
        return EffectiveVisitRule(
            record_within_days=self.visit_record_within_days,
            require_objective=self.visit_requires_objective,
            require_commitment_answered=self.visit_requires_commitment,
        )
