"""Customer accounts (客户), their account teams and their people (联系人)."""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from winroom.methodology.trees import would_create_cycle
from winroom.org.access import owned_q
from winroom.records import Record, RecordQuerySet, alive_manager, all_records_manager

from .validators import normalize_phone


def name_key(name: str) -> str:
    """The form of a name that decides uniqueness: width-, case- and space-insensitive."""
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


class Industry(models.TextChoices):
    GOVERNMENT = "government", _("Government and public sector")
    ENERGY = "energy", _("Energy and utilities")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    AUTOMOTIVE = "automotive", _("Automotive")
    FINANCE = "finance", _("Finance and insurance")
    HEALTHCARE = "healthcare", _("Healthcare")
    EDUCATION = "education", _("Education")
    TRANSPORT = "transport", _("Transport and logistics")
    TELECOM = "telecom", _("Telecommunications")
    CONSTRUCTION = "construction", _("Construction and real estate")
    RETAIL = "retail", _("Retail and consumer goods")
    OTHER = "other", _("Other")


class Size(models.TextChoices):
    SMALL = "lt100", _("Under 100 employees")
    MEDIUM = "100-499", _("100–499 employees")
    LARGE = "500-1999", _("500–1,999 employees")
    XLARGE = "2000-9999", _("2,000–9,999 employees")
    HUGE = "10000+", _("10,000 employees or more")


class AccountStatus(models.TextChoices):
    TARGET = "target", _("Target")
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")


class TeamRole(models.TextChoices):
    """The iron triangle (铁三角)."""

    ACCOUNT_MANAGER = "account_manager", _("Account manager")
    SOLUTION_MANAGER = "solution_manager", _("Solution manager")
    DELIVERY_MANAGER = "delivery_manager", _("Delivery manager")


class AccountQuerySet(RecordQuerySet):
    def visible_to(self, user):
        """The one visibility rule for accounts (see winroom.methodology.visibility)."""
        members = AccountMember.objects.filter(user_id=getattr(user, "pk", None))
        return self.filter(owned_q(user, member_q=Q(pk__in=members.values("account_id"))))


class Account(Record):
    """A customer organisation."""

    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    industry = models.CharField(
        _("industry"), max_length=20, choices=Industry.choices, default=Industry.OTHER
    )
    region = models.CharField(_("region"), max_length=60, blank=True)
    size = models.CharField(_("size"), max_length=12, choices=Size.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AccountStatus.choices, default=AccountStatus.TARGET
    )
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_accounts",
    )

    objects = alive_manager(AccountQuerySet)
    all_objects = all_records_manager(AccountQuerySet)
    history = HistoricalRecords(excluded_fields=["name_key", "updated_at", "version"])

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name_key"],
                condition=Q(deleted_at__isnull=True),
                name="account_name_unique_alive",
                violation_error_message=_("An account with this name already exists."),
            )
        ]
        indexes = [models.Index(fields=["owner", "-updated_at"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join((self.name or "").split())
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        self.name = " ".join((self.name or "").split())
        self.name_key = name_key(self.name)
        if self.deleted_at is None and self.name_key:
            clash = Account.objects.filter(name_key=self.name_key).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    {"name": _("An account with this name already exists.")}, code="unique"
                )

    def validate_constraints(self, exclude=None):
        # the name rule is checked in clean() with a field-level message
        super().validate_constraints(exclude=set(exclude or ()) | {"name_key"})

    def member_ids(self) -> list[int]:
        return [m.user_id for m in self.members.all()]


class AccountMember(models.Model):
    """A person on the account team, in one of the iron-triangle roles."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="account_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("account team member")
        verbose_name_plural = _("account team members")
        constraints = [
            models.UniqueConstraint(fields=["account", "user"], name="account_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Orientation(models.TextChoices):
    """Behavioural orientation (行为取向), METHODOLOGY §1.1."""

    INNOVATIVE = "innovative", _("Innovative")
    INNOVATIVE_PRAGMATIC = "innovative_pragmatic", _("Innovative-pragmatic")
    BALANCED = "balanced", _("Balanced")
    PRAGMATIC_INNOVATIVE = "pragmatic_innovative", _("Pragmatic-innovative")
    PRAGMATIC = "pragmatic", _("Pragmatic")


class RelationshipStatus(models.TextChoices):
    """Relationship status toward us (关系状况), METHODOLOGY §1.1."""

    STRONG_POSITIVE = "strong_positive", _("Strong positive")
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")
    STRONG_NEGATIVE = "strong_negative", _("Strong negative")


RELATIONSHIP_COLOURS = {
    RelationshipStatus.STRONG_POSITIVE: "#1b7f3b",
    RelationshipStatus.POSITIVE: "#5cb85c",
    RelationshipStatus.NEUTRAL: "#8a94a6",
    RelationshipStatus.NEGATIVE: "#f0ad4e",
    RelationshipStatus.STRONG_NEGATIVE: "#d9534f",
}


class ContactQuerySet(RecordQuerySet):
    def visible_to(self, user):
        """A contact is visible with its account; a deleted account hides its people."""
        return self.filter(
            account__in=Account.objects.visible_to(user).values("pk"),
        )


class Contact(Record):
    """A person at a customer account."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=80)
    title = models.CharField(_("title"), max_length=80, blank=True)
    department = models.CharField(_("department"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
    )
    orientation = models.CharField(
        _("behavioural orientation"), max_length=24, choices=Orientation.choices, blank=True
    )
    relationship_status = models.CharField(
        _("relationship status"),
        max_length=20,
        choices=RelationshipStatus.choices,
        default=RelationshipStatus.NEUTRAL,
    )
    first_contact_on = models.DateField(_("first contact"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = alive_manager(ContactQuerySet)
    all_objects = all_records_manager(ContactQuerySet)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["account", "name"])]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        self.name = " ".join((self.name or "").split())
        try:
            self.phone = normalize_phone(self.phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from error
        self.email = (self.email or "").strip().lower()
        self.check_reports_to()

    def check_reports_to(self):
        """Reporting lines stay inside the account and never go round in a circle."""
        if self.reports_to_id is None:
            return
        boss = Contact.all_objects.filter(pk=self.reports_to_id).first()
        if boss is None or boss.account_id != self.account_id:
            raise ValidationError(
                {"reports_to": _("A contact can only report to someone at the same account.")}
            )
        if self.pk is None:
            return
        if self.reports_to_id == self.pk:
            raise ValidationError({"reports_to": _("A contact cannot report to themselves.")})
        parent_of = dict(
            Contact.all_objects.filter(account_id=self.account_id).values_list(
                "pk", "reports_to_id"
            )
        )
        if would_create_cycle(parent_of, self.pk, self.reports_to_id):
            raise ValidationError(
                {
                    "reports_to": _(
                        "%(name)s already reports, directly or indirectly, to this contact: "
                        "the reporting line would go round in a circle."
                    )
                    % {"name": boss.name}
                }
            )

    @property
    def relationship_colour(self) -> str:
        return RELATIONSHIP_COLOURS.get(self.relationship_status, "#8a94a6")
