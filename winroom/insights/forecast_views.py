"""The forecast (METHODOLOGY §3.5): weighted pipeline by month, category, team and rep, the
managers' adjustments, and the backtest of the weekly win rates."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from winroom.methodology import periods
from winroom.org.models import Team, User

from . import actions, backtest, excel, forecast
from .forms import AdjustmentForm
from .pages import number, page, percent, wants_excel

HORIZONS = (3, 6, 12)


def _month(request) -> date | None:
    raw = request.GET.get("month") or ""
    try:
        year, month = (int(part) for part in raw.split("-")[:2])
        return date(year, month, 1)
    except ValueError:
        return None


def _horizon(request) -> int:
    try:
        months = int(request.GET.get("months") or 6)
    except ValueError:
        months = 6
    return months if months in HORIZONS else 6


def adjustment_targets(p) -> list[tuple[str, str]]:
    """The teams and people of the scope this manager may adjust."""
    targets = []
    for row in p.forecast.tree:
        if row.is_team and p.access.may_adjust_team(row.team_id):
            targets.append((row.key, "\u2003" * row.depth + row.label))
        elif not row.is_team and p.access.may_adjust_rep(row.rep_id):
            targets.append((row.key, "\u2003" * row.depth + "· " + row.label))
    return targets


@login_required
def forecast_page(request):
    p = page(request)
    result = forecast.build(p.scope, months=_horizon(request), tree_month=_month(request))
    p.forecast = result
    if wants_excel(request):
        return _forecast_excel(p, result)
    keys = [forecast.OVERDUE, *result.months, forecast.LATER, None]
    grid_rows = [(key, [result.grid[key][c] for c in forecast.CATEGORIES]) for key in keys]
    targets = adjustment_targets(p)
    form = AdjustmentForm(
        targets=targets, initial={"month": result.tree_month.strftime("%Y-%m"), "kind": "delta"}
    )
    context = {
        "page": p,
        "forecast": result,
        "categories": [
            (c, forecast.CATEGORY_LABELS[c], forecast.CATEGORY_RULES[c])
            for c in forecast.CATEGORIES
        ],
        "grid_rows": grid_rows,
        "total_rows": [
            (c, forecast.CATEGORY_LABELS[c], forecast.CATEGORY_RULES[c], result.total[c])
            for c in forecast.CATEGORIES
        ],
        "chart": forecast.chart(result),
        "form": form if targets else None,
        "horizons": HORIZONS,
        "months_choice": _horizon(request),
        "grade_rates": sorted(
            (grade.upper(), percent(rate)) for grade, rate in result.grade_rates.items()
        ),
    }
    return render(request, "insights/forecast.html", context)


def _bucket_label(key) -> str:
    if key == forecast.OVERDUE:
        return _("Overdue")
    if key == forecast.LATER:
        return _("Later")
    if key is None:
        return _("No date")
    return f"{key:%Y-%m}"


def _forecast_excel(p, result):
    keys = [forecast.OVERDUE, *result.months, forecast.LATER, None]
    headers = [_("expected close")]
    for c in forecast.CATEGORIES:
        label = str(forecast.CATEGORY_LABELS[c])
        headers += [label + " · " + _("amount"), label + " · " + _("weighted")]
    grid = excel.Sheet(
        _("By month"),
        headers,
        [
            [_bucket_label(k)]
            + [
                v
                for c in forecast.CATEGORIES
                for v in (result.grid[k][c].amount, result.grid[k][c].weighted)
            ]
            for k in keys
        ],
    )
    tree = excel.Sheet(
        _("By team and rep") + f" {result.tree_month:%Y-%m}",
        [
            _("team or person"),
            _("computed (CNY)"),
            _("adjusted (CNY)"),
            _("adjustment"),
            _("reason"),
            _("by"),
        ],
        [
            [
                "\u2003" * row.depth + row.label,
                row.computed,
                row.adjusted,
                (row.adjustment.get_kind_display() + f" {row.adjustment.amount}")
                if row.adjustment
                else "",
                row.adjustment.reason if row.adjustment else "",
                str(row.adjustment.by) if row.adjustment else "",
            ]
            for row in result.tree
        ],
    )
    return excel.response("forecast", p.caption(_("Forecast")), [grid, tree])


@login_required
@require_POST
def adjust(request):
    """A manager records an adjustment of a team's or rep's month, with a reason."""
    p = page(request)
    if not p.access.sees_teams:
        raise Http404
    result = forecast.build(p.scope, tree_month=_month(request))
    p.forecast = result
    form = AdjustmentForm(request.POST, targets=adjustment_targets(p))
    back = reverse("insights:forecast") + "?" + p.query
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect(back)
    kind, _sep, raw = form.cleaned_data["target"].partition(":")
    team = Team.objects.filter(pk=int(raw)).first() if kind == "team" else None
    rep = User.objects.filter(pk=int(raw)).first() if kind == "rep" else None
    try:
        actions.adjust_forecast(
            by=request.user,
            team=team,
            rep=rep,
            month=form.cleaned_data["month"],
            kind=form.cleaned_data["kind"],
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
        )
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, _("Forecast adjustment recorded."))
    month = form.cleaned_data["month"]
    return redirect(back + f"&month={month:%Y-%m}")


@login_required
def backtest_page(request):
    p = page(request, default_period=periods.YEAR)
    result = backtest.cached_run(p.scope, p.period, fresh=p.fresh)
    if wants_excel(request):
        return _backtest_excel(p, result)
    rows = [
        {
            "band": f"{int(t.low * 100)}–{int(t.high * 100)} %",
            "tas": t,
            "stage": s,
            "tas_predicted": percent(t.mean_predicted),
            "tas_won": percent(t.won_share),
            "stage_predicted": percent(s.mean_predicted),
            "stage_won": percent(s.won_share),
        }
        for t, s in zip(result.tas_bands, result.stage_bands, strict=True)
    ]
    context = {
        "page": p,
        "result": result,
        "rows": rows,
        "chart": result.chart(),
        "better": (
            result.tas_brier is not None
            and result.stage_brier is not None
            and result.tas_brier < result.stage_brier
        ),
        "number": number,
    }
    return render(request, "insights/backtest.html", context)


def _backtest_excel(p, result):
    rows = []
    for t, s in zip(result.tas_bands, result.stage_bands, strict=True):
        rows.append(
            [
                f"{int(t.low * 100)}–{int(t.high * 100)} %",
                t.count,
                percent(t.mean_predicted),
                percent(t.won_share),
                s.count,
                percent(s.mean_predicted),
                percent(s.won_share),
            ]
        )
    bands = excel.Sheet(
        _("Calibration"),
        [
            _("band"),
            _("win rate: predictions"),
            _("win rate: mean predicted (%)"),
            _("win rate: won (%)"),
            _("stage: predictions"),
            _("stage: mean predicted (%)"),
            _("stage: won (%)"),
        ],
        rows,
    )
    scores = excel.Sheet(
        _("Brier score"),
        [_("method"), _("Brier score"), _("predictions"), _("deals")],
        [
            [_("Win rate (TAS+)"), result.tas_brier, result.points, result.deals],
            [_("Stage-based probability"), result.stage_brier, result.points, result.deals],
        ],
    )
    return excel.response("backtest", p.caption(_("Forecast backtest")), [bands, scores])
