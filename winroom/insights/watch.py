"""The watch list: must-win (保底) and strategic accounts in one list for founders and
directors, each with its deals, win-rate curves, the relationship level of its key people
and the last monthly review.

An account is on the list when it is flagged here (:class:`WatchedAccount`), or — read from
the incentives app when it is installed — when it is a must-win account of a rep's target
for this year, or a strategic account of this year's commission plan in force. Only
accounts the viewer may read are listed; the relationship levels shown are those of the
contacts the viewer may read (``Contact.objects.visible_to``, the account pages' rule).

Five queries whatever the length of the list: the accounts (with their flags and last
review as subqueries), their deals, the curve points of their open deals, their key people.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from winroom.accounts.models import Account, Contact, RelationshipLevel
from winroom.deals.models import Deal, DealPerson, DealStatus, WinRatePoint

from .models import WatchedAccount, WatchKind, WatchReview

CURVE_DAYS = 182
RECENT_CLOSED_DAYS = 365


def _flags(year: int) -> dict:
    """Exists() flags for the accounts of the incentives app (none when it is absent)."""
    flags = {}
    if apps.is_installed("winroom.incentives"):
        target = apps.get_model("incentives", "RepTarget")
        plan = apps.get_model("incentives", "CommissionPlan")
        flags["target_must_win"] = Exists(
            target.must_win_accounts.through.objects.filter(
                account_id=OuterRef("pk"), reptarget__year=year
            )
        )
        flags["plan_strategic"] = Exists(
            plan.strategic_accounts.through.objects.filter(
                account_id=OuterRef("pk"), commissionplan__year=year, commissionplan__is_active=True
            )
        )
    return flags


def watched_accounts(user, *, year: int | None = None):
    year = year or timezone.localdate().year
    flags = _flags(year)
    watched = WatchedAccount.objects.filter(account_id=OuterRef("pk"))
    last = WatchReview.objects.filter(account_id=OuterRef("pk")).order_by("-month", "-at", "-id")
    accounts = Account.objects.visible_to(user).annotate(
        watched_kind=Subquery(watched.values("kind")[:1]),
        watched_note=Subquery(watched.values("note")[:1]),
        last_review_month=Subquery(last.values("month")[:1]),
        last_review_note=Subquery(last.values("note")[:1]),
        last_review_by=Subquery(last.values("by__display_name")[:1]),
        last_review_by_username=Subquery(last.values("by__username")[:1]),
        **flags,
    )
    on_list = Q(watched_kind__isnull=False)
    for name in flags:
        on_list |= Q(**{name: True})
    return accounts.filter(on_list).select_related("owner").order_by("name")


@dataclass
class Entry:
    account: Account
    must_win: bool
    strategic: bool
    deals: list = field(default_factory=list)
    curves: list = field(default_factory=list)  # [{"name": deal, "points": [[date, %], …]}]
    people: list = field(default_factory=list)
    levels: dict = field(default_factory=dict)

    @property
    def chart_id(self) -> str:
        return f"curves-{self.account.pk}"

    @property
    def open_amount(self):
        return sum(d.amount for d in self.deals if d.status == DealStatus.OPEN)

    @property
    def reviewed_this_month(self) -> bool:
        month = self.account.last_review_month
        today = timezone.localdate()
        return month is not None and (month.year, month.month) == (today.year, today.month)


def entries(user, *, year: int | None = None) -> list[Entry]:
    accounts = list(watched_accounts(user, year=year))
    ids = [a.pk for a in accounts]
    result = [
        Entry(
            account=a,
            must_win=a.watched_kind == WatchKind.MUST_WIN
            or bool(getattr(a, "target_must_win", False)),
            strategic=a.watched_kind == WatchKind.STRATEGIC
            or bool(getattr(a, "plan_strategic", False)),
        )
        for a in accounts
    ]
    if not ids:
        return result
    by_account = {e.account.pk: e for e in result}
    since = timezone.now() - timedelta(days=RECENT_CLOSED_DAYS)
    deals = (
        Deal.objects.visible_to(user)
        .filter(account_id__in=ids)
        .filter(Q(status=DealStatus.OPEN) | Q(closed_at__gte=since))
        .select_related("stage", "owner")
        .order_by("status", "-amount")
    )
    open_ids = {}
    for deal in deals:
        by_account[deal.account_id].deals.append(deal)
        if deal.status == DealStatus.OPEN:
            open_ids[deal.pk] = deal
    curves: dict[int, list] = defaultdict(list)
    points = (
        WinRatePoint.objects.filter(
            deal_id__in=list(open_ids), at__gte=timezone.now() - timedelta(days=CURVE_DAYS)
        )
        .order_by("deal_id", "at", "id")
        .values_list("deal_id", "at", "rate")
    )
    for deal_id, at, rate in points:
        curves[deal_id].append(
            [timezone.localdate(at).isoformat(), float(rate * 100) if rate is not None else None]
        )
    for deal_id, deal in open_ids.items():
        if curves.get(deal_id):
            by_account[deal.account_id].curves.append(
                {"name": deal.name, "points": curves[deal_id]}
            )
    key_roles = DealPerson.objects.filter(
        contact_id=OuterRef("pk"), deal__status=DealStatus.OPEN, deal__deleted_at__isnull=True
    ).exclude(decision_role="")
    people = (
        Contact.objects.visible_to(user)
        .filter(account_id__in=ids)
        .filter(Q(marked_key=True) | Exists(key_roles))
        .order_by("account_id", "name", "pk")
    )
    for person in people:
        entry = by_account[person.account_id]
        entry.people.append(person)
        entry.levels[person.relationship_level] = entry.levels.get(person.relationship_level, 0) + 1
    for entry in result:
        entry.levels = [
            (label, entry.levels.get(value, 0), value) for value, label in RelationshipLevel.choices
        ]
    return result
