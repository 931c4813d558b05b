"""API endpoints of opportunities (the deal room) and the competitor library.

A deal the caller may not see answers 404 on every route, sub-resources included (never
403, which would confirm it exists). Each step calls the matching function of
``winroom.deals.actions``; a refusal by the rules is a 400 with the action's message.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from winroom.api.base import RecordViewSet
from winroom.api.fields import parse_id
from winroom.deals import actions as steps
from winroom.deals.assessment import latest_questionnaire, win_rate_for
from winroom.deals.models import (
    Competitor,
    CompetitorAssessment,
    Deal,
    DealCompetitor,
    DealEvent,
    DealMember,
    DealPerson,
    DecisionRole,
    Questionnaire,
    Quote,
    WinRatePoint,
)
from winroom.deals.presenting import factor_lines, status_sentence
from winroom.methodology.strategy import missing_roles
from winroom.org.access import can_write
from winroom.records import restore, soft_delete

from . import library
from .filters import CompetitorFilter, DealApiFilter
from .serializers import (
    ActionSerializer,
    ActionStatusSerializer,
    AddCompetitorSerializer,
    AdvanceSerializer,
    AnswerQuestionnaireSerializer,
    CloseSerializer,
    CompellingEventSerializer,
    CompetitorSerializer,
    ConfirmEventSerializer,
    CurveSerializer,
    DealCompetitorSerializer,
    DealEventSerializer,
    DealMemberSerializer,
    DealPersonSerializer,
    DealSerializer,
    DecisionMapSerializer,
    GradeOverrideSerializer,
    MapPersonSerializer,
    QuestionnaireHistorySerializer,
    QuestionnaireSerializer,
    QuoteSerializer,
    ReviewSerializer,
    WinRateSerializer,
    band_of,
    factor_value,
)

CLOSED = _("This opportunity is closed; reopen it first.")
NOT_CLOSED = _("This opportunity is not closed.")

#: extra routes: no list filters, no pagination (the lists of one deal are short)
SUB = {"filter_backends": [], "pagination_class": None}

REFUSED = OpenApiResponse(description=_("Refused by the rules: field errors or `detail`."))


def path_id(name: str) -> OpenApiParameter:
    return OpenApiParameter(name, int, OpenApiParameter.PATH)


def _child(queryset, number_text):
    """The deal's row named in the URL, or 404 (also for ids of other deals)."""
    number = parse_id(number_text)
    obj = queryset.filter(pk=number).first() if number else None
    if obj is None:
        raise NotFound
    return obj


class DealViewSet(RecordViewSet):
    """Opportunities you may see: your own, those whose deal team you are on, and (for
    managers) those owned by anyone in the teams you manage. Newest change first."""

    model = Deal
    serializer_class = DealSerializer
    filterset_class = DealApiFilter

    def optimize(self, queryset):
        members = DealMember.objects.select_related("user").order_by("role", "pk")
        return (
            queryset.select_related("account", "owner", "stage", "winner", "grade_override_by")
            .prefetch_related(Prefetch("members", queryset=members), "product_lines")
            .order_by("-updated_at", "-pk")
        )

    def handle_exception(self, exc):
        # an action's refusal to write is reported like an invisible record
        if isinstance(exc, DjangoPermissionDenied):
            exc = NotFound()
        return super().handle_exception(exc)

    def perform_delete(self, obj):
        if not can_write(self.request.user, obj):
            raise DjangoPermissionDenied
        soft_delete(obj, by=self.request.user)

    def perform_restore(self, obj):
        if not can_write(self.request.user, obj):
            raise DjangoPermissionDenied
        return restore(obj, by=self.request.user)

    # -- helpers ---------------------------------------------------------------------------

    def context_for(self, deal, **extra):
        return {**self.get_serializer_context(), "deal": deal, **extra}

    def respond_deal(self, deal):
        deal = self.refetch(deal)
        response = Response(DealSerializer(deal, context=self.get_serializer_context()).data)
        response["ETag"] = f'"{deal.version}"'
        return response

    def validated(self, serializer_class, deal, **extra):
        serializer = serializer_class(
            data=self.request.data, context=self.context_for(deal, **extra)
        )
        serializer.is_valid(raise_exception=True)
        return serializer

    # -- deal team -------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=DealMemberSerializer(many=True),
        summary="The deal team",
    )
    @extend_schema(
        methods=["POST"],
        request=DealMemberSerializer,
        responses={200: DealMemberSerializer, 201: DealMemberSerializer, 400: REFUSED},
        summary="Add a person to the deal team (or change their role)",
    )
    @action(detail=True, methods=["get", "post"], **SUB)
    def members(self, request, *args, **kwargs):
        deal = self.get_object()
        if request.method == "GET":
            return Response(DealMemberSerializer(deal.members.all(), many=True).data)
        data = self.validated(DealMemberSerializer, deal).validated_data
        existed = deal.members.filter(user=data["user"]).exists()
        member = steps.add_deal_member(deal, by=request.user, user=data["user"], role=data["role"])
        member = DealMember.objects.select_related("user").get(pk=member.pk)
        return Response(
            DealMemberSerializer(member).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=None,
        responses={204: None, 400: REFUSED},
        parameters=[path_id("member_id")],
        summary="Take a person off the deal team (not the owner)",
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"members/(?P<member_id>[^/.]+)",
        url_name="member-detail",
        **SUB,
    )
    def remove_member(self, request, *args, member_id=None, **kwargs):
        deal = self.get_object()
        member = _child(deal.members.all(), member_id)
        steps.remove_deal_member(member, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # -- stage -----------------------------------------------------------------------------

    @extend_schema(
        request=AdvanceSerializer,
        responses={200: DealSerializer, 400: REFUSED},
        summary="Move the deal to another stage",
        description=_(
            "Allowed when the current stage's exit criterion is met (moving back always is). "
            "Milestone dates sent along are recorded first and kept even when the move is "
            "refused. A refusal names everything that is missing."
        ),
    )
    @action(detail=True, methods=["post"], **SUB)
    def advance(self, request, *args, **kwargs):
        deal = self.get_object()
        data = self.validated(AdvanceSerializer, deal).validated_data
        deal = steps.advance_stage(
            deal,
            by=request.user,
            to=data["target"],
            milestones=data["milestones"],
            reconfirm_event=data["reconfirm_event"],
        )
        return self.respond_deal(deal)

    @extend_schema(
        request=GradeOverrideSerializer,
        responses={200: DealSerializer, 400: REFUSED},
        summary="Override the grade (with a reason), or go back to the grade by amount",
    )
    @action(detail=True, methods=["post"], **SUB)
    def grade(self, request, *args, **kwargs):
        deal = self.get_object()
        data = self.validated(GradeOverrideSerializer, deal).validated_data
        deal = steps.override_grade(
            deal, by=request.user, grade=data["grade"], reason=data.get("reason", "")
        )
        return self.respond_deal(deal)

    @extend_schema(
        request=None,
        responses=DealEventSerializer(many=True),
        summary="The deal's stage changes, newest first",
    )
    @action(detail=True, methods=["get"], url_path="stage-changes", url_name="stage-changes", **SUB)
    def stage_changes(self, request, *args, **kwargs):
        deal = self.get_object()
        events = DealEvent.objects.filter(deal=deal, kind=DealEvent.Kind.STAGE).select_related("by")
        return Response(DealEventSerializer(events.order_by("-at", "-id"), many=True).data)

    @extend_schema(
        request=None,
        responses=DealEventSerializer(many=True),
        summary="Everything recorded about the deal, newest first",
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def events(self, request, *args, **kwargs):
        deal = self.get_object()
        events = DealEvent.objects.filter(deal=deal).select_related("by").order_by("-at", "-id")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(DealEventSerializer(page, many=True).data)

    # -- compelling events -----------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=CompellingEventSerializer(many=True),
        summary="The compelling events, newest confirmation first",
    )
    @extend_schema(
        methods=["POST"],
        request=CompellingEventSerializer,
        responses={201: CompellingEventSerializer, 400: REFUSED},
        summary="Record a compelling event (it counts for the current stage)",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="compelling-events",
        url_name="compelling-events",
        **SUB,
    )
    def compelling_events(self, request, *args, **kwargs):
        deal = self.get_object()
        if request.method == "GET":
            events = deal.compelling_events.select_related("confirmed_by")
            return Response(CompellingEventSerializer(events, many=True).data)
        event = self.validated(CompellingEventSerializer, deal).save()
        return Response(CompellingEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ConfirmEventSerializer,
        responses={200: CompellingEventSerializer, 400: REFUSED},
        parameters=[path_id("event_id")],
        summary="Re-confirm a compelling event in the current stage, or say it no longer holds",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"compelling-events/(?P<event_id>[^/.]+)/confirm",
        url_name="compelling-event-confirm",
        **SUB,
    )
    def confirm_compelling_event(self, request, *args, event_id=None, **kwargs):
        deal = self.get_object()
        event = _child(deal.compelling_events.all(), event_id)
        holds = self.validated(ConfirmEventSerializer, deal).validated_data["holds"]
        event = steps.reconfirm_compelling_event(event, by=request.user, holds=holds)
        return Response(CompellingEventSerializer(event).data)

    # -- competitors in the deal -----------------------------------------------------------

    def competitor_entries(self, deal):
        quotes = Quote.objects.select_related("recorded_by").order_by("quoted_on", "id")
        return (
            DealCompetitor.objects.filter(deal=deal)
            .select_related("competitor")
            .prefetch_related(Prefetch("quotes", queryset=quotes))
            .order_by("added_at", "id")
        )

    def latest_assessments(self, deal) -> dict:
        latest = latest_questionnaire(deal)
        if latest is None:
            return {}
        return {a.deal_competitor_id: a for a in latest.assessments.all()}

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=DealCompetitorSerializer(many=True),
        summary="The competitors taking part, with their quotes and latest assessment",
    )
    @extend_schema(
        methods=["POST"],
        request=AddCompetitorSerializer,
        responses={201: DealCompetitorSerializer, 400: REFUSED},
        summary="Add a competitor to the deal (by library id, or by name)",
    )
    @action(detail=True, methods=["get", "post"], **SUB)
    def competitors(self, request, *args, **kwargs):
        deal = self.get_object()
        if request.method == "GET":
            context = {"assessments": self.latest_assessments(deal)}
            return Response(
                DealCompetitorSerializer(
                    self.competitor_entries(deal), many=True, context=context
                ).data
            )
        data = self.validated(AddCompetitorSerializer, deal).validated_data
        with transaction.atomic():
            competitor = data["competitor"]
            if isinstance(competitor, str):
                competitor = library.find_or_create_competitor(by=request.user, name=competitor)
            entry = steps.add_competitor(
                deal,
                by=request.user,
                competitor=competitor,
                relationships=data.get("relationships", ""),
                notes=data.get("notes", ""),
            )
        entry = self.competitor_entries(deal).get(pk=entry.pk)
        context = {"assessments": self.latest_assessments(deal)}
        return Response(
            DealCompetitorSerializer(entry, context=context).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[path_id("entry_id")],
        summary="Remove a competitor from the deal",
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"competitors/(?P<entry_id>[^/.]+)",
        url_name="competitor-detail",
        **SUB,
    )
    def remove_competitor(self, request, *args, entry_id=None, **kwargs):
        deal = self.get_object()
        entry = _child(deal.competitors.select_related("competitor"), entry_id)
        steps.remove_competitor(entry, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=QuoteSerializer,
        responses={201: QuoteSerializer, 400: REFUSED},
        parameters=[path_id("entry_id")],
        summary="Record a competitor's quoted price",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"competitors/(?P<entry_id>[^/.]+)/quotes",
        url_name="competitor-quotes",
        **SUB,
    )
    def quotes(self, request, *args, entry_id=None, **kwargs):
        deal = self.get_object()
        entry = _child(deal.competitors.all(), entry_id)
        quote = self.validated(QuoteSerializer, deal, entry=entry).save()
        return Response(QuoteSerializer(quote).data, status=status.HTTP_201_CREATED)

    # -- questionnaire ---------------------------------------------------------------------

    def questionnaires(self, deal):
        assessments = CompetitorAssessment.objects.select_related(
            "deal_competitor__competitor"
        ).order_by("deal_competitor__added_at", "deal_competitor_id")
        return (
            Questionnaire.objects.filter(deal=deal)
            .select_related("answered_by", "reviewed_by", "inside_coach")
            .prefetch_related(Prefetch("assessments", queryset=assessments))
            .order_by("-answered_at", "-id")
        )

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=QuestionnaireHistorySerializer,
        summary="The latest answers and every earlier version",
    )
    @extend_schema(
        methods=["POST"],
        request=AnswerQuestionnaireSerializer,
        responses={201: QuestionnaireSerializer, 400: REFUSED},
        summary="Answer the questionnaire (saved as a new version)",
    )
    @action(detail=True, methods=["get", "post"], **SUB)
    def questionnaire(self, request, *args, **kwargs):
        deal = self.get_object()
        if request.method == "GET":
            versions = list(self.questionnaires(deal))
            data = {"latest": versions[0] if versions else None, "versions": versions}
            return Response(QuestionnaireHistorySerializer(data).data)
        data = self.validated(AnswerQuestionnaireSerializer, deal).validated_data
        answered = steps.answer_questionnaire(
            deal,
            by=request.user,
            has_inside_coach=data["has_inside_coach"],
            inside_coach=data.get("inside_coach"),
            our_fit=data.get("our_fit"),
            our_closeness=data.get("our_closeness"),
            competitors=data.get("competitors", {}),
        )
        answered = self.questionnaires(deal).get(pk=answered.pk)
        return Response(QuestionnaireSerializer(answered).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: QuestionnaireSerializer, 400: REFUSED},
        parameters=[path_id("questionnaire_id")],
        summary="Review a version of the questionnaire (the owner's manager)",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"questionnaire/(?P<questionnaire_id>[^/.]+)/review",
        url_name="questionnaire-review",
        **SUB,
    )
    def review_questionnaire(self, request, *args, questionnaire_id=None, **kwargs):
        deal = self.get_object()
        questionnaire = _child(deal.questionnaires.all(), questionnaire_id)
        steps.review_questionnaire(questionnaire, by=request.user)
        return Response(
            QuestionnaireSerializer(self.questionnaires(deal).get(pk=questionnaire.pk)).data
        )

    # -- decision map ----------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=DecisionMapSerializer,
        summary="The people on the decision map and the decision roles not yet covered",
    )
    @extend_schema(
        methods=["POST"],
        request=MapPersonSerializer,
        responses={200: DealPersonSerializer, 201: DealPersonSerializer, 400: REFUSED},
        summary="Put a person on the decision map, or update them",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="decision-map",
        url_name="decision-map",
        **SUB,
    )
    def decision_map(self, request, *args, **kwargs):
        deal = self.get_object()
        if request.method == "GET":
            people = list(
                DealPerson.objects.filter(deal=deal)
                .select_related("contact")
                .order_by("contact__name", "pk")
            )
            present = [p.decision_role for p in people if p.decision_role]
            missing = [
                {"code": str(role), "label": DecisionRole(str(role)).label}
                for role in missing_roles(present)
            ]
            data = {"people": people, "missing_roles": missing}
            return Response(DecisionMapSerializer(data).data)
        data = self.validated(MapPersonSerializer, deal).validated_data
        contact = data["contact"]
        existing = DealPerson.objects.filter(deal=deal, contact=contact).first()
        fields = {}
        if existing is not None:  # an update keeps what it does not mention
            fields = {name: getattr(existing, name) for name in MapPersonSerializer.FIELDS}
        fields.update({name: data[name] for name in MapPersonSerializer.FIELDS if name in data})
        person = steps.map_person(deal, by=request.user, contact=contact, **fields)
        person = DealPerson.objects.select_related("contact").get(pk=person.pk)
        return Response(
            DealPersonSerializer(person).data,
            status=status.HTTP_200_OK if existing else status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[path_id("person_id")],
        summary="Take a person off the decision map",
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"decision-map/(?P<person_id>[^/.]+)",
        url_name="decision-map-person",
        **SUB,
    )
    def unmap_person(self, request, *args, person_id=None, **kwargs):
        deal = self.get_object()
        person = _child(deal.people.all(), person_id)
        steps.unmap_person(person, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # -- win rate --------------------------------------------------------------------------

    @extend_schema(
        request=None,
        responses=WinRateSerializer,
        summary="The win rate now, with every factor that produced it",
        description=_(
            "Computed by the competitor comparison method from the compelling event, the "
            "latest questionnaire and the competitors; never typed in."
        ),
    )
    @action(detail=True, methods=["get"], url_path="win-rate", url_name="win-rate", **SUB)
    def win_rate(self, request, *args, **kwargs):
        deal = self.get_object()
        result = win_rate_for(deal)
        data = {
            "status": str(result.status),
            "rate": result.rate,
            "band": band_of(result.rate),
            "rank": result.rank,
            "competitors_unknown": result.competitors_unknown,
            "reasons": list(result.reasons),
            "factors": [
                {"code": f.code, "value": factor_value(f.value), "subject": f.subject}
                for f in result.factors
            ],
            "explanation": factor_lines(result),
            "summary": status_sentence(result),
        }
        return Response(WinRateSerializer(data).data)

    @extend_schema(
        request=None,
        responses=CurveSerializer,
        summary="The win-rate curve: every point with the change that caused it",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="win-rate/curve",
        url_name="win-rate-curve",
        **SUB,
    )
    def win_rate_curve(self, request, *args, **kwargs):
        deal = self.get_object()
        points = WinRatePoint.objects.filter(deal=deal).order_by("at", "id")
        return Response(CurveSerializer({"points": points}).data)

    # -- actions and coaching reviews ------------------------------------------------------

    def deal_actions(self, deal):
        return deal.actions.select_related("owner", "person").order_by("status", "due_on", "id")

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=ActionSerializer(many=True),
        summary="The action plan: open actions first, by due date",
    )
    @extend_schema(
        methods=["POST"],
        request=ActionSerializer,
        responses={201: ActionSerializer, 400: REFUSED},
        summary="Add an action",
    )
    @action(detail=True, methods=["get", "post"], url_path="actions", url_name="actions", **SUB)
    def action_plan(self, request, *args, **kwargs):
        deal = self.get_object()
        if request.method == "GET":
            return Response(ActionSerializer(self.deal_actions(deal), many=True).data)
        added = self.validated(ActionSerializer, deal).save()
        added = self.deal_actions(deal).get(pk=added.pk)
        return Response(ActionSerializer(added).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        request=ActionStatusSerializer,
        responses={200: ActionSerializer, 400: REFUSED},
        parameters=[path_id("action_id")],
        summary="Mark an action done, or open again",
    )
    @extend_schema(
        methods=["DELETE"],
        request=None,
        responses={204: None},
        parameters=[path_id("action_id")],
        summary="Delete an action",
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"actions/(?P<action_id>[^/.]+)",
        url_name="action-detail",
        **SUB,
    )
    def action_detail(self, request, *args, action_id=None, **kwargs):
        deal = self.get_object()
        item = _child(self.deal_actions(deal), action_id)
        if request.method == "DELETE":
            steps.delete_action(item, by=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        wanted = self.validated(ActionStatusSerializer, deal).validated_data["status"]
        steps.complete_action(item, by=request.user, done=wanted == "done")
        return Response(ActionSerializer(self.deal_actions(deal).get(pk=item.pk)).data)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=ReviewSerializer(many=True),
        summary="The coaching reviews, newest first",
    )
    @extend_schema(
        methods=["POST"],
        request=ReviewSerializer,
        responses={201: ReviewSerializer, 400: REFUSED},
        summary="Record a coaching review (the owner's manager)",
    )
    @action(detail=True, methods=["get", "post"], **SUB)
    def reviews(self, request, *args, **kwargs):
        deal = self.get_object()
        if request.method == "GET":
            reviews = deal.reviews.select_related("manager", "rep").order_by("-held_on", "-id")
            return Response(ReviewSerializer(reviews, many=True).data)
        review = self.validated(ReviewSerializer, deal).save()
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    # -- closing ---------------------------------------------------------------------------

    @extend_schema(
        request=CloseSerializer,
        responses={200: DealSerializer, 400: REFUSED},
        summary="Close the deal: won, lost (with the reason and the winner) or abandoned",
    )
    @action(detail=True, methods=["post"], **SUB)
    def close(self, request, *args, **kwargs):
        deal = self.get_object()
        data = self.validated(CloseSerializer, deal).validated_data
        if not deal.is_open:
            raise ValidationError({"status": [CLOSED]})
        deal = steps.close_deal(
            deal,
            by=request.user,
            status=data["status"],
            lost_reason=data.get("lost_reason", ""),
            winner=data.get("winner"),
            no_decision=data.get("no_decision", False),
        )
        return self.respond_deal(deal)

    @extend_schema(
        request=None,
        responses={200: DealSerializer, 400: REFUSED},
        summary="Reopen a closed deal",
    )
    @action(detail=True, methods=["post"], **SUB)
    def reopen(self, request, *args, **kwargs):
        deal = self.get_object()
        if deal.is_open:
            raise ValidationError({"status": [NOT_CLOSED]})
        return self.respond_deal(steps.reopen_deal(deal, by=request.user))


class CompetitorViewSet(RecordViewSet):
    """The company-wide competitor library: everyone reads and edits it; only
    administrators remove (and restore) entries."""

    model = Competitor
    serializer_class = CompetitorSerializer
    filterset_class = CompetitorFilter

    def optimize(self, queryset):
        return queryset.order_by("name", "pk")

    def perform_delete(self, obj):
        library.delete_competitor(obj, by=self.request.user)

    def perform_restore(self, obj):
        return library.restore_competitor(obj, by=self.request.user)
