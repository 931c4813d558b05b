"""Settings pages where administrators define the custom attributes of deals and accounts."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from winroom.accounts.models import Account
from winroom.deals.models import Deal
from winroom.web import run_action, success

from . import actions
from .forms import FIXED, DefinitionForm
from .models import AttributeDefinition, AttributeTarget

RECORDS = {AttributeTarget.DEAL: Deal, AttributeTarget.ACCOUNT: Account}


def administrators_only(view):
    """Signed-in administrators only; anyone else is refused with 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not actions.may_administer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _in_use(target: str, definitions) -> dict[int, int]:
    """How many living records hold a value for each definition (one query per target)."""
    if not definitions:
        return {}
    counts = RECORDS[target].objects.aggregate(
        **{f"n{d.pk}": Count("pk", filter=Q(custom__has_key=d.code)) for d in definitions}
    )
    return {d.pk: counts[f"n{d.pk}"] for d in definitions}


@administrators_only
def definition_list(request):
    definitions = list(AttributeDefinition.objects.order_by("target", "-active", "position", "pk"))
    groups = []
    for target, label in AttributeTarget.choices:
        rows = [d for d in definitions if d.target == target]
        in_use = _in_use(target, rows)
        for definition in rows:
            definition.in_use = in_use[definition.pk]
        groups.append({"target": target, "label": label, "definitions": rows})
    return render(request, "attributes/definition_list.html", {"groups": groups})


@administrators_only
def definition_create(request):
    initial = {}
    if request.GET.get("target") in AttributeTarget.values:
        initial["target"] = request.GET["target"]
    form = DefinitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        definition = run_action(
            request, form, actions.define_attribute, by=request.user, data=form.cleaned_data
        )
        if definition:
            success(request, _("Custom attribute “%(label)s” created.") % {"label": definition})
            return redirect("attributes:list")
    return render(request, "attributes/definition_form.html", {"form": form})


@administrators_only
def definition_edit(request, pk):
    definition = get_object_or_404(AttributeDefinition, pk=pk)
    form = DefinitionForm(request.POST or None, instance=definition)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in FIXED}
        saved = run_action(
            request, form, actions.update_attribute, definition, by=request.user, data=data
        )
        if saved:
            success(request, _("Custom attribute “%(label)s” saved.") % {"label": saved})
            return redirect("attributes:list")
    return render(
        request, "attributes/definition_form.html", {"form": form, "definition": definition}
    )


@require_POST
@administrators_only
def definition_deactivate(request, pk):
    definition = get_object_or_404(AttributeDefinition, pk=pk)
    actions.set_attribute_active(definition, by=request.user, active=False)
    success(
        request,
        _("“%(label)s” deactivated; the values already recorded are kept.") % {"label": definition},
    )
    return redirect("attributes:list")


@require_POST
@administrators_only
def definition_activate(request, pk):
    definition = get_object_or_404(AttributeDefinition, pk=pk)
    actions.set_attribute_active(definition, by=request.user, active=True)
    success(request, _("“%(label)s” is active again.") % {"label": definition})
    return redirect("attributes:list")
