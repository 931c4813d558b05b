"""API endpoints of account plans, triple-fit canvases and the customer's links.

Plans and canvases follow their account: a caller who may not read it gets 404 on every
route, sub-resources included (never 403), and nothing changes. Writes go through
``winroom.plans.actions``; a stale ``version`` is a 409. The customer's own scores are
read-only here: only the customer writes them, through the private link.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from winroom.accounts.api.serializers import WritableAccountField, version_field
from winroom.accounts.models import Contact, RelationshipLevel
from winroom.api.base import RecordViewSet
from winroom.api.fields import RefField, RefListField, parse_id, ref
from winroom.deals.models import Deal, ProductLine
from winroom.records import restore, soft_delete

from . import actions as steps
from .filters import PlanFilter
from .models import (
    ELEMENT_LABELS,
    AccountPlan,
    BusinessUnit,
    CellState,
    CustomerLink,
    FitCanvas,
    Horizon,
    Initiative,
    LinkLanguage,
    PlanAction,
    PlanActionStatus,
    PlanStatus,
    RelationshipGoal,
)
from .presenting import action_progress, whitespace_matrix, with_progress

SUB = {"filter_backends": [], "pagination_class": None}
REFUSED = OpenApiResponse(description=_("Refused by the rules: field errors or `detail`."))


def path_id(name: str) -> OpenApiParameter:
    return OpenApiParameter(name, int, OpenApiParameter.PATH)


def _user(serializer):
    return serializer.context["request"].user


def _plan(serializer):
    return serializer.context["plan"]


def _child(queryset, number_text):
    number = parse_id(number_text)
    obj = queryset.filter(pk=number).first() if number else None
    if obj is None:
        raise NotFound
    return obj


# -- scopes --------------------------------------------------------------------------------


def active_users(field):
    return get_user_model().objects.filter(is_active=True)


def plan_contacts(field):
    return Contact.objects.filter(account_id=field.context["plan"].account_id)


def plan_units(field):
    return BusinessUnit.objects.filter(plan=field.context["plan"])


def all_lines(field):
    return ProductLine.objects.all()


def plan_deals(field):
    """The account's opportunities the caller may see."""
    return Deal.objects.visible_to(field.context["request"].user).filter(
        account_id=field.context["plan"].account_id
    )


# -- plan rows -----------------------------------------------------------------------------


class InitiativeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Initiative
        fields = ["id", "initiative", "department", "kpi", "can_serve", "serve_note"]
        read_only_fields = ["id"]

    def create(self, validated_data):
        return steps.add_initiative(_plan(self), by=_user(self), data=validated_data)


class BusinessUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = BusinessUnit
        fields = ["id", "name"]
        read_only_fields = ["id"]
        validators: list = []

    def create(self, validated_data):
        return steps.add_business_unit(_plan(self), by=_user(self), name=validated_data["name"])


class CellSerializer(serializers.Serializer):
    """One whitespace cell: set by a person, or suggested from the account's deals."""

    business_unit = RefField(scope=plan_units, help_text=_("Id of the plan's business unit."))
    product_line = RefField(scope=all_lines, help_text=_("Product line id."))
    state = serializers.ChoiceField(
        choices=[("", _("As suggested from the opportunities")), *CellState.choices],
        allow_blank=True,
        help_text=_("Empty: forget the state set by hand and follow the suggestion again."),
    )
    state_display = serializers.CharField(read_only=True)
    suggested = serializers.BooleanField(read_only=True)
    deals = RefListField(
        child=RefField(
            scope=plan_deals, error_messages={"does_not_exist": _("No such opportunity.")}
        ),
        required=False,
        help_text=_("Ids of the account's opportunities working on it."),
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def to_representation(self, cell):
        return {
            "business_unit": ref(cell.unit),
            "product_line": ref(cell.line),
            "state": cell.state,
            "state_display": str(cell.label),
            "suggested": cell.suggested,
            "deals": [ref(d) for d in cell.deals],
            "note": cell.note,
        }


class GoalSerializer(serializers.ModelSerializer):
    contact = RefField(
        scope=plan_contacts,
        error_messages={"does_not_exist": _("No such contact.")},
        help_text=_("Contact id, a person of the plan's account."),
    )
    target_level = serializers.ChoiceField(choices=RelationshipLevel.choices)
    current_level = serializers.CharField(source="contact.relationship_level", read_only=True)

    class Meta:
        model = RelationshipGoal
        fields = ["id", "contact", "current_level", "target_level", "note"]
        read_only_fields = ["id"]
        validators: list = []

    def create(self, validated_data):
        return steps.add_goal(_plan(self), by=_user(self), **validated_data)


class PlanActionSerializer(serializers.ModelSerializer):
    owner = RefField(
        scope=active_users,
        required=False,
        error_messages={"does_not_exist": _("No such active user.")},
        help_text=_("Who does it (user id); defaults to you."),
    )
    status = serializers.ChoiceField(choices=PlanActionStatus.choices, required=False)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    version = version_field()

    class Meta:
        model = PlanAction
        fields = ["id", "title", "owner", "due_on", "status", "done_at", "overdue", "version"]
        read_only_fields = ["id", "done_at"]

    def create(self, validated_data):
        validated_data.pop("version", None)
        validated_data.pop("status", None)
        validated_data.setdefault("owner", _user(self))
        return steps.add_action(_plan(self), by=_user(self), **validated_data)

    def update(self, instance, validated_data):
        expected = validated_data.pop("version", None)
        return steps.update_action(
            instance, by=_user(self), data=validated_data, expected_version=expected
        )


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    overdue = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)


# -- plans -----------------------------------------------------------------------------------


class PlanSerializer(serializers.ModelSerializer):
    """A plan as the list shows it: the text sections and the actions' progress."""

    account = WritableAccountField(help_text=_("Account id; set on create only."))
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    status = serializers.ChoiceField(choices=PlanStatus.choices, required=False)
    progress = serializers.SerializerMethodField()
    version = version_field()

    class Meta:
        model = AccountPlan
        fields = [
            "id",
            "account",
            "year",
            "status",
            "strategy",
            "environment",
            "quick_win",
            "year_outcome",
            "progress",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:  # account and year are fixed once the plan exists
            self.fields["account"].required = False
            self.fields["year"].required = False

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, plan) -> dict:
        if hasattr(plan, "actions_total"):
            total, done = plan.actions_total, plan.actions_done
            percent = round(100 * done / total) if total else None
            return {
                "done": done,
                "total": total,
                "overdue": plan.actions_overdue,
                "percent": percent,
            }
        p = action_progress(plan.actions.all())
        return {"done": p.done, "total": p.total, "overdue": p.overdue, "percent": p.percent}

    def create(self, validated_data):
        validated_data.pop("version", None)
        account = validated_data.pop("account")
        year = validated_data.pop("year")
        return steps.create_plan(account, by=_user(self), year=year, data=validated_data)

    def update(self, instance, validated_data):
        expected = validated_data.pop("version", None)
        validated_data.pop("account", None)
        validated_data.pop("year", None)
        return steps.update_plan(
            instance, by=_user(self), data=validated_data, expected_version=expected
        )


class PlanDetailSerializer(PlanSerializer):
    """A plan with every section: initiatives, business units, the whitespace matrix
    (every cell, set or suggested), relationship goals and actions."""

    initiatives = InitiativeSerializer(many=True, read_only=True)
    business_units = BusinessUnitSerializer(source="units", many=True, read_only=True)
    whitespace = serializers.SerializerMethodField()
    goals = GoalSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [
            *PlanSerializer.Meta.fields,
            "initiatives",
            "business_units",
            "whitespace",
            "goals",
            "actions",
        ]

    @extend_schema_field(CellSerializer(many=True))
    def get_whitespace(self, plan) -> list:
        matrix = whitespace_matrix(plan, user=_user(self))
        return [CellSerializer(cell).data for _unit, cells in matrix.rows for cell in cells]

    @extend_schema_field(PlanActionSerializer(many=True))
    def get_actions(self, plan) -> list:
        items = plan.actions.select_related("owner").order_by("due_on", "pk")
        return PlanActionSerializer(items, many=True).data


# -- canvases -------------------------------------------------------------------------------


class GapSerializer(serializers.Serializer):
    element = serializers.CharField()
    layer = serializers.CharField()
    ours = serializers.IntegerField()
    theirs = serializers.IntegerField()
    difference = serializers.IntegerField(help_text=_("ours − theirs"))


class FitSerializer(serializers.Serializer):
    our_fit = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    customer_fit = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    our_layers = serializers.DictField(
        child=serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    )
    customer_layers = serializers.DictField(
        child=serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    )
    gap_threshold = serializers.IntegerField()
    gaps = GapSerializer(many=True)


SCORES_HELP = _(
    "Element code → score 1–5 (null: not scored). Elements: strategy, relationship, "
    "communication, solution, process, systems, talent, structure, knowledge."
)


class CanvasSerializer(serializers.ModelSerializer):
    account = WritableAccountField(help_text=_("Account id; set on create only."))
    horizon = serializers.ChoiceField(choices=Horizon.choices)
    our_scores = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5, allow_null=True),
        required=False,
        help_text=SCORES_HELP,
    )
    our_notes = serializers.DictField(
        child=serializers.CharField(max_length=500, allow_blank=True), required=False
    )
    customer_scores = serializers.DictField(
        child=serializers.IntegerField(), read_only=True, allow_null=True
    )
    fit = serializers.SerializerMethodField()
    version = version_field()

    class Meta:
        model = FitCanvas
        fields = [
            "id",
            "account",
            "horizon",
            "our_scores",
            "our_notes",
            "customer_scores",
            "customer_comment",
            "customer_answered_at",
            "fit",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "customer_comment",
            "customer_answered_at",
            "created_at",
            "updated_at",
        ]
        validators: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["account"].required = False
            self.fields["horizon"].required = False

    def validate_our_scores(self, value):
        unknown = set(value) - set(ELEMENT_LABELS)
        if unknown:
            raise serializers.ValidationError(
                _("Unknown element: %(e)s") % {"e": sorted(unknown)[0]}
            )
        return value

    def validate_our_notes(self, value):
        return self.validate_our_scores(value)

    @extend_schema_field(FitSerializer)
    def get_fit(self, canvas) -> dict:
        result = canvas.explain()
        return FitSerializer(
            {
                "our_fit": result.our_fit,
                "customer_fit": result.customer_fit,
                "our_layers": result.our_layers,
                "customer_layers": result.customer_layers,
                "gap_threshold": result.gap_threshold,
                "gaps": list(result.gaps),
            }
        ).data

    def create(self, validated_data):
        canvas = steps.create_canvas(
            validated_data["account"], by=_user(self), horizon=validated_data["horizon"]
        )
        if "our_scores" in validated_data or "our_notes" in validated_data:
            canvas = steps.score_canvas(
                canvas,
                by=_user(self),
                scores=validated_data.get("our_scores", {}),
                notes=validated_data.get("our_notes", {}),
                expected_version=None,
            )
        return canvas

    def update(self, instance, validated_data):
        return steps.score_canvas(
            instance,
            by=_user(self),
            scores=validated_data.get("our_scores", instance.our_scores),
            notes=validated_data.get("our_notes", instance.our_notes),
            expected_version=validated_data.get("version"),
        )


class LinkSerializer(serializers.ModelSerializer):
    days = serializers.IntegerField(
        min_value=1,
        max_value=steps.MAX_LINK_DAYS,
        default=steps.DEFAULT_LINK_DAYS,
        write_only=True,
        help_text=_("How many days the link stays valid (default 14)."),
    )
    language = serializers.ChoiceField(choices=LinkLanguage.choices, required=False)
    status = serializers.ChoiceField(
        choices=["active", "answered", "expired", "revoked"], read_only=True
    )
    created_by = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(
        help_text=_("The customer's link: returned once, when the link is created.")
    )

    class Meta:
        model = CustomerLink
        fields = [
            "id",
            "days",
            "language",
            "status",
            "created_by",
            "created_at",
            "expires_at",
            "revoked_at",
            "answered_at",
            "answers",
            "url",
        ]
        read_only_fields = [
            "id",
            "created_at",
            "expires_at",
            "revoked_at",
            "answered_at",
            "answers",
        ]

    def get_created_by(self, link) -> str:
        return str(link.created_by or "")

    def get_url(self, link) -> str | None:
        token = self.context.get("token")
        if not token:
            return None
        return self.context["request"].build_absolute_uri(reverse("plans:customer", args=[token]))


# -- viewsets -------------------------------------------------------------------------------


class _AccountRecordViewSet(RecordViewSet):
    def handle_exception(self, exc):
        # an action's refusal to write is reported like an invisible record
        if isinstance(exc, DjangoPermissionDenied):
            exc = NotFound()
        return super().handle_exception(exc)

    def perform_delete(self, obj):
        steps.check_write(self.request.user, obj)
        soft_delete(obj, by=self.request.user)

    def perform_restore(self, obj):
        steps.check_write(self.request.user, obj)
        return restore(obj, by=self.request.user)


class AccountPlanViewSet(_AccountRecordViewSet):
    """Annual account plans of the accounts you may read: newest year first."""

    model = AccountPlan
    filterset_class = PlanFilter

    def get_serializer_class(self):
        return PlanSerializer if self.action == "list" else PlanDetailSerializer

    def optimize(self, queryset):
        return with_progress(
            queryset.select_related("account").prefetch_related(
                "initiatives", "units", "goals__contact"
            )
        ).order_by("-year", "account__name", "pk")

    def plan_context(self, plan):
        return {**self.get_serializer_context(), "plan": plan}

    def validated(self, serializer_class, plan, **kwargs):
        serializer = serializer_class(
            data=self.request.data, context=self.plan_context(plan), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer

    def respond_plan(self, plan):
        return self.respond(self.refetch(plan))

    def _row(self, request, plan_related, serializer_class, row_id=None):
        plan = self.get_object()
        if request.method == "DELETE":
            row = _child(getattr(plan, plan_related).all(), row_id)
            steps.remove_row(row, by=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        steps.check_write(request.user, plan)
        row = self.validated(serializer_class, plan).save()
        return Response(
            serializer_class(row, context=self.plan_context(plan)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=InitiativeSerializer,
        responses={201: InitiativeSerializer, 400: REFUSED},
        summary="Add a key initiative with its department KPI",
    )
    @action(detail=True, methods=["post"], **SUB)
    def initiatives(self, request, *args, **kwargs):
        return self._row(request, "initiatives", InitiativeSerializer)

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[path_id("row_id")],
        summary="Remove a key initiative",
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"initiatives/(?P<row_id>[^/.]+)",
        url_name="initiative-detail",
        **SUB,
    )
    def initiative_detail(self, request, *args, row_id=None, **kwargs):
        return self._row(request, "initiatives", InitiativeSerializer, row_id)

    @extend_schema(
        request=BusinessUnitSerializer,
        responses={201: BusinessUnitSerializer, 400: REFUSED},
        summary="Add one of the customer's business units (a column of the whitespace)",
    )
    @action(detail=True, methods=["post"], url_path="business-units", url_name="units", **SUB)
    def units(self, request, *args, **kwargs):
        return self._row(request, "units", BusinessUnitSerializer)

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[path_id("row_id")],
        summary="Remove a business unit and its whitespace cells",
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"business-units/(?P<row_id>[^/.]+)",
        url_name="unit-detail",
        **SUB,
    )
    def unit_detail(self, request, *args, row_id=None, **kwargs):
        return self._row(request, "units", BusinessUnitSerializer, row_id)

    @extend_schema(
        request=GoalSerializer,
        responses={201: GoalSerializer, 400: REFUSED},
        summary="Set the relationship goal for a key person (replaces their earlier goal)",
    )
    @action(detail=True, methods=["post"], **SUB)
    def goals(self, request, *args, **kwargs):
        return self._row(request, "goals", GoalSerializer)

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[path_id("row_id")],
        summary="Remove a relationship goal",
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"goals/(?P<row_id>[^/.]+)",
        url_name="goal-detail",
        **SUB,
    )
    def goal_detail(self, request, *args, row_id=None, **kwargs):
        return self._row(request, "goals", GoalSerializer, row_id)

    @extend_schema(
        request=CellSerializer,
        responses={200: CellSerializer, 400: REFUSED},
        summary="Set a whitespace cell (an empty state returns it to the suggestion)",
    )
    @action(detail=True, methods=["post"], **SUB)
    def whitespace(self, request, *args, **kwargs):
        plan = self.get_object()
        steps.check_write(request.user, plan)
        data = self.validated(CellSerializer, plan).validated_data
        steps.set_cell(
            plan,
            by=request.user,
            unit=data["business_unit"],
            product_line=data["product_line"],
            state=data["state"],
            deals=data.get("deals", []),
            note=data.get("note", ""),
        )
        matrix = whitespace_matrix(plan, user=request.user)
        cell = next(
            c
            for _unit, row in matrix.rows
            for c in row
            if c.unit.pk == data["business_unit"].pk and c.line.pk == data["product_line"].pk
        )
        return Response(CellSerializer(cell).data)

    @extend_schema(
        request=PlanActionSerializer,
        responses={201: PlanActionSerializer, 400: REFUSED},
        summary="Add an action with its owner and due date",
    )
    @action(detail=True, methods=["post"], url_path="actions", url_name="actions", **SUB)
    def plan_actions(self, request, *args, **kwargs):
        return self._row(request, "actions", PlanActionSerializer)

    @extend_schema(
        methods=["PATCH"],
        request=PlanActionSerializer,
        responses={200: PlanActionSerializer, 400: REFUSED, 409: REFUSED},
        parameters=[path_id("row_id")],
        summary="Change an action (mark it done with status=done); 409 on a stale version",
    )
    @extend_schema(
        methods=["DELETE"],
        request=None,
        responses={204: None},
        parameters=[path_id("row_id")],
        summary="Delete an action (to the recycle bin)",
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"actions/(?P<row_id>[^/.]+)",
        url_name="action-detail",
        **SUB,
    )
    def plan_action_detail(self, request, *args, row_id=None, **kwargs):
        plan = self.get_object()
        item = _child(plan.actions.all(), row_id)
        if request.method == "DELETE":
            steps.delete_action(item, by=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        steps.check_write(request.user, plan)
        serializer = PlanActionSerializer(
            item, data=request.data, partial=True, context=self.plan_context(plan)
        )
        serializer.is_valid(raise_exception=True)
        item = serializer.save()
        return Response(PlanActionSerializer(item, context=self.plan_context(plan)).data)


class FitCanvasViewSet(_AccountRecordViewSet):
    """Triple-fit canvases of the accounts you may read: our scores (writable), the
    customer's (read-only), the fit overall and per layer, and the gaps."""

    model = FitCanvas
    serializer_class = CanvasSerializer

    def optimize(self, queryset):
        return queryset.select_related("account").order_by("account__name", "horizon", "pk")

    def link_context(self, **extra):
        return {**self.get_serializer_context(), **extra}

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=LinkSerializer(many=True),
        summary="The customer links of the canvas, with their status",
    )
    @extend_schema(
        methods=["POST"],
        request=LinkSerializer,
        responses={201: LinkSerializer, 400: REFUSED},
        summary="Create a private link for the customer (the url is returned only now)",
    )
    @action(detail=True, methods=["get", "post"], **SUB)
    def links(self, request, *args, **kwargs):
        canvas = self.get_object()
        if request.method == "GET":
            links = canvas.links.select_related("created_by")
            return Response(LinkSerializer(links, many=True, context=self.link_context()).data)
        steps.check_write(request.user, canvas)
        serializer = LinkSerializer(data=request.data, context=self.link_context())
        serializer.is_valid(raise_exception=True)
        link, token = steps.create_link(
            canvas,
            by=request.user,
            days=serializer.validated_data["days"],
            language=serializer.validated_data.get("language", ""),
        )
        return Response(
            LinkSerializer(link, context=self.link_context(token=token)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=None,
        responses={200: LinkSerializer},
        parameters=[path_id("link_id")],
        summary="Revoke a customer link: it stops opening at once",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"links/(?P<link_id>[^/.]+)/revoke",
        url_name="link-revoke",
        **SUB,
    )
    def revoke_link(self, request, *args, link_id=None, **kwargs):
        canvas = self.get_object()
        link = _child(canvas.links.all(), link_id)
        link = steps.revoke_link(link, by=request.user)
        return Response(LinkSerializer(link, context=self.link_context()).data)
