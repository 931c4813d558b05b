"""Demo visits (拜访, METHODOLOGY §3.4): about a month of them per rep, so the skills page and
Today have something to show.

Past visits are mostly recorded — some on the day, some a few days late (not effective),
some without an objective or with the commitment question unanswered — with the rep's step
scores around the rep's own level and, for about half, their manager's (a little stricter).
A few past ones are still waiting for their record, and each rep has visits planned for
the next two weeks. Everything comes from ``random.Random(seed)``; rows are bulk-inserted
and the stored verdict is the company's rule applied exactly as ``Visit.save`` would.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

OBJECTIVES = [
    "确认项目预算和审批流程",
    "了解信息中心对现有系统的痛点",
    "向分管领导呈现方案价值",
    "确认技术交流的时间和参会人",
    "争取进入短名单",
    "了解竞争对手的最新动作",
    "确认需求清单并争取签字",
    "推动客户安排样板间参观",
]
REASONS = ["预算评审前", "上次交流的跟进", "客户主动邀约", "招标文件发布前", "新领导到任"]
QUESTIONS = [
    "今年的预算是否已经批复？\n谁最终拍板？",
    "现有系统最大的问题是什么？\n影响到哪些部门？",
    "评估小组由哪些人组成？\n评估标准是什么？",
    "上线时间有没有硬性要求？",
]
ASKS = [
    "安排与分管副总的会面",
    "同意参观样板客户",
    "提供内部需求文档",
    "确认下周技术交流",
    "把我们列入邀标名单",
]
OUTCOMES = [
    "客户认可方案方向，提出了集成方面的顾虑。",
    "预算已到位，但审批要等到下月。",
    "对方更关注价格，需要准备价值测算。",
    "关键人临时缺席，只见到了下属。",
    "客户同意推进下一步交流。",
]
NEXT_STEPS = ["发送会议纪要", "准备价值测算", "约技术交流", "整理需求清单", "安排高层拜访"]
STEPS = ("prepare", "understand", "present", "commit", "evaluate")
PAST_DAYS = 30
AHEAD_DAYS = 14


def _clamp(value: int) -> int:
    return max(1, min(5, value))


def add_visits(*, seed: int) -> int:
    """Create the demo visits for every active rep; returns how many."""
    from winroom.accounts.models import Account, Contact
    from winroom.deals.models import Deal, DealStatus
    from winroom.org.models import CompanySettings, Role, User
    from winroom.visits.models import Commitment, Visit, VisitStatus

    rng = random.Random(f"visits-{seed}")
    rule = CompanySettings.current().effective_visit_rule()
    zone = timezone.get_current_timezone()
    now = timezone.now()
    today = timezone.localdate(now)
    reps = list(
        User.objects.filter(role=Role.REP, is_active=True)
        .select_related("team__manager")
        .order_by("username")
    )
    accounts_of: dict[int, list[int]] = {}
    for pk, owner in Account.objects.order_by("pk").values_list("pk", "owner_id"):
        accounts_of.setdefault(owner, []).append(pk)
    deals_of: dict[int, list[int]] = {}
    for pk, account in (
        Deal.objects.filter(status=DealStatus.OPEN).order_by("pk").values_list("pk", "account_id")
    ):
        deals_of.setdefault(account, []).append(pk)
    wanted = {pk for pks in accounts_of.values() for pk in pks}
    contacts_of: dict[int, list[int]] = {}
    for pk, account in (
        Contact.objects.filter(account_id__in=wanted).order_by("pk").values_list("pk", "account_id")
    ):
        contacts_of.setdefault(account, []).append(pk)

    visits: list = []
    people: list[list[int]] = []
    for rep in reps:
        accounts = accounts_of.get(rep.pk)
        if not accounts:
            continue
        level = {step: rng.randint(2, 4) for step in STEPS}
        manager = rep.team.manager if rep.team_id and rep.team.manager_id else None

        def new_visit(day, *, rep=rep, accounts=accounts):
            account = rng.choice(accounts)
            deals = deals_of.get(account, [])
            planned = datetime.combine(day, time(rng.randint(9, 16), rng.choice((0, 30))))
            visit = Visit(
                owner=rep,
                account_id=account,
                deal_id=rng.choice(deals) if deals and rng.random() < 0.8 else None,
                planned_at=timezone.make_aware(planned, zone),
                objective=rng.choice(OBJECTIVES) if rng.random() < 0.9 else "",
                reason=rng.choice(REASONS),
                questions=rng.choice(QUESTIONS),
                commitment_ask=rng.choice(ASKS),
                materials="方案书、案例集" if rng.random() < 0.5 else "",
                created_at=timezone.make_aware(planned, zone) - timedelta(days=rng.randint(1, 5)),
            )
            chosen = contacts_of.get(account, [])
            people.append(rng.sample(chosen, min(len(chosen), rng.randint(1, 2))))
            return visit

        for _n in range(rng.randint(8, 12)):  # the last month
            day = today - timedelta(days=rng.randint(1, PAST_DAYS))
            visit = new_visit(day)
            if rng.random() < 0.15:
                visit.created_at = min(visit.created_at, now)
                visits.append(visit)  # still waiting for its record
                continue
            delay = rng.choices([0, 1, 2, 3, 4, 6], weights=[40, 20, 10, 8, 12, 10])[0]
            recorded_on = min(day + timedelta(days=delay), today)
            visit.status = VisitStatus.DONE
            visit.visited_on = day
            visit.recorded_at = timezone.make_aware(datetime.combine(recorded_on, time(19)), zone)
            visit.recorded_at = min(visit.recorded_at, now)
            visit.commitment = rng.choices(
                [Commitment.WON, Commitment.NOT_WON, ""], weights=[50, 30, 20]
            )[0]
            visit.outcome = rng.choice(OUTCOMES)
            visit.next_steps = "\n".join(rng.sample(NEXT_STEPS, 2))
            for step in STEPS:
                setattr(visit, f"rep_{step}", _clamp(level[step] + rng.randint(0, 1)))
            if manager is not None and rng.random() < 0.5:
                for step in STEPS:
                    setattr(visit, f"mgr_{step}", _clamp(level[step] + rng.randint(-1, 0)))
                visit.manager_scored_by = manager
                visit.manager_scored_at = min(visit.recorded_at + timedelta(days=1), now)
                visit.manager_note = rng.choice(["准备充分", "承诺环节要更直接", "多问开放式问题"])
            visits.append(visit)
        for _n in range(rng.randint(3, 5)):  # the next two weeks
            visits.append(new_visit(today + timedelta(days=rng.randint(0, AHEAD_DAYS))))
    for visit in visits:
        visit.created_at = min(visit.created_at, now)
        visit.effective = (
            visit.status == VisitStatus.DONE and visit.explain_effective(rule).effective
        )
    created = Visit.objects.bulk_create(visits, batch_size=1000)
    through = Visit.people.through
    through.objects.bulk_create(
        [
            through(visit_id=visit.pk, contact_id=contact)
            for visit, contacts in zip(created, people, strict=True)
            for contact in contacts
        ],
        batch_size=2000,
    )
    return len(created)
