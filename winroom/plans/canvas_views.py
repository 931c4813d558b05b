"""Triple-fit canvas pages: create, score, radar, and the customer's private links."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from winroom.history import history_for
from winroom.methodology import canvas as core
from winroom.org.access import can_write, get_visible_or_404
from winroom.web import run_action, run_or_404, success

from . import actions
from .forms import CanvasCreateForm, CanvasScoresForm, LinkForm
from .models import FitCanvas
from .presenting import canvas_rows, layer_rows, radar
from .views import _account


def _canvas(request, canvas_pk, *, write=False):
    canvas = get_visible_or_404(
        FitCanvas.objects.select_related("account").prefetch_related("account__members"),
        request.user,
        pk=canvas_pk,
    )
    if write and not can_write(request.user, canvas.account):
        raise Http404
    return canvas


def canvas_url(canvas):
    return reverse("plans:canvas", args=[canvas.pk])


@login_required
@require_POST
def canvas_create(request, account_pk):
    account = _account(request, account_pk)
    if not can_write(request.user, account):
        raise Http404
    form = CanvasCreateForm(request.POST)
    if form.is_valid():
        canvas = run_action(
            request,
            form,
            actions.create_canvas,
            account,
            by=request.user,
            horizon=form.cleaned_data["horizon"],
        )
        if canvas:
            return redirect(canvas_url(canvas))
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("plans:account", account_pk=account.pk)


def canvas_context(request, canvas, **extra):
    result = canvas.explain()
    links = list(canvas.links.select_related("created_by", "revoked_by"))
    writable = can_write(request.user, canvas.account)
    context = {
        "canvas": canvas,
        "account": canvas.account,
        "result": result,
        "rows": canvas_rows(canvas, result),
        "layers": layer_rows(result),
        "radar": radar(result, ours_label=_("Our scores"), theirs_label=_("The customer's scores")),
        "links": links,
        "can_write": writable,
        "gap_threshold": core.DEFAULT_GAP_THRESHOLD,
    }
    if writable:
        context["form"] = CanvasScoresForm(canvas=canvas)
        context["link_form"] = LinkForm()
    context.update(extra)
    return context


@login_required
def canvas_detail(request, canvas_pk):
    canvas = _canvas(request, canvas_pk)
    return render(request, "plans/canvas_detail.html", canvas_context(request, canvas))


@login_required
@require_POST
def canvas_scores(request, canvas_pk):
    canvas = _canvas(request, canvas_pk, write=True)
    form = CanvasScoresForm(request.POST)
    if form.is_valid():
        saved = run_action(
            request,
            form,
            actions.score_canvas,
            canvas,
            by=request.user,
            scores=form.scores(),
            notes=form.notes(),
            expected_version=form.cleaned_data.get("version"),
        )
        if saved:
            success(request, _("Canvas saved."))
            return redirect(canvas_url(canvas))
    return render(
        request, "plans/canvas_detail.html", canvas_context(request, canvas, form=form), status=400
    )


@login_required
@require_POST
def link_create(request, canvas_pk):
    canvas = _canvas(request, canvas_pk, write=True)
    form = LinkForm(request.POST)
    if form.is_valid():
        created = run_action(
            request,
            form,
            actions.create_link,
            canvas,
            by=request.user,
            days=form.cleaned_data["days"],
            language=form.cleaned_data["language"] or "",
        )
        if created:
            link, token = created
            url = request.build_absolute_uri(reverse("plans:customer", args=[token]))
            return render(
                request,
                "plans/canvas_detail.html",
                canvas_context(request, canvas, new_link=link, new_url=url),
            )
    return render(
        request,
        "plans/canvas_detail.html",
        canvas_context(request, canvas, link_form=form),
        status=400,
    )


@login_required
@require_POST
def link_revoke(request, canvas_pk, link_pk):
    canvas = _canvas(request, canvas_pk, write=True)
    link = canvas.links.filter(pk=link_pk).first()
    if link is None:
        raise Http404
    run_or_404(actions.revoke_link, link, by=request.user)
    success(request, _("The link was revoked: it no longer opens."))
    return redirect(canvas_url(canvas) + "#links")


@login_required
def canvas_history(request, canvas_pk):
    canvas = _canvas(request, canvas_pk)
    return render(
        request,
        "history.html",
        {"object": canvas, "entries": history_for(canvas), "back": canvas_url(canvas)},
    )
