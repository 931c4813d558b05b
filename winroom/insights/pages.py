"""What every management page shares: the scope and period picker, the caption of exports,
number formatting for charts and files."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _

from winroom.methodology import periods as core_periods

from . import scope as scopes
from .forms import PeriodForm


@dataclass
class Page:
    access: scopes.Access
    scope: scopes.Scope
    period: core_periods.Period
    form: PeriodForm
    fresh: bool

    @property
    def query(self) -> str:
        """The picker's choices as a query string (links to the other blocks keep them)."""
        params = self.form.data.copy()
        for key in ("format", "fresh", "step", "month"):
            params.pop(key, None)
        if not params.get("scope"):
            params["scope"] = self.scope.code
        return params.urlencode()

    def caption(self, block: str) -> str:
        return _("%(block)s · %(scope)s · %(start)s – %(end)s · figures as of %(time)s") % {
            "block": block,
            "scope": self.scope.label,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "time": formats.date_format(_local_now(), "Y-m-d H:i"),
        }


def _local_now():
    from django.utils import timezone

    return timezone.localtime()


def page(
    request,
    *,
    teams_only: bool = False,
    managers_only: bool = False,
    default_period: str = core_periods.QUARTER,
) -> Page:
    """Resolve whose numbers and which period from the query; 404 when not allowed."""
    access, scope = scopes.resolve(request.user, request.GET.get("scope"), teams_only=teams_only)
    if managers_only and not access.sees_teams:
        raise Http404
    data = request.GET.copy()
    if not data.get("scope"):
        data["scope"] = scope.code
    if not data.get("period"):
        data["period"] = default_period
    form = PeriodForm(data, access=access, teams_only=teams_only, default_period=default_period)
    return Page(access, scope, form.resolved(), form, request.GET.get("fresh") == "1")


def number(value) -> float | None:
    """A Decimal for a chart's JSON (None stays None)."""
    if value is None:
        return None
    return float(value)


def percent(value) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value) * 100).quantize(Decimal("0.1"))


def wants_excel(request) -> bool:
    return request.GET.get("format") == "xlsx"
