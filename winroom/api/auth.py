"""Obtaining an API token: username and password in, ``{"token": ...}`` out."""

from django.contrib.auth import authenticate, get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .base import UserLanguageMixin


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("username"), max_length=150, trim_whitespace=False)
    password = serializers.CharField(
        label=_("password"),
        max_length=4096,
        trim_whitespace=False,
        write_only=True,
        style={"input_type": "password"},
    )

    default_error_messages = {
        "invalid": _("Unable to log in with the username and password provided."),
        "inactive": _(
            "This user account has been deactivated and can no longer sign in. "
            "Ask an administrator to reactivate it."
        ),
    }

    def validate(self, attrs):
        request = self.context.get("request")
        # the plain Django request, so the login throttle marks the one its middleware reads
        request = getattr(request, "_request", request)
        username, password = attrs["username"], attrs["password"]
        user = authenticate(request=request, username=username, password=password)
        if user is None:
            # the standard backend refuses inactive users without saying why; say it,
            # but only to someone who knows the password
            model = get_user_model()
            try:
                candidate = model._default_manager.get_by_natural_key(username)
            except model.DoesNotExist:
                candidate = None
            if (
                candidate is not None
                and not candidate.is_active
                and candidate.check_password(password)
            ):
                raise serializers.ValidationError(
                    {"non_field_errors": [self.error_messages["inactive"]]}, code="inactive"
                )
            raise serializers.ValidationError(
                {"non_field_errors": [self.error_messages["invalid"]]}, code="authorization"
            )
        if not user.is_active:  # a backend that lets inactive users through
            raise serializers.ValidationError(
                {"non_field_errors": [self.error_messages["inactive"]]}, code="inactive"
            )
        attrs["user"] = user
        return attrs


class ObtainTokenView(UserLanguageMixin, APIView):
    """Exchange a username and password for the user's API token.

    Send the token on every request as ``Authorization: Token <token>``.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
