"""Leads (线索), the lead pool and routing (METHODOLOGY §3.1); the rules live in the core."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from winroom.accounts.models import Account
from winroom.accounts.validators import normalize_phone
from winroom.methodology import leads as core
from winroom.org.access import owned_q, viewer_for
from winroom.org.models import CompanySettings
from winroom.records import Record, RecordQuerySet, alive_manager, all_records_manager


class LeadChannel(models.Model):
    """Where leads come from (官网咨询, 展会 …); administrators keep the list."""

    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("lead channel")
        verbose_name_plural = _("lead channels")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NeedType(models.TextChoices):
    PRODUCT = core.NeedType.PRODUCT.value, _("Product")
    SOLUTION = core.NeedType.SOLUTION.value, _("Solution")
    STRATEGIC = core.NeedType.STRATEGIC.value, _("Strategic partnership")


class LeadStatus(models.TextChoices):
    NEW = core.LeadStatus.NEW.value, _("New")
    WORKING = core.LeadStatus.WORKING.value, _("Working")
    QUALIFIED = core.LeadStatus.QUALIFIED.value, _("Qualified")
    REJECTED = core.LeadStatus.REJECTED.value, _("Rejected")
    RECYCLED = core.LeadStatus.RECYCLED.value, _("Back in the pool")


class LeadRoute(models.TextChoices):
    SELF_SERVICE = core.Route.SELF_SERVICE.value, _("Self-service / inside sales")
    STANDARD = core.Route.STANDARD.value, _("Standard sales")
    KEY_ACCOUNT = core.Route.KEY_ACCOUNT.value, _("Key-account team")


#: statuses of a lead in the pool (nobody holds it; everyone sees it)
POOL_STATUSES = [LeadStatus.NEW, LeadStatus.RECYCLED]
#: statuses of a lead someone may still work (claim, qualify, reject)
OPEN_STATUSES = [LeadStatus.NEW, LeadStatus.WORKING, LeadStatus.RECYCLED]


def routing_rule() -> core.RoutingRule:
    """The company's routing bounds (defaults: CNY 20,000 and 200,000), set in its settings."""
    return CompanySettings.current().routing_rule()


def pool_q() -> Q:
    return Q(owner__isnull=True, status__in=POOL_STATUSES)


class LeadQuerySet(RecordQuerySet):
    def visible_to(self, user):
        """The pool is open to every active person; a held lead follows the owner rule."""
        viewer = viewer_for(user)
        if not viewer.is_active:
            return self.none()
        if viewer.is_admin:
            return self  # (an empty Q would vanish from pool_q() | owned_q(user))
        return self.filter(pool_q() | owned_q(user))

    def pool(self):
        return self.filter(pool_q())


class Lead(Record):
    """A lead (线索): a customer with a problem, not yet an opportunity."""

    company_name = models.CharField(_("company"), max_length=200)
    person_name = models.CharField(_("contact person"), max_length=80, blank=True)
    title = models.CharField(_("title"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    need_description = models.TextField(_("need"), blank=True)
    need_type = models.CharField(
        _("need type"), max_length=12, choices=NeedType.choices, default=NeedType.PRODUCT
    )
    expected_size = models.DecimalField(
        _("expected size (CNY)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    source = models.CharField(
        _("source"), max_length=120, blank=True, help_text=_("e.g. the campaign or event.")
    )
    channel = models.ForeignKey(
        LeadChannel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=LeadStatus.choices, default=LeadStatus.NEW
    )
    route = models.CharField(
        _("route"), max_length=12, choices=LeadRoute.choices, editable=False, blank=True
    )
    route_reason = models.CharField(max_length=30, editable=False, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_leads",
    )
    assigned_at = models.DateTimeField(_("held since"), null=True, blank=True, editable=False)
    first_touched_at = models.DateTimeField(
        _("first touched"), null=True, blank=True, editable=False
    )
    last_touched_at = models.DateTimeField(_("last touched"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    rejection_reason = models.TextField(_("reason rejected"), blank=True)
    qualified_deal = models.ForeignKey(
        "deals.Deal",
        verbose_name=_("opportunity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="leads",
    )
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="leads",
    )

    objects = alive_manager(LeadQuerySet)
    all_objects = all_records_manager(LeadQuerySet)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["status", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.company_name

    def member_ids(self) -> list[int]:
        return []

    @property
    def in_pool(self) -> bool:
        return self.owner_id is None and self.status in POOL_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def routing(self) -> core.RoutingDecision:
        return core.route_lead(
            expected_size=self.expected_size,
            need_type=self.need_type or None,
            rule=routing_rule(),
        )

    def clean(self):
        self.company_name = " ".join((self.company_name or "").split())
        self.person_name = " ".join((self.person_name or "").split())
        try:
            self.phone = normalize_phone(self.phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from error
        self.email = (self.email or "").strip().lower()

    def save(self, *args, **kwargs):
        decision = self.routing()
        self.route, self.route_reason = str(decision.route), decision.reason
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "route", "route_reason"}
        super().save(*args, **kwargs)
