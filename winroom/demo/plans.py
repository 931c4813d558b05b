"""Demo account plans and triple-fit canvases (METHODOLOGY §1.6).

About a third of the accounts get a plan for the current year: the customer's strategy,
initiatives with department KPIs, business units with whitespace cells set by hand where
the deals do not tell (owned where a deal was won, in progress linked to the open deals),
relationship goals for key people one level above where they stand, and actions of the
account team — the past ones mostly done, a few overdue. Some accounts get a short-term
canvas (a few a long-term one too); half of those carry the customer's answers through an
answered link, some with gaps.

Deterministic from the seed, written with bulk_create after the accounts, contacts and
deals exist (no change history for generated rows).
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from winroom.accounts.models import Account, AccountMember, Contact, RelationshipLevel
from winroom.deals.models import Deal, DealStatus, ProductLine
from winroom.methodology.canvas import CanvasElement
from winroom.plans.models import (
    AccountPlan,
    BusinessUnit,
    CellState,
    CustomerLink,
    FitCanvas,
    Initiative,
    PlanAction,
    PlanActionStatus,
    PlanStatus,
    RelationshipGoal,
    WhitespaceCell,
)

STRATEGIES = [
    "以数字化转型为主线，三年内建成智能工厂，提升人均产值30%。",
    "聚焦主业降本增效，推进精益生产与供应链协同。",
    "落实“双碳”目标，能耗强度年降5%，打造绿色标杆。",
    "加快海外布局，新建两个生产基地，统一生产管理标准。",
    "以质量为核心竞争力，建设全流程质量追溯体系。",
]
ENVIRONMENT = [
    "集团新任董事长上任，信息化预算向生产一线倾斜。",
    "行业监管趋严，安全生产与环保检查常态化。",
    "主要竞争对手完成数字化改造，客户交期压力加大。",
    "原材料价格波动，客户对投资回报要求更高。",
    "客户启动年度供应商评估，倾向于减少供应商数量。",
]
INITIATIVES = [
    ("智能工厂建设", "生产制造部", "设备综合效率OEE提升至85%"),
    ("能耗双控", "设备能源部", "单位产值能耗下降5%"),
    ("质量零缺陷", "质量部", "客户投诉率下降30%"),
    ("供应链协同", "供应链中心", "库存周转天数降至25天"),
    ("安全生产标准化", "安环部", "重大安全事故为零"),
    ("数据治理", "信息中心", "核心数据一致率达到99%"),
    ("交付提速", "计划部", "订单准时交付率达到95%"),
]
SERVE_NOTES = ["MES与设备物联平台", "能耗管理系统", "质量追溯系统", "APS排程", "数据中台"]
UNITS = ["总部", "一分厂", "二分厂", "华东基地", "西南基地", "研发中心", "物流公司", "销售公司"]
QUICK_WINS = [
    "三个月内在一分厂完成设备联网试点，拿出OEE提升数据。",
    "完成能耗管理方案高层汇报，确定试点车间。",
    "促成质量部与我方专家的联合诊断工作坊。",
    "与信息中心签订数据治理咨询小合同。",
]
OUTCOMES = [
    "成为客户数字化转型的首选合作伙伴，年度签约额翻番。",
    "从产品供应商升级为解决方案供应商，覆盖三个业务单元。",
    "拿下集团级框架协议，进入战略供应商名录。",
    "在所有基地推广MES，建立长期运维服务合作。",
]
ACTIONS = [
    "拜访集团分管副总，汇报年度合作设想",
    "组织客户参观标杆工厂",
    "完成能耗现状诊断报告",
    "邀请信息中心参加用户大会",
    "提交质量追溯方案建议书",
    "与采购部沟通年度供应商评估",
    "安排技术交流会",
    "季度业务回顾会",
]
NEXT_LEVEL = {
    RelationshipLevel.OPPONENT: RelationshipLevel.NEUTRAL,
    RelationshipLevel.NEUTRAL: RelationshipLevel.SUPPORTER,
    RelationshipLevel.SUPPORTER: RelationshipLevel.IRON_SUPPORTER,
    RelationshipLevel.IRON_SUPPORTER: RelationshipLevel.IRON_SUPPORTER,
}
ELEMENTS = [e.value for e in CanvasElement]


def _at(day: date, hour: int = 10):
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))


def add_plans(*, seed: int, today: date | None = None) -> dict:
    """Plans and canvases for the demo accounts; returns how many of each were written."""
    rng = random.Random(f"{seed}-plans")
    today = today or timezone.localdate()
    year = today.year
    accounts = list(Account.objects.order_by("pk").values_list("pk", "owner_id"))
    if not accounts:
        return {"plans": 0, "canvases": 0}
    lines = list(ProductLine.objects.order_by("pk").values_list("pk", flat=True))
    won: dict[int, set[int]] = {}
    open_deals: dict[int, dict[int, list[int]]] = {}
    for account_id, deal_id, status, line in Deal.objects.filter(
        status__in=[DealStatus.WON, DealStatus.OPEN], product_lines__isnull=False
    ).values_list("account_id", "pk", "status", "product_lines"):
        if status == DealStatus.WON:
            won.setdefault(account_id, set()).add(line)
        else:
            open_deals.setdefault(account_id, {}).setdefault(line, []).append(deal_id)
    team: dict[int, list[int]] = {}
    for account_id, user_id in AccountMember.objects.values_list("account_id", "user_id"):
        team.setdefault(account_id, []).append(user_id)
    contacts: dict[int, list[tuple[int, str, str]]] = {}
    for account_id, pk, level, rel in Contact.objects.order_by("pk").values_list(
        "account_id", "pk", "level", "relationship_level"
    ):
        contacts.setdefault(account_id, []).append((pk, level, rel))

    # a second run (generate --force) adds to accounts that have no plan or canvas yet
    planned = set(AccountPlan.all_objects.filter(year=year).values_list("account_id", flat=True))
    drawn = set(FitCanvas.all_objects.values_list("account_id", flat=True))
    chosen = [a for index, a in enumerate(accounts) if index % 3 == 0 and a[0] not in planned]
    plans = AccountPlan.objects.bulk_create(
        [
            AccountPlan(
                account_id=account_id,
                year=year,
                status=rng.choices(
                    [PlanStatus.ACTIVE, PlanStatus.DRAFT, PlanStatus.CLOSED], [6, 3, 1]
                )[0],
                strategy=rng.choice(STRATEGIES),
                environment=rng.choice(ENVIRONMENT),
                quick_win=rng.choice(QUICK_WINS),
                year_outcome=rng.choice(OUTCOMES),
                created_at=_at(date(year, 1, rng.randint(5, 25))),
            )
            for account_id, _owner in chosen
        ]
    )
    initiatives, units, goals, actions = [], [], [], []
    for plan, (account_id, owner_id) in zip(plans, chosen, strict=True):
        for name, dept, kpi in rng.sample(INITIATIVES, rng.randint(2, 4)):
            serve = rng.random() < 0.6
            initiatives.append(
                Initiative(
                    plan=plan,
                    initiative=name,
                    department=dept,
                    kpi=kpi,
                    can_serve=serve,
                    serve_note=rng.choice(SERVE_NOTES) if serve else "",
                )
            )
        for name in rng.sample(UNITS, rng.randint(2, 4)):
            units.append(BusinessUnit(plan=plan, name=name))
        people = sorted(contacts.get(account_id, []), key=lambda c: (c[1] != "executive", c[0]))
        for pk, _level, current in people[: rng.randint(1, 3)]:
            goals.append(
                RelationshipGoal(
                    plan=plan,
                    contact_id=pk,
                    target_level=NEXT_LEVEL[RelationshipLevel(current)],
                    note=rng.choice(["", "每季度至少一次高层拜访", "争取成为内线"]),
                )
            )
        owners = [owner_id] if owner_id else []
        owners += [u for u in team.get(account_id, []) if u != owner_id]
        for title in rng.sample(ACTIONS, rng.randint(3, 6)):
            due = date(year, 1, 1) + timedelta(days=rng.randint(20, 350))
            done = due < today and rng.random() < 0.75
            actions.append(
                PlanAction(
                    plan=plan,
                    title=title,
                    owner_id=rng.choice(owners[:2]) if owners else owner_id,
                    due_on=due,
                    status=PlanActionStatus.DONE if done else PlanActionStatus.OPEN,
                    done_at=_at(due, 17) if done else None,
                )
            )
    Initiative.objects.bulk_create(initiatives)
    units = BusinessUnit.objects.bulk_create(units)
    RelationshipGoal.objects.bulk_create(goals)
    PlanAction.objects.bulk_create([a for a in actions if a.owner_id])

    plan_account = {
        plan.pk: account_id for plan, (account_id, _o) in zip(plans, chosen, strict=True)
    }
    cells, cell_deals = [], []
    for unit in units:
        account_id = plan_account[unit.plan_id]
        for line in lines:
            if rng.random() > 0.35:
                continue  # left to the suggestion from the deals
            in_progress = open_deals.get(account_id, {}).get(line, [])
            if line in won.get(account_id, set()):
                state = CellState.OWNED
            elif in_progress and rng.random() < 0.7:
                state = CellState.IN_PROGRESS
            else:
                state = rng.choice([CellState.OPEN, CellState.NOT_RELEVANT])
            cells.append(
                WhitespaceCell(plan_id=unit.plan_id, unit=unit, product_line_id=line, state=state)
            )
            cell_deals.append(in_progress[:2] if state == CellState.IN_PROGRESS else [])
    cells = WhitespaceCell.objects.bulk_create(cells)
    through = WhitespaceCell.deals.through
    through.objects.bulk_create(
        [
            through(whitespacecell_id=cell.pk, deal_id=deal_id)
            for cell, deal_ids in zip(cells, cell_deals, strict=True)
            for deal_id in deal_ids
        ]
    )

    canvases, answered = [], []
    for index, (account_id, _owner) in enumerate(accounts):
        if index % 5 != 1 or account_id in drawn:
            continue
        horizons = ["short", "long"] if index % 15 == 1 else ["short"]
        for horizon in horizons:
            ours = {e: rng.randint(2, 5) for e in ELEMENTS if rng.random() < 0.95}
            canvas = FitCanvas(
                account_id=account_id,
                horizon=horizon,
                our_scores=ours,
                our_notes={"strategy": "双方战略方向一致"} if "strategy" in ours else {},
            )
            if rng.random() < 0.5:
                theirs = {}
                for element in ELEMENTS:
                    base = ours.get(element, 3)
                    # the customer mostly agrees, sometimes sees it quite differently
                    shift = rng.choice([0, 0, -1, 1, -2]) if rng.random() < 0.8 else -3
                    theirs[element] = min(5, max(1, base + shift))
                canvas.customer_scores = theirs
                canvas.customer_answered_at = _at(today - timedelta(days=rng.randint(3, 60)), 15)
                answered.append(canvas)
            canvases.append(canvas)
    FitCanvas.objects.bulk_create(canvases)
    CustomerLink.objects.bulk_create(
        [
            CustomerLink(
                canvas=canvas,
                # a random token nobody holds: the demo's links show as answered
                token_hash=hashlib.sha256(rng.randbytes(32)).hexdigest(),
                created_at=canvas.customer_answered_at - timedelta(days=2),
                expires_at=canvas.customer_answered_at + timedelta(days=12),
                answered_at=canvas.customer_answered_at,
                answers=1,
            )
            for canvas in answered
        ]
    )
    return {"plans": len(plans), "canvases": len(canvases)}
