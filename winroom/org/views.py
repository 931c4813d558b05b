"""Sign-in, language choice, home and the recycle bin."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "org/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


@login_required
def home(request):
    """Reps and managers start their day on Today; administrators on the accounts."""
    if request.user.is_administrator:
        return redirect("accounts:list")
    return redirect("today:home")


@require_POST
def set_language(request):
    """Switch the interface language; stored on the user so it follows them to any device."""
    language = request.POST.get("language", "")
    supported = {code for code, _name in settings.LANGUAGES}
    next_url = request.POST.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language not in supported:
        return response
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    translation.activate(language)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600)
    return response


@login_required
def trash(request):
    """Deleted records this person may restore, newest first."""
    from winroom.accounts.models import Account, Contact, InfluenceCircle, InfluenceLine
    from winroom.activities.models import Activity
    from winroom.plans.models import AccountPlan
    from winroom.visits.models import Visit

    limit = 100
    context = {
        "accounts": Account.all_objects.deleted()
        .visible_to(request.user)
        .select_related("deleted_by")
        .order_by("-deleted_at")[:limit],
        "contacts": Contact.all_objects.deleted()
        .visible_to(request.user)
        .select_related("account", "deleted_by")
        .order_by("-deleted_at")[:limit],
        "activities": Activity.all_objects.deleted()
        .visible_to(request.user)
        .select_related("account", "deleted_by")
        .order_by("-deleted_at")[:limit],
        "plans": AccountPlan.all_objects.deleted()
        .visible_to(request.user)
        .select_related("account", "deleted_by")
        .order_by("-deleted_at")[:limit],
        "visits": Visit.all_objects.deleted()
        .visible_to(request.user)
        .select_related("account", "deleted_by")
        .order_by("-deleted_at")[:limit],
        "circles": InfluenceCircle.all_objects.deleted()
        .visible_to(request.user)
        .select_related("account", "deleted_by")
        .order_by("-deleted_at")[:limit],
        "lines": InfluenceLine.all_objects.deleted()
        .visible_to(request.user)
        .select_related("account", "source", "target", "deleted_by")
        .order_by("-deleted_at")[:limit],
    }
    return render(request, "org/trash.html", context)


def restored_message(request, obj):
    messages.success(request, _("Restored “%(name)s”.") % {"name": obj})


def back_to(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(default) if ":" in default else default
