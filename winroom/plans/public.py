"""The customer's page behind a private link: ``/plans/c/<token>/``, no login.

What it shows: the account's name, the canvas's horizon and the nine questions — nothing
else of the account, no navigation into the app. The customer answers while the link is
valid (not expired, not revoked); a later answer through the same link replaces the earlier
one. An unknown or altered token is 404, an expired or revoked link 410, each with a plain
message. Every response is rate-limited per token and per client address (Django's cache:
per process with the default local-memory cache, shared when a shared cache is configured)
and carries no-referrer, noindex and no-store headers.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect

from . import actions
from .forms import CustomerAnswerForm
from .models import CustomerLink, LinkStatus

#: requests allowed per window; a token is tried at most this often, a client address too
PER_TOKEN = 30
PER_ADDRESS = 60
WINDOW_SECONDS = 600

HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow, noarchive",
    "Cache-Control": "no-store, private",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
}


def _over_limit(key: str, limit: int) -> bool:
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > limit


def rate_limited(request, token_hash: str) -> bool:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    by_token = _over_limit(f"plans:link:token:{token_hash}", PER_TOKEN)
    by_address = _over_limit(f"plans:link:addr:{address}", PER_ADDRESS)
    return by_token or by_address


def _language(request, link) -> str:
    supported = {code for code, _name in settings.LANGUAGES}
    asked = request.GET.get("lang", "")
    if asked in supported:
        return asked
    if link is not None and link.language in supported:
        return link.language
    return translation.get_language_from_request(request)


def _respond(request, template, context, status=200):
    response = render(request, template, context, status=status)
    for name, value in HEADERS.items():
        response[name] = value
    response["Content-Language"] = translation.get_language()
    return response


def _closed(request, message, status):
    return _respond(request, "plans/customer_closed.html", {"message": message}, status)


@csrf_protect
def customer_canvas(request, token):
    token_hash = CustomerLink.hash_token(token)
    if rate_limited(request, token_hash):  # counted before the database is asked
        with translation.override(_language(request, None)):
            return _closed(request, _("Too many requests. Please try again later."), 429)
    link = (
        CustomerLink.objects.select_related("canvas__account").filter(token_hash=token_hash).first()
    )
    with translation.override(_language(request, link)):
        if request.method not in ("GET", "POST"):
            return _closed(request, _("This link does not exist."), 405)
        canvas = link.canvas if link is not None else None
        if (
            canvas is None
            or canvas.is_deleted
            or canvas.account.is_deleted  # the link dies with its canvas and account
        ):
            return _closed(request, _("This link does not exist."), 404)
        status = link.status
        if status == LinkStatus.REVOKED:
            return _closed(request, _("This link has been withdrawn."), 410)
        if status == LinkStatus.EXPIRED:
            return _closed(request, _("This link has expired."), 410)

        thanks = False
        if request.method == "POST":
            form = CustomerAnswerForm(request.POST)
            if form.is_valid():
                try:
                    canvas = actions.answer_canvas(
                        link, scores=form.scores(), comment=form.cleaned_data["comment"]
                    )
                    thanks = True
                except PermissionDenied:
                    return _closed(request, _("This link has expired."), 410)
                except ValidationError as error:
                    for message in error.messages:
                        form.add_error(None, message)
        else:
            initial = {f"score_{k}": v for k, v in (canvas.customer_scores or {}).items()}
            initial["comment"] = canvas.customer_comment
            form = CustomerAnswerForm(initial=initial)
        context = {
            "account_name": canvas.account.name,
            "horizon": canvas.get_horizon_display(),
            "form": form,
            "thanks": thanks,
            "expires_at": link.expires_at,
            "answered": canvas.customer_answered_at is not None,
            "languages": settings.LANGUAGES,
        }
        return _respond(
            request, "plans/customer_canvas.html", context, status=400 if form.errors else 200
        )
