"""Won customers due for cross-sell re-activation (METHODOLOGY §3.1, "customer pool").

An account is listed when it has a won deal, its last won deal closed at least the company's
interval ago (default 180 days, core ``reactivation_due``: exactly on the day counts) and it
has no open deal. Everything is computed by the database; products bought are read in one
more query for the accounts on the page.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.utils import timezone

from winroom.accounts.models import Account
from winroom.deals.models import Deal, DealStatus

WON = Q(deals__status=DealStatus.WON, deals__deleted_at__isnull=True)


def won_before(today: date, interval_days: int) -> datetime:
    """The first moment of the day after the last win day that is due.

    The core's ``reactivation_due`` holds for a win on day W when ``today - W >= interval``,
    i.e. for every W up to ``today - interval``; the bound is midnight after that day (the
    tests check both agree on the edge days).
    """
    last_due_day = today - timedelta(days=interval_days)
    zone = timezone.get_current_timezone()
    return datetime.combine(last_due_day + timedelta(days=1), time.min, tzinfo=zone)


def due_accounts(user, *, today: date, interval_days: int):
    """Accounts ``user`` sees that are due, the longest-waiting first, annotated with
    ``last_won_at``, ``won_deals`` and ``won_amount``."""
    open_deals = Deal.objects.filter(account=OuterRef("pk"), status=DealStatus.OPEN)
    return (
        Account.objects.visible_to(user)
        .annotate(
            last_won_at=Max("deals__closed_at", filter=WON),
            won_deals=Count("deals", filter=WON),
            won_amount=Sum("deals__amount", filter=WON),
            has_open_deal=Exists(open_deals),
        )
        .filter(
            last_won_at__lt=won_before(today, interval_days),
            has_open_deal=False,
        )
        .select_related("owner")
        .order_by("last_won_at", "pk")
    )


def products_bought(account_ids) -> dict[int, list[str]]:
    """Product lines of each account's won deals, by name, in one query."""
    through = Deal.product_lines.through
    pairs = (
        through.objects.filter(
            deal__account_id__in=list(account_ids),
            deal__status=DealStatus.WON,
            deal__deleted_at__isnull=True,
        )
        .values_list("deal__account_id", "productline__name")
        .distinct()
        .order_by("deal__account_id", "productline__name")
    )
    bought: dict[int, list[str]] = {}
    for account_id, name in pairs:
        bought.setdefault(account_id, []).append(name)
    return bought
