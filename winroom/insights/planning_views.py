"""Market capacity and the bottom-up plan (METHODOLOGY §3.3), for managers and administrators.

The table is company-wide (region × industry for a year); managers and administrators edit
it, reps are refused (404). The plan is the core's (:mod:`winroom.methodology.capacity`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from winroom.methodology import capacity as core

from . import excel
from .forms import CapacityFormSet
from .models import CapacityCell, SalesModel
from .pages import percent, wants_excel
from .scope import access_for


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError as error:
        raise Http404 from error
    if not 2000 <= year <= 2100:
        raise Http404
    return year


@login_required
def capacity_page(request):
    access = access_for(request.user)
    if not access.sees_teams:
        raise Http404
    year = _year(request)
    cells = CapacityCell.objects.filter(year=year).order_by("region", "industry")
    if request.method == "POST":
        formset = CapacityFormSet(
            request.POST, queryset=cells, form_kwargs={"year": year}, prefix="cells"
        )
        if formset.is_valid():
            with transaction.atomic():
                for form in formset.forms:
                    if form in formset.deleted_forms:
                        continue
                    form.instance.year = year
                formset.save()
            messages.success(request, _("The capacity table is saved."))
            return redirect(reverse("insights:capacity") + f"?year={year}")
        messages.error(request, _("Some cells need correcting; see the marked fields."))
    else:
        formset = CapacityFormSet(queryset=cells, form_kwargs={"year": year}, prefix="cells")
    # read again: a bound formset changed its own instances while validating them
    cells = list(CapacityCell.objects.filter(year=year).order_by("region", "industry"))
    planned = core.plan(cell.as_core() for cell in cells)
    by_cell = {item.cell.key: item for item in planned.cells}
    rows = [(cell, by_cell[cell.pk]) for cell in cells]
    if wants_excel(request):
        return _capacity_excel(year, rows, planned)
    models = dict(SalesModel.choices)
    context = {
        "year": year,
        "formset": formset,
        "rows": rows,
        "plan": planned,
        "growth": percent(planned.growth),
        "by_model": [(models[m], planned.by_sales_model[m]) for m in core.SALES_MODELS],
        "years": [year - 1, year, year + 1],
        "as_of": timezone.now(),
    }
    return render(request, "insights/capacity.html", context)


def _capacity_excel(year, rows, planned):
    sheet = excel.Sheet(
        _("Market capacity"),
        [
            _("region"),
            _("industry"),
            _("target customers"),
            _("of them our customers"),
            _("of them competitors' customers"),
            _("new customers"),
            _("market size (CNY)"),
            _("our revenue last year (CNY)"),
            _("demand is changing"),
            _("sales model"),
            _("conversion: existing customers"),
            _("conversion: new customers"),
            _("conversion: competitors' customers"),
            _("average deal size (CNY)"),
            _("expected customers"),
            _("bottom-up (CNY)"),
            _("capped by the market"),
            _("growth (%)"),
        ],
        [
            [
                cell.region,
                cell.get_industry_display(),
                cell.target_customers,
                cell.existing_customers,
                cell.competitor_customers,
                item.cell.new_customers,
                cell.market_size,
                cell.last_year_revenue,
                cell.demand_changing,
                cell.get_sales_model_display(),
                cell.conversion_existing,
                cell.conversion_new,
                cell.conversion_competitors,
                cell.average_deal_size,
                item.expected_customers,
                item.bottom_up,
                item.capped,
                percent(item.growth),
            ]
            for cell, item in rows
        ],
    )
    totals = excel.Sheet(
        _("Bottom-up plan"),
        [_("bottom-up (CNY)"), _("last year (CNY)"), _("growth (%)"), _("barren cells skipped")],
        [
            [
                planned.bottom_up,
                planned.last_year_revenue,
                percent(planned.growth),
                planned.barren_cells,
            ]
        ],
    )
    caption = _("Market capacity %(year)s · figures as of %(time)s") % {
        "year": year,
        "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }
    return excel.response(f"capacity-{year}", caption, [sheet, totals])
