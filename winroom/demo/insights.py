"""Demo data for the management numbers (METHODOLOGY §3.2, §3.3, §3.5): payments and
contracts of the won deals, renewals, the market-capacity table, a couple of revenue-source
overrides, managers' forecast adjustments and the watch list with its monthly reviews.

The story each chart tells:

- collection: most customers pay 30 % on signing, 40 % two to four months later and the
  rest after acceptance; a few are slow (one in eight pays only the first part), so the
  collection ratio of recent quarters lags behind older ones;
- renewal: every won deal has a one-year contract; where the same account signed again
  nine to fifteen months later, that deal renews it (the renewal slice of the wheel), and
  the contracts that ended without one pull the renewal rate down;
- capacity: the biggest region × industry cells of the accounts, "last year" being the
  twelve months before today (the demo's history is recent), revenue from the
  deals won there, two cells barren (demand not changing), one capped by its market;
- forecast: the East manager trims a rep's month with a reason, the director overrides a
  team's next month;
- watch list: three must-win and three strategic accounts with big open deals, reviewed
  in the past months, a few not yet this month.

Deterministic from the seed; written with bulk_create after the deals exist (no change
history for generated rows).
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from winroom.accounts.models import Account
from winroom.deals.models import Deal, DealStatus
from winroom.insights.models import (
    CapacityCell,
    Contract,
    ForecastAdjustment,
    Payment,
    RevenueSourceOverride,
    WatchedAccount,
    WatchReview,
)
from winroom.org.models import Team, User

CENT = Decimal("0.01")
REVIEW_NOTES = [
    "客户预算已确认，下一步推动高层拜访，锁定技术标准。",
    "竞争对手降价20%，我方坚持价值路线，安排标杆客户参观。",
    "内线反馈评估小组倾向我方，需补强财务部关系。",
    "项目推迟一个月，原因是客户组织调整；保持每周沟通。",
    "决策者已表态支持，重点转向商务条款与交付承诺。",
    "关键人换岗，新任信息中心主任尚未接触，本月必须完成拜访。",
]
ADJUST_REASONS = [
    "客户预算审批推迟到下月，保守处理",
    "两个项目口头确认中标，提前计入",
    "大区两个重点项目招标延期，按经验下调",
]
OVERRIDE_REASONS = [
    "原为竞争对手的长期客户，本单实为替换对手",
    "续签合同，系统未关联原合同",
]


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def add_insights(*, seed: int) -> dict:
    rng = random.Random(seed + 606)
    today = timezone.localdate()
    won = list(
        Deal.objects.filter(status=DealStatus.WON, closed_at__isnull=False, contract__isnull=True)
        .filter(payments__isnull=True)
        .order_by("account_id", "closed_at", "pk")
        .values("pk", "account_id", "amount", "closed_at", "owner_id")
    )
    counts = {}
    counts["contracts"], renewals = _contracts(won, rng)
    counts["renewals"] = renewals
    counts["payments"] = _payments(won, rng, today)
    counts["capacity_cells"] = _capacity(rng, today)
    counts["source_overrides"] = _overrides(won, rng)
    counts["forecast_adjustments"] = _adjustments(today)
    counts["watched_accounts"], counts["watch_reviews"] = _watch_list(rng, today)
    return counts


def _contracts(won, rng) -> tuple[int, int]:
    by_account = defaultdict(list)
    for deal in won:
        by_account[deal["account_id"]].append(deal)
    rows, renewed_by = [], {}
    for deals in by_account.values():
        for earlier, later in itertools.pairwise(deals):
            gap = (later["closed_at"] - earlier["closed_at"]).days
            # most customers who buy again half a year or more later renew the contract
            if gap >= 150 and earlier["pk"] not in renewed_by and rng.random() < 0.7:
                renewed_by[earlier["pk"]] = later
    renews = {later["pk"]: earlier_pk for earlier_pk, later in renewed_by.items()}
    for deal in won:
        start = timezone.localdate(deal["closed_at"]) + timedelta(days=rng.randint(5, 20))
        later = renewed_by.get(deal["pk"])
        if later is not None:  # signed again shortly before the old term ran out
            end = timezone.localdate(later["closed_at"]) + timedelta(days=rng.randint(5, 45))
        else:
            end = start + timedelta(days=364)
        rows.append(
            Contract(
                deal_id=deal["pk"],
                starts_on=start,
                ends_on=end,
                renewal_of_id=renews.get(deal["pk"]),
            )
        )
    Contract.objects.bulk_create(rows, batch_size=500)
    return len(rows), len(renews)


def _payments(won, rng, today) -> int:
    rows = []
    for deal in won:
        signed = timezone.localdate(deal["closed_at"])
        amount = Decimal(deal["amount"])
        if amount <= 0:
            continue
        slow = rng.random() < 0.125
        first = _money(amount * Decimal("0.3"))
        second = _money(amount * Decimal("0.4"))
        parts = [(signed + timedelta(days=rng.randint(3, 20)), first)]
        if not slow:
            parts.append((signed + timedelta(days=rng.randint(60, 120)), second))
            parts.append((signed + timedelta(days=rng.randint(150, 260)), amount - first - second))
        for day, part in parts:
            if day <= today and part > 0:
                rows.append(
                    Payment(deal_id=deal["pk"], amount=part, received_on=day, note="银行转账")
                )
    Payment.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


#: the biggest region × industry cells of the demo accounts get a row
CAPACITY_CELLS = 24
SALES_MODEL_BY_INDUSTRY = {
    "government": "strategic",
    "energy": "strategic",
    "finance": "strategic",
    "telecom": "solution",
    "manufacturing": "solution",
    "automotive": "solution",
    "healthcare": "solution",
    "transport": "solution",
    "education": "tool",
    "retail": "tool",
    "construction": "tool",
    "other": "tool",
}


def _capacity(rng, today) -> int:
    year = today.year
    # "last year" in the demo is the twelve months before today: the demo's history is
    # recent, so the calendar year before would be nearly empty
    last_year = Q(
        deals__status=DealStatus.WON,
        deals__closed_at__gte=timezone.now() - timedelta(days=365),
        deals__deleted_at__isnull=True,
    )
    cells = (
        Account.objects.exclude(region="")
        .values("region", "industry")
        .annotate(
            accounts=Count("pk", distinct=True),
            customers=Count(
                "pk",
                filter=Q(deals__status=DealStatus.WON, deals__deleted_at__isnull=True),
                distinct=True,
            ),
            theirs=Count(
                "pk",
                filter=Q(deals__status=DealStatus.LOST, deals__winner__isnull=False),
                distinct=True,
            ),
            revenue=Sum("deals__amount", filter=last_year),
        )
        .order_by("-accounts", "region", "industry")[:CAPACITY_CELLS]
    )
    rows = []
    for index, cell in enumerate(cells):
        if CapacityCell.objects.filter(
            year=year, region=cell["region"], industry=cell["industry"]
        ).exists():
            continue
        target = cell["accounts"] * rng.randint(3, 6)
        existing = min(cell["customers"], target)
        theirs = min(cell["theirs"] + rng.randint(1, 4), target - existing)
        revenue = _money(cell["revenue"] or 0)
        deal_size = _money(rng.choice([300_000, 500_000, 800_000, 1_200_000, 2_000_000]))
        rows.append(
            CapacityCell(
                year=year,
                region=cell["region"],
                industry=cell["industry"],
                target_customers=target,
                existing_customers=existing,
                competitor_customers=theirs,
                market_size=_money(target * deal_size * Decimal("0.6"))
                if index != 2
                else _money(deal_size * 2),
                last_year_revenue=revenue,
                demand_changing=index % 7 != 3,  # a couple of barren cells
                sales_model=SALES_MODEL_BY_INDUSTRY.get(cell["industry"], "solution"),
                conversion_existing=Decimal(rng.choice(["0.35", "0.45", "0.55", "0.6"])),
                conversion_new=Decimal(rng.choice(["0.05", "0.08", "0.1", "0.12"])),
                conversion_competitors=Decimal(rng.choice(["0.1", "0.15", "0.2"])),
                average_deal_size=deal_size,
            )
        )
    CapacityCell.objects.bulk_create(rows)
    return len(rows)


def _overrides(won, rng) -> int:
    if not won:
        return 0
    director = User.objects.filter(username="director").first()
    picks = rng.sample(won, k=min(2, len(won)))
    rows = [
        RevenueSourceOverride(
            deal_id=deal["pk"],
            source="competitor" if i == 0 else "renewal",
            reason=OVERRIDE_REASONS[i],
            by=director,
        )
        for i, deal in enumerate(picks)
        if not RevenueSourceOverride.objects.filter(deal_id=deal["pk"]).exists()
    ]
    RevenueSourceOverride.objects.bulk_create(rows)
    return len(rows)


def _adjustments(today) -> int:
    month = today.replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    manager = User.objects.filter(username="manager").first()
    director = User.objects.filter(username="director").first()
    rep = User.objects.filter(username="rep1").first()
    team = Team.objects.filter(name="华西大区").first()
    rows = []
    if manager and rep:
        weighted = Deal.objects.filter(
            status=DealStatus.OPEN,
            owner=rep,
            win_rate__isnull=False,
            expected_close__gte=month,
            expected_close__lt=following,
        ).aggregate(s=Sum(F("amount") * F("win_rate")))["s"] or Decimal(0)
        if weighted:  # the rep's month trimmed by 40 %: a budget slipped
            delta, reason = -_money(Decimal(weighted) * Decimal("0.4")), ADJUST_REASONS[0]
        else:
            delta, reason = Decimal(200_000), ADJUST_REASONS[1]
        rows.append(
            ForecastAdjustment(
                by=manager, rep=rep, month=month, kind="delta", amount=delta, reason=reason
            )
        )
    if director and team:
        weighted = Deal.objects.filter(
            status=DealStatus.OPEN,
            owner__team__in=[team, *team.children.all()],
            expected_close__gte=following,
            expected_close__lt=(following + timedelta(days=32)).replace(day=1),
            win_rate__isnull=False,
        ).aggregate(s=Sum(F("amount") * F("win_rate")))["s"] or Decimal(0)
        rows.append(
            ForecastAdjustment(
                by=director,
                team=team,
                month=following,
                kind="override",
                amount=_money(Decimal(weighted) * Decimal("0.8")),
                reason=ADJUST_REASONS[2],
            )
        )
    ForecastAdjustment.objects.bulk_create(rows)
    return len(rows)


def _watch_list(rng, today) -> tuple[int, int]:
    biggest = (
        Account.objects.filter(deals__status=DealStatus.OPEN, deals__grade__in=["a", "b"])
        .annotate(open_amount=Sum("deals__amount", filter=Q(deals__status=DealStatus.OPEN)))
        .filter(watch__isnull=True)
        .order_by("-open_amount", "pk")[:6]
    )
    director = User.objects.filter(username="director").first()
    watched, reviews = [], []
    month = today.replace(day=1)
    for index, account in enumerate(biggest):
        kind = "must_win" if index % 2 == 0 else "strategic"
        watched.append(
            WatchedAccount(
                account=account,
                kind=kind,
                note="年度保底客户" if kind == "must_win" else "行业标杆，战略突破",
                added_by=director,
            )
        )
        for back in range(3, -1, -1):
            if back == 0 and index % 3 == 0:
                continue  # not yet reviewed this month
            day = month
            for _i in range(back):
                day = (day - timedelta(days=1)).replace(day=1)
            reviews.append(
                WatchReview(account=account, month=day, note=rng.choice(REVIEW_NOTES), by=director)
            )
    WatchedAccount.objects.bulk_create(watched)
    WatchReview.objects.bulk_create(reviews)
    return len(watched), len(reviews)
