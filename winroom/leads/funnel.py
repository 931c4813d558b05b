"""Lead funnel counts (METHODOLOGY §3.1, §3.2): per channel, per route, per rep.

Everything is counted by the database (``values().annotate()`` and window functions); no
loop here walks over leads. The analytics pages may call :func:`funnel_rows` and
:func:`funnel_total` with any lead queryset they have already scoped; :func:`report` is what
the leads funnel page shows.

The cohort is the leads *created* in the period (company time zone, both days included).
For each group of that cohort:

- ``leads_in``: leads created in the period;
- ``touched``: leads someone worked on (a note, an edit, a qualification or a rejection:
  ``first_touched_at`` is set), qualified and rejected leads always included;
- ``qualified``: leads turned into an opportunity; ``rejected``: screened out with a reason;
- ``recycled``: leads that went back to the pool at least once (read from their history,
  so a recycled lead claimed again still counts);
- ``won``: qualified leads whose opportunity is won;
- ``conversion``: qualified / leads in (core ``conversion_rate``; none without leads);
- ``median_first_touch_hours``: median of hours from creation to the first touch over the
  touched leads that have a first touch (core ``median_hours``).

Rows by rep group on the lead's current holder; leads back in the pool form their own row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from winroom.deals.models import DealStatus
from winroom.methodology import funnel as core
from winroom.org.models import User

from .models import Lead, LeadChannel, LeadRoute, LeadStatus

#: the dimensions a funnel is cut by: code → (label, the lead's grouping column)
DIMENSIONS = {
    "channel": (_("By channel"), "channel_id"),
    "route": (_("By route"), "route"),
    "rep": (_("By rep"), "owner_id"),
}

#: the stages drawn as a funnel, each a subset of the one before
STAGES = [
    ("leads_in", _("Leads in")),
    ("touched", _("Touched")),
    ("qualified", _("Qualified")),
    ("won", _("Won")),
]

EXPLANATIONS = [
    (_("Leads in"), _("Leads created in the period (company time zone, both days included).")),
    (
        _("Touched"),
        _(
            "Leads someone worked on: a note, an edit, a qualification or a rejection. "
            "Claiming alone is not a touch."
        ),
    ),
    (_("Qualified"), _("Leads turned into an opportunity.")),
    (_("Rejected"), _("Leads screened out, each with its reason.")),
    (
        _("Recycled"),
        _(
            "Leads that went back to the pool at least once, untouched for too long (read "
            "from their history: a recycled lead claimed again still counts)."
        ),
    ),
    (_("Conversion"), _("Qualified ÷ leads in; empty when there are no leads.")),
    (
        _("Median first touch"),
        _(
            "Median of the hours from a lead's creation to its first touch, over the leads "
            "touched so far; with an even number, the mean of the two middle ones."
        ),
    ),
    (_("Won"), _("Qualified leads whose opportunity is won.")),
    (
        _("By rep"),
        _("Leads count under the person holding them now; leads back in the pool on their own."),
    ),
]


@dataclass(frozen=True)
class Period:
    """Calendar days, both included, in the company's time zone."""

    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        """The first moment of ``start`` and the first moment after ``end``."""
        zone = timezone.get_current_timezone()
        first = datetime.combine(self.start, time.min, tzinfo=zone)
        after = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone)
        return first, after

    @classmethod
    def last_days(cls, days: int, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(start=today - timedelta(days=days - 1), end=today)


def _percent(rate: Decimal | None) -> Decimal | None:
    return None if rate is None else (rate * 100).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class FunnelRow:
    """The counts of one group (or of everything: ``key`` None and ``is_total``)."""

    key: object
    label: str
    leads_in: int = 0
    touched: int = 0
    qualified: int = 0
    rejected: int = 0
    recycled: int = 0
    won: int = 0
    median_first_touch_hours: Decimal | None = None
    is_total: bool = False

    @property
    def conversion(self) -> Decimal | None:
        return core.conversion_rate(self.qualified, self.leads_in)

    @property
    def win_rate(self) -> Decimal | None:
        return core.conversion_rate(self.won, self.qualified)

    @property
    def conversion_percent(self) -> Decimal | None:
        return _percent(self.conversion)

    @property
    def win_rate_percent(self) -> Decimal | None:
        return _percent(self.win_rate)

    def steps(self) -> tuple[core.FunnelStep, ...]:
        return core.funnel([core.FunnelStage(code, getattr(self, code)) for code, _l in STAGES])


@dataclass(frozen=True)
class FunnelReport:
    period: Period
    total: FunnelRow
    by: dict[str, list[FunnelRow]] = field(default_factory=dict)


def cohort(leads, period: Period):
    """The leads of ``leads`` created within the period."""
    first, after = period.bounds()
    return leads.filter(created_at__gte=first, created_at__lt=after)


def _counted(leads):
    history = Lead.history.model.objects.filter(id=OuterRef("pk"), status=LeadStatus.RECYCLED)
    return leads.annotate(was_recycled=Exists(history))


COUNTS = {
    "leads_in": Count("pk"),
    "touched": Count(
        "pk",
        filter=Q(first_touched_at__isnull=False)
        | Q(status__in=[LeadStatus.QUALIFIED, LeadStatus.REJECTED]),
    ),
    "qualified": Count("pk", filter=Q(status=LeadStatus.QUALIFIED)),
    "rejected": Count("pk", filter=Q(status=LeadStatus.REJECTED)),
    "recycled": Count("pk", filter=Q(was_recycled=True)),
    "won": Count(
        "pk",
        filter=Q(
            status=LeadStatus.QUALIFIED,
            qualified_deal__status=DealStatus.WON,
            qualified_deal__deleted_at__isnull=True,
        ),
    ),
}


def _hours(wait: timedelta) -> Decimal:
    moment = datetime(2000, 1, 1)
    return core.time_to_first_touch_hours(moment, moment + wait) or Decimal(0)


def median_first_touch(leads, column: str | None = None) -> dict[object, Decimal | None]:
    """Median hours to the first touch per value of ``column`` (or overall, key None).

    The database numbers each group's touched leads by their wait and keeps only the one or
    two middle ones; only those (at most two per group) are read.
    """
    partition = [F(column)] if column else None
    waits = (
        leads.filter(first_touched_at__isnull=False)
        .annotate(
            wait=ExpressionWrapper(
                F("first_touched_at") - F("created_at"), output_field=DurationField()
            )
        )
        .annotate(
            position=Window(
                RowNumber(), partition_by=partition, order_by=[F("wait").asc(), F("pk").asc()]
            ),
            size=Window(Count("pk"), partition_by=partition),
        )
        .filter(position__gte=(F("size") + 1) / 2, position__lte=(F("size") + 2) / 2)
        .order_by()
    )
    middles: dict[object, list[Decimal]] = {}
    for key, wait in waits.values_list(column or "pk", "wait"):
        middles.setdefault(key if column else None, []).append(_hours(wait))
    return {key: core.median_hours(values) for key, values in middles.items()}


def funnel_total(leads, label: str = "") -> FunnelRow:
    counts = _counted(leads).aggregate(**COUNTS)
    median = median_first_touch(leads).get(None)
    return FunnelRow(
        key=None,
        label=label or str(_("All leads")),
        median_first_touch_hours=median,
        is_total=True,
        **counts,
    )


def _labels(dimension: str, keys) -> dict[object, str]:
    if dimension == "channel":
        names = dict(
            LeadChannel.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name")
        )
        return {key: names.get(key, "") if key else str(_("No channel")) for key in keys}
    if dimension == "route":
        choices = dict(LeadRoute.choices)
        return {key: str(choices.get(key, _("Not routed"))) for key in keys}
    users = User.objects.in_bulk([k for k in keys if k])
    return {key: str(users[key]) if key in users else str(_("In the pool")) for key in keys}


def funnel_rows(leads, dimension: str) -> list[FunnelRow]:
    """One row per channel, route or rep (``dimension``) present among ``leads``."""
    _label, column = DIMENSIONS[dimension]
    grouped = list(_counted(leads).values(column).annotate(**COUNTS).order_by(column))
    medians = median_first_touch(leads, column)
    labels = _labels(dimension, [row[column] for row in grouped])
    rows = [
        FunnelRow(
            key=row[column],
            label=labels[row[column]],
            median_first_touch_hours=medians.get(row[column]),
            **{name: row[name] for name in COUNTS},
        )
        for row in grouped
    ]
    return sorted(rows, key=lambda r: (-r.leads_in, r.label))


def report(user, period: Period) -> FunnelReport:
    """The funnel of the leads ``user`` sees, created within ``period``."""
    leads = cohort(Lead.objects.visible_to(user), period)
    return FunnelReport(
        period=period,
        total=funnel_total(leads),
        by={code: funnel_rows(leads, code) for code in DIMENSIONS},
    )
