"""People a manager looks after, and the hand-over of a leaving rep (METHODOLOGY §1.6)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from winroom.deals.models import ActionStatus

from .access import viewer_for
from .actions import may_transfer, transfer_and_deactivate
from .models import User
from .transfer_forms import TransferForm


def _managed_users(request):
    """The people this user may transfer: everyone they manage (admins: everyone); else 404."""
    viewer = viewer_for(request.user)
    if not viewer.is_active:
        raise Http404
    users = User.objects.exclude(pk=request.user.pk)
    if viewer.is_admin:
        return users
    if not viewer.managed_user_ids:
        raise Http404
    return users.filter(pk__in=viewer.managed_user_ids)


@login_required
def people(request):
    users = (
        _managed_users(request)
        .select_related("team")
        .annotate(
            n_accounts=Count(
                "owned_accounts",
                filter=Q(owned_accounts__deleted_at__isnull=True),
                distinct=True,
            ),
            n_deals=Count(
                "owned_deals", filter=Q(owned_deals__deleted_at__isnull=True), distinct=True
            ),
            n_actions=Count(
                "deal_actions",
                filter=Q(
                    deal_actions__deleted_at__isnull=True,
                    deal_actions__status=ActionStatus.OPEN,
                ),
                distinct=True,
            ),
            n_leads=Count(
                "owned_leads", filter=Q(owned_leads__deleted_at__isnull=True), distinct=True
            ),
        )
        .order_by("-is_active", "team__name", "username")
    )
    return render(request, "org/people.html", {"people": users})


@login_required
def transfer(request, pk):
    leaving = get_object_or_404(_managed_users(request), pk=pk)
    if not may_transfer(request.user, leaving):
        raise Http404
    initial = {}
    form_kwargs = {"by": request.user, "leaving": leaving}
    if request.method == "POST":
        form = TransferForm(request.POST, **form_kwargs)
    else:
        if leaving.team_id and leaving.team.manager_id and leaving.team.manager_id != leaving.pk:
            initial["default_successor"] = leaving.team.manager_id
        else:
            initial["default_successor"] = request.user.pk
        form = TransferForm(initial=initial, **form_kwargs)
    result = None
    if form.is_bound and form.is_valid():
        confirm = "confirm" in request.POST
        try:
            result = transfer_and_deactivate(
                by=request.user,
                leaving=leaving,
                successors=form.successors(),
                default_successor=form.cleaned_data["default_successor"],
                preview=not confirm,
            )
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            result = None
        if result is not None and result.done:
            return render(request, "org/transfer_done.html", {"leaving": leaving, "result": result})
    if result is None:
        # what would move, before any successor is confirmed
        default = (
            form.fields["default_successor"]
            .queryset.filter(pk=initial.get("default_successor") or request.user.pk)
            .first()
        )
        if default is not None:
            try:
                result = transfer_and_deactivate(
                    by=request.user,
                    leaving=leaving,
                    successors={},
                    default_successor=default,
                    preview=True,
                )
            except (PermissionDenied, ValidationError):
                result = None
    return render(
        request, "org/transfer.html", {"leaving": leaving, "form": form, "result": result}
    )
