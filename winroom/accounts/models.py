"""Customer accounts (客户), their account teams and their people (联系人)."""

import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
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
    custom = models.JSONField(
        _("custom attributes"), default=dict, blank=True, help_text=_("Defined by administrators.")
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


class ContactLevel(models.TextChoices):
    """The contact's level in the customer's organisation (weights their score), §1.2."""

    EXECUTIVE = "executive", _("Executive")
    MANAGER = "manager", _("Manager")
    STAFF = "staff", _("Staff")


class RelationshipLevel(models.TextChoices):
    """Relationship level (客户关系分级), §1.3 — computed, never typed."""

    IRON_SUPPORTER = "iron_supporter", _("Iron supporter")
    SUPPORTER = "supporter", _("Supporter")
    NEUTRAL = "neutral", _("Neutral")
    OPPONENT = "opponent", _("Opponent")


LEVEL_COLOURS = {
    RelationshipLevel.IRON_SUPPORTER: "#1b7f3b",
    RelationshipLevel.SUPPORTER: "#5cb85c",
    RelationshipLevel.NEUTRAL: "#8a94a6",
    RelationshipLevel.OPPONENT: "#d9534f",
}

#: the judged seven elements, as Contact fields ``element_<code>``
JUDGED_ELEMENTS = ("value", "favour", "decency", "standing", "depth")


def element_field(label):
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )


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
    level = models.CharField(
        _("level in the organisation"),
        max_length=12,
        choices=ContactLevel.choices,
        default=ContactLevel.STAFF,
        help_text=_("Weights the relationship score."),
    )
    marked_key = models.BooleanField(
        _("key contact"),
        default=False,
        help_text=_("Counted in the account score even without a decision role in an open deal."),
    )
    indicators = models.ManyToManyField(
        "LevelIndicator",
        verbose_name=_("indicators met"),
        through="ContactIndicator",
        blank=True,
        related_name="contacts",
    )
    relationship_level = models.CharField(
        _("relationship level"),
        max_length=16,
        choices=RelationshipLevel.choices,
        default=RelationshipLevel.NEUTRAL,
        editable=False,
        db_index=True,
    )
    element_value = element_field(_("value"))
    element_favour = element_field(_("favour"))
    element_decency = element_field(_("decency"))
    element_standing = element_field(_("standing"))
    element_depth = element_field(_("depth"))
    elements_note = models.TextField(_("assessment note"), blank=True)

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
            # params, not %: the message stays lazy, so it reads in whichever language renders it
            raise ValidationError(
                {
                    "reports_to": ValidationError(
                        _(
                            "%(name)s already reports, directly or indirectly, to this contact: "
                            "the reporting line would go round in a circle."
                        ),
                        code="cycle",
                        params={"name": boss.name},
                    )
                }
            )

    @property
    def relationship_colour(self) -> str:
        return RELATIONSHIP_COLOURS.get(self.relationship_status, "#8a94a6")

    @property
    def level_colour(self) -> str:
        return LEVEL_COLOURS.get(self.relationship_level, "#8a94a6")

    @property
    def indicators_met(self) -> frozenset[str]:
        """Codes of the checklist's indicators this person meets (bulk readers preload them
        with :func:`winroom.accounts.relationships.load_indicators`)."""
        cached = getattr(self, "_indicators_met", None)
        if cached is None:
            if self.pk is None:
                return frozenset()
            cached = frozenset(
                ContactIndicator.objects.filter(contact_id=self.pk).values_list(
                    "indicator__code", flat=True
                )
            )
            self._indicators_met = cached
        return cached

    def judged_elements(self) -> dict[str, int | None]:
        return {code: getattr(self, f"element_{code}") for code in JUDGED_ELEMENTS}


class RelationshipLevelChange(models.Model):
    """A recomputation found a different relationship level: the level's history."""

    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="level_changes",
    )
    old = models.CharField(_("from"), max_length=16, choices=RelationshipLevel.choices)
    new = models.CharField(_("to"), max_length=16, choices=RelationshipLevel.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("relationship level change")
        verbose_name_plural = _("relationship level changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.contact}: {self.old} → {self.new}"


class RelationshipActionType(models.Model):
    """The company's catalogue of relationship actions and their points (§1.2)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    points = models.DecimalField(
        _("points"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0))],
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("relationship action")
        verbose_name_plural = _("relationship action catalogue")
        ordering = ["points", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.points})"


class RedLineRule(models.Model):
    """A compliance red line (红线): activities are checked against it when logged."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    text = models.TextField(
        _("message shown on a breach"),
        help_text=_("Shown to the person whose activity breaches the rule."),
    )
    keywords = models.TextField(
        _("keywords"), blank=True, help_text=_("One per line; matched in subject and notes.")
    )
    forbidden_actions = models.ManyToManyField(
        RelationshipActionType,
        verbose_name=_("forbidden actions"),
        blank=True,
        related_name="red_lines",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("red-line rule")
        verbose_name_plural = _("red-line rules")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]


class SupplierTier(models.IntegerChoices):
    """Our supplier tier with the account (合作关系层级), METHODOLOGY §1.5."""

    BASIC_PRODUCT = 1, _("1 · Basic product supplier")
    QUALITY_PRODUCT = 2, _("2 · Quality product supplier")
    PERSONALISED_SERVICE = 3, _("3 · Personalised service provider")
    SOLUTION_PROVIDER = 4, _("4 · Solution provider")
    STRATEGIC_PARTNER = 5, _("5 · Strategic partner")


class SupplierTierAssessment(models.Model):
    """Our supplier tier with an account as judged at one time, with its evidence (history)."""

    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="tier_assessments",
    )
    tier = models.PositiveSmallIntegerField(_("supplier tier"), choices=SupplierTier.choices)
    evidence = models.TextField(_("evidence"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("assessed"), default=timezone.now)

    class Meta:
        verbose_name = _("supplier tier assessment")
        verbose_name_plural = _("supplier tier assessments")
        ordering = ["-assessed_at", "-pk"]
        get_latest_by = "assessed_at"

    def __str__(self) -> str:
        return f"{self.account}: {self.tier}"


# -- the relationship level's indicator checklist (§1.3) --------------------------------


class LevelIndicator(models.Model):
    """One item of the company's checklist for an iron supporter (§1.3), edited by admins."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("A short identifier, e.g. gives_information; it never changes."),
    )
    name = models.CharField(_("name"), max_length=120)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active indicators are required.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relationship level indicator")
        verbose_name_plural = _("relationship level indicators")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ContactIndicator(models.Model):
    """A contact meets an indicator of the checklist: who said so and when."""

    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="indicator_marks",
    )
    indicator = models.ForeignKey(
        LevelIndicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="marks",
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked"), default=timezone.now)

    class Meta:
        verbose_name = _("indicator met")
        verbose_name_plural = _("indicators met")
        ordering = ["indicator__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "indicator"], name="contact_indicator_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.indicator_id}"


# -- the political map (政治版图), §1.1 --------------------------------------------------

#: the colours offered for influence circles (any #rrggbb is accepted)
CIRCLE_PALETTE = [
    ("#d9480f", _("Orange")),
    ("#1971c2", _("Blue")),
    ("#2f9e44", _("Green")),
    ("#9c36b5", _("Purple")),
    ("#e03131", _("Red")),
    ("#f08c00", _("Amber")),
    ("#0c8599", _("Teal")),
    ("#5f3dc4", _("Violet")),
]

HEX_COLOUR = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Give a colour as # and six hexadecimal digits, e.g. #1971c2.")
)


class PoliticalQuerySet(RecordQuerySet):
    def visible_to(self, user):
        """Visible with its account, like the account's people."""
        return self.filter(account__in=Account.objects.visible_to(user).values("pk"))


class InfluenceCircle(Record):
    """A circle (圈子) of people at an account who side with each other."""

    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="influence_circles",
    )
    name = models.CharField(_("name"), max_length=80)
    colour = models.CharField(
        _("colour"), max_length=7, default=CIRCLE_PALETTE[0][0], validators=[HEX_COLOUR]
    )
    note = models.TextField(_("note"), blank=True)
    members = models.ManyToManyField(
        Contact, verbose_name=_("members"), blank=True, related_name="influence_circles"
    )

    objects = alive_manager(PoliticalQuerySet)
    all_objects = all_records_manager(PoliticalQuerySet)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"], m2m_fields=[members])

    class Meta:
        verbose_name = _("influence circle")
        verbose_name_plural = _("influence circles")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        self.name = " ".join((self.name or "").split())
        self.colour = (self.colour or "").strip().lower()
        if self.deleted_at is None and self.name and self.account_id:
            clash = InfluenceCircle.objects.filter(account_id=self.account_id).exclude(pk=self.pk)
            if any(
                name_key(c) == name_key(self.name) for c in clash.values_list("name", flat=True)
            ):
                raise ValidationError(
                    {"name": _("This account already has a circle with this name.")},
                    code="unique",
                )

    def check_members(self, contacts) -> None:
        """Members are people of the circle's own account."""
        if any(c.account_id != self.account_id for c in contacts):
            raise ValidationError(
                {"members": _("A circle can only hold people of its own account.")}
            )

    def member_ids(self) -> list[int]:
        return [c.pk for c in self.members.all()]


class InfluenceStrength(models.IntegerChoices):
    WEAK = 1, _("1 · weak")
    MEDIUM = 2, _("2 · medium")
    STRONG = 3, _("3 · strong")


class InfluenceLine(Record):
    """One person at an account influences another (strength 1–3); directed."""

    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="influence_lines",
    )
    source = models.ForeignKey(
        Contact,
        verbose_name=_("influencer"),
        on_delete=models.CASCADE,
        related_name="influences_out",
    )
    target = models.ForeignKey(
        Contact,
        verbose_name=_("influenced"),
        on_delete=models.CASCADE,
        related_name="influences_in",
    )
    strength = models.PositiveSmallIntegerField(
        _("influence strength"),
        choices=InfluenceStrength.choices,
        default=InfluenceStrength.MEDIUM,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    note = models.TextField(_("note"), blank=True)

    objects = alive_manager(PoliticalQuerySet)
    all_objects = all_records_manager(PoliticalQuerySet)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("influence line")
        verbose_name_plural = _("influence lines")
        ordering = ["account", "source", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"],
                condition=Q(deleted_at__isnull=True),
                name="influence_line_unique_alive",
                violation_error_message=_("This influence line exists already."),
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="influence_line_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"

    def clean(self):
        errors = {}
        people = {
            c.pk: c.account_id
            for c in Contact.all_objects.filter(pk__in=[self.source_id, self.target_id])
        }
        for field in ("source", "target"):
            pk = getattr(self, f"{field}_id")
            if pk is not None and people.get(pk) != self.account_id:
                errors[field] = _("Influence lines join people of the same account.")
        if not errors and self.source_id is not None and self.source_id == self.target_id:
            errors["target"] = _("A person cannot influence themselves on the map.")
        if not errors and self.deleted_at is None and self.source_id and self.target_id:
            clash = InfluenceLine.objects.filter(
                source_id=self.source_id, target_id=self.target_id
            ).exclude(pk=self.pk)
            if clash.exists():
                errors["target"] = _(
                    "This influence line exists already; change its strength instead."
                )
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # both rules are checked in clean() with field-level messages
        exclude = set(exclude or ()) | {"source", "target"}
        super().validate_constraints(exclude=exclude)
