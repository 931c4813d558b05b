"""The database facts behind targets, ranking and commissions, read in bulk.

Each function answers for many reps at once in a fixed number of queries:

- :func:`won_deals` — the won deals closed in a period, with their product lines and gross
  margin (two queries), as the core's bookings;
- :func:`sellers` — every rep's seller type and coverage (§3.6) as the core's sellers; a rep
  without a profile is a project seller (credited with the deals they lead); an account
  seller covers the accounts listed in the profile and the accounts they own;
- :func:`credited` — who is credited with which won deal (the core's ``credit`` rules);
- :func:`won_as_owner` — the won amount of the deals each rep owns, summed in SQL;
- :func:`relationship_by_rep` — the mean relationship score (§1.2) of the accounts each rep
  owns, computed in SQL exactly like the account portfolio;
- :func:`effective_visits_by_rep` — effective visits (§3.4) per rep, counted in SQL;
- :func:`must_win_lost` — must-win accounts lost in the year (a lost deal there, none won);
- :func:`collections_by_deal` — payments received per deal when the insights app records
  them (``insights.Payment``), else None.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from winroom.accounts.models import Account
from winroom.accounts.portfolio import contact_score_tenths, key_contacts_of_account
from winroom.deals.models import Deal, DealStatus
from winroom.methodology import credit as core_credit
from winroom.org.models import CompanySettings
from winroom.visits.models import Visit

from .models import SellerProfile


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the company's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class WonDeal:
    """A won deal of the period: the core's booking and what a statement shows of it."""

    booking: core_credit.Booking
    name: str
    account_name: str
    closed_on: date
    margin: Decimal | None

    @property
    def pk(self) -> int:
        return int(self.booking.key)  # type: ignore[call-overload]


def won_queryset(start: date, end: date):
    """Won, living deals of living accounts closed in [start, end)."""
    return Deal.objects.filter(
        status=DealStatus.WON,
        closed_at__gte=start_of(start),
        closed_at__lt=start_of(end),
        account__deleted_at__isnull=True,
    )


def won_deals(start: date, end: date) -> list[WonDeal]:
    """The period's won deals with product lines and margin, in two queries."""
    return deals_as_bookings(won_queryset(start, end))


def deals_as_bookings(deals) -> list[WonDeal]:
    """The given deals as the core's bookings, with product lines and margin (two queries)."""
    rows = deals.order_by("closed_at", "pk").values_list(
        "pk",
        "amount",
        "account_id",
        "account__region",
        "owner_id",
        "name",
        "account__name",
        "closed_at",
        "margin__gross_margin",
    )
    lines: dict[int, set[int]] = defaultdict(set)
    through = Deal.product_lines.through.objects.filter(deal__in=deals.values("pk"))
    for deal_id, line_id in through.values_list("deal_id", "productline_id"):
        lines[deal_id].add(line_id)
    result = []
    for pk, amount, account, region, owner, name, account_name, closed_at, margin in rows:
        booking = core_credit.Booking(
            key=pk,
            amount=Decimal(amount),
            account=account,
            region=region or "",
            product_lines=frozenset(lines.get(pk, ())),
            leader=owner,
        )
        closed_on = timezone.localdate(closed_at)
        result.append(WonDeal(booking, name, account_name, closed_on, margin))
    return result


def sellers(rep_ids) -> list[core_credit.Seller]:
    """The core's seller for each rep (four queries, whatever the number of reps)."""
    rep_ids = list(rep_ids)
    profiles = {
        user_id: (kind, regions)
        for user_id, kind, regions in SellerProfile.objects.filter(user_id__in=rep_ids).values_list(
            "user_id", "seller_type", "regions"
        )
    }
    accounts: dict[int, set[int]] = defaultdict(set)
    covered = SellerProfile.accounts.through.objects.filter(sellerprofile__user_id__in=rep_ids)
    for user_id, account_id in covered.values_list("sellerprofile__user_id", "account_id"):
        accounts[user_id].add(account_id)
    account_sellers = [
        rep for rep, (kind, _regions) in profiles.items() if kind == core_credit.ACCOUNT
    ]
    owned = Account.objects.filter(owner_id__in=account_sellers).values_list("owner_id", "pk")
    for user_id, account_id in owned:
        accounts[user_id].add(account_id)
    lines: dict[int, set[int]] = defaultdict(set)
    through = SellerProfile.product_lines.through.objects.filter(sellerprofile__user_id__in=rep_ids)
    for user_id, line_id in through.values_list("sellerprofile__user_id", "productline_id"):
        lines[user_id].add(line_id)
    result = []
    for rep in rep_ids:
        kind, regions = profiles.get(rep, (core_credit.PROJECT, []))
        result.append(
            core_credit.Seller(
                key=rep,
                type=kind,
                accounts=frozenset(accounts.get(rep, ())),
                regions=frozenset(r for r in (regions or []) if r),
                product_lines=frozenset(lines.get(rep, ())),
            )
        )
    return result


@dataclass(frozen=True)
class Credited:
    """Who is credited with what in a period, and each booking's amount (for totals)."""

    deals: dict[int, WonDeal]
    by_rep: dict[int, list[tuple[WonDeal, str]]]  # rep → (deal, reason)
    credits: list[core_credit.Credit]

    def total(self, rep_id: int) -> Decimal:
        return sum((deal.booking.amount for deal, _ in self.by_rep.get(rep_id, ())), Decimal(0))

    def team_total(self, members) -> Decimal:
        """Each booking credited to any of ``members`` counted once (§3.6)."""
        amounts = {pk: d.booking.amount for pk, d in self.deals.items()}
        return core_credit.team_total(self.credits, members, amounts)  # type: ignore[arg-type]


def credited(rep_ids, start: date, end: date) -> Credited:
    """The core's credit rules over the period's won deals (six queries)."""
    deals = won_deals(start, end)
    by_key = {d.pk: d for d in deals}
    credits = core_credit.credits(sellers(rep_ids), [d.booking for d in deals])
    by_rep: dict[int, list[tuple[WonDeal, str]]] = defaultdict(list)
    for item in credits:
        by_rep[item.seller].append((by_key[item.booking], item.reason))  # type: ignore[index]
    return Credited(by_key, dict(by_rep), credits)


def won_as_owner(rep_ids, start: date, end: date) -> dict[int, Decimal]:
    """The won amount of the deals each rep owns, in one SQL aggregate."""
    rows = (
        won_queryset(start, end)
        .filter(owner_id__in=list(rep_ids))
        .order_by()
        .values("owner_id")
        .annotate(total=Sum("amount"))
        .values_list("owner_id", "total")
    )
    return {owner: Decimal(total) for owner, total in rows}


def won_by_month(rep_ids, year: int) -> dict[tuple[int, int], Decimal]:
    """(rep, month) → won amount of the deals the rep owns, in one SQL aggregate."""
    from django.db.models.functions import ExtractMonth

    rows = (
        won_queryset(date(year, 1, 1), date(year + 1, 1, 1))
        .filter(owner_id__in=list(rep_ids))
        .annotate(month=ExtractMonth("closed_at"))
        .order_by()
        .values("owner_id", "month")
        .annotate(total=Sum("amount"))
        .values_list("owner_id", "month", "total")
    )
    return {(owner, month): Decimal(total) for owner, month, total in rows}


def _per_account(queryset, **aggregate):
    ((name, expression),) = aggregate.items()
    return Coalesce(
        Subquery(
            queryset.order_by().values("account").annotate(**{name: expression}).values(name),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def relationship_by_rep(rep_ids, *, today: date) -> dict[int, Decimal]:
    """Mean account relationship score (0–100, one decimal) of the accounts each rep owns.

    The account score is the portfolio's (§1.2: mean of the key contacts' scores, in exact
    tenths); accounts without key contacts have no score and do not count. One query."""
    company = CompanySettings.current()
    key = key_contacts_of_account()
    scored = key.annotate(tenths=contact_score_tenths(company, today))
    rows = (
        Account.objects.filter(owner_id__in=list(rep_ids))
        .annotate(
            key_count=_per_account(key, n=Count("pk")),
            key_sum=_per_account(scored, s=Sum("tenths")),
        )
        .annotate(
            score_tenths=Case(
                When(key_count=0, then=Value(None)),
                default=(F("key_sum") * 2 + F("key_count")) / (F("key_count") * 2),
                output_field=IntegerField(),
            )
        )
        .order_by()
        .values("owner_id")
        .annotate(mean=Avg("score_tenths"))
        .values_list("owner_id", "mean")
    )
    tenth = Decimal("0.1")
    return {
        owner: (Decimal(str(mean)) / 10).quantize(tenth) for owner, mean in rows if mean is not None
    }


def effective_visits_by_rep(rep_ids, start: date, end: date) -> dict[int, int]:
    """Effective visits (§3.4) held in [start, end) per rep, counted in SQL."""
    rows = (
        Visit.objects.filter(
            owner_id__in=list(rep_ids), effective=True, visited_on__gte=start, visited_on__lt=end
        )
        .order_by()
        .values("owner_id")
        .annotate(n=Count("pk"))
        .values_list("owner_id", "n")
    )
    return dict(rows)


def must_win_lost(rep_ids, year: int, *, as_of: date) -> dict[int, list[tuple[int, str]]]:
    """Per rep, the must-win accounts of their target for ``year`` lost by ``as_of``: a deal
    there closed as lost in the year and none closed as won. One query."""
    from .models import RepTarget

    start, end = start_of(date(year, 1, 1)), start_of(min(date(year + 1, 1, 1), as_of))
    closed = Deal.objects.filter(
        account=OuterRef("account_id"), closed_at__gte=start, closed_at__lt=end
    )
    through = RepTarget.must_win_accounts.through.objects.filter(
        reptarget__year=year,
        reptarget__rep_id__in=list(rep_ids),
        account__deleted_at__isnull=True,
    )
    rows = (
        through.annotate(
            lost=Exists(closed.filter(status=DealStatus.LOST)),
            won=Exists(closed.filter(status=DealStatus.WON)),
        )
        .filter(lost=True, won=False)
        .order_by("account__name", "account_id")
        .values_list("reptarget__rep_id", "account_id", "account__name")
    )
    result: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for rep, account, name in rows:
        result[rep].append((account, name))
    return dict(result)


def payment_model():
    """``insights.Payment`` when the insights app records payments, else None.

    HOOK: the insights app (built alongside) owns payments against won deals; until it
    exists the collection component has no facts and the statement says so."""
    try:
        return apps.get_model("insights", "Payment")
    except LookupError:
        return None


def collections_by_deal(start: date, end: date) -> dict[int, Decimal] | None:
    """Payments received in [start, end) per deal; None when payments are not recorded."""
    model = payment_model()
    if model is None:
        return None
    rows = (
        model.objects.filter(
            received_on__gte=start, received_on__lt=end, deal__deleted_at__isnull=True
        )
        .order_by()
        .values("deal_id")
        .annotate(total=Sum("amount"))
        .values_list("deal_id", "total")
    )
    return {deal: Decimal(total) for deal, total in rows}


def last_day(end: date) -> date:
    return end - timedelta(days=1)
