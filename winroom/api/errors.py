"""API errors: field-level messages in the caller's language, never a bare 500 for bad input."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from winroom.records import EditConflict


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    if isinstance(exc, EditConflict):
        from django.utils.translation import gettext as _

        return Response(
            {
                "detail": _(
                    "This record was changed by someone else after you loaded it. "
                    "Reload it and apply your change again."
                ),
                "current_version": exc.current.version,
            },
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
