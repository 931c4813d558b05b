"""Demo targets, seller types, commissions and monthly rankings (METHODOLOGY §3.3, §3.6).

The story:

- seller types: most reps are account sellers (credited at the accounts they own); in each
  region one rep is a solution seller of two product lines over the region's cities (their
  bookings overlap with the account sellers', so team totals count a booking once), and
  one is a project seller;
- targets for last year and this year: management's baseline is the rep's yearly pace of
  won deals (or a floor) give or take, split with a heavier fourth quarter; the challenge is 30 %
  above; the reps' own bottom-up numbers are mostly lower than management's; the must-win
  accounts are the watch list's must-win accounts (the insights app) where the rep owns
  them, else the rep's biggest account;
- a commission plan each year (quarterly, 2 % base, double / triple over target, a
  collection component, strategic awards, a margin band) and a gross margin on every won
  deal;
- statements for every finished quarter of the deal history: the older ones approved by the
  rep's manager and paid — a few late — the latest quarter left in draft for the manager;
- the ranking recorded for the last six finished months, the bottom group reviewed except in
  the latest month (left for the manager to do).

Deterministic from the seed; runs after the deals, visits and payments exist.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db.models import Max, Min, Sum
from django.utils import timezone

from winroom.accounts.models import Account
from winroom.deals.models import Deal, DealStatus, ProductLine
from winroom.incentives import actions, ranking
from winroom.incentives.access import may_manage_rep
from winroom.incentives.models import (
    CommissionPlan,
    CommissionStatement,
    DealMargin,
    Payout,
    RankingGroup,
    RankingReview,
    RankingSnapshot,
    RepTarget,
    SellerProfile,
    SellerType,
    StatementStatus,
)
from winroom.methodology import targets as core_targets
from winroom.org.models import Role, User

from . import data

#: the months' shares of a year's target (a heavier fourth quarter)
SEASON = [6, 6, 8, 8, 8, 9, 7, 7, 9, 9, 10, 13]
FLOOR = Decimal(800_000)
TEN_THOUSAND = Decimal(10_000)
CAUSES = [
    "本月新商机不足，拜访量只有目标的一半；两个重点项目推迟到下季度。",
    "关键客户决策人换岗，关系需要重建；报价偏高被竞争对手抢单。",
    "精力过多放在小单上，大客户覆盖不够；未及时跟进技术交流后的承诺。",
]
HELP = [
    "经理每周陪访一次重点客户；下月起每周一检查拜访计划。",
    "安排方案经理支持两个A级项目；参加公司价值销售培训。",
    "调整客户组合，移交三个小客户给内销；创始人出面拜访一个战略客户。",
]


def _round(value: Decimal, unit: Decimal = TEN_THOUSAND) -> Decimal:
    return (value / unit).quantize(Decimal(1), ROUND_HALF_UP) * unit


def _split(baseline: Decimal) -> list[str]:
    """The seasonal split, to the fen, the last month taking the remainder."""
    total = sum(SEASON)
    months = [(baseline * share / total).quantize(Decimal("0.01")) for share in SEASON[:-1]]
    months.append(baseline - sum(months, Decimal(0)))
    return [str(m) for m in months]


def _manager_of(rep: User, managers: dict[int, User | None]) -> User | None:
    return managers.get(rep.team_id) if rep.team_id else None


def add_incentives(*, seed: int, today: date | None = None) -> dict:
    rng = random.Random(seed + 909)
    today = today or timezone.localdate()
    reps = list(User.objects.filter(role=Role.REP, is_active=True).select_related("team"))
    if not reps:
        return {}
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    managers = _team_managers()
    counts = {"seller_profiles": _seller_profiles(reps, rng)}
    counts["rep_targets"] = _targets(reps, rng, today)
    counts["deal_margins"] = _margins(rng)
    counts["commission_plans"] = _plans(today)
    counts.update(_statements(reps, rng, today, managers, admin))
    counts.update(_rankings(reps, rng, today, managers))
    return counts


def _team_managers() -> dict[int, User | None]:
    """Each team's manager, or the nearest manager above it."""
    from winroom.org.models import Team

    teams = {t.pk: t for t in Team.objects.select_related("manager")}
    result: dict[int, User | None] = {}
    for pk, team in teams.items():
        current = team
        while current is not None and current.manager is None:
            current = teams.get(current.parent_id)
        result[pk] = current.manager if current is not None else None
    return result


def _seller_profiles(reps: list[User], rng: random.Random) -> int:
    lines = list(ProductLine.objects.order_by("pk"))
    by_region: dict[str | None, list[User]] = defaultdict(list)
    for rep in sorted(reps, key=lambda r: r.pk):
        region = _region_of(rep)
        by_region[region].append(rep)
    created = 0
    for region, members in by_region.items():
        cities = [c[0] for c in data.CITIES.get(region, [])] if region else []
        for index, rep in enumerate(members):
            if SellerProfile.objects.filter(user=rep).exists():
                continue
            if index == 1 and len(members) > 2 and lines:
                profile = SellerProfile.objects.create(
                    user=rep, seller_type=SellerType.SOLUTION, regions=cities
                )
                profile.product_lines.set(rng.sample(lines, min(2, len(lines))))
            elif index == 2 and len(members) > 3:
                SellerProfile.objects.create(user=rep, seller_type=SellerType.PROJECT)
            else:
                SellerProfile.objects.create(user=rep, seller_type=SellerType.ACCOUNT)
            created += 1
    return created


def _region_of(rep: User) -> str | None:
    name = rep.team.name if rep.team else ""
    if name.startswith("华东"):
        return data.EAST
    if name.startswith(("华西", "西南")):
        return data.WEST
    return None


def _must_win_candidates() -> dict[int, list[int]]:
    """Owner → the watch list's must-win accounts they own (when the insights app has one)."""
    try:
        watched = apps.get_model("insights", "WatchedAccount")
    except LookupError:
        return {}
    rows = watched.objects.filter(kind="must_win", account__owner__isnull=False).values_list(
        "account__owner_id", "account_id"
    )
    result: dict[int, list[int]] = defaultdict(list)
    for owner, account in rows:
        result[owner].append(account)
    return result


def _targets(reps: list[User], rng: random.Random, today: date) -> int:
    """Baselines near each rep's yearly pace over the whole deal history (the demo's history
    is shorter than two years, so last year alone would understate it)."""
    won = Deal.objects.filter(status=DealStatus.WON, closed_at__isnull=False)
    span = won.aggregate(first=Min("closed_at"), last=Max("closed_at"))
    days = max((span["last"] - span["first"]).days, 90) if span["first"] is not None else 365
    pace = {
        owner: Decimal(total) * 365 / days
        for owner, total in won.order_by()
        .values("owner_id")
        .annotate(total=Sum("amount"))
        .values_list("owner_id", "total")
    }
    biggest = {}
    for owner, account in (
        Account.objects.filter(owner__in=reps)
        .annotate(total=Sum("deals__amount"))
        .order_by("owner_id", "-total", "pk")
        .values_list("owner_id", "pk")
    ):
        biggest.setdefault(owner, account)
    watched = _must_win_candidates()
    created = 0
    for year in (today.year - 1, today.year):
        for rep in reps:
            if RepTarget.objects.filter(rep=rep, year=year).exists():
                continue
            basis = max(pace.get(rep.pk, Decimal(0)), FLOOR)
            baseline = _round(basis * Decimal(str(rng.uniform(0.85, 1.2))))
            target = RepTarget.objects.create(
                rep=rep,
                year=year,
                baseline=baseline,
                challenge=_round(baseline * Decimal("1.3")),
                monthly=_split(baseline),
                bottom_up=_round(baseline * Decimal(str(rng.uniform(0.75, 1.05)))),
                bottom_up_note="按客户逐一测算：老客户续费、交叉销售与两个新客户机会。",
                bottom_up_at=timezone.now(),
                set_at=timezone.now(),
            )
            accounts = watched.get(rep.pk) or ([biggest[rep.pk]] if rep.pk in biggest else [])
            target.must_win_accounts.set(accounts[:2])
            created += 1
    return created


def _margins(rng: random.Random) -> int:
    have = set(DealMargin.objects.values_list("deal_id", flat=True))
    rows = [
        DealMargin(
            deal_id=pk,
            gross_margin=Decimal(str(round(rng.uniform(0.18, 0.52), 4))),
        )
        for pk in Deal.objects.filter(status=DealStatus.WON).values_list("pk", flat=True)
        if pk not in have
    ]
    DealMargin.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _plans(today: date) -> int:
    strategic = []
    try:
        watched = apps.get_model("insights", "WatchedAccount")
        strategic = list(
            watched.objects.filter(kind="strategic").values_list("account_id", flat=True)
        )
    except LookupError:
        pass
    # a few accounts whose first win is in the history, so the award shows on statements
    firsts = list(
        Deal.objects.filter(status=DealStatus.WON)
        .order_by("-amount", "pk")
        .values_list("account_id", flat=True)[:3]
    )
    created = 0
    for year, multiple in ((today.year - 1, Decimal(2)), (today.year, Decimal(3))):
        if CommissionPlan.objects.filter(year=year).exists():
            continue
        plan = CommissionPlan.objects.create(
            name=f"{year}年度销售提成方案",
            year=year,
            period="quarter",
            base_rate=Decimal("0.02"),
            over_multiple=multiple,
            collection_rate=Decimal("0.005"),
            strategic_award=Decimal(50_000),
            margin_red_line=Decimal("0.30"),
            margin_band_low=Decimal("0.30"),
            margin_band_high=Decimal("0.45"),
            margin_share=Decimal("0.5"),
            payout_within_days=30,
        )
        plan.strategic_accounts.set(set(strategic) | set(firsts))
        created += 1
    return created


def _finished_quarters(today: date) -> list[core_targets.Period]:
    """The finished quarters of last year and this year, oldest first."""
    result = []
    period = core_targets.previous(core_targets.period_of(core_targets.QUARTER, today))
    while period.year >= today.year - 1:
        result.append(period)
        period = core_targets.previous(period)
    return list(reversed(result))


def _statements(reps, rng, today, managers, admin) -> dict:
    if admin is None:
        return {}
    plans = {p.year: p for p in CommissionPlan.objects.filter(is_active=True)}
    quarters = [q for q in _finished_quarters(today) if q.year in plans]
    built = 0
    for quarter in quarters:
        built += len(
            actions.build_statements(
                plan=plans[quarter.year], period_start=quarter.start, by=admin, today=today
            )
        )
    latest = quarters[-1].start if quarters else None
    by_pk = {r.pk: r for r in reps}
    approved = paid = 0
    drafts = CommissionStatement.objects.filter(status=StatementStatus.DRAFT).order_by(
        "period_start", "rep_id"
    )
    for statement in drafts:
        if statement.period_start == latest:
            continue  # left for the manager to approve
        rep = by_pk.get(statement.rep_id)
        approver = (_manager_of(rep, managers) if rep else None) or admin
        if not may_manage_rep(approver, statement.rep_id):
            approver = admin
        actions.approve_statement(statement, by=approver, today=today)
        approved += 1
    for payout in Payout.objects.filter(paid_on__isnull=True).select_related("statement"):
        late = rng.random() < 0.25
        paid_on = payout.earned_on + timedelta(
            days=rng.randint(35, 70) if late else rng.randint(10, 28)
        )
        if paid_on <= today:
            payout.paid_on = paid_on
            payout.paid_recorded_by = admin
            payout.save(update_fields=["paid_on", "paid_recorded_by"])
            paid += 1
    return {"commission_statements": built, "statements_approved": approved, "payouts_paid": paid}


def _rankings(reps, rng, today, managers) -> dict:
    months = []
    month = today.replace(day=1)
    for _n in range(6):
        month = (month - timedelta(days=1)).replace(day=1)
        months.append(month)
    months.reverse()
    rows = 0
    for month in months:
        if not RankingSnapshot.objects.filter(month=month).exists():
            rows += ranking.snapshot(month, today=today)
    reviews = []
    by_pk = {r.pk: r for r in reps}
    bottom = RankingSnapshot.objects.filter(
        month__in=months[:-1], group=RankingGroup.BOTTOM
    ).order_by("month", "position")
    for snap in bottom:
        rep = by_pk.get(snap.rep_id)
        reviewer = _manager_of(rep, managers) if rep else None
        if (
            reviewer is None
            or RankingReview.objects.filter(month=snap.month, rep_id=snap.rep_id).exists()
        ):
            continue
        reviews.append(
            RankingReview(
                month=snap.month,
                rep_id=snap.rep_id,
                causes=rng.choice(CAUSES),
                help_agreed=rng.choice(HELP),
                by=reviewer,
            )
        )
    RankingReview.objects.bulk_create(reviews)
    return {"ranking_rows": rows, "ranking_reviews": len(reviews)}
