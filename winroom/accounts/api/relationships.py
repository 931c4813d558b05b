"""ESP+ relationship API: account scores with their inputs, level distributions, coverage
gaps, supplier tiers, level histories, the seven elements and the action catalogue.

Same visibility as the pages: an account (and its people's scores and assessments) is read
by its owner, its account team, the owner's managers and administrators; anything else is
404. The judged elements are written by those who may write the account; the derived ones
(frequency, length) are read-only. The catalogue is read by every active user and written
by administrators only (a refusal is 404 like everywhere else).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from winroom.accounts import actions
from winroom.accounts.labels import ELEMENT_LABELS, missing_label
from winroom.accounts.models import (
    Account,
    Contact,
    RelationshipActionType,
    SupplierTier,
    SupplierTierAssessment,
)
from winroom.accounts.portfolio import (
    PortfolioFilter,
    compare_elements,
    decorate,
    gaps_by_account,
    portfolio_queryset,
)
from winroom.accounts.relationships import (
    account_score,
    annotate,
    elements_of,
    key_contact_ids,
)
from winroom.api.base import UserLanguageMixin, parse_if_match
from winroom.api.fields import RefField, parse_id
from winroom.methodology import relationship_portfolio as core
from winroom.methodology.seven_elements import JUDGED
from winroom.org.access import can_write
from winroom.org.models import CompanySettings

from .serializers import version_field

LEVEL_HELP = _("iron_supporter, supporter, neutral or opponent")


def level_field(**kwargs):
    """A relationship level (§1.3) as its code (one plain string type in the schema)."""
    return serializers.CharField(help_text=LEVEL_HELP, **kwargs)


# -- serializers -------------------------------------------------------------------------


class LevelDistributionSerializer(serializers.Serializer):
    iron_supporter = serializers.IntegerField()
    supporter = serializers.IntegerField()
    neutral = serializers.IntegerField()
    opponent = serializers.IntegerField()


class GapContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CoverageGapSerializer(serializers.Serializer):
    role = serializers.CharField(help_text=_("The decision role without a supporter."))
    role_display = serializers.CharField(source="role_label")
    contacts = GapContactSerializer(many=True, help_text=_("Who holds the role."))


class PortfolioRowSerializer(serializers.Serializer):
    """One account of the portfolio with its relationship figures."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    industry = serializers.CharField()
    region = serializers.CharField()
    owner = RefField(read_only=True)
    score = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        allow_null=True,
        help_text=_("Mean of the key contacts' scores; null without a key contact."),
    )
    key_contacts = serializers.IntegerField(source="key_count")
    level_distribution = LevelDistributionSerializer()
    coverage_gap_count = serializers.IntegerField(source="gap_count")
    coverage_gaps = CoverageGapSerializer(source="gaps", many=True)
    supplier_tier = serializers.IntegerField(source="tier", allow_null=True)
    plan_status = serializers.CharField(allow_null=True)


class ScoreRuleSerializer(serializers.Serializer):
    window_days = serializers.IntegerField()
    cap = serializers.DecimalField(max_digits=6, decimal_places=1)
    coefficients = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2)
    )


class CountedActionSerializer(serializers.Serializer):
    activity = serializers.IntegerField()
    subject = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    occurred_on = serializers.DateField()
    points = serializers.DecimalField(max_digits=6, decimal_places=1)
    weighted = serializers.DecimalField(max_digits=9, decimal_places=3)


class ContactScoreSerializer(serializers.Serializer):
    """A contact's score with every input (§1.2)."""

    score = serializers.DecimalField(max_digits=5, decimal_places=1)
    raw = serializers.DecimalField(max_digits=12, decimal_places=3)
    capped = serializers.BooleanField()
    coefficient = serializers.DecimalField(max_digits=5, decimal_places=2)
    contact_level = serializers.CharField(help_text=_("executive, manager or staff"))
    window_start = serializers.DateField()
    window_end = serializers.DateField()
    actions_counted = serializers.IntegerField()
    excluded_outside_window = serializers.IntegerField()
    excluded_future = serializers.IntegerField()
    counted = CountedActionSerializer(many=True)


class KeyContactSerializer(serializers.Serializer):
    contact = RefField(read_only=True)
    holds_decision_role = serializers.BooleanField()
    marked_key = serializers.BooleanField()
    relationship_level = level_field()
    score = ContactScoreSerializer()


class TierAssessmentSerializer(serializers.ModelSerializer):
    tier = serializers.ChoiceField(choices=SupplierTier.choices)
    tier_display = serializers.CharField(source="get_tier_display", read_only=True)
    assessed_by = RefField(read_only=True)

    class Meta:
        model = SupplierTierAssessment
        fields = ["id", "tier", "tier_display", "evidence", "assessed_by", "assessed_at"]
        read_only_fields = ["id", "assessed_by", "assessed_at"]
        extra_kwargs = {"evidence": {"help_text": _("What shows this tier (required).")}}


class AccountRelationshipSerializer(serializers.Serializer):
    """An account's relationship figures with their inputs."""

    account = RefField(read_only=True)
    score = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    rule = ScoreRuleSerializer()
    key_contacts = KeyContactSerializer(many=True)
    level_distribution = LevelDistributionSerializer()
    coverage_gaps = CoverageGapSerializer(many=True)
    supplier_tier = TierAssessmentSerializer(allow_null=True)


class LevelChangeSerializer(serializers.Serializer):
    old = level_field()
    new = level_field()
    at = serializers.DateTimeField()


class ElementsSerializer(serializers.Serializer):
    """The seven elements of one contact (§1.4); frequency and length are derived."""

    contact = RefField(read_only=True)
    values = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    derived = serializers.ListField(child=serializers.CharField())
    interactions_90d = serializers.IntegerField()
    first_contact = serializers.DateField(allow_null=True)
    years_known = serializers.IntegerField(allow_null=True)
    note = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()


def _element_field(code):
    return serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=5, label=ELEMENT_LABELS[code]
    )


class ElementsWriteSerializer(serializers.Serializer):
    """The five judged elements (1–5, null to clear) and the note."""

    value = _element_field("value")
    favour = _element_field("favour")
    decency = _element_field("decency")
    standing = _element_field("standing")
    depth = _element_field("depth")
    note = serializers.CharField(required=False, allow_blank=True)
    version = version_field()

    def validate(self, attrs):
        derived = [k for k in ("frequency", "length") if k in self.initial_data]
        if derived:
            raise serializers.ValidationError(
                {
                    k: [_("Derived from the activities and dates; it cannot be set.")]
                    for k in derived
                }
            )
        return attrs


class ExtremesSerializer(serializers.Serializer):
    element = serializers.CharField(source="code")
    label = serializers.CharField()
    derived = serializers.BooleanField()
    strongest = serializers.IntegerField(allow_null=True)
    strongest_by = serializers.ListField(child=serializers.CharField())
    weakest = serializers.IntegerField(allow_null=True)
    weakest_by = serializers.ListField(child=serializers.CharField())
    answered = serializers.IntegerField()


class ElementsComparisonSerializer(serializers.Serializer):
    people = ElementsSerializer(many=True)
    extremes = ExtremesSerializer(many=True)


class ContactRelationshipSerializer(serializers.Serializer):
    contact = RefField(read_only=True)
    account = RefField(read_only=True)
    is_key = serializers.BooleanField()
    relationship_level = level_field()
    computed_level = level_field()
    next_level = serializers.CharField(allow_null=True)
    missing_for_next = serializers.ListField(child=serializers.CharField())
    score = ContactScoreSerializer()
    level_changes = LevelChangeSerializer(many=True)
    elements = ElementsSerializer()


class RelationshipActionTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = RelationshipActionType
        fields = ["id", "code", "name", "points", "active"]
        read_only_fields = ["id"]


# -- data builders ---------------------------------------------------------------------


def score_data(score, rows) -> dict:
    return {
        "score": score.score,
        "raw": score.raw,
        "capped": score.capped,
        "coefficient": score.coefficient,
        "contact_level": str(score.level),
        "window_start": score.window_start,
        "window_end": score.today,
        "actions_counted": len(score.counted),
        "excluded_outside_window": score.excluded_outside_window,
        "excluded_future": score.excluded_future,
        "counted": [
            {
                "activity": row.activity_id,
                "subject": row.subject,
                "code": counted.action.code,
                "name": row.name,
                "occurred_on": counted.action.occurred_on,
                "points": counted.action.points,
                "weighted": counted.weighted,
            }
            for counted, row in rows
        ],
    }


def rule_data(company) -> dict:
    rule = company.score_rule()
    return {
        "window_days": rule.window_days,
        "cap": rule.cap,
        "coefficients": {str(k): v for k, v in rule.coefficients.items()},
    }


def elements_data(contact, elements) -> dict:
    return {
        "contact": contact,
        "values": elements.values,
        "derived": sorted(elements.derived),
        "interactions_90d": elements.interactions_90d,
        "first_contact": elements.first_contact,
        "years_known": elements.years_known,
        "note": contact.elements_note,
        "version": contact.version,
    }


class _Base(UserLanguageMixin, viewsets.GenericViewSet):
    def get_company(self):
        if not hasattr(self, "_company"):
            self._company = CompanySettings.current()
        return self._company

    def handle_exception(self, exc):
        # an action's refusal to write is reported like an invisible record
        if isinstance(exc, DjangoPermissionDenied):
            exc = NotFound()
        return super().handle_exception(exc)

    def visible(self, queryset):
        number = parse_id(self.kwargs.get("pk"))
        obj = queryset.visible_to(self.request.user).filter(pk=number).first() if number else None
        if obj is None:
            raise NotFound
        return obj


class AccountRelationshipViewSet(mixins.ListModelMixin, _Base):
    """Relationship figures of the accounts you may see (the managers' portfolio)."""

    serializer_class = PortfolioRowSerializer
    filterset_class = PortfolioFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Account.objects.none()
        return portfolio_queryset(self.request.user, company=self.get_company())

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if "sort" not in self.request.query_params:
            queryset = queryset.order_by("name", "pk")
        return queryset

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = decorate(page)
        for row in rows:
            row.level_distribution = {d["level"]: d["count"] for d in row.distribution}
        return self.get_paginated_response(PortfolioRowSerializer(rows, many=True).data)

    @extend_schema(responses=AccountRelationshipSerializer, summary="An account's score and inputs")
    def retrieve(self, request, *args, **kwargs):
        account = self.visible(Account.objects)
        company = self.get_company()
        contacts = annotate(
            Contact.objects.filter(account=account).order_by("name", "pk"), company=company
        )
        holders = key_contact_ids(c.pk for c in contacts)
        key = [c for c in contacts if c.is_key]
        latest = account.tier_assessments.select_related("assessed_by").first()
        data = {
            "account": account,
            "score": account_score(contacts),
            "rule": rule_data(company),
            "key_contacts": [
                {
                    "contact": c,
                    "holds_decision_role": c.pk in holders,
                    "marked_key": c.marked_key,
                    "relationship_level": c.relationship_level,
                    "score": score_data(c.score, c.counted_rows),
                }
                for c in key
            ],
            "level_distribution": core.level_distribution(c.relationship_level for c in key),
            "coverage_gaps": gaps_by_account([account.pk]).get(account.pk, []),
            "supplier_tier": latest,
        }
        return Response(AccountRelationshipSerializer(data).data)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=TierAssessmentSerializer(many=True),
        summary="Supplier tier history, newest first",
    )
    @extend_schema(
        methods=["POST"],
        request=TierAssessmentSerializer,
        responses={201: TierAssessmentSerializer},
        summary="Record the supplier tier with its evidence",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="supplier-tiers",
        url_name="supplier-tiers",
        filter_backends=[],
        pagination_class=None,
        serializer_class=TierAssessmentSerializer,
    )
    def supplier_tiers(self, request, *args, **kwargs):
        account = self.visible(Account.objects)
        if request.method == "GET":
            history = account.tier_assessments.select_related("assessed_by")
            return Response(TierAssessmentSerializer(history, many=True).data)
        serializer = TierAssessmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = actions.assess_supplier_tier(
            account,
            by=request.user,
            tier=serializer.validated_data["tier"],
            evidence=serializer.validated_data["evidence"],
        )
        return Response(TierAssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses=ElementsComparisonSerializer,
        summary="Seven elements of the key contacts, with the strongest and weakest",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def elements(self, request, *args, **kwargs):
        account = self.visible(Account.objects)
        everyone = request.query_params.get("all") == "1"
        compared = compare_elements(account, company=self.get_company(), everyone=everyone)
        data = {
            "people": [elements_data(p, p.elements) for p in compared["people"]],
            "extremes": compared["extremes"],
        }
        return Response(ElementsComparisonSerializer(data).data)


class ContactRelationshipViewSet(_Base):
    """A contact's score, level, level history and seven elements."""

    serializer_class = ContactRelationshipSerializer
    queryset = Contact.objects.none()

    def contact(self):
        return self.visible(Contact.objects.select_related("account"))

    @extend_schema(responses=ContactRelationshipSerializer, summary="Score, level and history")
    def retrieve(self, request, *args, **kwargs):
        contact = self.contact()
        annotate([contact], company=self.get_company())
        level = contact.level_explained
        data = {
            "contact": contact,
            "account": contact.account,
            "is_key": contact.is_key,
            "relationship_level": contact.relationship_level,
            "computed_level": str(level.level.value),
            "next_level": str(level.next_level.value) if level.next_level else None,
            "missing_for_next": [str(missing_label(code)) for code in level.missing_for_next],
            "score": score_data(contact.score, contact.counted_rows),
            "level_changes": contact.level_changes.all()[:100],
            "elements": elements_data(contact, elements_of(contact)),
        }
        return Response(ContactRelationshipSerializer(data).data)

    @extend_schema(
        request=None, responses=LevelChangeSerializer(many=True), summary="Level history"
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="level-changes",
        url_name="level-changes",
        filter_backends=[],
        pagination_class=None,
    )
    def level_changes(self, request, *args, **kwargs):
        contact = self.contact()
        return Response(LevelChangeSerializer(contact.level_changes.all(), many=True).data)

    @extend_schema(
        methods=["GET"], request=None, responses=ElementsSerializer, summary="Seven elements"
    )
    @extend_schema(
        methods=["PATCH"],
        request=ElementsWriteSerializer,
        responses={200: ElementsSerializer},
        summary="Assess the judged elements (409 if the contact changed since you read it)",
    )
    @action(
        detail=True,
        methods=["get", "patch"],
        filter_backends=[],
        pagination_class=None,
        serializer_class=ElementsWriteSerializer,
    )
    def elements(self, request, *args, **kwargs):
        contact = self.contact()
        if request.method == "GET":
            response = Response(
                ElementsSerializer(elements_data(contact, elements_of(contact))).data
            )
            response["ETag"] = f'"{contact.version}"'
            return response
        if not can_write(request.user, contact.account):
            raise NotFound
        serializer = ElementsWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        expected = values.pop("version", None)
        if expected is None:
            expected = parse_if_match(request)
        changes = {f"element_{code}": values[code] for code in JUDGED if code in values}
        if "note" in values:
            changes["elements_note"] = values["note"]
        saved = actions.update_contact(
            contact, by=request.user, data=changes, expected_version=expected
        )
        response = Response(ElementsSerializer(elements_data(saved, elements_of(saved))).data)
        response["ETag"] = f'"{saved.version}"'
        return response


class RelationshipActionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _Base,
):
    """The company's catalogue of relationship actions and their points (§1.2).

    Every active user reads it; only administrators add or change entries. Entries are
    never deleted (logged actions keep pointing at them): set ``active`` to false."""

    serializer_class = RelationshipActionTypeSerializer
    queryset = RelationshipActionType.objects.order_by("points", "code")
    filter_backends: list = []

    def check_admin(self):
        if not getattr(self.request.user, "is_administrator", False):
            raise NotFound

    def perform_create(self, serializer):
        self.check_admin()
        serializer.save()

    def perform_update(self, serializer):
        self.check_admin()
        serializer.save()

    def create(self, request, *args, **kwargs):
        self.check_admin()
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        self.check_admin()
        return super().update(request, *args, **kwargs)
