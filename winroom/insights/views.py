"""The management pages (/insights/): dashboard, funnel metrics, improvement path, balance
wheel. Forecast and backtest, capacity, the watch list and a deal's money are in their own
modules. Every page resolves whose numbers it shows through ``pages.page`` (404 when the
person may not see them) and exports itself with ``?format=xlsx``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from winroom.deals.models import Deal, DealStatus
from winroom.methodology import drivers, periods
from winroom.methodology import funnel_metrics as fm
from winroom.methodology import wheel as core_wheel
from winroom.methodology.errors import MethodologyError

from . import actions, excel, forecast, metrics
from . import wheel as wheel_data
from .forms import GrowthForm, OverrideForm
from .models import RevenueSource
from .pages import number, page, percent, wants_excel

DRIVER_LABELS = {
    "leads": gettext_lazy("Lead volume"),
    "conversion": gettext_lazy("Lead → opportunity conversion"),
    "win_rate": gettext_lazy("Win rate"),
    "deal_size": gettext_lazy("Average deal size"),
    "collection": gettext_lazy("Collection ratio"),
    "renewal": gettext_lazy("Renewal rate"),
    "cycle": gettext_lazy("Sales cycle (days)"),
}
RATE_DRIVERS = {"conversion", "win_rate", "collection", "renewal"}


def _shown(name: str, value):
    """A figure as the page shows it: rates in %, the rest as they are."""
    if value is None:
        return None
    if name in metrics.RATES or name in RATE_DRIVERS:
        return percent(value)
    return value


def metric_rows(report) -> list[dict]:
    explained = metrics.explain(report.counts, report.reps, report.period.days)
    return [
        {
            "code": code,
            "label": label,
            "rule": rule,
            "value": _shown(code, getattr(report.figures, code)),
            "is_rate": code in metrics.RATES,
            "is_money": code in metrics.MONEY_FIGURES,
            "inputs": explained[code],
        }
        for code, label, rule in metrics.METRICS
    ]


def funnel_chart(report) -> list[dict]:
    c = report.counts
    return [
        {"name": _("Leads"), "value": c.leads},
        {"name": _("Opportunities from leads"), "value": c.qualified},
        {"name": _("Closed"), "value": c.closed},
        {"name": _("Won"), "value": c.won},
    ]


# ------------------------------------------------------------------------------ dashboard


@login_required
def dashboard(request):
    """The founder's and manager's screen: the headline of every block, linking to it."""
    p = page(request)
    report = metrics.report(p.scope, p.period, breakdown=False, fresh=p.fresh)
    outlook = forecast.build(p.scope, months=3)
    wheel = wheel_data.wheel(p.scope, p.period)
    context = {
        "page": p,
        "report": report,
        "rows": metric_rows(report),
        "funnel": funnel_chart(report),
        "forecast": outlook,
        "forecast_rows": [
            (forecast.CATEGORY_LABELS[c], outlook.total[c]) for c in forecast.CATEGORIES
        ],
        "forecast_chart": forecast.chart(outlook),
        "wheel": wheel,
        "wheel_chart": wheel.chart(),
    }
    return render(request, "insights/dashboard.html", context)


# ------------------------------------------------------------------------------ metrics


@login_required
def metrics_page(request):
    p = page(request)
    report = metrics.report(p.scope, p.period, fresh=p.fresh)
    if wants_excel(request):
        return _metrics_excel(p, report)
    context = {
        "page": p,
        "report": report,
        "rows": metric_rows(report),
        "funnel": funnel_chart(report),
        "columns": [(code, label) for code, label, _rule in metrics.METRICS],
        "breakdown": [
            (row, [_shown(code, getattr(row.figures, code)) for code, _l, _r in metrics.METRICS])
            for row in report.teams + report.people
        ],
    }
    return render(request, "insights/metrics.html", context)


def _metrics_excel(p, report):
    headers = [_("metric"), _("value"), _("inputs"), _("how it is computed")]
    figures = excel.Sheet(
        _("Funnel metrics"),
        headers,
        [[row["label"], row["value"], row["inputs"], row["rule"]] for row in metric_rows(report)],
    )
    columns = [label for _code, label, _rule in metrics.METRICS]
    breakdown = excel.Sheet(
        _("Breakdown"),
        [_("team or person"), *columns],
        [
            ["\u2003" * row.depth + row.label]
            + [_shown(code, getattr(row.figures, code)) for code, _l, _r in metrics.METRICS]
            for row in report.teams + report.people
        ],
    )
    return excel.response("funnel-metrics", p.caption(_("Funnel metrics")), [figures, breakdown])


# ------------------------------------------------------------------------------ improvement path


def _step(request) -> Decimal:
    try:
        value = Decimal(request.GET.get("step") or "5")
    except InvalidOperation:
        value = Decimal(5)
    return min(max(value, Decimal("0.1")), Decimal(50)) / 100


def path_data(p, step: Decimal) -> dict:
    """Both periods' chains, the contributions, single-driver gains and the compound."""
    now = metrics.report(p.scope, p.period, breakdown=False, fresh=p.fresh)
    before_period = periods.previous(p.period)
    before = metrics.report(p.scope, before_period, breakdown=False, fresh=p.fresh)
    values, missing = fm.driver_values(now.figures)
    old_values, old_missing = fm.driver_values(before.figures)
    chain, old_chain = drivers.chain(values), drivers.chain(old_values)
    total, parts = drivers.contributions(old_values, values)
    gains = drivers.single_driver_gains(values, step)
    base = old_chain.revenue
    contribution_rows = [
        {
            "driver": part.driver,
            "label": DRIVER_LABELS[part.driver],
            "before": _shown(part.driver, part.before),
            "after": _shown(part.driver, part.after),
            "share": percent(part.share),
            "points": percent(part.amount / base) if base else None,
            "missing": part.driver in missing or part.driver in old_missing,
        }
        for part in parts
    ]
    return {
        "now": now,
        "before": before,
        "before_period": before_period,
        "values": values,
        "missing": [DRIVER_LABELS[m] for m in missing],
        "chain": chain,
        "old_chain": old_chain,
        "change": percent(drivers.uplift(old_chain, chain)) if old_chain.revenue else None,
        "total": total,
        "contributions": contribution_rows,
        "gains": [
            {
                "driver": g.driver,
                "label": DRIVER_LABELS[g.driver],
                "before": _shown(g.driver, g.before),
                "after": _shown(g.driver, g.after),
                "uplift": percent(g.uplift),
                "capped": g.capped,
                "missing": g.driver in missing,
            }
            for g in gains
        ],
        "best": gains[0] if gains and gains[0].uplift > 0 else None,
        "step": percent(step),
        "compound": percent(drivers.compound(values, step)),
        "compound_formula": percent(drivers.compound_uplift(step)),
        "deals": chain.deals,
    }


@login_required
def path_page(request):
    p = page(request)
    step = _step(request)
    data = path_data(p, step)
    if wants_excel(request):
        return _path_excel(p, data)
    chart = {
        "labels": [str(r["label"]) for r in data["contributions"]],
        "values": [number(r["points"]) for r in data["contributions"]],
    }
    sliders = [
        {"driver": d, "label": DRIVER_LABELS[d], "value": _shown(d, data["values"][d])}
        for d in drivers.DRIVERS
    ]
    context = {"page": p, **data, "chart": chart, "sliders": sliders}
    return render(request, "insights/path.html", context)


def _path_excel(p, data):
    contributions = excel.Sheet(
        _("Contributions"),
        [
            _("driver"),
            _("previous period"),
            _("this period"),
            _("share of the change (%)"),
            _("points of the previous revenue (%)"),
        ],
        [
            [r["label"], r["before"], r["after"], r["share"], r["points"]]
            for r in data["contributions"]
        ],
    )
    gains = excel.Sheet(
        _("Single-driver gains"),
        [_("driver"), _("today"), _("improved"), _("revenue uplift (%)"), _("capped at 100 %")],
        [[g["label"], g["before"], g["after"], g["uplift"], g["capped"]] for g in data["gains"]],
    )
    compound = excel.Sheet(
        _("Compound"),
        [_("every driver improved by (%)"), _("revenue uplift (%)")],
        [[data["step"], data["compound"]]],
    )
    return excel.response(
        "improvement-path", p.caption(_("Improvement path")), [contributions, gains, compound]
    )


@login_required
@require_GET
def what_if(request):
    """The what-if of the sliders (htmx): drivers moved by the given percentages."""
    p = page(request)
    now = metrics.report(p.scope, p.period, breakdown=False, fresh=p.fresh)
    values, _missing = fm.driver_values(now.figures)
    changes = {}
    for name in drivers.DRIVERS:
        raw = request.GET.get(f"move_{name}") or "0"
        try:
            move = Decimal(raw)
        except InvalidOperation as error:
            raise Http404 from error
        move = min(max(move, Decimal(-90)), Decimal(90))
        if move:
            changes[name] = move / 100
    try:
        before = drivers.chain(values)
        after = drivers.what_if(values, changes)
    except MethodologyError as error:
        raise Http404 from error
    rows = [
        {
            "label": DRIVER_LABELS[d],
            "before": _shown(d, before.values[d]),
            "after": _shown(d, after.values[d]),
            "moved": d in changes,
        }
        for d in drivers.DRIVERS
    ]
    context = {
        "rows": rows,
        "uplift": percent(drivers.uplift(before, after)) if before.revenue else None,
        "deals_before": before.deals,
        "deals_after": after.deals,
    }
    return render(request, "insights/_what_if.html", context)


# ------------------------------------------------------------------------------ wheel


@login_required
def wheel_page(request):
    p = page(request)
    result = wheel_data.wheel(p.scope, p.period)
    growth_form = GrowthForm(request.GET if "growth" in request.GET else None)
    split, split_error = None, None
    growth = Decimal(40)
    weights = None
    if growth_form.is_bound and growth_form.is_valid():
        growth = growth_form.cleaned_data["growth"]
        weights = growth_form.cleaned_data["weights"]
    try:
        split = core_wheel.split_growth(result.amounts, growth / 100, weights)
    except MethodologyError:
        split_error = _("There is no revenue in this period to grow from: set each source's part.")
    labels = dict(RevenueSource.choices)
    split_rows = [
        {
            "label": labels[s.source],
            "base": s.base,
            "weight": percent(s.weight),
            "increase": s.increase,
            "target": s.target,
            "growth": percent(s.growth),
        }
        for s in split or []
    ]
    deals = list(wheel_data.deals_by_source(p.scope, p.period, request.GET.get("source"))[:200])
    for deal in deals:
        deal.source_label = labels.get(deal.revenue_source, deal.revenue_source)
        deal.derived_label = labels.get(deal.derived_source, deal.derived_source)
    if wants_excel(request):
        return _wheel_excel(p, result, split_rows, deals, growth)
    context = {
        "page": p,
        "wheel": result,
        "chart": result.chart(),
        "growth_form": growth_form if growth_form.is_bound else GrowthForm(),
        "growth": growth,
        "split": split_rows,
        "split_error": split_error,
        "deals": deals,
        "may_override": p.access.sees_teams,
        "override_form": OverrideForm(),
        "sources": RevenueSource.choices,
        "source": request.GET.get("source", ""),
    }
    return render(request, "insights/wheel.html", context)


def _wheel_excel(p, result, split_rows, deals, growth):
    sources = excel.Sheet(
        _("Revenue by source"),
        [_("source"), _("won deals"), _("revenue (CNY)"), _("share (%)")],
        [[r["label"], r["count"], r["amount"], percent(r["share"])] for r in result.rows()],
    )
    split = excel.Sheet(
        _("Growth split"),
        [
            _("source"),
            _("today (CNY)"),
            _("part of the increase (%)"),
            _("must add (CNY)"),
            _("target (CNY)"),
            _("own growth (%)"),
        ],
        [
            [r["label"], r["base"], r["weight"], r["increase"], r["target"], r["growth"]]
            for r in split_rows
        ],
    )
    listing = excel.Sheet(
        _("Won deals"),
        [
            _("opportunity"),
            _("account"),
            _("owner"),
            _("amount (CNY)"),
            _("source"),
            _("derived source"),
        ],
        [
            [d.name, d.account.name, str(d.owner), d.amount, d.source_label, d.derived_label]
            for d in deals
        ],
    )
    caption = p.caption(_("Balance wheel")) + " · " + _("growth %(g)s %%") % {"g": growth}
    return excel.response("balance-wheel", caption, [sources, split, listing])


@login_required
@require_POST
def override_source(request, pk):
    """A manager sets (or clears) the revenue source of a won deal they may see."""
    deal = _won_deal(request, pk)
    back = request.POST.get("next") or reverse("insights:wheel")
    if not back.startswith("/"):
        back = reverse("insights:wheel")
    try:
        if request.POST.get("clear"):
            actions.clear_override(deal, by=request.user)
            messages.success(request, _("The derived source applies again."))
        else:
            form = OverrideForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose a source and give the reason."))
                return redirect(back)
            actions.override_source(deal, by=request.user, **form.cleaned_data)
            messages.success(request, _("Revenue source of “%(deal)s” saved.") % {"deal": deal})
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(back)


def _won_deal(request, pk):
    from .scope import access_for

    access = access_for(request.user)
    if not access.sees_teams:
        raise Http404
    deal = (
        Deal.objects.visible_to(request.user)
        .filter(pk=pk, status=DealStatus.WON)
        .select_related("owner")
        .first()
    )
    if deal is None or not access.may_see_rep(deal.owner_id):
        raise Http404
    return deal
