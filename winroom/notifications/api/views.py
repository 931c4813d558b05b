"""API: my notifications (list, read, mark read, mark all read) and Today's counts.

A person reads only their own notifications: anyone else's answers 404.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from winroom.api.base import UserLanguageMixin
from winroom.api.fields import parse_id
from winroom.notifications.models import Notification
from winroom.today import sections


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    text = serializers.CharField(read_only=True, help_text=_("In the caller's language."))

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "text", "params", "url", "created_at", "read_at"]
        read_only_fields = fields


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class NotificationViewSet(
    UserLanguageMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The caller's notifications, newest first (``?unread=1`` for the unread ones)."""

    serializer_class = NotificationSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        notes = Notification.objects.visible_to(self.request.user).order_by("-created_at", "-id")
        if self.request.query_params.get("unread") == "1":
            notes = notes.unread()
        return notes

    def get_object(self):
        number = parse_id(self.kwargs.get("pk"))
        note = self.get_queryset().filter(pk=number).first() if number is not None else None
        if note is None:
            raise NotFound
        return note

    @extend_schema(
        parameters=[
            OpenApiParameter("unread", str, description=_("1: only the unread ones")),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, *args, **kwargs):
        """Mark one notification as read."""
        note = self.get_object()
        if note.read_at is None:
            note.read_at = timezone.now()
            note.save(update_fields=["read_at"])
        return Response(self.get_serializer(note).data)

    @extend_schema(request=None, responses=ReadAllSerializer)
    @action(detail=False, methods=["post"], url_path="read-all", pagination_class=None)
    def read_all(self, request, *args, **kwargs):
        """Mark all of the caller's notifications as read."""
        marked = (
            Notification.objects.visible_to(request.user).unread().update(read_at=timezone.now())
        )
        return Response({"marked": marked})


class TodaySummarySerializer(serializers.Serializer):
    rep = serializers.IntegerField(allow_null=True)
    team = serializers.BooleanField()
    sections = serializers.DictField(child=serializers.IntegerField())


class TodaySummaryView(UserLanguageMixin, APIView):
    """How many items each section of Today holds for the caller (their team for a
    manager; ``?rep=<id>`` for one person they manage, 404 for anyone else)."""

    @extend_schema(
        parameters=[OpenApiParameter("rep", int, description=_("one rep you manage"))],
        responses=TodaySummarySerializer,
    )
    def get(self, request):
        scope = sections.scope_for(request.user, request.query_params.get("rep"))
        counts = sections.summary(scope)
        return Response(
            {
                "rep": scope.rep.pk if scope.rep else None,
                "team": scope.team,
                "sections": counts,
            }
        )
