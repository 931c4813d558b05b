"""The pipeline, the board and the deal room."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from winroom.exports import lists as exports
from winroom.exports.spreadsheet import wanted_format
from winroom.history import history_for
from winroom.org.access import get_visible_or_404
from winroom.org.models import CompanySettings
from winroom.web import paginate, query_without_page, run_action, success

from . import actions
from .filters import DealFilter
from .forms import (
    ActionForm,
    AdvanceForm,
    CloseForm,
    ComparisonForm,
    CompellingEventForm,
    CompetitorForm,
    DealForm,
    DealMemberForm,
    GradeForm,
    PersonForm,
    QuestionnaireForm,
    QuoteForm,
    RegistrationForm,
    RequirementsForm,
    ReviewForm,
    SignOffForm,
    ValueForm,
)
from .models import (
    Action,
    ActionStatus,
    Competitor,
    Deal,
    DealMember,
    DealStatus,
    Review,
    Stage,
    WinRatePoint,
)
from .presenting import deal_room_context


def _deal(request, pk):
    return get_visible_or_404(
        Deal.objects.select_related("account", "owner", "stage", "winner").prefetch_related(
            Prefetch("members", queryset=DealMember.objects.select_related("user"))
        ),
        request.user,
        pk=pk,
    )


def deal_url(deal, anchor=""):
    return reverse("deals:detail", args=[deal.pk]) + (f"#{anchor}" if anchor else "")


def _flash_errors(request, error):
    """A refused step's messages (a ValidationError or a form's errors) as page messages."""
    if isinstance(error, ValidationError):
        texts = error.messages
    else:
        texts = [message for errs in error.values() for message in errs]
    for message in texts:
        messages.error(request, message)


def _perform(request, deal, anchor, action, *args, ok=None, **kwargs):
    """Run a deal-room step; errors come back as messages on the deal room."""
    try:
        result = action(*args, **kwargs)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        _flash_errors(request, error)
        return redirect(deal_url(deal, anchor))
    if ok:
        messages.success(request, ok)
    return redirect(
        deal_url(getattr(result, "deal", deal) if not isinstance(result, Deal) else result, anchor)
    )


def _annotated(qs):
    """Flags the pipeline shows: overdue actions, and A/B deals whose coaching review is due."""
    today = timezone.localdate()
    overdue = Action.objects.filter(deal=OuterRef("pk"), status=ActionStatus.OPEN, due_on__lt=today)
    cutoff = today - timezone.timedelta(days=CompanySettings.current().review_every_days)
    last_review = (
        Review.objects.filter(deal=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
    )
    due = Q(grade__in=["a", "b"], status=DealStatus.OPEN) & (
        Q(last_review__lt=cutoff) | Q(last_review__isnull=True, created_at__date__lt=cutoff)
    )
    return qs.annotate(
        has_overdue_actions=Exists(overdue),
        last_review=Subquery(last_review),
    ).annotate(
        review_overdue=Case(
            When(due, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


@login_required
def deal_list(request):
    deals = _annotated(
        Deal.objects.visible_to(request.user)
        .select_related("account", "owner", "stage")
        .order_by("-updated_at", "-pk")
    )
    filterset = DealFilter(request.GET, queryset=deals, request=request)
    if wanted_format(request):
        return exports.deals(request, filterset.qs)
    page = paginate(request, filterset.qs)
    context = {"filter": filterset, "page": page, "query": query_without_page(request)}
    template = "deals/deal_list.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


@login_required
def deal_board(request):
    stages = list(Stage.objects.all())
    deals = list(
        _annotated(
            Deal.objects.visible_to(request.user)
            .open()
            .select_related("account", "owner", "stage")
            .order_by("-updated_at")
        )[:600]
    )
    columns = [(stage, [d for d in deals if d.stage_id == stage.pk]) for stage in stages]
    return render(request, "deals/deal_board.html", {"columns": columns})


@login_required
def deal_create(request):
    form = DealForm(request.POST or None, user=request.user)
    if not request.POST and request.GET.get("account"):
        form.initial["account"] = request.GET["account"]
    if request.method == "POST" and form.is_valid():
        deal = run_action(request, form, actions.create_deal, by=request.user, data=form.changes())
        if deal:
            success(request, _("Opportunity “%(name)s” created.") % {"name": deal})
            return redirect(deal_url(deal))
    return render(request, "deals/deal_form.html", {"form": form})


@login_required
def deal_edit(request, pk):
    deal = _deal(request, pk)
    form = DealForm(request.POST or None, instance=deal, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        data.pop("account", None)
        saved = run_action(
            request,
            form,
            actions.update_deal,
            deal,
            by=request.user,
            data=data,
            expected_version=form.cleaned_data.get("version"),
        )
        if saved:
            success(request, _("Opportunity “%(name)s” saved.") % {"name": saved})
            return redirect(deal_url(saved))
    return render(request, "deals/deal_form.html", {"form": form, "deal": deal})


@login_required
def deal_detail(request, pk):
    deal = _deal(request, pk)
    context = deal_room_context(request, deal)
    return render(request, "deals/deal_room.html", context)


@login_required
def deal_history(request, pk):
    deal = _deal(request, pk)
    return render(
        request,
        "history.html",
        {"object": deal, "entries": history_for(deal), "back": deal_url(deal)},
    )


@login_required
def deal_curve(request, pk):
    """The win-rate curve as JSON: every point with the change that caused it."""
    deal = _deal(request, pk)
    points = WinRatePoint.objects.filter(deal=deal).order_by("at", "id")
    return JsonResponse(
        {
            "points": [
                {
                    "at": timezone.localtime(p.at).isoformat(),
                    "week": p.week.isoformat() if p.week else None,
                    "rate": float(p.rate) if p.rate is not None else None,
                    "status": p.status,
                    "cause": p.cause,
                }
                for p in points
            ]
        }
    )


@login_required
@require_POST
def deal_advance(request, pk):
    """Advance (or move back) a deal; the board asks for JSON, the deal room for a page."""
    deal = _deal(request, pk)
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        if wants_json:
            return JsonResponse({"ok": False, "message": " ".join(form.errors.get("stage", []))})
        _flash_errors(request, form.errors)
        return redirect(deal_url(deal, "stage"))
    target = form.cleaned_data["stage"]
    try:
        actions.advance_stage(
            deal,
            by=request.user,
            to=target,
            milestones=form.milestones(),
            reconfirm_event=form.cleaned_data["reconfirm_event"],
        )
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        if wants_json:
            return JsonResponse({"ok": False, "message": " ".join(error.messages)})
        _flash_errors(request, error)
        return redirect(deal_url(deal, "stage"))
    message = _("Moved to “%(stage)s”.") % {"stage": target}
    if wants_json:
        return JsonResponse({"ok": True, "message": message})
    messages.success(request, message)
    return redirect(deal_url(deal, "stage"))


@login_required
@require_POST
def deal_grade(request, pk):
    deal = _deal(request, pk)
    form = GradeForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form.errors)
        return redirect(deal_url(deal))
    return _perform(
        request,
        deal,
        "",
        actions.override_grade,
        deal,
        by=request.user,
        grade=form.cleaned_data["grade"],
        reason=form.cleaned_data["reason"],
        ok=_("Grade saved."),
    )


@login_required
@require_POST
def compelling_event_add(request, pk):
    deal = _deal(request, pk)
    form = CompellingEventForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form.errors)
        return redirect(deal_url(deal, "compelling-event"))
    return _perform(
        request,
        deal,
        "compelling-event",
        actions.record_compelling_event,
        deal,
        by=request.user,
        ok=_("Compelling event recorded."),
        **form.cleaned_data,
    )


@login_required
@require_POST
def compelling_event_confirm(request, pk, event_pk):
    deal = _deal(request, pk)
    event = deal.compelling_events.filter(pk=event_pk).first()
    if event is None:
        raise Http404
    holds = request.POST.get("holds", "1") == "1"
    return _perform(
        request,
        deal,
        "compelling-event",
        actions.reconfirm_compelling_event,
        event,
        by=request.user,
        holds=holds,
        ok=_("Compelling event updated."),
    )


@login_required
@require_POST
def competitor_add(request, pk):
    deal = _deal(request, pk)
    form = CompetitorForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form.errors)
        return redirect(deal_url(deal, "competitors"))
    competitor = form.cleaned_data["competitor"]
    if competitor is None:
        name = " ".join(form.cleaned_data["new_name"].split())
        existing = Competitor.all_objects.filter(name__iexact=name).first()
        if existing is not None and existing.deleted_at is not None:
            messages.error(
                request,
                _(
                    "This competitor was removed from the library; ask an administrator to "
                    "restore it."
                ),
            )
            return redirect(deal_url(deal, "competitors"))
        competitor = existing or Competitor.objects.create(name=name)
    return _perform(
        request,
        deal,
        "competitors",
        actions.add_competitor,
        deal,
        by=request.user,
        competitor=competitor,
        relationships=form.cleaned_data["relationships"],
        ok=_("Competitor added."),
    )


def _entry(deal, entry_pk):
    entry = deal.competitors.select_related("competitor").filter(pk=entry_pk).first()
    if entry is None:
        raise Http404
    return entry


@login_required
@require_POST
def competitor_remove(request, pk, entry_pk):
    deal = _deal(request, pk)
    return _perform(
        request,
        deal,
        "competitors",
        actions.remove_competitor,
        _entry(deal, entry_pk),
        by=request.user,
        ok=_("Competitor removed."),
    )


@login_required
@require_POST
def quote_add(request, pk, entry_pk):
    deal = _deal(request, pk)
    entry = _entry(deal, entry_pk)
    form = QuoteForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form.errors)
        return redirect(deal_url(deal, "competitors"))
    return _perform(
        request,
        deal,
        "competitors",
        actions.record_quote,
        entry,
        by=request.user,
        ok=_("Quote recorded."),
        **form.cleaned_data,
    )


@login_required
@require_POST
def questionnaire_answer(request, pk):
    deal = _deal(request, pk)
    entries = list(deal.competitors.select_related("competitor"))
    form = QuestionnaireForm(request.POST, deal=deal, entries=entries)
    if not form.is_valid():
        _flash_errors(request, form.errors)
        return redirect(deal_url(deal, "questionnaire"))
    data = form.cleaned_data
    return _perform(
        request,
        deal,
        "questionnaire",
        actions.answer_questionnaire,
        deal,
        by=request.user,
        has_inside_coach=data["has_inside_coach"],
        inside_coach=data["inside_coach"],
        our_fit=data["our_fit"],
        our_closeness=data["our_closeness"],
        competitors=form.competitor_scores(),
        ok=_("Questionnaire saved."),
    )


@login_required
@require_POST
def questionnaire_review(request, pk, questionnaire_pk):
    deal = _deal(request, pk)
    questionnaire = deal.questionnaires.filter(pk=questionnaire_pk).first()
    if questionnaire is None:
        raise Http404
    return _perform(
        request,
        deal,
        "questionnaire",
        actions.review_questionnaire,
        questionnaire,
        by=request.user,
        ok=_("Questionnaire reviewed."),
    )


@login_required
@require_POST
def person_map(request, pk):
    deal = _deal(request, pk)
    form = PersonForm(request.POST, deal=deal)
    if not form.is_valid():
        _flash_errors(request, form.errors)
        return redirect(deal_url(deal, "decision-map"))
    data = dict(form.cleaned_data)
    contact = data.pop("contact")
    return _perform(
        request,
        deal,
        "decision-map",
        actions.map_person,
        deal,
        by=request.user,
        contact=contact,
        ok=_("Decision map updated."),
        **data,
    )


@login_required
@require_POST
def person_unmap(request, pk, person_pk):
    deal = _deal(request, pk)
    person = deal.people.filter(pk=person_pk).first()
    if person is None:
        raise Http404
    return _perform(
        request,
        deal,
        "decision-map",
        actions.unmap_person,
        person,
        by=request.user,
        ok=_("Removed from the decision map."),
    )


@login_required
@require_POST
def deal_close(request, pk):
    deal = _deal(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form.errors)
        return redirect(deal_url(deal, "close"))
    return _perform(
        request,
        deal,
        "",
        actions.close_deal,
        deal,
        by=request.user,
        ok=_("Opportunity closed."),
        **form.cleaned_data,
    )


@login_required
@require_POST
def deal_reopen(request, pk):
    deal = _deal(request, pk)
    return _perform(
        request, deal, "", actions.reopen_deal, deal, by=request.user, ok=_("Opportunity reopened.")
    )


@login_required
@require_POST
def action_add(request, pk):
    deal = _deal(request, pk)
    form = ActionForm(request.POST, deal=deal, user=request.user)
    if not form.is_valid():
        _flash_errors(request, form.errors)
        return redirect(deal_url(deal, "actions"))
    return _perform(
        request,
        deal,
        "actions",
        actions.add_action,
        deal,
        by=request.user,
        ok=_("Action added."),
        **form.cleaned_data,
    )


@login_required
@require_POST
def action_done(request, pk, action_pk):
    deal = _deal(request, pk)
    action = deal.actions.filter(pk=action_pk).first()
    if action is None:
        raise Http404
    done = request.POST.get("done", "1") == "1"
    return _perform(
        request, deal, "actions", actions.complete_action, action, by=request.user, done=done
    )


@login_required
@require_POST
def review_add(request, pk):
    deal = _deal(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form.errors)
        return redirect(deal_url(deal, "reviews"))
    data = form.cleaned_data
    new_actions = []
    if data["new_action"]:
        due = data["new_action_due"] or timezone.localdate() + timezone.timedelta(days=7)
        new_actions.append((data["new_action"], deal.owner, due))
    return _perform(
        request,
        deal,
        "reviews",
        actions.record_review,
        deal,
        by=request.user,
        held_on=data["held_on"],
        elements=data["elements"],
        decisions=data["decisions"],
        actions=new_actions,
        ok=_("Coaching review recorded."),
    )


@login_required
@require_POST
def registration_submit(request, pk):
    deal = _deal(request, pk)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form.errors)
        return redirect(deal_url(deal, "registration"))
    return _perform(
        request,
        deal,
        "registration",
        actions.submit_registration,
        deal,
        by=request.user,
        ok=_("Registration submitted."),
        **form.cleaned_data,
    )


@login_required
@require_POST
def registration_decide(request, pk, registration_pk):
    deal = _deal(request, pk)
    registration = deal.registrations.filter(pk=registration_pk).first()
    if registration is None:
        raise Http404
    approve = request.POST.get("approve") == "1"
    return _perform(
        request,
        deal,
        "registration",
        actions.decide_registration,
        registration,
        by=request.user,
        approve=approve,
        note=request.POST.get("note", "")[:300],
        ok=_("Registration decided."),
    )


@login_required
@require_POST
def requirements_write(request, pk):
    deal = _deal(request, pk)
    form = RequirementsForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form.errors)
        return redirect(deal_url(deal, "requirements"))
    return _perform(
        request,
        deal,
        "requirements",
        actions.write_requirements,
        deal,
        by=request.user,
        ok=_("Requirements saved."),
        **form.cleaned_data,
    )


@login_required
@require_POST
def requirements_sign_off(request, pk, version_pk):
    deal = _deal(request, pk)
    version = deal.requirement_versions.filter(pk=version_pk).first()
    if version is None:
        raise Http404
    form = SignOffForm(request.POST, deal=deal)
    if not form.is_valid():
        _flash_errors(request, form.errors)
        return redirect(deal_url(deal, "requirements"))
    return _perform(
        request,
        deal,
        "requirements",
        actions.sign_off_requirements,
        version,
        by=request.user,
        ok=_("Sign-off recorded."),
        **form.cleaned_data,
    )


@login_required
@require_POST
def value_save(request, pk):
    deal = _deal(request, pk)
    form = ValueForm(request.POST, instance=Deal.objects.get(pk=deal.pk))
    if not form.is_valid():
        _flash_errors(request, form.errors)
        return redirect(deal_url(deal, "value"))
    return _perform(
        request,
        deal,
        "value",
        actions.set_value_case,
        deal,
        by=request.user,
        data=form.cleaned_data,
        ok=_("Value proposition saved."),
    )


@login_required
@require_POST
def competitor_compare(request, pk, entry_pk):
    deal = _deal(request, pk)
    form = ComparisonForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form.errors)
        return redirect(deal_url(deal, "value"))
    return _perform(
        request,
        deal,
        "value",
        actions.compare_competitor,
        _entry(deal, entry_pk),
        by=request.user,
        ok=_("Comparison saved."),
        **form.cleaned_data,
    )


@login_required
@require_POST
def member_add(request, pk):
    deal = _deal(request, pk)
    form = DealMemberForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form.errors)
        return redirect(deal_url(deal, "team"))
    return _perform(
        request,
        deal,
        "team",
        actions.add_deal_member,
        deal,
        by=request.user,
        ok=_("%(name)s is on the deal team.") % {"name": form.cleaned_data["user"]},
        **form.cleaned_data,
    )


@login_required
@require_POST
def member_remove(request, pk, member_pk):
    deal = _deal(request, pk)
    member = next((m for m in deal.members.all() if m.pk == member_pk), None)
    if member is None:
        raise Http404
    return _perform(
        request,
        deal,
        "team",
        actions.remove_deal_member,
        member,
        by=request.user,
        ok=_("%(name)s left the deal team.") % {"name": member.user},
    )
