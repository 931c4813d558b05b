"""Demo leads (METHODOLOGY §3.1): about 200 over the last six months, in every state.

- new leads in the pool, and new or working leads held by reps (touched within the
  recycling period, so the daily sweep leaves them alone);
- leads that went back to the pool untouched, with their history (created, claimed,
  recycled) — some claimed again since;
- qualified leads linked to the demo's opportunities created in the period (same account,
  same owner, created a few days before the opportunity);
- rejected leads, each with its reason;

across every channel, need type and route (sizes below, between and above the bounds).
Deterministic from the seed; rows are written with ``bulk_create``.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from faker import Faker

from winroom.accounts.validators import normalize_phone
from winroom.deals.models import Deal
from winroom.leads.models import Lead, LeadChannel, LeadStatus
from winroom.methodology import leads as core
from winroom.org.models import CompanySettings, Role, User

DEFAULT_LEADS = 200
WINDOW_DAYS = 182

REJECTION_REASONS = [
    "预算不足，今年没有采购计划",
    "只是了解行情，暂无明确需求",
    "个人咨询，不是企业客户",
    "已与竞争对手签约，三年内不会更换",
    "联系方式无效，多次联系不上",
    "需求不在我们的产品范围内",
    "规模太小，建议走线上自助购买",
]
NEEDS = {
    "product": [
        "想采购一批数据采集终端，先要报价",
        "现有系统授权到期，考虑续费或更换",
        "需要增加二十个用户许可",
        "咨询标准版软件的功能和价格",
    ],
    "solution": [
        "工厂计划做数字化车间改造，需要整体方案",
        "多个分子公司的数据打通，想做统一平台",
        "质量追溯体系建设，要求与现有ERP集成",
    ],
    "strategic": [
        "集团层面寻找长期合作伙伴，共建行业解决方案",
        "希望联合申报省级智能制造示范项目",
    ],
}
SOURCES = ["春季工业展", "官网表单", "行业峰会", "公众号文章", "百度推广", "招标网站", ""]
TITLES = ["信息中心主任", "采购经理", "生产副总", "IT经理", "总经理助理", "设备部长", ""]

# status → share of the leads that are not qualified from an opportunity
SHARES = [
    ("pool", 0.16),
    ("held_new", 0.10),
    ("working", 0.22),
    ("recycled", 0.12),
    ("reclaimed", 0.06),
    ("rejected", 0.34),
]


def _size(rng: random.Random):
    roll = rng.random()
    if roll < 0.10:
        return None
    if roll < 0.40:
        return rng.choice([5_000, 8_000, 12_000, 15_000, 20_000])
    if roll < 0.80:
        return rng.randrange(25_000, 200_001, 5_000)
    return rng.randrange(250_000, 3_000_001, 50_000)


def _need(rng: random.Random) -> str:
    roll = rng.random()
    return "product" if roll < 0.7 else "solution" if roll < 0.92 else "strategic"


def _phone(fake) -> str:
    try:
        return normalize_phone(fake.phone_number())
    except ValidationError:
        return ""


def generate_leads(
    *, seed: int, count: int = DEFAULT_LEADS, now: datetime | None = None, history: bool = True
) -> int:
    """Write the demo leads (and, with ``history``, their history); returns how many."""
    rng = random.Random(seed * 7919 + 101)
    fake = Faker("zh_CN")
    fake.seed_instance(seed + 101)
    now = now or timezone.now()
    reps = list(User.objects.filter(role=Role.REP, is_active=True).order_by("username"))
    channels = list(LeadChannel.objects.order_by("name"))
    if not reps or count <= 0:
        return 0
    settings = CompanySettings.current()
    routing, recycle = settings.routing_rule(), settings.recycle_rule()
    start = now - timedelta(days=WINDOW_DAYS)
    linked = set(
        Lead.all_objects.exclude(qualified_deal=None).values_list("qualified_deal", flat=True)
    )
    deals = [
        deal
        for deal in Deal.objects.filter(created_at__gte=start + timedelta(days=10))
        .select_related("account")
        .order_by("pk")
        if deal.pk not in linked
    ]
    qualified_count = min(len(deals), round(count * 0.22))
    deals = rng.sample(deals, qualified_count)
    leads: list[Lead] = []
    story: list[tuple[Lead, str, User | None]] = []  # lead, kind, the rep who first held it

    def base(created, **fields) -> Lead:
        need = fields.pop("need_type", None) or _need(rng)
        size = fields.pop("expected_size", "unset")
        size = _size(rng) if size == "unset" else size
        decision = core.route_lead(expected_size=size, need_type=need, rule=routing)
        lead = Lead(
            company_name=fields.pop("company_name", None) or fake.company(),
            person_name=fake.name(),
            title=rng.choice(TITLES),
            phone=_phone(fake),
            need_type=need,
            need_description=rng.choice(NEEDS[need]),
            expected_size=size,
            source=rng.choice(SOURCES),
            channel=rng.choice(channels) if channels else None,
            route=str(decision.route),
            route_reason=decision.reason,
            created_at=created,
            updated_at=created,
            **fields,
        )
        leads.append(lead)
        return lead

    for deal in deals:
        created = deal.created_at - timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 9))
        touched = created + (deal.created_at - created) * rng.uniform(0.05, 0.6)
        lead = base(
            created,
            company_name=deal.account.name,
            expected_size=deal.amount or None,
            owner=deal.owner,
            status=LeadStatus.QUALIFIED,
            assigned_at=created,
            first_touched_at=touched,
            last_touched_at=deal.created_at,
            qualified_deal=deal,
            account=deal.account,
        )
        story.append((lead, "qualified", deal.owner))

    kinds = [kind for kind, share in SHARES for _n in range(round(share * (count - len(deals))))]
    for kind in kinds:
        rep = rng.choice(reps)
        if kind in ("held_new", "working"):
            # held and touched within the recycling period: the sweep keeps them
            days = rng.randint(0, recycle.untouched_days - 1)
            created = now - timedelta(days=days, hours=rng.randint(1, 20))
        else:
            created = start + timedelta(
                seconds=rng.randint(0, int((now - start).total_seconds()) - 86_400 * 20)
            )
        touched = created + timedelta(hours=rng.randint(1, 96))
        if kind == "pool":
            lead = base(created, owner=None, status=LeadStatus.NEW)
        elif kind == "held_new":
            lead = base(created, owner=rep, status=LeadStatus.NEW, assigned_at=created)
        elif kind == "working":
            touched = min(touched, now - timedelta(minutes=30))
            lead = base(
                created,
                owner=rep,
                status=LeadStatus.WORKING,
                assigned_at=created,
                first_touched_at=touched,
                last_touched_at=touched,
                notes=f"{timezone.localtime(touched):%Y-%m-%d %H:%M} {rep}: 电话沟通，约了下周演示",
            )
        elif kind in ("recycled", "reclaimed"):
            lead = base(created, owner=None, status=LeadStatus.RECYCLED)
            if kind == "reclaimed":
                # claimed again recently, after it went back: held within the period
                back = created + timedelta(days=recycle.untouched_days + 1, hours=2)
                recent = now - timedelta(days=rng.randint(1, max(1, recycle.untouched_days - 1)))
                again = max(back + timedelta(days=1), recent)
                lead.owner = rng.choice(reps)
                lead.status = LeadStatus.WORKING
                lead.assigned_at = again
                lead.first_touched_at = lead.last_touched_at = min(
                    again + timedelta(hours=rng.randint(1, 30)), now - timedelta(minutes=30)
                )
        else:  # rejected
            lead = base(
                created,
                owner=rep,
                status=LeadStatus.REJECTED,
                assigned_at=created,
                first_touched_at=touched,
                last_touched_at=touched,
                rejection_reason=rng.choice(REJECTION_REASONS),
            )
        story.append((lead, kind, rep))

    Lead.objects.bulk_create(leads, batch_size=500)
    if history:
        _write_history(story, recycle)
    return len(leads)


def _write_history(story, recycle: core.RecycleRule) -> None:
    """Created / claimed / recycled / claimed again / qualified or rejected, as it happened."""
    history = Lead.history.model
    names = [
        f.attname for f in Lead._meta.concrete_fields if f.attname not in ("updated_at", "version")
    ]
    rows = []

    def snap(lead, at, kind, user, reason=None, **values):
        state = {name: getattr(lead, name) for name in names}
        state.update(values)
        rows.append(
            history(
                **state,
                history_date=at,
                history_type=kind,
                history_user=user,
                history_change_reason=reason,
            )
        )

    for lead, kind, rep in story:
        created = lead.created_at
        if kind in ("recycled", "reclaimed"):
            held = {"owner_id": rep.pk, "assigned_at": created, "first_touched_at": None}
            snap(lead, created, "+", rep, **held, status=LeadStatus.NEW, last_touched_at=None)
            back = created + timedelta(days=recycle.untouched_days + 1, hours=2)
            snap(
                lead,
                back,
                "~",
                None,
                f"超过{recycle.untouched_days}天未跟进：退回线索池",
                owner_id=None,
                assigned_at=None,
                first_touched_at=None,
                last_touched_at=None,
                status=LeadStatus.RECYCLED,
            )
            if kind == "reclaimed":
                snap(
                    lead,
                    lead.assigned_at,
                    "~",
                    lead.owner,
                    "从线索池领取",
                    status=LeadStatus.NEW,
                    first_touched_at=None,
                    last_touched_at=None,
                )
                snap(lead, lead.first_touched_at, "~", lead.owner)
        elif kind in ("qualified", "rejected", "working"):
            opened = {"status": LeadStatus.NEW, "first_touched_at": None, "last_touched_at": None}
            snap(
                lead,
                created,
                "+",
                rep,
                **opened,
                qualified_deal_id=None,
                account_id=None,
                rejection_reason="",
                notes="",
            )
            snap(lead, lead.last_touched_at, "~", lead.owner)
        else:
            snap(lead, created, "+", rep if lead.owner_id else None)
    history.objects.bulk_create(rows, batch_size=500)
