"""Login throttling and session timeouts (issue 10).

* **Failed logins** are counted by django-axes, per account and per client address
  separately: ``AXES_FAILURE_LIMIT`` (default 100) failures within ``AXES_COOLOFF_TIME``
  (one hour) lock that username, or that address, until the hour has passed. The page login
  and the API token endpoint both count.
* **The client address** is the connection's own (``REMOTE_ADDR``). ``X-Forwarded-For`` is
  believed only when the connection comes from a proxy listed in ``WINROOM_TRUSTED_PROXIES``,
  and then only its right-most address that is not itself a trusted proxy — so a client
  cannot pick a fresh address per attempt by sending the header.
* **Sessions** end after ``WINROOM_SESSION_IDLE_MINUTES`` without a request (default 120)
  and ``WINROOM_SESSION_MAX_HOURS`` after the login (default 12), whichever comes first.
"""

from __future__ import annotations

import ipaddress
import time

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOGIN_AT = "winroom_login_at"
SEEN_AT = "winroom_seen_at"


def _valid(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return ""


def client_ip(request) -> str:
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"
    trusted = set(getattr(settings, "WINROOM_TRUSTED_PROXIES", ()))
    if remote not in trusted:
        return remote
    chain = [_valid(part) for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in chain if a]):
        if address not in trusted:
            return address
    return remote


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' check, skipped only for code that authenticates without a request.

    Every login a person or a client can reach (the login page, the token endpoint, the
    admin) passes the request; a call without one comes from our own code or the test
    client's ``login()`` and has no address to count.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, credentials=None, *args, **kwargs) -> HttpResponse:
    """The answer while an account or address is locked: 429, translated, page or JSON."""
    hours = settings.AXES_COOLOFF_TIME
    text = _(
        "Too many failed logins for this account or from this address. "
        "Try again in %(hours)s hour(s), or ask an administrator to unlock it."
    ) % {"hours": hours}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": text}, status=429)
    return render(request, "org/locked_out.html", {"message": text}, status=429)


@receiver(user_logged_in)
def stamp_login(sender, request, user, **kwargs):
    """Start both clocks at the login, so the next requests need not write the session."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now


class SessionTimeoutMiddleware:
    """Log out a session idle too long, or older than the absolute limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            session = request.session
            idle = int(getattr(settings, "WINROOM_SESSION_IDLE_MINUTES", 120)) * 60
            most = int(getattr(settings, "WINROOM_SESSION_MAX_HOURS", 12)) * 3600
            login_at = session.get(LOGIN_AT)
            seen_at = session.get(SEEN_AT)
            if login_at is None:
                session[LOGIN_AT] = login_at = now
            expired = now - int(login_at) > most or (
                seen_at is not None and now - int(seen_at) > idle
            )
            if expired:
                logout(request)
                if request.path.startswith("/api/") or request.headers.get("HX-Request"):
                    return JsonResponse({"detail": _("Your session has ended.")}, status=401)
                return redirect_to_login(request.get_full_path())
            # write at most once a minute so every request does not save the session
            if seen_at is None or now - int(seen_at) >= 60:
                session[SEEN_AT] = now
        return self.get_response(request)
