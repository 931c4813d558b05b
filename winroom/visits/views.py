"""Visit pages: list, plan (with suggestions from the deal room), record, evaluation,
skills, and the calendar feed."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from winroom.accounts.models import Account
from winroom.exports import lists as exports
from winroom.exports.spreadsheet import wanted_format
from winroom.history import history_for
from winroom.methodology.trees import team_subtree
from winroom.org.access import can_write, get_visible_or_404, viewer_for
from winroom.org.models import Team
from winroom.web import paginate, query_without_page, run_action, run_or_404, success

from . import actions, feed
from .filters import VisitFilter
from .forms import SkillsForm, VisitEvaluateForm, VisitPlanForm, VisitRecordForm
from .models import Visit, VisitStatus
from .presenting import (
    STEP_LABELS,
    deal_suggestions,
    effective_lines,
    risk_suggestion,
    score_rows,
)
from .skills import skills_for, skills_per_rep

SKILLS_DAYS = 28


def _visit(request, pk):
    return get_visible_or_404(
        Visit.objects.select_related("account", "deal", "owner", "manager_scored_by"),
        request.user,
        pk=pk,
    )


def visit_url(visit):
    return reverse("visits:detail", args=[visit.pk])


# --------------------------------------------------------------------------- list


@login_required
def visit_list(request):
    visits = (
        Visit.objects.visible_to(request.user)
        .select_related("account", "deal", "owner")
        .order_by("-planned_at", "-pk")
    )
    filterset = VisitFilter(request.GET, queryset=visits, request=request)
    if wanted_format(request):
        return exports.visits(request, filterset.qs)
    page = paginate(request, filterset.qs)
    context = {"filter": filterset, "page": page, "query": query_without_page(request)}
    template = "visits/visit_list.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


# --------------------------------------------------------------------------- plan


def _deal_from(request, value, account=None):
    from winroom.deals.models import Deal

    if not value:
        return None
    deal = get_visible_or_404(
        Deal.objects.select_related("account", "stage"), request.user, pk=value
    )
    if account is not None and deal.account_id != account.pk:
        raise Http404
    return deal


def _suggestions_for(form, deal):
    if deal is None:
        return None
    people = form["people"].value() or []
    return deal_suggestions(deal, people_ids=[p for p in people if str(p).isdigit()])


def _plan_page(request, form, *, visit=None, deal=None):
    if deal is None and form.is_bound:
        deal = form.fields["deal"].queryset.filter(pk=_pk(form.data.get("deal"))).first()
    elif deal is None and visit is not None and visit.deal_id:
        deal = visit.deal
    return render(
        request,
        "visits/visit_form.html",
        {"form": form, "visit": visit, "suggestions": _suggestions_for(form, deal)},
    )


def _pk(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
def visit_create(request):
    params = request.GET
    account = None
    if params.get("account"):
        account = get_visible_or_404(Account.objects, request.user, pk=params["account"])
    deal = _deal_from(request, params.get("deal"), account)
    if deal is not None and account is None:
        account = deal.account
    if request.method == "POST":
        form = VisitPlanForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.changes()
            if not can_write(request.user, data["account"]):
                raise Http404
            data["people"] = form.cleaned_data["people"]
            visit = run_action(request, form, actions.plan_visit, by=request.user, data=data)
            if visit:
                success(request, _("Visit planned."))
                return redirect(visit_url(visit))
        return _plan_page(request, form)
    form = VisitPlanForm(user=request.user, account=account)
    if deal is not None:
        form.initial["deal"] = deal.pk
    suggestions = deal_suggestions(deal) if deal is not None else None
    person = params.get("person")
    if person and account is not None and account.contacts.filter(pk=_pk(person)).exists():
        form.initial["people"] = [_pk(person)]
    objective = risk_suggestion(suggestions, params.get("risk"))
    if objective:
        form.initial["objective"] = objective
    if request.htmx and suggestions is not None and form.initial.get("people"):
        suggestions = deal_suggestions(deal, people_ids=form.initial["people"])
    return render(
        request,
        "visits/visit_form.html",
        {"form": form, "visit": None, "suggestions": suggestions},
    )


@login_required
@require_GET
def visit_suggestions(request):
    """htmx: the deal room's suggestions for the opportunity picked in the plan form."""
    deal = _deal_from(request, request.GET.get("deal"))
    people = [p for p in request.GET.getlist("people") if p.isdigit()]
    suggestions = deal_suggestions(deal, people_ids=people) if deal is not None else None
    return render(request, "visits/_suggestions.html", {"suggestions": suggestions})


@login_required
def visit_edit(request, pk):
    visit = _visit(request, pk)
    if not can_write(request.user, visit):
        raise Http404
    form = VisitPlanForm(request.POST or None, instance=visit, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        data["people"] = form.cleaned_data["people"]
        saved = run_action(
            request,
            form,
            actions.update_plan,
            visit,
            by=request.user,
            data=data,
            expected_version=form.cleaned_data.get("version"),
        )
        if saved:
            success(request, _("Plan saved."))
            return redirect(visit_url(saved))
    return _plan_page(request, form, visit=visit)


@login_required
@require_POST
def visit_cancel(request, pk):
    """Cancel a planned visit: it leaves Today and the calendar, its plan is kept."""
    visit = _visit(request, pk)
    if not can_write(request.user, visit) or visit.status != VisitStatus.PLANNED:
        raise Http404
    run_or_404(actions.cancel_visit, visit, by=request.user)
    success(request, _("Visit cancelled."))
    return redirect(visit_url(visit))


@login_required
def visit_delete(request, pk):
    visit = _visit(request, pk)
    if not can_write(request.user, visit):
        raise Http404
    if request.method == "POST":
        run_or_404(actions.delete_visit, visit, by=request.user)
        success(request, _("Visit moved to the recycle bin."))
        return redirect("visits:list")
    return render(request, "confirm_delete.html", {"object": visit, "cancel": visit_url(visit)})


@login_required
@require_POST
def visit_restore(request, pk):
    visit = get_visible_or_404(Visit.all_objects.deleted(), request.user, pk=pk)
    if not can_write(request.user, visit):
        raise Http404
    run_or_404(actions.restore_visit, visit, by=request.user)
    success(request, _("Restored “%(name)s”.") % {"name": visit})
    return redirect(visit_url(visit))


# --------------------------------------------------------------------------- detail


@login_required
def visit_detail(request, pk):
    visit = _visit(request, pk)
    verdict = effective_lines(visit) if visit.status == VisitStatus.DONE else None
    return render(
        request,
        "visits/visit_detail.html",
        {
            "visit": visit,
            "people": list(visit.people.all()),
            "verdict": verdict,
            "scores": score_rows(visit),
            "can_write": can_write(request.user, visit),
            "may_record": actions.may_record(request.user, visit),
            "may_evaluate": actions.may_evaluate(request.user, visit)
            and visit.status == VisitStatus.DONE,
            "actions": _visit_actions(visit),
        },
    )


def _visit_actions(visit):
    if not visit.deal_id or visit.visited_on is None:
        return []
    from winroom.deals.models import Action

    # the label is written in the recorder's language; its date is the same in every one
    return list(
        Action.objects.filter(
            deal_id=visit.deal_id, linked_to__endswith=visit.visited_on.isoformat()
        ).select_related("owner")
    )


@login_required
def visit_history(request, pk):
    visit = _visit(request, pk)
    return render(
        request,
        "history.html",
        {"object": visit, "entries": history_for(visit), "back": visit_url(visit)},
    )


# --------------------------------------------------------------------------- record


@login_required
def visit_record(request, pk):
    visit = _visit(request, pk)
    if not actions.may_record(request.user, visit):
        raise Http404
    form = VisitRecordForm(request.POST or None, instance=visit, user=request.user)
    if request.method == "POST" and form.is_valid():
        result = run_action(
            request,
            form,
            actions.record_visit,
            visit,
            by=request.user,
            data=form.changes(),
            expected_version=form.cleaned_data.get("version"),
            **form.action_arguments(),
        )
        if result:
            saved, created = result
            message = _("Visit recorded.")
            if created:
                message += " " + _("%(n)s action(s) added to the opportunity.") % {
                    "n": len(created)
                }
            success(request, message)
            return redirect(visit_url(saved))
    return render(
        request,
        "visits/visit_record.html",
        {"form": form, "visit": visit, "steps": _score_fields(form, "rep")},
    )


def _score_fields(form, side):
    return [(label, form[f"{side}_{step.value}"]) for step, label in STEP_LABELS.items()]


@login_required
def visit_evaluate(request, pk):
    visit = _visit(request, pk)
    if not actions.may_evaluate(request.user, visit):
        raise Http404
    form = VisitEvaluateForm(request.POST or None, instance=visit)
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        note = data.pop("manager_note", "")
        saved = run_action(
            request,
            form,
            actions.evaluate_visit,
            visit,
            by=request.user,
            scores=data,
            note=note,
            expected_version=form.cleaned_data.get("version"),
        )
        if saved:
            success(request, _("Your evaluation is saved."))
            return redirect(visit_url(saved))
    return render(
        request,
        "visits/visit_evaluate.html",
        {
            "form": form,
            "visit": visit,
            "steps": _score_fields(form, "mgr"),
            "scores": score_rows(visit),
            "verdict": effective_lines(visit) if visit.status == VisitStatus.DONE else None,
        },
    )


# --------------------------------------------------------------------------- skills


def _skills_scope(user):
    """The people and teams whose skills this viewer may see."""
    User = get_user_model()
    viewer = viewer_for(user)
    if viewer.is_admin:
        return User.objects.order_by("username"), Team.objects.order_by("name")
    users = User.objects.filter(pk__in=sorted(viewer.owner_scope)).order_by("username")
    managed = list(Team.objects.filter(manager=user).values_list("pk", flat=True))
    if not managed:
        return users, Team.objects.none()
    parent_of = dict(Team.objects.values_list("pk", "parent_id"))
    return users, Team.objects.filter(pk__in=sorted(team_subtree(parent_of, managed))).order_by(
        "name"
    )


@login_required
def skills(request):
    users, teams = _skills_scope(request.user)
    form = SkillsForm(request.GET or None, reps=users, teams=teams)
    valid = form.is_bound and form.is_valid()
    for name in ("rep", "team"):
        if request.GET.get(name) and (name not in form.fields or name in form.errors):
            raise Http404  # someone outside the viewer's scope: as if absent
    data = form.cleaned_data if valid else {}
    today = timezone.localdate()
    end = data.get("end") or today
    start = data.get("start") or end - timedelta(days=SKILLS_DAYS - 1)
    if end < start:
        start, end = end - timedelta(days=SKILLS_DAYS - 1), end
    in_scope = list(users)
    rep, team = data.get("rep"), data.get("team")
    if rep is not None:
        subjects, subject_label = [rep], str(rep)
    elif team is not None:
        parent_of = dict(Team.objects.values_list("pk", "parent_id"))
        below = team_subtree(parent_of, [team.pk])
        subjects = [u for u in in_scope if u.team_id in below]
        subject_label = str(team)
    elif viewer_for(request.user).is_admin or viewer_for(request.user).managed_user_ids:
        subjects, subject_label = in_scope, _("Everyone you manage")
    else:
        subjects, subject_label = [request.user], str(request.user)
    ids = [u.pk for u in subjects]
    report = skills_for(ids, start, end)
    per_rep = skills_per_rep(ids, start, end) if len(subjects) > 1 else {}
    rows = [{"user": u, **per_rep[u.pk]} for u in subjects if u.pk in per_rep]
    for row in rows:
        row["rep_weakest"] = [STEP_LABELS[s] for s in row["rep_weakest"]]
        row["manager_weakest"] = [STEP_LABELS[s] for s in row["manager_weakest"]]
    chart = {
        "steps": [str(STEP_LABELS[c.step]) for c in report.comparison],
        "rep": [_num(c.rep_average) for c in report.comparison],
        "manager": [_num(c.manager_average) for c in report.comparison],
        "weeks": [monday.isoformat() for monday, _rate, _n in report.weeks],
        "per_week": [_num(rate) for _monday, rate, _n in report.weeks],
        "labels": {
            "rep": _("Rep's view"),
            "manager": _("Manager's view"),
            "per_week": _("Effective visits per week"),
        },
    }
    return render(
        request,
        "visits/skills.html",
        {
            "form": form,
            "report": report,
            "subject_label": subject_label,
            "subjects": subjects,
            "rows": rows,
            "comparison": [
                {
                    "label": STEP_LABELS[c.step],
                    "rep": c.rep_average,
                    "manager": c.manager_average,
                    "difference": c.difference,
                    "rep_n": report.rep.counts[c.step],
                    "manager_n": report.manager.counts[c.step],
                }
                for c in report.comparison
            ],
            "rep_weakest": [STEP_LABELS[s] for s in report.rep.weakest or ()],
            "manager_weakest": [STEP_LABELS[s] for s in report.manager.weakest or ()],
            "chart": chart,
            "rule": _rule_text(),
        },
    )


def _num(value):
    return float(value) if value is not None else None


def _rule_text():
    from winroom.org.models import CompanySettings

    rule = CompanySettings.current().effective_visit_rule()
    parts = [_("recorded within %(n)s day(s) of the visit") % {"n": rule.record_within_days}]
    if rule.require_objective:
        parts.append(_("the plan has an objective"))
    if rule.require_commitment_answered:
        parts.append(_("the commitment question answered"))
    return "; ".join(parts)


# --------------------------------------------------------------------------- calendar


@login_required
def calendar(request):
    token = None
    if request.method == "POST":
        if request.POST.get("revoke"):
            feed.revoke(request.user)
            success(request, _("The calendar address is revoked; subscriptions stop updating."))
            return redirect("visits:calendar")
        token = feed.issue_token(request.user)
        success(
            request,
            _("A new calendar address is ready. Copy it now: it is shown only this once."),
        )
    url = request.build_absolute_uri(reverse("visits:ics", args=[token])) if token else None
    return render(
        request,
        "visits/calendar.html",
        {"subscription": _feed_row(request.user), "url": url, "recent_days": feed.RECENT_DAYS},
    )


def _feed_row(user):
    from .models import CalendarFeed

    return CalendarFeed.objects.filter(user=user).first()


@require_GET
def ics(request, token):
    """The subscription itself: no session, the secret address is the credential."""
    user = feed.feed_owner(token)
    if user is None:
        raise Http404
    language = user.language or translation.get_language()
    base_url = request.build_absolute_uri("/").rstrip("/")
    with translation.override(language):
        body = feed.build_calendar(user, base_url=base_url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="winroom.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
