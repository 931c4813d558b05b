"""Small helpers the HTML views share: pagination, running an action behind a form."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _

from winroom.records import EditConflict

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def run_action(request, form, action, *args, **kwargs):
    """Call a write action; its validation errors land on the form's fields.

    Returns the action's result, or None when the form now carries errors (the page is
    shown again with everything the person typed, nothing lost).
    """
    try:
        return action(*args, **kwargs)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                target = field if field in form.fields else None
                if field == NON_FIELD_ERRORS:
                    target = None
                for message in errors:
                    form.add_error(target, message)
        else:
            for message in error.messages:
                form.add_error(None, message)
    except EditConflict as conflict:
        who = conflict.current.history.first()
        by = getattr(who, "history_user", None) if who else None
        form.add_error(
            None,
            _(
                "%(who)s saved this record while you were editing it. Your changes are "
                "kept below; compare them with the current version and save again."
            )
            % {"who": by or _("Someone")},
        )
        # the next save is checked against the version the person has now seen
        data = form.data.copy()
        data["version"] = conflict.current.version
        form.data = data
    except PermissionDenied as error:
        raise Http404 from error
    return None


def success(request, message: str) -> None:
    messages.success(request, message)


def run_or_404(action, *args, **kwargs):
    """Call an action whose refusal must look like absence (never confirm a record exists)."""
    try:
        return action(*args, **kwargs)
    except PermissionDenied as error:
        raise Http404 from error
