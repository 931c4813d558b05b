"""What every API view shares: the caller's language, visibility-scoped lookups, versions.

Every record viewset starts from ``Model.objects.visible_to(user)``: a record the caller may
not see answers 404 on every detail route (never 403, which would confirm it exists) and never
appears in a list. Writes go through the named action functions only.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from winroom.history import history_for

from .fields import parse_id
from .parsers import PARSER_CLASSES


def activate_user_language(request) -> None:
    """Speak the signed-in user's chosen language.

    UserLanguageMiddleware has already chosen one (session user, cookie, Accept-Language),
    but a token is only read here, inside the view, so its user's choice is applied now.
    """
    user = request.user
    language = getattr(user, "language", "") if user.is_authenticated else ""
    if not language:
        return
    try:
        language = translation.get_supported_language_variant(language)
    except LookupError:
        return
    if language not in {code for code, _name in settings.LANGUAGES}:
        return
    translation.activate(language)
    request._request.LANGUAGE_CODE = language


class UserLanguageMixin:
    """Activates the user's language once authentication (token or session) has run."""

    parser_classes = PARSER_CLASSES

    def initial(self, request, *args, **kwargs):
        activate_user_language(request)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        return response


def parse_if_match(request) -> int | None:
    """The version an ``If-Match`` header names ("3", "\"3\"" or W/"3"); "*" means any."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    value = header.removeprefix("W/").strip().strip('"')
    number = parse_id(value)
    if number is None:
        raise ValidationError(
            {"version": [_('If-Match must be the version number you read, e.g. "3".')]}
        )
    return number


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(source="label")
    old = serializers.CharField()
    new = serializers.CharField()


class HistoryEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField()
    kind = serializers.CharField()
    changes = FieldChangeSerializer(many=True)


VERSION_HEADER = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        "The version you read (as in the ETag header). If the record changed since, "
        "the update is refused with 409. The body's `version` field does the same."
    ),
)


class RecordViewSet(
    UserLanguageMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create, update, soft-delete, restore and history of one kind of record.

    Subclasses set ``model`` and implement ``perform_delete`` and ``perform_restore`` with
    the matching action functions; serializers' ``create``/``update`` call the actions too.
    """

    model = None

    # -- querysets -------------------------------------------------------------------------

    def optimize(self, queryset):
        """Joins and prefetches so that lists cost the same number of queries at any size."""
        return queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no real request
            return self.model.objects.none()
        return self.optimize(self.model.objects.visible_to(self.request.user))

    def deleted_queryset(self):
        """The caller's visible records in the recycle bin."""
        return self.optimize(self.model.all_objects.deleted().visible_to(self.request.user))

    def any_state_queryset(self):
        """The caller's visible records, alive or in the recycle bin (for history)."""
        return self.model.all_objects.visible_to(self.request.user)

    def get_object(self, queryset=None):
        """The record named in the URL among ``queryset``; 404 for anything else, ever."""
        number = parse_id(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field))
        if number is None:
            raise NotFound
        if queryset is None:
            queryset = self.get_queryset()
        obj = queryset.filter(pk=number).first()
        if obj is None:
            raise NotFound
        self.check_object_permissions(self.request, obj)
        return obj

    def refetch(self, obj):
        """The record again through the list queryset (annotations and prefetches)."""
        return self.get_queryset().get(pk=obj.pk)

    def respond(self, obj, status_code=status.HTTP_200_OK):
        response = Response(self.get_serializer(obj).data, status=status_code)
        response["ETag"] = f'"{obj.version}"'
        return response

    # -- routes ----------------------------------------------------------------------------

    def retrieve(self, request, *args, **kwargs):
        return self.respond(self.get_object())

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = serializer.save()
        return self.respond(self.refetch(obj), status.HTTP_201_CREATED)

    @extend_schema(parameters=[VERSION_HEADER])
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        expected = serializer.validated_data.get("version")
        if expected is None:
            expected = parse_if_match(request)
        obj = serializer.save(version=expected)
        return self.respond(self.refetch(obj))

    @extend_schema(parameters=[VERSION_HEADER])
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        self.perform_delete(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def restore(self, request, *args, **kwargs):
        """Bring the record back from the recycle bin."""
        obj = self.perform_restore(self.get_object(self.deleted_queryset()))
        return self.respond(self.refetch(obj))

    @extend_schema(request=None, responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, *args, **kwargs):
        """Who changed what and when, newest first (also for records in the recycle bin)."""
        obj = self.get_object(self.any_state_queryset())
        return Response(HistoryEntrySerializer(history_for(obj), many=True).data)

    def perform_delete(self, obj):  # pragma: no cover - abstract
        raise NotImplementedError

    def perform_restore(self, obj):  # pragma: no cover - abstract
        raise NotImplementedError
