"""Today: the rep's (and the manager's) day, and the one-click steps it offers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from winroom.deals import actions as deal_actions
from winroom.deals.models import Action, ActionStatus, Deal
from winroom.org.models import User

from . import sections


@login_required
def today(request):
    scope = sections.scope_for(request.user, request.GET.get("rep"))
    context = sections.build(scope)
    context["scope"] = scope
    context["team_rows"] = sections.team_rows(scope, context["sections"])
    context["team_columns"] = [s for s in context["sections"].values() if s.key != "pool"]
    if scope.team:
        if scope.user_scope_ids is None:
            reps = User.objects.filter(is_active=True)
        else:
            reps = User.objects.filter(pk__in=scope.user_scope_ids, is_active=True)
        context["reps"] = reps.select_related("team").order_by("team__name", "username")
    return render(request, "today/today.html", context)


@login_required
@require_POST
def action_done(request, pk):
    """Complete an action from Today; htmx removes its row, a plain form comes back."""
    action = (
        Action.objects.filter(pk=pk, deal__in=Deal.objects.visible_to(request.user))
        .select_related("deal")
        .first()
    )
    if action is None or action.status != ActionStatus.OPEN:
        raise Http404
    try:
        deal_actions.complete_action(action, by=request.user, done=True)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("today:home")
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("“%(title)s” is done.") % {"title": action.title})
    return redirect("today:home")
