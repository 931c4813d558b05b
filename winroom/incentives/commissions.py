"""A rep's commission facts for a period, read from the database and judged by the core.

- **orders** — the won deals closed in the period that are credited to the rep by their
  seller type (§3.6), each with its account (strategic award) and gross margin (margin band);
- **order target** — the period's part of the rep's baseline target (monthly split);
- **revenue** — recognised revenue is not recorded in Winroom: the component is listed as a
  gap when the plan pays on it;
- **collection** — payments received in the period on deals credited to the rep, when the
  insights app records payments (``insights.Payment``); otherwise a gap;
- **must-win** — the must-win accounts of the rep's target lost in the plan year so far.

:func:`statement_facts` does this for many reps in a fixed number of queries;
:func:`serialise` turns the core's lines into JSON kept on the statement.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from winroom.deals.models import Deal
from winroom.methodology import commission as core
from winroom.methodology import credit as core_credit
from winroom.methodology import targets as core_targets

from . import facts
from .models import CommissionPlan, RepTarget

GAP_REVENUE = "revenue"
GAP_COLLECTION = "collection"


@dataclass
class RepFacts:
    rep_id: int
    target: Decimal | None
    facts: core.Facts
    bookings: list[dict] = field(default_factory=list)  # for display
    must_win_lost: list[dict] = field(default_factory=list)
    names: dict[str, dict] = field(default_factory=dict)  # deal / account ids → names


@dataclass
class PeriodFacts:
    period: core_targets.Period
    reps: dict[int, RepFacts]
    gaps: list[str]
    strategic_ids: frozenset[int]


def _collections(rep_ids, period, sellers) -> dict[int, Decimal] | None:
    """Collections per rep: the period's payments on deals credited to the rep."""
    paid = facts.collections_by_deal(period.start, period.end)
    if paid is None:
        return None
    deals = facts.deals_as_bookings(Deal.objects.filter(pk__in=list(paid)))
    bookings = [
        core_credit.Booking(
            key=d.pk,
            amount=paid[d.pk],
            account=d.booking.account,
            region=d.booking.region,
            product_lines=d.booking.product_lines,
            leader=d.booking.leader,
        )
        for d in deals
    ]
    return {
        rep: Decimal(total)
        for rep, total in core_credit.credited_totals(
            core_credit.credits(sellers, bookings)
        ).items()
    }  # type: ignore[misc]


def statement_facts(
    plan: CommissionPlan, period: core_targets.Period, rep_ids, *, today: date
) -> PeriodFacts:
    """Every rep's facts for ``period`` under ``plan``."""
    rep_ids = list(rep_ids)
    sellers = facts.sellers(rep_ids)
    deals = facts.won_deals(period.start, period.end)
    by_key = {d.pk: d for d in deals}
    credited: dict[int, list[tuple[facts.WonDeal, str]]] = defaultdict(list)
    for item in core_credit.credits(sellers, [d.booking for d in deals]):
        credited[item.seller].append((by_key[item.booking], item.reason))  # type: ignore[index]
    targets = {
        t.rep_id: t.target_for(period.months)
        for t in RepTarget.objects.filter(rep_id__in=rep_ids, year=period.year)
    }
    lost = facts.must_win_lost(rep_ids, period.year, as_of=today)
    collections = _collections(rep_ids, period, sellers) if plan.collection_rate else {}
    gaps = []
    if plan.revenue_rate:
        gaps.append(GAP_REVENUE)
    if plan.collection_rate and collections is None:
        gaps.append(GAP_COLLECTION)
    strategic = frozenset(plan.strategic_accounts.values_list("pk", flat=True))
    result = {}
    for rep in rep_ids:
        mine = credited.get(rep, [])
        amounts = {"order": sum((d.booking.amount for d, _ in mine), Decimal(0))}
        if plan.collection_rate and collections is not None:
            amounts["collection"] = collections.get(rep, Decimal(0))
        core_facts = core.Facts(
            amounts=amounts,
            bookings=tuple(
                core.Booking(
                    key=d.pk,
                    account=d.booking.account,
                    amount=d.booking.amount,
                    margin=None if d.margin is None else Decimal(d.margin),
                )
                for d, _reason in mine
            ),
            must_win_lost=tuple(account for account, _name in lost.get(rep, ())),
        )
        names = {
            "deal": {str(d.pk): d.name for d, _ in mine},
            "account": {str(d.booking.account): d.account_name for d, _ in mine},
        }
        result[rep] = RepFacts(
            rep_id=rep,
            target=targets.get(rep),
            facts=core_facts,
            bookings=[
                {
                    "deal": d.pk,
                    "name": d.name,
                    "account": d.booking.account,
                    "account_name": d.account_name,
                    "amount": str(d.booking.amount),
                    "closed_on": d.closed_on.isoformat(),
                    "margin": None if d.margin is None else str(d.margin),
                    "reason": reason,
                    "strategic": d.booking.account in strategic,
                }
                for d, reason in mine
            ],
            must_win_lost=[{"account": a, "name": n} for a, n in lost.get(rep, ())],
            names=names,
        )
    return PeriodFacts(period, result, gaps, strategic)


def _text(value) -> str | None:
    return None if value is None else str(value)


def serialise(
    result: core.Statement, names: dict[str, dict], lost: list[dict], *, plan: CommissionPlan
) -> list[dict]:
    """The core's lines as JSON, with the names and the plan's values the explanation needs."""
    lost_names = {str(item["account"]): item["name"] for item in lost}
    lines = []
    for line in result.lines:
        detail: dict[str, object] = {}
        for key, value in line.detail.items():
            if key == "accounts":
                detail["accounts"] = [
                    {"id": a, "name": lost_names.get(str(a), "")}
                    for a in value  # type: ignore[attr-defined]
                ]
            else:
                detail[key] = str(value)
        if "deal" in detail:
            detail["deal_name"] = names["deal"].get(str(detail["deal"]), "")
        if "account" in detail:
            detail["account_name"] = names["account"].get(str(detail["account"]), "")
        if line.rule == "margin_band":
            detail["red_line"] = str(plan.margin_red_line)
            detail["band_low"] = str(plan.margin_band_low)
            detail["band_high"] = str(plan.margin_band_high)
            detail["share"] = str(plan.margin_share)
        lines.append(
            {
                "rule": line.rule,
                "component": line.component,
                "basis": str(line.basis),
                "rate": _text(line.rate),
                "amount": str(line.amount),
                "detail": detail,
            }
        )
    return lines
