"""A synthetic company with a recorded history, for the win model's tests and benchmark.

Not demo data (``winroom load_demo`` is that): deals whose outcome depends, with noise, on a
hidden quality that also shows in the questionnaire, the inside coach and the compelling
event — so a model has something real to find — written in bulk with their change history
(stage moves, the close) at past dates, so weekly point-in-time snapshots exist.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from winroom.accounts.models import Account, AccountMember, TeamRole, name_key
from winroom.deals.models import (
    CompellingEvent,
    Competitor,
    CompetitorAssessment,
    Deal,
    DealCompetitor,
    DealMember,
    DealStatus,
    Questionnaire,
    Stage,
)

BATCH = 2000


def _history(model, deal: Deal, moment: datetime, kind: str, fields) -> object:
    row = model(
        history_date=moment,
        history_type=kind,
        history_change_reason=None,
        **{f.attname: getattr(deal, f.attname) for f in fields},
    )
    return row


@transaction.atomic
def build_company(
    deals: int,
    *,
    owner,
    seed: int = 0,
    open_share: float = 0.1,
    accounts: int | None = None,
    start: datetime | None = None,
    signal: float = 1.5,
) -> dict:
    """Write ``deals`` deals (about ``open_share`` still open) owned by ``owner``."""
    rng = random.Random(seed)
    start = start or timezone.now() - timedelta(days=720)
    stages = list(Stage.objects.order_by("number"))
    library = []
    for name in ("竞品甲", "竞品乙", "竞品丙", "竞品丁"):
        competitor, _created = Competitor.objects.get_or_create(name=f"{name}（合成）")
        library.append(competitor)
    count = accounts or max(1, deals // 20)
    first = Account.objects.count()
    new_accounts = Account.objects.bulk_create(
        [
            Account(name=name, name_key=name_key(name), owner=owner)
            for name in (f"合成客户{first + i:06d}（{seed}）" for i in range(count))
        ],
        batch_size=BATCH,
    )
    AccountMember.objects.bulk_create(
        [AccountMember(account=a, user=owner, role=TeamRole.ACCOUNT_MANAGER) for a in new_accounts],
        batch_size=BATCH,
    )
    history_model = Deal.history.model  # the descriptor builds a manager on every access
    fields = history_model.tracked_fields
    now = timezone.now()
    won = lost = still_open = 0
    for offset in range(0, deals, BATCH):
        plans = []
        for index in range(offset, min(offset + BATCH, deals)):
            quality = rng.gauss(0, 1)
            created = start + timedelta(days=rng.uniform(0, 600), hours=rng.uniform(0, 12))
            length = timedelta(days=rng.uniform(14, 160))
            is_open = rng.random() < open_share or created + length >= now
            outcome = rng.random() < 1 / (1 + math.exp(-signal * quality))
            last = rng.randint(1, 5) if is_open else (len(stages) if outcome else rng.randint(2, 6))
            deal = Deal(
                account=new_accounts[index % count],
                name=f"合成商机{index:06d}",
                owner=owner,
                amount=Decimal(int(math.exp(rng.gauss(13, 1.2)))),
                stage=stages[0],
                stage_changed_at=created,
                created_at=created,
                grade=rng.choice("abcd"),
                status=DealStatus.OPEN,
            )
            plans.append((deal, quality, created, length, is_open, outcome, last))
        # each deal's path (stage moves, the close) is decided first, so the deal is written
        # once in its final state; its history rows replay the path
        paths = []
        for deal, _quality, created, length, is_open, outcome, last in plans:
            moments = sorted(
                created + length * rng.uniform(0.1, 0.95) for _ in range(max(last - 1, 0))
            )
            steps = [
                (number, moment)
                for number, moment in zip(range(2, last + 1), moments, strict=False)
                if moment < now  # an open deal's later moves have not happened yet
            ]
            closed_at = None if is_open else created + length
            paths.append((steps, closed_at))
            if steps:
                deal.stage, deal.stage_changed_at = stages[steps[-1][0] - 1], steps[-1][1]
            if is_open:
                still_open += 1
            else:
                deal.status = DealStatus.WON if outcome else DealStatus.LOST
                deal.closed_at = closed_at
                won += outcome
                lost += not outcome
        Deal.objects.bulk_create([p[0] for p in plans], batch_size=BATCH)
        history, questionnaires, events, entries, members = [], [], [], [], []
        for (deal, quality, created, length, _open, _outcome, _last), (steps, closed_at) in zip(
            plans, paths, strict=True
        ):
            final = (deal.stage, deal.stage_changed_at, deal.status, deal.closed_at)
            members.append(DealMember(deal=deal, user=owner, role=TeamRole.ACCOUNT_MANAGER))
            deal.stage, deal.stage_changed_at = stages[0], created
            deal.status, deal.closed_at = DealStatus.OPEN, None
            history.append(_history(history_model, deal, created, "+", fields))
            for number, moment in steps:
                deal.stage, deal.stage_changed_at = stages[number - 1], moment
                history.append(_history(history_model, deal, moment, "~", fields))
            deal.stage, deal.stage_changed_at, deal.status, deal.closed_at = final
            if closed_at is not None:
                history.append(_history(history_model, deal, closed_at, "~", fields))
            if rng.random() < 0.85 - 0.1 * (quality < -1):
                events.append(
                    CompellingEvent(
                        deal=deal,
                        description="预算已批复",
                        confirmed_at=created + timedelta(days=1),
                        confirmed_in_stage=1,
                    )
                )
            answered = created + length * 0.2
            if rng.random() < 0.9:
                questionnaires.append(
                    (
                        Questionnaire(
                            deal=deal,
                            has_inside_coach=rng.random() < 1 / (1 + math.exp(-quality)),
                            our_fit=min(5, max(1, round(3 + quality + rng.gauss(0, 1)))),
                            our_closeness=min(5, max(1, round(3 + quality + rng.gauss(0, 1)))),
                            answered_at=answered,
                        ),
                        deal,
                    )
                )
            for competitor in rng.sample(library, rng.randint(0, 2)):
                entries.append(
                    DealCompetitor(
                        deal=deal, competitor=competitor, added_at=created + timedelta(days=2)
                    )
                )
        history_model.objects.bulk_create(history, batch_size=BATCH)
        DealMember.objects.bulk_create(members, batch_size=BATCH)
        CompellingEvent.objects.bulk_create(events, batch_size=BATCH)
        DealCompetitor.objects.bulk_create(entries, batch_size=BATCH)
        Questionnaire.objects.bulk_create([q for q, _deal in questionnaires], batch_size=BATCH)
        by_deal: dict[int, list[DealCompetitor]] = {}
        for entry in entries:
            by_deal.setdefault(entry.deal_id, []).append(entry)
        CompetitorAssessment.objects.bulk_create(
            [
                CompetitorAssessment(
                    questionnaire=q,
                    deal_competitor=entry,
                    fit=rng.randint(2, 5),
                    closeness=rng.randint(1, 5),
                )
                for q, deal in questionnaires
                for entry in by_deal.get(deal.pk, [])
            ],
            batch_size=BATCH,
        )
    return {"won": won, "lost": lost, "open": still_open, "accounts": count}
