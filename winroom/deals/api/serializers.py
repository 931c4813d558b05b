"""Serializers of opportunities, their deal-room records and the competitor library.

They check types and shapes only. Every write goes through ``winroom.deals.actions`` (or, for
the library, ``.library``), which run the rules and the models' full validation; their
django ValidationErrors become field-level 400s in ``winroom.api.errors``.

What the method derives is never writable: stage (use ``advance``), status (``close`` and
``reopen``), grade (computed from the amount; ``grade`` overrides it with a reason), win
rate and its status (computed from the compelling event, the questionnaire and the
competitors). Sent to an update, such fields are ignored.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from winroom.accounts.api.serializers import (
    WritableAccountField,
    any_user,
    owner_choices,
    version_field,
)
from winroom.accounts.models import Contact, RelationshipStatus, TeamRole
from winroom.api.fields import RefField, RefListField, parse_id
from winroom.attributes.serializers import CustomAttributesField
from winroom.deals import actions
from winroom.deals.forms import REVIEW_ELEMENTS
from winroom.deals.models import (
    Action,
    ActionStatus,
    CompellingEvent,
    Competitor,
    Deal,
    DealCompetitor,
    DealEvent,
    DealMember,
    DealPerson,
    DealStatus,
    DecisionRole,
    Grade,
    ProductLine,
    Questionnaire,
    Quote,
    RelationshipStrategy,
    Review,
    Stage,
    WinRatePoint,
)
from winroom.methodology import win_rate as wr
from winroom.methodology.strategy import suggested_relationship_strategy

from . import library

BAND_CHOICES = ["commit", "best_case", "pipeline", "none"]
SCORE_HELP = _("1 (low) to 5 (high); null if not known yet.")


def _user(field_or_serializer):
    return field_or_serializer.context["request"].user


def _deal(field_or_serializer) -> Deal:
    return field_or_serializer.context["deal"]


def band_of(rate) -> str:
    """commit / best_case / pipeline for a win rate, none without one (METHODOLOGY §3.5)."""
    if rate is None:
        return "none"
    return str(wr.forecast_category(Decimal(rate)))


# -- scopes ----------------------------------------------------------------------------


def product_lines(field):
    return ProductLine.objects.all()


def library_competitors(field):
    return Competitor.objects.all()


def all_stages(field):
    return Stage.objects.all()


def active_users(field):
    return get_user_model().objects.filter(is_active=True)


def deal_contacts(field):
    """People of the deal's account (as the deal room offers them to anyone on the deal)."""
    return Contact.objects.filter(account_id=_deal(field).account_id)


# -- small read-only pieces ------------------------------------------------------------


class StageSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Stage
        fields = ["id", "number", "name"]
        read_only_fields = fields


class DealMemberSerializer(serializers.ModelSerializer):
    """A person on the deal team (the iron triangle); they see and work on the deal."""

    user = RefField(
        scope=any_user,
        error_messages={"does_not_exist": _("No such user.")},
        help_text=_("User id."),
    )
    role = serializers.ChoiceField(choices=TeamRole.choices)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = DealMember
        fields = ["id", "user", "role", "role_display"]
        read_only_fields = ["id"]
        validators: list = []


class ContactSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "title"]
        read_only_fields = fields


# -- opportunities ---------------------------------------------------------------------


class DealAccountField(WritableAccountField):
    """On create: an account you may see and change. Afterwards it cannot change (sending
    the current one back, as a PUT does, is fine)."""

    default_error_messages = {
        "immutable": _("An opportunity's account cannot be changed."),
    }

    def to_internal_value(self, data):
        instance = self.instance
        if instance is not None:
            if self.parse(data) != instance.account_id:
                self.fail("immutable")
            return instance.account
        return super().to_internal_value(data)


class DealSerializer(serializers.ModelSerializer):
    account = DealAccountField(
        help_text=_("Account id; set when the opportunity is created, it cannot change later.")
    )
    owner = RefField(
        scope=owner_choices,
        required=False,
        error_messages={"does_not_exist": _("No such active user.")},
        help_text=_(
            "Owner's user id. Defaults to you on create; changing it needs the right to "
            "reassign (the owner, their managers or an administrator)."
        ),
    )
    members = DealMemberSerializer(many=True, read_only=True)
    product_lines = RefListField(
        child=RefField(scope=product_lines),
        required=False,
        help_text=_("Ids of the product lines in the opportunity."),
    )
    stage = StageSerializer(read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    winner = RefField(read_only=True)
    grade_override_by = RefField(read_only=True)
    band = serializers.SerializerMethodField(
        help_text=_("Win-rate band: commit (≥ 70%), best_case (40–70%), pipeline (< 40%), none.")
    )
    grade_override = serializers.CharField(
        read_only=True,
        help_text=_("The manual grade (a–e) set with a reason; empty when graded by amount."),
    )
    custom = CustomAttributesField(target="deal")
    version = version_field()

    class Meta:
        model = Deal
        fields = [
            "id",
            "name",
            "account",
            "owner",
            "members",
            "amount",
            "expected_close",
            "product_lines",
            "source",
            "source_display",
            "partner",
            "partner_led",
            "sole_source",
            "stage",
            "stage_changed_at",
            "status",
            "status_display",
            "closed_at",
            "lost_reason",
            "winner",
            "no_decision",
            "grade",
            "grade_override",
            "grade_override_reason",
            "grade_override_by",
            "win_rate",
            "win_rate_status",
            "band",
            "last_activity_at",
            "internal_approved_on",
            "competitive_strategy",
            "tactics",
            "value_proposition",
            "tender_influenced_on",
            "tender_issued_on",
            "bid_result_on",
            "contract_signed_on",
            "custom",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "stage_changed_at",
            "status",
            "closed_at",
            "lost_reason",
            "no_decision",
            "grade",
            "grade_override",
            "grade_override_reason",
            "win_rate",
            "win_rate_status",
            "last_activity_at",
            "tender_influenced_on",
            "tender_issued_on",
            "bid_result_on",
            "contract_signed_on",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=BAND_CHOICES))
    def get_band(self, deal) -> str:
        return band_of(deal.win_rate)

    def create(self, validated_data):
        validated_data.pop("version", None)
        return actions.create_deal(by=_user(self), data=validated_data)

    def update(self, instance, validated_data):
        expected = validated_data.pop("version", None)
        validated_data.pop("account", None)
        return actions.update_deal(
            instance, by=_user(self), data=validated_data, expected_version=expected
        )


class AdvanceSerializer(serializers.Serializer):
    """The target stage (by id or by number) and the milestones reached on the way."""

    stage = RefField(
        scope=all_stages,
        required=False,
        error_messages={"does_not_exist": _("No such stage.")},
        help_text=_("Id of the stage to move to (or give stage_number)."),
    )
    stage_number = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("Number of the stage to move to (or give stage)."),
    )
    reconfirm_event = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Re-confirm the live compelling events in the current stage with the move "
            "(the method re-checks the compelling event at every stage)."
        ),
    )
    internal_approved_on = serializers.DateField(required=False, allow_null=True)
    tender_influenced_on = serializers.DateField(required=False, allow_null=True)
    tender_issued_on = serializers.DateField(required=False, allow_null=True)
    bid_result_on = serializers.DateField(required=False, allow_null=True)

    MILESTONES = (
        "internal_approved_on",
        "tender_influenced_on",
        "tender_issued_on",
        "bid_result_on",
    )

    default_error_messages = {
        "stage_required": _("Give the stage's id (stage) or its number (stage_number)."),
        "no_such_stage": _("No such stage."),
    }

    def validate(self, attrs):
        stage = attrs.get("stage")
        number = attrs.get("stage_number")
        if stage is None and number is None:
            raise serializers.ValidationError({"stage": [self.error_messages["stage_required"]]})
        if number is not None:
            by_number = Stage.objects.filter(number=number).first()
            if by_number is None or (stage is not None and stage.pk != by_number.pk):
                raise serializers.ValidationError(
                    {"stage_number": [self.error_messages["no_such_stage"]]}
                )
            stage = by_number
        attrs["target"] = stage
        attrs["milestones"] = {
            key: attrs[key] for key in self.MILESTONES if attrs.get(key) is not None
        }
        return attrs


class GradeOverrideSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(
        choices=[("", _("(by amount)")), *Grade.choices],
        allow_blank=True,
        help_text=_("A manual grade, or empty to go back to the grade by amount."),
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text=_("Why (needed for a grade).")
    )


class CloseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(k, v) for k, v in DealStatus.choices if k != DealStatus.OPEN]
    )
    lost_reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    winner = RefField(
        scope=library_competitors,
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("No such competitor.")},
        help_text=_("Id of the competitor who won (in the competitor library)."),
    )
    no_decision = serializers.BooleanField(required=False, default=False)


# -- events ----------------------------------------------------------------------------


class DealEventSerializer(serializers.ModelSerializer):
    by = RefField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = DealEvent
        fields = ["id", "kind", "kind_display", "at", "by", "old", "new", "detail"]
        read_only_fields = fields


# -- compelling events -----------------------------------------------------------------


class CompellingEventSerializer(serializers.ModelSerializer):
    confirmed_by = RefField(read_only=True)

    class Meta:
        model = CompellingEvent
        fields = [
            "id",
            "description",
            "due_on",
            "evidence",
            "confirmed_by",
            "confirmed_at",
            "confirmed_in_stage",
            "withdrawn",
        ]
        read_only_fields = ["id", "confirmed_by", "confirmed_at", "confirmed_in_stage", "withdrawn"]
        extra_kwargs = {"evidence": {"max_length": 5000}}

    def create(self, validated_data):
        return actions.record_compelling_event(_deal(self), by=_user(self), **validated_data)


class ConfirmEventSerializer(serializers.Serializer):
    holds = serializers.BooleanField(
        required=False,
        default=True,
        help_text=_("true: re-confirmed in the current stage; false: it no longer holds."),
    )


# -- competitor library ----------------------------------------------------------------


class CompetitorSerializer(serializers.ModelSerializer):
    version = version_field()

    class Meta:
        model = Competitor
        fields = [
            "id",
            "name",
            "facts",
            "core_partners",
            "key_events",
            "notes",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {
            "name": {"validators": []},  # the library function checks (any letter case)
            "facts": {"max_length": 20000},
            "core_partners": {"max_length": 20000},
            "key_events": {"max_length": 20000},
            "notes": {"max_length": 20000},
        }

    def create(self, validated_data):
        validated_data.pop("version", None)
        return library.create_competitor(by=_user(self), data=validated_data)

    def update(self, instance, validated_data):
        expected = validated_data.pop("version", None)
        return library.update_competitor(
            instance, by=_user(self), data=validated_data, expected_version=expected
        )


# -- competitors in a deal -------------------------------------------------------------


class QuoteSerializer(serializers.ModelSerializer):
    recorded_by = RefField(read_only=True)
    amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=Decimal("0"), label=_("amount (CNY)")
    )

    class Meta:
        model = Quote
        fields = ["id", "amount", "quoted_on", "source", "recorded_by"]
        read_only_fields = ["id", "recorded_by"]

    def create(self, validated_data):
        return actions.record_quote(self.context["entry"], by=_user(self), **validated_data)


class ScoresSerializer(serializers.Serializer):
    fit = serializers.IntegerField(allow_null=True)
    closeness = serializers.IntegerField(allow_null=True)
    strength = serializers.IntegerField(
        allow_null=True, help_text=_("fit × closeness (1–25), null if either is unknown.")
    )


def _scores(assessment) -> dict | None:
    if assessment is None:
        return None
    strength = (
        assessment.fit * assessment.closeness
        if assessment.fit is not None and assessment.closeness is not None
        else None
    )
    return {"fit": assessment.fit, "closeness": assessment.closeness, "strength": strength}


class DealCompetitorSerializer(serializers.ModelSerializer):
    competitor = RefField(read_only=True)
    quotes = QuoteSerializer(many=True, read_only=True)
    assessment = serializers.SerializerMethodField(
        help_text=_("Need fit and closeness in the latest questionnaire; null if not assessed.")
    )

    class Meta:
        model = DealCompetitor
        fields = ["id", "competitor", "relationships", "notes", "added_at", "quotes", "assessment"]
        read_only_fields = fields

    @extend_schema_field(ScoresSerializer(allow_null=True))
    def get_assessment(self, entry):
        return _scores(self.context.get("assessments", {}).get(entry.pk))


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string", "maxLength": 120}],
        "description": "A library competitor's id, or a name (added to the library if new).",
    }
)
class CompetitorChoiceField(serializers.Field):
    default_error_messages = {
        "invalid": _("Give a competitor's id or name."),
        "does_not_exist": _("No such competitor."),
        "max_length": _("Ensure this field has no more than {max_length} characters."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int):
            number = parse_id(data)
            competitor = Competitor.objects.filter(pk=number).first() if number else None
            if competitor is None:
                self.fail("does_not_exist")
            return competitor
        if isinstance(data, str):
            name = " ".join(data.split())
            if not name:
                self.fail("invalid")
            if len(name) > 120:
                self.fail("max_length", max_length=120)
            return name
        self.fail("invalid")

    def to_representation(self, value):  # pragma: no cover - write only
        return str(value)


class AddCompetitorSerializer(serializers.Serializer):
    competitor = CompetitorChoiceField()
    relationships = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)


# -- questionnaire ---------------------------------------------------------------------


class AssessmentSerializer(serializers.Serializer):
    entry = serializers.IntegerField(
        source="deal_competitor_id", help_text=_("Id of the competitor's entry in the deal.")
    )
    competitor = RefField(source="deal_competitor.competitor", read_only=True)
    fit = serializers.IntegerField(allow_null=True)
    closeness = serializers.IntegerField(allow_null=True)
    strength = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.INT)
    def get_strength(self, assessment) -> int | None:
        return (_scores(assessment) or {}).get("strength")


class QuestionnaireSerializer(serializers.ModelSerializer):
    inside_coach = RefField(read_only=True)
    answered_by = RefField(read_only=True)
    reviewed_by = RefField(read_only=True)
    competitors = AssessmentSerializer(source="assessments", many=True, read_only=True)

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "has_inside_coach",
            "inside_coach",
            "our_fit",
            "our_closeness",
            "competitors",
            "answered_by",
            "answered_at",
            "reviewed_by",
            "reviewed_at",
        ]
        read_only_fields = fields


class QuestionnaireHistorySerializer(serializers.Serializer):
    latest = QuestionnaireSerializer(allow_null=True)
    versions = QuestionnaireSerializer(many=True, help_text=_("Every version, newest first."))


def score_field(**kwargs):
    return serializers.IntegerField(
        min_value=1, max_value=5, allow_null=True, required=False, help_text=SCORE_HELP, **kwargs
    )


class CompetitorAnswerSerializer(serializers.Serializer):
    entry = serializers.IntegerField(
        min_value=1, help_text=_("Id of the competitor's entry in the deal.")
    )
    fit = score_field()
    closeness = score_field()


class AnswerQuestionnaireSerializer(serializers.Serializer):
    """A new version of the answers: give every competitor in the deal (one left out
    counts as not assessed)."""

    has_inside_coach = serializers.BooleanField()
    inside_coach = RefField(
        scope=deal_contacts,
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("No such contact.")},
        help_text=_("Contact id of the inside coach, at the deal's account."),
    )
    our_fit = score_field()
    our_closeness = score_field()
    competitors = CompetitorAnswerSerializer(many=True, required=False)

    default_error_messages = {
        "unknown_entry": _("An assessed competitor is not in this deal."),
        "twice": _("Each competitor may be assessed once."),
    }

    def validate_competitors(self, rows):
        entries = {e.pk: e for e in _deal(self).competitors.select_related("competitor")}
        seen = set()
        scores = {}
        for row in rows:
            number = row["entry"]
            if number not in entries:
                raise serializers.ValidationError(self.error_messages["unknown_entry"])
            if number in seen:
                raise serializers.ValidationError(self.error_messages["twice"])
            seen.add(number)
            scores[entries[number]] = (row.get("fit"), row.get("closeness"))
        return scores


# -- decision map ----------------------------------------------------------------------


class DealPersonSerializer(serializers.ModelSerializer):
    contact = ContactSummarySerializer(read_only=True)
    decision_role_display = serializers.CharField(
        source="get_decision_role_display", read_only=True
    )
    relationship_status_display = serializers.CharField(
        source="get_relationship_status_display", read_only=True
    )
    strategy_display = serializers.CharField(source="get_strategy_display", read_only=True)
    suggested_strategy = serializers.SerializerMethodField(
        help_text=_("The relationship strategy the method suggests for this status.")
    )

    class Meta:
        model = DealPerson
        fields = [
            "id",
            "contact",
            "decision_role",
            "decision_role_display",
            "inside_coach",
            "relationship_status",
            "relationship_status_display",
            "strategy",
            "strategy_display",
            "strategy_reason",
            "suggested_strategy",
            "motivation",
            "need",
            "expectation",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_suggested_strategy(self, person) -> str:
        return str(suggested_relationship_strategy(person.relationship_status))


class RoleSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("A decision role (as in decision_role)."))
    label = serializers.CharField()


class DecisionMapSerializer(serializers.Serializer):
    people = DealPersonSerializer(many=True)
    missing_roles = RoleSerializer(
        many=True, help_text=_("Decision roles no mapped person holds yet.")
    )


class MapPersonSerializer(serializers.Serializer):
    """Map a person of the deal's account, or update them: fields left out keep their
    value (or the default for someone new)."""

    contact = RefField(
        scope=deal_contacts,
        error_messages={"does_not_exist": _("No such contact.")},
        help_text=_("Contact id, at the deal's account."),
    )
    decision_role = serializers.ChoiceField(
        choices=DecisionRole.choices, allow_blank=True, required=False
    )
    inside_coach = serializers.BooleanField(required=False)
    relationship_status = serializers.ChoiceField(
        choices=RelationshipStatus.choices, required=False
    )
    strategy = serializers.ChoiceField(
        choices=RelationshipStrategy.choices,
        allow_blank=True,
        required=False,
        help_text=_("Leave empty to follow the suggestion; another one needs strategy_reason."),
    )
    strategy_reason = serializers.CharField(required=False, allow_blank=True, max_length=200)
    motivation = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    need = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    expectation = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    FIELDS = (
        "decision_role",
        "inside_coach",
        "relationship_status",
        "strategy",
        "strategy_reason",
        "motivation",
        "need",
        "expectation",
    )


# -- win rate --------------------------------------------------------------------------


class FactorSerializer(serializers.Serializer):
    code = serializers.CharField()
    value = serializers.JSONField(
        allow_null=True, help_text=_("A number, a decimal as text, true/false, text or null.")
    )
    subject = serializers.CharField(help_text=_("Whom the factor is about (a competitor), if any."))


WIN_RATE_STATUS_HELP = _(
    "computed; not_computed (no compelling event); not_assessed (our own fit or closeness "
    "not answered yet)."
)


class WinRateSerializer(serializers.Serializer):
    status = serializers.CharField(help_text=WIN_RATE_STATUS_HELP)
    rate = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    band = serializers.ChoiceField(choices=BAND_CHOICES)
    rank = serializers.IntegerField(allow_null=True)
    competitors_unknown = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    factors = FactorSerializer(many=True)
    explanation = serializers.ListField(
        child=serializers.CharField(), help_text=_("Every factor in words.")
    )
    summary = serializers.CharField(help_text=_("Why there is no rate, if there is none."))


def factor_value(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


class WinRatePointSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=WIN_RATE_STATUS_HELP)

    class Meta:
        model = WinRatePoint
        fields = ["at", "week", "rate", "status", "cause"]
        read_only_fields = fields


class CurveSerializer(serializers.Serializer):
    points = WinRatePointSerializer(many=True)


# -- actions and reviews ---------------------------------------------------------------


class ActionSerializer(serializers.ModelSerializer):
    owner = RefField(
        scope=active_users,
        required=False,
        error_messages={"does_not_exist": _("No such active user.")},
        help_text=_("Who does it (user id); defaults to you."),
    )
    person = RefField(
        scope=deal_contacts,
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("No such contact.")},
        help_text=_("Contact id of the person it is about, at the deal's account."),
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "title",
            "owner",
            "due_on",
            "status",
            "status_display",
            "person",
            "linked_to",
            "done_at",
            "overdue",
        ]
        read_only_fields = ["id", "status", "done_at"]

    def get_overdue(self, action) -> bool:
        return action.status == ActionStatus.OPEN and action.due_on < timezone.localdate()

    def create(self, validated_data):
        validated_data.setdefault("owner", _user(self))
        return actions.add_action(_deal(self), by=_user(self), **validated_data)


class ActionStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[ActionStatus.OPEN, ActionStatus.DONE])


class ReviewActionSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField(required=False, help_text=_("Defaults to a week from today."))


class ReviewSerializer(serializers.ModelSerializer):
    manager = RefField(read_only=True)
    rep = RefField(read_only=True)
    elements = serializers.ListField(
        child=serializers.ChoiceField(choices=REVIEW_ELEMENTS),
        required=False,
        max_length=len(REVIEW_ELEMENTS),
        help_text=_("What was walked through."),
    )
    held_on = serializers.DateField(required=False, help_text=_("Defaults to today."))
    new_actions = ReviewActionSerializer(
        many=True,
        write_only=True,
        required=False,
        help_text=_("Actions decided in the review, for the opportunity's owner."),
    )

    class Meta:
        model = Review
        fields = ["id", "held_on", "manager", "rep", "elements", "decisions", "new_actions"]
        read_only_fields = ["id", "manager", "rep"]
        extra_kwargs = {"decisions": {"max_length": 20000}}

    def create(self, validated_data):
        deal = _deal(self)
        today = timezone.localdate()
        new_actions = [
            (row["title"], deal.owner, row.get("due_on") or today + timezone.timedelta(days=7))
            for row in validated_data.get("new_actions", [])
        ]
        return actions.record_review(
            deal,
            by=_user(self),
            held_on=validated_data.get("held_on") or today,
            elements=list(dict.fromkeys(validated_data.get("elements", []))),
            decisions=validated_data.get("decisions", ""),
            actions=new_actions,
        )
