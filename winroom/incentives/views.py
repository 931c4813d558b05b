"""Incentive pages: the monthly ranking (with its Excel export, history, weights and the
bottom group's reviews), targets with attainment, and seller profiles.

A rep sees their own position and group, the names of the top group (recognised, §3.6) and
nothing else of other reps; managers see the reps they manage; administrators everyone.
Anything a person may not see answers 404, never 403.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from winroom.accounts.models import Account
from winroom.methodology import targets as core_targets
from winroom.org.models import Role, User
from winroom.web import run_action, success

from . import actions, facts, ranking
from .access import (
    is_admin,
    is_manager_or_admin,
    managed_reps,
    may_manage_rep,
    may_read_rep,
    readable_reps,
)
from .export import ranking_workbook
from .forms import (
    BottomUpForm,
    ReviewForm,
    SellerProfileForm,
    TargetForm,
    WeightsForm,
    month_choices,
)
from .models import (
    RankingGroup,
    RankingReview,
    RankingSnapshot,
    RankingWeights,
    RepTarget,
    SellerProfile,
    SellerType,
)


def _month(request, text=None) -> date:
    """The month named in the path or ``?month=`` (this month when not given); 404 for a
    malformed or future month."""
    today = timezone.localdate()
    value = text if text is not None else request.GET.get("month")
    if not value:
        return today.replace(day=1)
    month = ranking.parse_month(value)
    if month is None or month > today.replace(day=1):
        raise Http404
    return month


def _rep_or_404(user, rep_pk, *, manage=False) -> User:
    allowed = may_manage_rep(user, rep_pk) if manage else may_read_rep(user, rep_pk)
    if not allowed:
        raise Http404
    rep = User.objects.filter(pk=rep_pk, is_active=True, role=Role.REP).first()
    if rep is None:
        raise Http404
    return rep


# -- the hub ----------------------------------------------------------------------------


@login_required
@require_safe
def index(request):
    """Where targets, ranking and commissions start."""
    return render(
        request,
        "incentives/index.html",
        {
            "is_manager": is_manager_or_admin(request.user),
            "is_admin": is_admin(request.user),
        },
    )


# -- the monthly ranking ----------------------------------------------------------------------


@login_required
@require_safe
def ranking_page(request):
    """The month's ranking: managers see their reps in full, a rep their own place."""
    month = _month(request)
    context = ranking.visible_ranking(request.user, month)
    context.update(
        {
            "chart": [
                {"name": str(row.rep), "score": float(row.score), "group": row.group}
                for row in context["rows"]
            ],
            "month": month,
            "month_text": f"{month:%Y-%m}",
            "months": month_choices(timezone.localdate()),
            "groups": dict(RankingGroup.choices),
            "is_admin": is_admin(request.user),
        }
    )
    return render(request, "incentives/ranking.html", context)


@login_required
@require_safe
def ranking_export(request):
    """The month's ranking as an Excel workbook: the rows the person may see in full."""
    if not is_manager_or_admin(request.user):
        raise Http404
    month = _month(request)
    context = ranking.visible_ranking(request.user, month)
    content = ranking_workbook(month, context["ranking"], context["rows"])
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="ranking-{month:%Y-%m}.xlsx"'
    return response


@login_required
@require_safe
def ranking_history(request):
    """Month by month: each visible rep's position and group from the recorded rankings."""
    reps = list(readable_reps(request.user).order_by("display_name", "username"))
    if request.user.role == Role.REP and not is_manager_or_admin(request.user):
        reps = [r for r in reps if r.pk == request.user.pk]
    snaps = (
        RankingSnapshot.objects.filter(rep__in=[r.pk for r in reps])
        .order_by("-month", "position")
        .values_list("month", "rep_id", "position", "rep_count", "group", "score")
    )
    months: list[date] = []
    cells: dict[tuple[int, date], dict] = {}
    for month, rep, position, count, group, score in snaps:
        if month not in months:
            months.append(month)
        cells[(rep, month)] = {"position": position, "count": count, "group": group, "score": score}
    months = months[:12]
    reviewed = set(
        RankingReview.objects.filter(rep__in=[r.pk for r in reps], month__in=months).values_list(
            "rep_id", "month"
        )
    )
    table = [
        {
            "rep": rep,
            "cells": [
                {**cells[(rep.pk, m)], "reviewed": (rep.pk, m) in reviewed}
                if (rep.pk, m) in cells
                else None
                for m in months
            ],
        }
        for rep in reps
    ]
    return render(
        request,
        "incentives/history.html",
        {"months": months, "table": table, "groups": dict(RankingGroup.choices)},
    )


@login_required
def ranking_weights(request):
    """The composite's weights: administrators change them."""
    if not is_admin(request.user):
        raise Http404
    weights = RankingWeights.current()
    form = WeightsForm(request.POST or None, instance=weights)
    if request.method == "POST" and form.is_valid():
        saved = run_action(
            request,
            form,
            actions.save_weights,
            by=request.user,
            attainment=form.cleaned_data["attainment"],
            relationship=form.cleaned_data["relationship"],
            visits=form.cleaned_data["visits"],
        )
        if saved:
            success(request, _("Ranking weights saved."))
            return redirect("incentives:ranking")
    return render(request, "incentives/weights.html", {"form": form})


@login_required
def ranking_review(request, month, rep_pk):
    """The bottom-group rep's review of a recorded month: causes and the help agreed."""
    month = _month(request, month)
    rep = _rep_or_404(request.user, rep_pk, manage=True)
    snap = RankingSnapshot.objects.filter(month=month, rep=rep).first()
    if snap is None or snap.group != RankingGroup.BOTTOM:
        raise Http404
    review = RankingReview.objects.filter(month=month, rep=rep).first()
    initial = {"causes": review.causes, "help_agreed": review.help_agreed} if review else None
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_action(
            request,
            form,
            actions.record_review,
            rep=rep,
            month=month,
            by=request.user,
            causes=form.cleaned_data["causes"],
            help_agreed=form.cleaned_data["help_agreed"],
        )
        if saved:
            success(request, _("Review recorded."))
            return redirect(reverse("incentives:ranking") + f"?month={month:%Y-%m}")
    return render(
        request,
        "incentives/review.html",
        {"form": form, "rep": rep, "snap": snap, "month": month, "review": review},
    )


# -- targets -----------------------------------------------------------------------------


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError as error:
        raise Http404 from error
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def months_to_date(year: int, today: date) -> tuple[int, ...]:
    if year < today.year:
        return tuple(range(1, 13))
    if year > today.year:
        return ()
    return tuple(range(1, today.month + 1))


def _ratio_percent(actual, target) -> Decimal | None:
    if target is None:
        return None
    value = core_targets.attainment(actual, target)
    return None if value is None else (value * 100).quantize(Decimal("0.1"))


@login_required
@require_safe
def targets(request):
    """The year's targets side by side: the rep's bottom-up number and management's baseline
    and challenge, with attainment to date; team and company totals count a booking once."""
    year = _year(request)
    today = timezone.localdate()
    reps = list(readable_reps(request.user).select_related("team").order_by("team__name", "pk"))
    rep_ids = [r.pk for r in reps]
    rows_by_rep = {
        t.rep_id: t
        for t in RepTarget.objects.filter(rep_id__in=rep_ids, year=year).prefetch_related(
            "must_win_accounts"
        )
    }
    months = months_to_date(year, today)
    start = date(year, 1, 1)
    end = date(year, months[-1], 1) if months else start
    if months:
        end = core_targets.period_of(core_targets.MONTH, end).end
    credit = facts.credited(rep_ids, start, end)
    owned = facts.won_as_owner(rep_ids, start, end)
    types = dict(
        SellerProfile.objects.filter(user_id__in=rep_ids).values_list("user_id", "seller_type")
    )
    type_labels = dict(SellerType.choices)
    rows = []
    for rep in reps:
        target = rows_by_rep.get(rep.pk)
        to_date = target.target_for(months) if target is not None and months else None
        credited = credit.total(rep.pk)
        rows.append(
            {
                "rep": rep,
                "target": target,
                "seller_type": type_labels.get(types.get(rep.pk, SellerType.PROJECT)),
                "to_date": to_date,
                "credited": credited,
                "won_as_owner": owned.get(rep.pk, Decimal(0)),
                "attainment": _ratio_percent(credited, to_date),
                "may_manage": may_manage_rep(request.user, rep.pk),
            }
        )
    totals = {
        "bottom_up": sum((r["target"].bottom_up or 0 for r in rows if r["target"]), Decimal(0)),
        "baseline": sum((r["target"].baseline or 0 for r in rows if r["target"]), Decimal(0)),
        "challenge": sum((r["target"].challenge or 0 for r in rows if r["target"]), Decimal(0)),
        "credited_sum": sum((r["credited"] for r in rows), Decimal(0)),
        "booked_once": credit.team_total(rep_ids),
    }
    teams = _team_totals(rows, credit)
    return render(
        request,
        "incentives/targets.html",
        {
            "year": year,
            "years": [today.year + 1, today.year, today.year - 1],
            "rows": rows,
            "totals": totals,
            "teams": teams,
            "months_to_date": len(months),
            "may_set": bool(managed_reps(request.user).exists()),
            "new_reps": [r for r in rows if r["target"] is None and r["may_manage"]],
        },
    )


def _team_totals(rows, credit) -> list[dict]:
    """Per team: the bottom-up sum next to the top-down sum, and bookings counted once."""
    by_team: dict[object, list[dict]] = defaultdict(list)
    for row in rows:
        by_team[row["rep"].team].append(row)
    result = []
    for team, members in by_team.items():
        result.append(
            {
                "team": team,
                "bottom_up": sum(
                    (r["target"].bottom_up or 0 for r in members if r["target"]), Decimal(0)
                ),
                "baseline": sum(
                    (r["target"].baseline or 0 for r in members if r["target"]), Decimal(0)
                ),
                "credited_sum": sum((r["credited"] for r in members), Decimal(0)),
                "booked_once": credit.team_total([r["rep"].pk for r in members]),
            }
        )
    return sorted(result, key=lambda t: str(t["team"] or ""))


@login_required
@require_safe
def target_detail(request, rep_pk, year):
    """One rep's year: the monthly split against credited bookings, the must-win accounts."""
    rep = _rep_or_404(request.user, rep_pk)
    target = (
        RepTarget.objects.filter(rep=rep, year=year).prefetch_related("must_win_accounts").first()
    )
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    credit = facts.credited([rep.pk], start, end)
    by_month: dict[int, Decimal] = defaultdict(Decimal)
    for deal, _reason in credit.by_rep.get(rep.pk, []):
        by_month[deal.closed_on.month] += deal.booking.amount
    owned = facts.won_by_month([rep.pk], year)
    monthly = target.monthly_values() if target else []
    cumulative_target = cumulative = Decimal(0)
    months = []
    for m in range(1, 13):
        month_target = monthly[m - 1] if monthly else None
        credited = by_month.get(m, Decimal(0))
        cumulative += credited
        if month_target is not None:
            cumulative_target += month_target
        months.append(
            {
                "month": m,
                "target": month_target,
                "credited": credited,
                "won_as_owner": owned.get((rep.pk, m), Decimal(0)),
                "attainment": _ratio_percent(credited, month_target),
                "cumulative": cumulative,
                "cumulative_attainment": _ratio_percent(cumulative, cumulative_target)
                if monthly
                else None,
            }
        )
    lost = {a for a, _n in facts.must_win_lost([rep.pk], year, as_of=end).get(rep.pk, [])}
    won_accounts = {d.booking.account for d, _r in credit.by_rep.get(rep.pk, [])}
    must_win = [
        {"account": a, "lost": a.pk in lost, "won": a.pk in won_accounts}
        for a in (target.must_win_accounts.all() if target else [])
    ]
    is_self = request.user.pk == rep.pk
    return render(
        request,
        "incentives/target_detail.html",
        {
            "rep": rep,
            "year": year,
            "target": target,
            "months": months,
            "must_win": must_win,
            "may_manage": may_manage_rep(request.user, rep.pk),
            "is_self": is_self,
            "bottom_up_form": BottomUpForm(
                initial={"bottom_up": target.bottom_up, "note": target.bottom_up_note}
                if target
                else None
            )
            if is_self
            else None,
            "total_credited": cumulative,
            "chart": {
                "months": [str(m["month"]) for m in months],
                "target": [None if m["target"] is None else float(m["target"]) for m in months],
                "credited": [float(m["credited"]) for m in months],
                "labels": {"target": _("target"), "credited": _("credited")},
            },
        },
    )


def _rep_accounts(rep):
    """Accounts a rep's targets and coverage may name: the rep's own and their team's."""
    return Account.objects.visible_to(rep).order_by("name")


@login_required
def target_edit(request, rep_pk, year):
    """Management sets a rep's baseline, challenge, monthly split and must-win accounts."""
    rep = _rep_or_404(request.user, rep_pk, manage=True)
    if not 2000 <= year <= 2100:
        raise Http404
    target = RepTarget.objects.filter(rep=rep, year=year).first()
    accounts = _rep_accounts(rep)
    form = TargetForm(
        request.POST or None, accounts=accounts, initial=TargetForm.initial_for(target)
    )
    if request.method == "POST" and form.is_valid():
        saved = run_action(
            request,
            form,
            actions.set_target,
            rep=rep,
            year=year,
            by=request.user,
            baseline=form.cleaned_data["baseline"],
            challenge=form.cleaned_data["challenge"],
            monthly=form.monthly(),
            must_win=form.cleaned_data["must_win"],
        )
        if saved:
            success(
                request, _("Targets of %(rep)s for %(year)s saved.") % {"rep": rep, "year": year}
            )
            return redirect("incentives:target", rep_pk=rep.pk, year=year)
    return render(
        request,
        "incentives/target_edit.html",
        {"form": form, "rep": rep, "year": year, "target": target},
    )


@login_required
@require_POST
def bottom_up(request, rep_pk, year):
    """The rep submits their own bottom-up number."""
    if request.user.pk != rep_pk or not 2000 <= year <= 2100:
        raise Http404
    rep = _rep_or_404(request.user, rep_pk)
    form = BottomUpForm(request.POST)
    if form.is_valid():
        saved = run_action(
            request,
            form,
            actions.submit_bottom_up,
            rep=rep,
            year=year,
            by=request.user,
            amount=form.cleaned_data["bottom_up"],
            note=form.cleaned_data["note"],
        )
        if saved:
            success(request, _("Your bottom-up number is submitted."))
            return redirect("incentives:target", rep_pk=rep.pk, year=year)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("incentives:target", rep_pk=rep.pk, year=year)


# -- seller profiles ---------------------------------------------------------------------------


@login_required
@require_safe
def sellers(request):
    """Seller types and coverage of the reps this person reads."""
    reps = list(readable_reps(request.user).select_related("team").order_by("team__name", "pk"))
    profiles = {
        p.user_id: p
        for p in SellerProfile.objects.filter(user__in=reps).prefetch_related(
            "accounts", "product_lines"
        )
    }
    rows = [
        {
            "rep": rep,
            "profile": profiles.get(rep.pk),
            "may_manage": may_manage_rep(request.user, rep.pk),
        }
        for rep in reps
    ]
    return render(request, "incentives/sellers.html", {"rows": rows})


@login_required
def seller_edit(request, rep_pk):
    rep = _rep_or_404(request.user, rep_pk, manage=True)
    profile = SellerProfile.objects.filter(user=rep).first()
    initial = (
        {
            "seller_type": profile.seller_type,
            "accounts": list(profile.accounts.all()),
            "regions": ", ".join(profile.regions),
            "product_lines": list(profile.product_lines.all()),
        }
        if profile
        else {"seller_type": SellerType.ACCOUNT}
    )
    form = SellerProfileForm(request.POST or None, accounts=_rep_accounts(rep), initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_action(
            request,
            form,
            actions.save_seller_profile,
            user=rep,
            by=request.user,
            seller_type=form.cleaned_data["seller_type"],
            accounts=form.cleaned_data["accounts"],
            regions=form.region_list(),
            product_lines=form.cleaned_data["product_lines"],
        )
        if saved:
            success(request, _("Seller profile of %(rep)s saved.") % {"rep": rep})
            return redirect("incentives:sellers")
    return render(request, "incentives/seller_edit.html", {"form": form, "rep": rep})
