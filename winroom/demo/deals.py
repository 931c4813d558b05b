"""Demo opportunities (商机): about 2.7 per account over the last 18 months, with everything
the deal room shows — stage history, milestones, compelling event, competitors and their
quotes, questionnaire versions with the manager's review, decision map with MNE, actions,
coaching reviews, requirement lists, value case, partner registrations and the weekly
win-rate curve.

The rows obey the rules of ``winroom.deals.actions`` without calling them (they work one
row at a time): a deal leaves stage 1 only with a compelling event, re-confirmed in every
stage it leaves; leaves stage 2 with internal approval and a team of two; leaves stage 3
with a value proposition, a competitive strategy and an open action; A/B deals pass every
stage while C/D/E deals may jump from stage 2 to 7; milestones are dated when their stage
was left; lost deals name a reason and the winner or "no decision"; questionnaires are
reviewed by the owner's manager; mapped people get the suggested relationship strategy (or
another one with a reason). The stored win rate and every weekly point are
``explain_win_rate`` applied to the answers valid at that moment, so they are exactly what
``win_rate_for`` gives on the stored rows.

Everything comes from its own random generator (seeded from the company's seed), so adding
deals leaves the accounts, people and activities of a seed unchanged. Rows are written
with ``winroom.demo.bulk`` per chunk of accounts.
"""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta
from decimal import Decimal
from random import Random
from time import perf_counter
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation

from winroom.accounts.models import TeamRole
from winroom.deals.assessment import bounds as grade_bounds
from winroom.deals.models import (
    Action,
    CompellingEvent,
    Competitor,
    CompetitorAssessment,
    Deal,
    DealCompetitor,
    DealEvent,
    DealMember,
    DealPerson,
    PartnerRegistration,
    ProductLine,
    Questionnaire,
    Quote,
    RequirementVersion,
    Review,
    Stage,
    WinRatePoint,
)
from winroom.methodology.grade import Grade, effective_grade
from winroom.methodology.strategy import (
    RelationshipStrategy,
    suggest_competitive_strategy,
    suggested_relationship_strategy,
)
from winroom.methodology.win_rate import PartyAssessment, WinRateInputs, explain_win_rate
from winroom.org.models import CompanySettings, Role, Team

from . import deal_data as dd
from .bulk import Inserter, first_free_id, reset_sequences

TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_DEALS_PER_ACCOUNT = 2.7
OPEN, WON, LOST, ABANDONED = "open", "won", "lost", "abandoned"
AM = TeamRole.ACCOUNT_MANAGER.value
SM = TeamRole.SOLUTION_MANAGER.value
DM = TeamRole.DELIVERY_MANAGER.value
Kind = DealEvent.Kind
# Ranks of the generator's org charts (top person … staff).
TOP, SECOND, VICE, HEAD, LEAD, STAFF = range(6)
STATUS_SCALE = ["strong_negative", "negative", "neutral", "positive", "strong_positive"]
#: typical days a deal of each grade spends in one stage
BASE_DAYS = {"a": 34, "b": 25, "c": 15, "d": 10, "e": 13}
#: deals per account by account status (relative)
STATUS_WEIGHT = {"active": 3.0, "target": 1.6, "dormant": 0.6}
#: how many weeks of weekly points a deal gets at most (plus the week it ends in)
CURVE_WEEKS = 40
#: a deal is stale after this many days without a stage change or activity (demo margin)
STALE_DAYS = 31
BIG_COMPETITORS = ["华为云", "西门子", "用友", "宝信软件", "鼎捷软件"]
#: the largest deal's story: when each competitor appears and each questionnaire version is
#: answered (fractions of its life so far), and the answers — (our fit, our closeness),
#: inside coach, each competitor's (fit, closeness). Its win rate climbs from 23% to 41%.
BIG_COMPETITOR_TIMES = [0.04, 0.15, 0.18, 0.40, 0.55]
BIG_SCRIPT = [
    (0.08, (3, 2), False, {"华为云": (4, 3)}),
    (0.22, (3, 3), False, {"华为云": (4, 3), "西门子": (4, 2), "用友": (3, 3)}),
    (0.35, (4, 3), True, {"华为云": (4, 4), "西门子": (4, 2), "用友": (3, 3)}),
    (0.50, (4, 4), True, {"华为云": (4, 4), "西门子": (3, 2), "用友": (3, 2), "宝信软件": (3, 3)}),
    (
        0.70,
        (5, 4),
        True,
        {
            "华为云": (4, 4),
            "西门子": (3, 2),
            "用友": (3, 2),
            "宝信软件": (2, 3),
            "鼎捷软件": (4, 3),
        },
    ),
    (
        0.90,
        (5, 4),
        True,
        {
            "华为云": (4, 5),
            "西门子": (3, 2),
            "用友": (2, 2),
            "宝信软件": (2, 3),
            "鼎捷软件": (3, 3),
        },
    ),
]
OUTCOME_WEIGHTS = [(OPEN, 56), (WON, 19), (LOST, 17), (ABANDONED, 8)]
DORMANT_OUTCOMES = [(WON, 35), (LOST, 40), (ABANDONED, 25)]
GRADE_WEIGHTS = [("a", 11), ("b", 29), ("c", 34), ("d", 19), ("e", 7)]
OPEN_STAGE_WEIGHTS = [16, 16, 17, 15, 13, 12, 11]
LOST_STAGE_WEIGHTS = [4, 8, 10, 12, 12, 30, 24]
ABANDONED_STAGE_WEIGHTS = [30, 25, 20, 15, 10, 0, 0]
COMPETITOR_COUNTS = {
    "a": [5, 25, 35, 25, 10],
    "b": [5, 25, 35, 25, 10],
    "c": [30, 35, 25, 10, 0],
    "d": [30, 35, 25, 10, 0],
    "e": [50, 40, 10, 0, 0],
}
STATUS_WORDS = {WON: "赢单", LOST: "输单", ABANDONED: "放弃"}


def monday(day):
    return day - timedelta(days=day.weekday())


def local_date(moment: datetime):
    return moment.astimezone(TZ).date()


def factors_json(result) -> list[dict]:
    """The factors as ``actions.refresh_win_rate`` stores them."""
    return [{"code": f.code, "value": str(f.value), "subject": f.subject} for f in result.factors]


def _pick(rng: Random, pairs):
    values = [v for v, _w in pairs]
    return rng.choices(values, weights=[w for _v, w in pairs])[0]


def _round_to(value: float, step: int) -> int:
    return max(step, round(value / step) * step)


def _history(row: dict, when, user_id, kind: str) -> dict:
    return {
        **row,
        "history_date": when,
        "history_user_id": user_id,
        "history_type": kind,
        "history_change_reason": None,
    }


class _Plan:
    """One deal while it is being planned (attributes are filled step by step)."""


class _Entry:
    """A competitor in one deal."""

    def __init__(self, pk, competitor, added):
        self.id = pk
        self.competitor = competitor
        self.name = competitor["name"]
        self.added = added


class _Version:
    """One questionnaire version."""

    def __init__(self, pk, at):
        self.id = pk
        self.at = at
        self.scores: dict[int, tuple[int, int]] = {}


class DealPlanner:
    """Plans the deals of each account (after its people and activities) and writes them."""

    def __init__(self, builder, *, seed: int, per_account: float):
        self.rng = Random(f"winroom-demo-deals-{seed}")
        self.say = builder.say
        self.now = builder.now
        self.today = builder.today
        self.window_start = builder.now - timedelta(days=builder.window)
        self.history = builder.history
        self.per_account = max(0.0, per_account)
        self.references = []
        self.seconds = 0.0  # time spent planning and writing deals
        stages = list(Stage.objects.order_by("number"))
        self.stage_ids = {s.number: s.pk for s in stages}
        with translation.override(settings.LANGUAGE_CODE):
            # Stage events hold the stage's name as the deal room reads it.
            self.stage_names = {s.number: str(s) for s in stages}
        self.enabled = self.per_account > 0 and sorted(self.stage_ids) == list(range(1, 8))
        if self.per_account > 0 and not self.enabled:
            self.say("  deals skipped: they need the default seven-stage template")
        self.users = {u.pk: u for u in builder.users.values()}
        self.region_of = {
            u.pk: region for region, users in builder.region_staff.items() for u in users
        }
        self.region_reps = {
            region: [u.pk for u in users] for region, users in builder.region_reps.items()
        }
        self.manager_of = self._managers()
        self.bounds = grade_bounds()
        company = CompanySettings.current()
        self.protection_days = getattr(company, "registration_protection_days", 90)
        self.id_models = [Competitor, Deal, DealCompetitor, Questionnaire]
        self.next_ids = {model: first_free_id(model) for model in self.id_models}
        self.tables = {
            "deal": Inserter(Deal),
            "deal_history": Inserter(Deal.history.model, with_pk=False),
            "member": Inserter(DealMember, with_pk=False),
            "line": Inserter(Deal.product_lines.through, with_pk=False),
            "event": Inserter(DealEvent, with_pk=False),
            "compelling": Inserter(CompellingEvent, with_pk=False),
            "competitor": Inserter(DealCompetitor),
            "quote": Inserter(Quote, with_pk=False),
            "questionnaire": Inserter(Questionnaire),
            "assessment": Inserter(CompetitorAssessment, with_pk=False),
            "person": Inserter(DealPerson, with_pk=False),
            "point": Inserter(WinRatePoint, with_pk=False),
            "action": Inserter(Action, with_pk=False),
            "review": Inserter(Review, with_pk=False),
            "registration": Inserter(PartnerRegistration, with_pk=False),
            "requirement": Inserter(RequirementVersion, with_pk=False),
        }
        self.rows: dict[str, list] = {name: [] for name in self.tables}
        self.registered: set[tuple[int, int]] = set()
        self.lines: dict[str, int] = {}
        self.library: list[dict] = []
        if self.enabled:
            self.lines = self._product_lines()
            self.library = self._competitor_library()
        self.health = self._health_rule()

    # ------------------------------------------------------------------ setup

    def new_id(self, model) -> int:
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value

    def _health_rule(self):
        """The stored health score's rule, where the deal model has one (``health_for``)."""
        from winroom.deals import assessment

        fields = {f.name for f in Deal._meta.concrete_fields}
        build = getattr(assessment, "build_health_inputs", None)
        standards = getattr(assessment, "company_standards", None)
        if "health_score" not in fields or build is None or standards is None:
            return None
        from winroom.methodology.health import explain_health

        return build, standards(), explain_health

    def _health_score(self, d):
        """``health_for`` on the rows planned: the same facts from memory."""
        build, standards, explain = self.health
        ce = d.ce
        live = ce is not None and not ce["row"]["withdrawn"]
        people = [
            SimpleNamespace(
                decision_role=m["row"]["decision_role"],
                relationship_status=m["row"]["relationship_status"],
                motivation=m["row"].get("motivation", ""),
                need=m["row"].get("need", ""),
                expectation=m["row"].get("expectation", ""),
            )
            for m in d.people
        ]
        versions = [
            SimpleNamespace(
                signed_off_on=v["signed_off_on"],
                is_change_request=v.get("is_change_request", False),
            )
            for v in sorted(d.requirements, key=lambda v: -v["number"])
        ]
        inputs = build(
            latest=SimpleNamespace(has_inside_coach=d.qs[-1].coach) if d.qs else None,
            people=people,
            live_event=SimpleNamespace(due_on=ce["row"]["due_on"]) if live else None,
            facts=SimpleNamespace(
                compelling_event_confirmed_this_stage=live
                and ce["row"]["confirmed_in_stage"] >= d.stage
            ),
            requirement_versions=versions,
        )
        return explain(inputs, d.stage, standards).score

    def _managers(self) -> dict[int, int]:
        """Each user's manager: of their team, or of the nearest parent team with another one."""
        parent, manager = {}, {}
        for pk, parent_id, manager_id in Team.objects.values_list("pk", "parent_id", "manager_id"):
            parent[pk], manager[pk] = parent_id, manager_id
        result = {}
        for user in self.users.values():
            team, seen = user.team_id, set()
            while team is not None and team not in seen:
                seen.add(team)
                boss = manager.get(team)
                if boss is not None and boss != user.pk:
                    result[user.pk] = boss
                    break
                team = parent.get(team)
        return result

    def _product_lines(self) -> dict[str, int]:
        lines = dict(ProductLine.objects.values_list("name", "pk"))
        missing = [name for name in dd.PRODUCT_LINES if name not in lines]
        if missing:
            ProductLine.objects.bulk_create([ProductLine(name=name) for name in missing])
            lines = dict(ProductLine.objects.values_list("name", "pk"))
        return lines

    def _competitor_library(self) -> list[dict]:
        """The library's competitors (added when missing, with their "created" history)."""
        existing = dict(Competitor.all_objects.values_list("name", "pk"))
        created_at = self.window_start - timedelta(days=60)
        rows = []
        library = []
        for entry in dd.COMPETITORS:
            pk = existing.get(entry["name"])
            if pk is None:
                pk = self.new_id(Competitor)
                rows.append(
                    {
                        "id": pk,
                        "name": entry["name"],
                        "facts": entry["facts"],
                        "core_partners": entry["core_partners"],
                        "key_events": entry["key_events"],
                        "notes": entry["notes"],
                        "created_at": created_at,
                        "updated_at": created_at,
                    }
                )
            library.append({**entry, "id": pk})
        Inserter(Competitor).insert(rows)
        if self.history:
            Inserter(Competitor.history.model, with_pk=False).insert(
                _history(row, created_at, None, "+") for row in rows
            )
        return library

    def allocate(self, plans: list[dict]) -> list[int]:
        """Deals per account plan; marks the plan that gets the largest deal."""
        counts = [0] * len(plans)
        total = round(len(plans) * self.per_account)
        if not self.enabled or total < 1:
            return counts
        big = next((i for i, p in enumerate(plans) if p["flagship"]), None)
        if big is None:
            big = max(
                range(len(plans)),
                key=lambda i: (plans[i]["row"]["status"] != "dormant", plans[i]["size"]),
            )
        plans[big]["big_deal"] = True
        weights = [
            STATUS_WEIGHT.get(p["row"]["status"], 1.0) * (0.6 + min(p["size"], 60) / 40)
            for p in plans
        ]
        for index in self.rng.choices(range(len(plans)), weights=weights, k=total - 1):
            counts[index] += 1
        counts[big] += 1
        return counts

    # --------------------------------------------------------------- planning

    def plan_account(self, p: dict, activities: list[dict], count: int) -> None:
        """Plan ``count`` deals at account plan ``p`` (people known, activities planned)."""
        if not count:
            return
        started = perf_counter()
        names: set[str] = set()
        deals = [
            self._plan(p, big=index == 0 and p.get("big_deal", False)) for index in range(count)
        ]
        for d in deals:
            d.name = self._unique_name(d, names)
        self._link_activities(deals, activities)
        for d in deals:
            self._finish(d)
        self.seconds += perf_counter() - started

    def _plan(self, p: dict, *, big: bool) -> _Plan:
        d = _Plan()
        d.p = p
        d.id = self.new_id(Deal)
        d.big = big
        d.log = []  # (at, kind, by, old, new, detail, cause)
        self._spec(d)
        self._team(d)
        self._timeline(d)
        self._products(d)
        self._compelling(d)
        self._competitors(d)
        self._map(d)
        self._questionnaires(d)
        self._milestones(d)
        self._actions(d)
        self._reviews(d)
        self._requirements(d)
        self._registration(d)
        self._closing(d)
        return d

    def _spec(self, d):
        rng, p = self.rng, d.p
        account = p["row"]
        status = account["status"]
        d.earliest = max(self.window_start, account["created_at"] + timedelta(days=1))
        d.end_limit = self.now - timedelta(hours=1)
        if status == "dormant":
            quiet = datetime.combine(p["last_day"] + timedelta(days=30), time(18), tzinfo=TZ)
            d.end_limit = min(d.end_limit, max(d.earliest + timedelta(days=20), quiet))
        room = (d.end_limit - d.earliest).total_seconds() / 86400
        if d.big:
            d.status = OPEN
        elif status == "dormant":
            d.status = _pick(rng, DORMANT_OUTCOMES)
        elif room < 45:
            d.status = OPEN
        else:
            d.status = _pick(rng, OUTCOME_WEIGHTS)
        # Grade and amount (bounds are the company's).
        a, b, c = float(self.bounds.a), float(self.bounds.b), float(self.bounds.c)
        kind = "a" if d.big else _pick(rng, GRADE_WEIGHTS)
        d.partner_led = kind == "e"
        if d.big:
            amount = _round_to(a * rng.uniform(5.2, 5.8), 100_000)
        elif kind == "a":
            amount = _round_to(math.exp(rng.uniform(math.log(a), math.log(a * 5))), 100_000)
        elif kind == "b":
            amount = _round_to(math.exp(rng.uniform(math.log(b), math.log(a))), 10_000)
        elif kind == "c":
            amount = _round_to(math.exp(rng.uniform(math.log(c), math.log(b))), 10_000)
        elif kind == "d":
            amount = _round_to(math.exp(rng.uniform(math.log(c / 5), math.log(c))), 1_000)
        else:
            amount = _round_to(math.exp(rng.uniform(math.log(c * 0.75), math.log(b * 3))), 10_000)
        amount = min(max(amount, 1_000), 10**13)
        # Keep the amount inside its band after rounding.
        if kind == "a":
            amount = max(amount, math.ceil(a))
        elif kind == "b":
            amount = min(max(amount, math.ceil(b)), math.ceil(a) - 10_000)
        elif kind == "c":
            amount = min(max(amount, math.ceil(c)), math.ceil(b) - 10_000)
        elif kind == "d":
            amount = min(amount, math.ceil(c) - 1_000)
        d.amount = Decimal(amount)
        d.override, d.override_reason = "", ""
        if kind == "c" and not d.partner_led and rng.random() < 0.04:
            d.override, d.override_reason = "b", "集团标杆客户，示范意义大，按B级全流程运作"
        decision = effective_grade(
            amount=d.amount,
            override=Grade(d.override) if d.override else None,
            partner_led=d.partner_led,
            bounds=self.bounds,
        )
        d.grade = decision.grade.value
        # How far it got.
        if d.big:
            final = 5
        elif d.status == OPEN:
            final = rng.choices(range(1, 8), weights=OPEN_STAGE_WEIGHTS)[0]
        elif d.status == WON:
            final = 7
        elif d.status == LOST:
            final = rng.choices(range(1, 8), weights=LOST_STAGE_WEIGHTS)[0]
        else:
            final = rng.choices(range(1, 8), weights=ABANDONED_STAGE_WEIGHTS)[0]
        path = list(range(1, final + 1))
        if final == 7 and d.grade not in ("a", "b") and rng.random() < 0.45:
            path = [1, 2, 7]  # the fast track
        while len(path) > 1 and room < 3 * len(path):
            path.pop()
        if d.status == WON and path[-1] != 7:
            d.status = OPEN
        d.path = path
        d.stage = path[-1]
        # A compelling event is needed to leave stage 1; some early deals have none yet.
        d.has_ce = d.stage > 1 or rng.random() < (0.55 if d.status == OPEN else 0.5)
        withdraw_chance = {OPEN: 0.04 if d.stage > 1 else 0.03, ABANDONED: 0.35}
        d.withdraw = d.has_ce and not d.big and rng.random() < withdraw_chance.get(d.status, 0)

    def _team(self, d):
        rng, p = self.rng, d.p
        team = p["team"]
        owner = team[0][0]
        reps = [uid for uid, _role in team if self._role(uid) == Role.REP]
        if len(reps) > 1 and not d.big and rng.random() < 0.08:
            owner = rng.choice(reps[1:] if reps[0] == owner else reps)
        members = [(owner, AM)]
        taken = {owner}
        region_pool = [u for u in self.region_reps.get(self.region_of.get(owner), []) if u != owner]
        left_two = any(stage > 2 for stage in d.path)
        # Deal teams are made of reps (managers coach and review, they do not sell here),
        # preferably the account team's own.
        if left_two or d.big or rng.random() < 0.5:
            pool = [u for u, role in team if role == SM and u not in taken and u in reps]
            pool = pool or [u for u in reps if u not in taken] or region_pool
            pool = pool or [u for u, user in self.users.items() if u != owner and user.team_id]
            if pool:
                chosen = rng.choice(pool)
                members.append((chosen, SM))
                taken.add(chosen)
        if (d.stage >= 4 or d.status == WON or d.big) and (d.big or rng.random() < 0.4):
            pool = [u for u, role in team if role == DM and u not in taken and u in reps]
            pool = pool or [u for u in region_pool if u not in taken]
            if pool:
                chosen = rng.choice(pool)
                members.append((chosen, DM))
                taken.add(chosen)
        d.owner = owner
        d.members = members
        d.member_ids = {uid for uid, _role in members}
        d.manager = self.manager_of.get(owner)

    def _role(self, user_id):
        user = self.users.get(user_id)
        return user.role if user is not None else None

    def _timeline(self, d):
        rng = self.rng
        base = BASE_DAYS[d.grade]
        exits = len(d.path) - 1
        durations = [max(2.0, base * rng.lognormvariate(0, 0.45)) for _ in range(exits)]
        if d.path == [1, 2, 7]:
            durations[1] *= 1.5
        room = (d.end_limit - d.earliest).total_seconds() / 86400
        if d.big:
            durations, dwell = [38.0, 62.0, 95.0, 77.0], 18.0
        elif d.status == OPEN:
            stale = rng.random() < 0.22
            dwell = rng.uniform(STALE_DAYS, 140) if stale else rng.uniform(0.1, 26)
            dwell = min(dwell, room * 0.5)
        else:
            dwell = max(1.0, base * rng.lognormvariate(0, 0.5))
        total = sum(durations) + dwell
        if total > room * 0.95:
            factor = room * 0.95 / total
            durations = [x * factor for x in durations]
            dwell *= factor
            total = room * 0.95
        if d.status == OPEN:
            last = self.now - timedelta(days=dwell)
            closed = None
        else:
            closed = d.end_limit - timedelta(days=rng.uniform(0, max(0.0, room - total)))
            last = closed - timedelta(days=dwell)
        entries = [last]
        for duration in reversed(durations):
            entries.insert(0, entries[0] - timedelta(days=duration))
        moments = entries + ([closed] if closed else [])
        snapped = []
        for index, moment in enumerate(moments):
            low = snapped[-1] + timedelta(minutes=20) if snapped else d.earliest
            high = moments[index + 1] if index + 1 < len(moments) else self.now
            snapped.append(self._office(moment, low, high))
        d.entries = snapped[: len(entries)]
        d.created = d.entries[0]
        d.closed = snapped[-1] if closed else None
        d.end = d.closed or self.now
        d.exit_at = {stage: d.entries[i + 1] for i, stage in enumerate(d.path[:-1])}
        d.entered = dict(zip(d.path, d.entries, strict=True))
        d.stale = d.status == OPEN and self.now - d.entries[-1] >= timedelta(days=STALE_DAYS)
        d.log.append((d.created, Kind.CREATED, d.owner, "", self.stage_names[1], "", "商机创建"))
        for i in range(1, len(d.path)):
            old, new = self.stage_names[d.path[i - 1]], self.stage_names[d.path[i]]
            by = d.owner if self.rng.random() < 0.85 else self.rng.choice(sorted(d.member_ids))
            d.log.append((d.entries[i], Kind.STAGE, by, old, new, "", f"阶段推进：{old} → {new}"))
        d.expected_close = self._expected_close(d)

    def _expected_close(self, d):
        rng = self.rng
        if d.closed:
            return local_date(d.closed) + timedelta(days=rng.randint(-20, 10))
        if rng.random() < 0.12:
            return self.today - timedelta(days=rng.randint(3, 40))  # slipped
        remaining = 8 - d.stage
        days = remaining * BASE_DAYS[d.grade] * rng.uniform(0.6, 1.3) + 7
        return self.today + timedelta(days=round(days))

    def _office(self, moment, low, high):
        """``moment`` moved to office hours of its day when that stays in (low, high)."""
        moment = moment.astimezone(TZ)
        candidate = moment.replace(
            hour=self.rng.randint(9, 17),
            minute=self.rng.randrange(60),
            second=self.rng.randrange(60),
            microsecond=0,
        )
        if low < candidate < high:
            return candidate
        moment = moment.replace(microsecond=0)
        return moment if moment > low else low + timedelta(seconds=1)

    def _between(self, low, high):
        if high <= low:
            return low
        return self._office(low + (high - low) * self.rng.random(), low, high)

    def _products(self, d):
        rng, p = self.rng, d.p
        account_lines = []
        for product in p["products"]:
            line = dd.LINE_OF_PRODUCT.get(product)
            if line and line not in account_lines:
                account_lines.append(line)
        if d.big:
            chosen = ["智云MES", "工业数据中台", "APS高级排程"]
        else:
            chosen = [rng.choice(account_lines or list(dd.PRODUCT_LINES))]
            if rng.random() < 0.3:
                others = [line for line in dd.PRODUCT_LINES if line not in chosen]
                chosen.append(rng.choice(others))
        d.line_names = chosen
        short = p["row"]["name"]
        for suffix in dd.NAME_SUFFIXES:
            if short.endswith(suffix) and len(short) > len(suffix) + 1:
                short = short[: -len(suffix)]
                break
        d.short_name = short
        if d.big:
            d.name = f"{short}智能工厂MES与数据中台一体化项目"
            return
        d.name = self._deal_name(short, chosen)

    def _deal_name(self, short, lines):
        patterns = [
            pair for pair in dd.DEAL_NAME_PATTERNS if len(lines) > 1 or "{line2}" not in pair[0]
        ]
        second = lines[1] if len(lines) > 1 else lines[0]
        return _pick(self.rng, patterns).format(
            short=short, line=dd.LINE_SHORT[lines[0]], line2=dd.LINE_SHORT[second]
        )

    def _unique_name(self, d, names):
        """Deal names are unique within an account (another wording, then a year)."""
        name = d.name
        for _attempt in range(12):
            if name not in names:
                break
            name = self._deal_name(d.short_name, d.line_names)
        else:
            year = local_date(d.created).year
            name, number = f"{d.name}（{year}）", 2
            while name in names:
                name = f"{d.name}（{year}-{number}）"
                number += 1
        names.add(name)
        return name[:200]

    def _compelling(self, d):
        rng = self.rng
        d.ce = None
        if not d.has_ce:
            return
        first_exit = d.entries[1] if len(d.entries) > 1 else d.end
        recorded = self._between(
            d.created, d.created + (first_exit - d.created) * rng.uniform(0.1, 0.7)
        )
        confirmations = [(recorded, 1)]
        for i, stage in enumerate(d.path[1:], start=1):
            entered = d.entries[i]
            if i < len(d.path) - 1:
                leave = d.entries[i + 1]
                confirmations.append(
                    (self._between(entered + (leave - entered) * 0.4, leave), stage)
                )
            elif rng.random() < (0.6 if d.status == OPEN else 0.7):
                confirmations.append((self._between(entered, d.end), stage))
        withdrawn_at = None
        if d.withdraw:
            withdrawn_at = self._between(max(confirmations[-1][0], d.entries[-1]), d.end)
        template, days = rng.choice(dd.COMPELLING_EVENTS)
        due = local_date(d.created) + timedelta(days=round(days * rng.uniform(0.7, 1.3)))
        if d.status == OPEN and not withdrawn_at and due < self.today + timedelta(days=14):
            due = self.today + timedelta(days=rng.randint(20, 200))
        description = template.format(month=due.month, line=d.line_names[0], n=rng.randint(2, 6))
        d.ce = {
            "recorded": recorded,
            "withdrawn_at": withdrawn_at,
            "row": {
                "deal_id": d.id,
                "description": description,
                "due_on": due,
                "evidence": rng.choice(dd.COMPELLING_EVIDENCE),
                "confirmed_by_id": d.owner,
                "confirmed_at": confirmations[-1][0],
                "confirmed_in_stage": confirmations[-1][1],
                "withdrawn": withdrawn_at is not None,
            },
        }
        d.log.append(
            (
                recorded,
                Kind.COMPELLING_EVENT,
                d.owner,
                "",
                description,
                "",
                f"记录必要条件：{description}",
            )
        )
        for at, stage in confirmations[1:]:
            d.log.append(
                (
                    at,
                    Kind.COMPELLING_EVENT,
                    d.owner,
                    "",
                    description,
                    "confirmed",
                    f"必要条件再确认（{self.stage_names[stage]}）",
                )
            )
        if withdrawn_at:
            note = rng.choice(dd.WITHDRAWN_NOTES)
            d.log.append(
                (
                    withdrawn_at,
                    Kind.COMPELLING_EVENT,
                    d.owner,
                    "",
                    description,
                    "withdrawn",
                    f"必要条件不再成立：{note}",
                )
            )

    def _competitors(self, d):
        rng, p = self.rng, d.p
        industry = p["row"]["industry"]
        if d.big:
            count = 5
        else:
            count = rng.choices(range(5), weights=COMPETITOR_COUNTS[d.grade])[0]
            if d.status == LOST and count == 0 and rng.random() < 0.8:
                count = 1
        count = min(count, len(self.library))
        pool = list(self.library)
        picked = []
        if d.big:
            picked = [c for name in BIG_COMPETITORS for c in pool if c["name"] == name]
            pool = [c for c in pool if c not in picked]
        while len(picked) < count and pool:
            weights = [c["industries"].get(industry, 1.0) for c in pool]
            choice = rng.choices(range(len(pool)), weights=weights)[0]
            picked.append(pool.pop(choice))
        picked = picked[:count]
        d.sole_source = not picked and rng.random() < 0.5
        life = d.end - d.created
        times = []
        for index in range(len(picked)):
            low, high = (0.02, 0.3) if index == 0 else (0.05, 0.7)
            if d.big and index < len(BIG_COMPETITOR_TIMES):
                low = BIG_COMPETITOR_TIMES[index] - 0.01
                high = BIG_COMPETITOR_TIMES[index] + 0.01
            times.append(self._between(d.created + life * low, d.created + life * high))
        times.sort()
        d.comps = []
        people = [x["row"] for x in p["people"] if x["weight"] > 0] or [
            x["row"] for x in p["people"]
        ]
        for competitor, added in zip(picked, times, strict=True):
            entry = _Entry(self.new_id(DealCompetitor), competitor, added)
            who = rng.choice(people) if people else None
            relationships = rng.choice(dd.DC_RELATIONSHIPS)
            relationships = (
                relationships.format(name=who["name"], title=who["title"]) if who else ""
            )
            detailed = d.grade in ("a", "b") and d.stage >= 3
            entry.row = {
                "id": entry.id,
                "deal_id": d.id,
                "competitor_id": competitor["id"],
                "relationships": relationships,
                "notes": rng.choice(dd.DC_NOTES),
                "solution_comparison": rng.choice(dd.SOLUTION_COMPARISONS) if detailed else "",
                "relationship_comparison": (
                    rng.choice(dd.RELATIONSHIP_COMPARISONS) if detailed else ""
                ),
                "strength_comparison": rng.choice(dd.STRENGTH_COMPARISONS) if detailed else "",
                "added_at": added,
            }
            quotes = []
            base = float(d.amount) * rng.uniform(0.75, 1.2)
            for at in sorted(self._between(added, d.end) for _ in range(rng.randint(1, 3))):
                quotes.append(
                    {
                        "deal_competitor_id": entry.id,
                        "amount": Decimal(_round_to(base, 1000)),
                        "quoted_on": local_date(at),
                        "source": self._quote_source(d, at),
                        "recorded_by_id": d.owner,
                    }
                )
                base *= rng.uniform(0.85, 0.98)
            entry.quotes = quotes
            d.comps.append(entry)
            d.log.append(
                (added, Kind.COMPETITOR, d.owner, "", entry.name, "", f"新增竞争对手：{entry.name}")
            )
        d.winner = None
        d.no_decision = False
        if d.status == LOST:
            if d.comps and rng.random() < 0.85:
                d.winner = rng.choice(d.comps)
            else:
                d.no_decision = True

    def _quote_source(self, d, at):
        """Where we learned a quote; the bid-opening record only once bidding started."""
        bidding = d.entered.get(6)
        if bidding is not None and at >= bidding and self.rng.random() < 0.5:
            return dd.BID_OPENING_SOURCE
        return self.rng.choice(dd.QUOTE_SOURCES)

    def _map(self, d):
        """The decision map: people of the account with roles, per-deal status, strategy, MNE."""
        rng, p = self.rng, d.p
        people = p["people"]
        if d.big:
            count = 30
        elif d.grade in ("a", "b"):
            count = rng.randint(0, 3) if d.stage == 1 else rng.randint(3, 8)
        elif d.grade in ("c", "d"):
            count = rng.randint(3, 5) if rng.random() < 0.4 else 0
        else:
            count = 3 if rng.random() < 0.2 else 0
        count = min(count, len(people))
        d.people = []
        if not count:
            return
        # The approver (sometimes still missing), one or two decision makers, then the people
        # our team deals with most.
        chosen, fixed = [], {}
        no_approver = not d.big and count < 10 and rng.random() < 0.2
        if not no_approver:
            tops = [x for x in people if x["rank"] <= SECOND]
            if tops:
                chosen.append(rng.choice(tops))
                fixed[id(chosen[-1])] = "approver"
        deciders = [x for x in people if x["rank"] in (VICE, HEAD) and x not in chosen]
        wanted = 0 if rng.random() < 0.1 and not d.big else 2 if count >= 6 else 1
        for person in rng.sample(deciders, min(wanted, len(deciders), count - len(chosen))):
            chosen.append(person)
            fixed[id(person)] = "decision_maker"
        pool = [x for x in people if x not in chosen and not (no_approver and x["rank"] <= SECOND)]
        weights = [x["weight"] + 0.3 for x in pool]
        while len(chosen) < count and pool:
            index = rng.choices(range(len(pool)), weights=weights)[0]
            chosen.append(pool.pop(index))
            weights.pop(index)
        chosen.sort(key=lambda x: x["rank"])
        approver_taken = False
        mne_chance = min(0.85, 0.1 + 0.1 * d.stage + (0.1 if d.grade in ("a", "b") else 0))
        if d.big:
            mne_chance = 0.7
        life = d.end - d.created
        for person in chosen:
            rank = person["rank"]
            if id(person) in fixed:
                role = fixed[id(person)]
                approver_taken = approver_taken or role == "approver"
            elif rank <= SECOND and not approver_taken and not no_approver:
                role, approver_taken = "approver", True
            elif rank <= VICE:
                role = "decision_maker"
            elif rank == HEAD:
                role = "decision_maker" if rng.random() < 0.3 else "evaluator"
            elif rank == LEAD:
                role = "evaluator" if rng.random() < 0.6 else "user"
            else:
                role = "user" if rng.random() < 0.7 else "evaluator"
            if id(person) not in fixed and rng.random() < 0.08:
                role = ""
            status = self._deal_status(person["row"]["relationship_status"], d.status)
            row = {
                "deal_id": d.id,
                "contact_id": person["row"]["id"],
                "decision_role": role,
                "inside_coach": False,
                "relationship_status": status,
            }
            self._strategy(row)
            if rng.random() < mne_chance:
                row["motivation"] = rng.choice(dd.MOTIVATIONS)
                row["need"] = rng.choice(dd.NEEDS)
                row["expectation"] = rng.choice(dd.EXPECTATIONS)
            elif rng.random() < 0.25:
                row["need"] = rng.choice(dd.NEEDS)
            at = self._between(d.created + life * 0.03, d.end)
            name = person["row"]["name"]
            d.log.append((at, Kind.DECISION_MAP, d.owner, "", name, "", f"决策地图：新增 {name}"))
            d.people.append({"row": row, "person": person, "at": at})

    def _deal_status(self, status, outcome):
        rng = self.rng
        level = STATUS_SCALE.index(status) if status in STATUS_SCALE else 2
        if outcome == WON and rng.random() < 0.4:
            level += 1
        elif outcome == LOST and rng.random() < 0.3:
            level -= 1
        elif rng.random() < 0.15:
            level += rng.choice((-1, 1))
        return STATUS_SCALE[min(4, max(0, level))]

    def _strategy(self, row):
        suggested = str(suggested_relationship_strategy(row["relationship_status"]))
        row["strategy"], row["strategy_reason"] = suggested, ""
        if self.rng.random() < 0.06:
            others = [s.value for s in RelationshipStrategy if s.value != suggested]
            row["strategy"] = self.rng.choice(others)
            row["strategy_reason"] = self.rng.choice(dd.STRATEGY_REASONS)

    def _questionnaires(self, d):
        rng = self.rng
        life_days = (d.end - d.created).total_seconds() / 86400
        if d.big:
            count = 6
        elif d.grade in ("a", "b"):
            if life_days < 10 or (d.status == OPEN and d.stage <= 2 and rng.random() < 0.15):
                count = 0
            else:
                count = min(6, 1 + int(life_days / 45) + rng.randint(0, 1))
        elif d.grade in ("c", "d"):
            count = rng.randint(1, 2) if life_days >= 14 and rng.random() < 0.5 else 0
        else:
            count = 1 if life_days >= 14 and rng.random() < 0.2 else 0
        d.qs = []
        if not count:
            return
        life = d.end - d.created
        first = self._between(d.created + life * 0.03, d.created + life * 0.3)
        if d.big:
            times = [
                self._between(d.created + life * (f - 0.015), d.created + life * (f + 0.015))
                for f, *_answers in BIG_SCRIPT
            ]
        else:
            times = [first] + [self._between(first, d.end) for _ in range(count - 1)]
        times.sort()
        for i in range(1, len(times)):
            if times[i] <= times[i - 1]:
                times[i] = times[i - 1] + timedelta(minutes=30)
        times = [t for t in times if t <= d.end]
        count = len(times)
        # Answers move from a starting impression toward how the deal really stands.
        if d.status == WON:
            target = (rng.randint(4, 5), rng.randint(4, 5))
        elif d.status == LOST:
            target = (rng.randint(2, 4), rng.randint(2, 3))
        elif d.status == ABANDONED:
            target = (rng.randint(2, 3), rng.randint(1, 3))
        elif d.stage >= 5:
            target = (rng.randint(3, 5), rng.randint(3, 5))
        else:
            target = (rng.randint(2, 5), rng.randint(2, 5))
        start = (rng.randint(2, 4), rng.randint(1, 3))
        fits = self._series(count, start[0], target[0])
        closeness = self._series(count, start[1], target[1])
        coach_goal = {WON: 0.85, LOST: 0.3, ABANDONED: 0.15}.get(
            d.status, 0.55 if d.grade in ("a", "b") else 0.3
        )
        coach_end = d.big or rng.random() < coach_goal
        coach_start = rng.random() < 0.25 and coach_end
        switch = 3 if d.big else rng.randint(0, count - 1)
        series = {}
        for entry in d.comps:
            if entry is d.winner:
                goal = (rng.randint(4, 5), rng.randint(4, 5))
            elif d.status == WON:
                goal = (rng.randint(2, 4), rng.randint(1, 3))
            else:
                goal = (rng.randint(2, 5), rng.randint(1, 4))
            begin = (rng.randint(2, 4), rng.randint(2, 4))
            series[entry.id] = (
                self._series(count, begin[0], goal[0]),
                self._series(count, begin[1], goal[1]),
            )
        coach_contact = self._coach(d) if coach_end or coach_start else None
        previous = None
        for i, at in enumerate(times):
            q = _Version(self.new_id(Questionnaire), at)
            q.fit, q.close = fits[i], closeness[i]
            q.coach = coach_end if i >= switch else coach_start
            if d.big:
                _f, (q.fit, q.close), q.coach, script = BIG_SCRIPT[i]
                q.scores = {
                    e.id: script[e.name] for e in d.comps if e.added <= at and e.name in script
                }
            for entry in d.comps:
                if d.big or entry.added > at:
                    continue
                recent = at - entry.added < timedelta(days=10)
                if recent and rng.random() < 0.35 and not d.big:
                    continue  # not assessed yet: the competitors count as unknown
                fit_series, close_series = series[entry.id]
                q.scores[entry.id] = (fit_series[i], close_series[i])
            by = d.owner if rng.random() < 0.85 else rng.choice(sorted(d.member_ids))
            reviewed_by, reviewed_at = None, None
            if d.manager and rng.random() < 0.78:
                reviewed_by = d.manager
                reviewed_at = self._between(at, min(at + timedelta(days=4), d.end))
            q.row = {
                "id": q.id,
                "deal_id": d.id,
                "has_inside_coach": q.coach,
                "inside_coach_id": coach_contact if q.coach else None,
                "our_fit": q.fit,
                "our_closeness": q.close,
                "answered_by_id": by,
                "answered_at": at,
                "reviewed_by_id": reviewed_by,
                "reviewed_at": reviewed_at,
            }
            summary, first_time = self._summary(d, previous, q)
            prefix = "首次问卷：" if first_time else "问卷更新："
            d.log.append((at, Kind.QUESTIONNAIRE, by, "", summary, "", prefix + summary))
            d.qs.append(q)
            previous = q
        if d.qs and d.qs[-1].coach and coach_contact:
            for mapped in d.people:
                if mapped["row"]["contact_id"] == coach_contact:
                    mapped["row"]["inside_coach"] = True

    def _series(self, count, start, target):
        values = []
        for i in range(count):
            fraction = i / (count - 1) if count > 1 else 0.6
            value = round(start + (target - start) * fraction + self.rng.gauss(0, 0.45))
            values.append(min(5, max(1, value)))
        return values

    def _coach(self, d):
        """The inside coach: a mapped supporter (made positive if nobody is)."""
        if not d.people:
            return None
        friends = [
            m
            for m in d.people
            if m["row"]["relationship_status"] in ("positive", "strong_positive")
        ]
        if not friends:
            friends = [m for m in d.people if m["person"]["rank"] >= HEAD] or d.people
            chosen = self.rng.choice(friends)
            chosen["row"]["relationship_status"] = "positive"
            self._strategy(chosen["row"])
            return chosen["row"]["contact_id"]
        return self.rng.choice(friends)["row"]["contact_id"]

    def _summary(self, d, previous, q):
        """What the version says (first) or changed (later), as the deal room words it."""
        coach = "有" if q.coach else "无"
        if previous is None:
            parts = [f"我方 需求满足度 {q.fit}、关系紧密度 {q.close}，内线 {coach}"]
            for entry in d.comps:
                if entry.id in q.scores:
                    fit, close = q.scores[entry.id]
                    parts.append(f"{entry.name} 需求满足度 {fit}、关系紧密度 {close}")
            return "；".join(parts), True
        parts = []
        if previous.fit != q.fit:
            parts.append(f"我方 需求满足度 {previous.fit} → {q.fit}")
        if previous.close != q.close:
            parts.append(f"我方 关系紧密度 {previous.close} → {q.close}")
        if previous.coach != q.coach:
            parts.append(f"内线 {'有' if previous.coach else '无'} → {coach}")
        for entry in d.comps:
            if entry.id not in q.scores:
                continue
            fit, close = q.scores[entry.id]
            old = previous.scores.get(entry.id)
            if old is None:
                parts.append(f"{entry.name} 需求满足度 – → {fit}、关系紧密度 – → {close}")
                continue
            if old[0] != fit:
                parts.append(f"{entry.name} 需求满足度 {old[0]} → {fit}")
            if old[1] != close:
                parts.append(f"{entry.name} 关系紧密度 {old[1]} → {close}")
        return "；".join(parts) or "答案未变", False

    def _milestones(self, d):
        """Milestone fields with the moment each was recorded (for the history rows)."""
        rng = self.rng
        m: dict[str, tuple] = {}
        current_since = d.entries[-1]
        if 2 in d.exit_at:
            leave = d.exit_at[2]
            approved = self._between(max(d.entered[2], leave - timedelta(days=5)), leave)
            m["internal_approved_on"] = (local_date(approved), leave)
        elif d.stage == 2 and rng.random() < 0.4:
            at = self._between(current_since, d.end)
            m["internal_approved_on"] = (local_date(at), at)
        drafted = None
        if 3 in d.exit_at:
            drafted = d.exit_at[3]
        elif d.stage == 3 and rng.random() < 0.5:
            drafted = self._between(current_since, d.end)
        d.strategy_at = drafted
        if drafted is not None:
            result = explain_win_rate(self._inputs(d, drafted))
            assessed = [c for c in result.inputs.competitors if c.strength is not None]
            best = max(assessed, key=lambda c: c.strength or 0) if assessed else None
            suggestion = suggest_competitive_strategy(
                rank=result.rank,
                s_us=result.inputs.us.strength,
                s_best_competitor=best.strength if best else None,
                has_coach=result.inputs.has_inside_coach,
                our_fit=result.inputs.us.fit,
                best_competitor_fit=best.fit if best else None,
            )
            strategy = str(suggestion.strategy)
            pain = rng.choice(dd.PAINS)
            line = "、".join(d.line_names)
            proposition = rng.choice(dd.VALUE_PROPOSITIONS).format(
                pain=pain,
                line=line,
                months=rng.randint(6, 18),
                pct=rng.randint(8, 25),
                saving=_round_to(float(d.amount) / 10_000 * rng.uniform(0.3, 0.8), 5),
            )
            m["value_proposition"] = (proposition, drafted)
            m["competitive_strategy"] = (strategy, drafted)
            m["tactics"] = (dd.TACTICS[strategy], drafted)
            amount = float(d.amount)
            m["product_value"] = (Decimal(round(amount * rng.uniform(1.4, 2.8))), drafted)
            m["seller_value"] = (Decimal(round(amount * rng.uniform(0.15, 0.6))), drafted)
            m["perception"] = (Decimal(f"{rng.uniform(0.45, 0.9):.2f}"), drafted)
            m["customer_cost"] = (Decimal(round(amount * rng.uniform(1.0, 1.25))), drafted)
            m["business_value"] = (
                rng.choice(dd.BUSINESS_VALUES).format(
                    saving=_round_to(amount / 10_000 * rng.uniform(0.3, 0.9), 5),
                    pct=rng.randint(8, 30),
                    months=rng.randint(12, 30),
                ),
                drafted,
            )
        if 4 in d.exit_at:
            leave = d.exit_at[4]
            at = self._between(max(d.entered[4], leave - timedelta(days=10)), leave)
            m["tender_influenced_on"] = (local_date(at), leave)
        if 5 in d.exit_at:
            leave = d.exit_at[5]
            at = self._between(max(d.entered[5], leave - timedelta(days=4)), leave)
            m["tender_issued_on"] = (local_date(at), leave)
        if 6 in d.exit_at:
            m["bid_result_on"] = (local_date(d.exit_at[6]), d.exit_at[6])
        elif d.status == LOST and d.stage == 6:
            m["bid_result_on"] = (local_date(d.closed), d.closed)
        if d.status == WON:
            m["contract_signed_on"] = (local_date(d.closed), d.closed)
        d.milestones = m

    def _actions(self, d):
        rng = self.rng
        d.actions = []
        if 3 in d.exit_at:
            # The action plan that let the deal leave needs analysis: open at that moment.
            leave = d.exit_at[3]
            created = self._between(d.entered[3], leave)
            due = local_date(leave) + timedelta(days=rng.randint(3, 20))
            done = self._between(leave, min(d.end, leave + timedelta(days=25)))
            status = "done" if rng.random() < 0.85 or d.status != OPEN else "open"
            if status == "open" and due < self.today:
                status = "done"
            self._action(d, created, due, status, done if status == "done" else None)
        if d.status == OPEN:
            extra = (
                6 if d.big else rng.randint(1, 4) if d.grade in ("a", "b") else rng.randint(0, 2)
            )
            for _ in range(extra):
                created = self._between(max(d.created, self.now - timedelta(days=60)), self.now)
                due = local_date(created) + timedelta(days=rng.randint(3, 30))
                status, done = "open", None
                if due < self.today and rng.random() < 0.55:
                    status = "done"
                    done = self._between(created, min(self.now, created + timedelta(days=30)))
                self._action(d, created, due, status, done)
        elif rng.random() < 0.4:
            created = self._between(d.created, d.end)
            due = local_date(created) + timedelta(days=rng.randint(3, 20))
            status = "done" if rng.random() < 0.7 else "cancelled"
            finished = self._between(created, d.end)
            self._action(d, created, due, status, finished)

    def _action(self, d, created, due, status, done, *, title=None, linked_to=None):
        rng = self.rng
        template, link = rng.choice(dd.ACTIONS)
        person = None
        if "{who}" in template:
            candidates = [m["person"] for m in d.people] or [
                x for x in d.p["people"] if x["weight"] > 0
            ]
            if not candidates:
                template, link = "提交试点车间实施方案", "价值主张"
            else:
                person = rng.choice(candidates)
        who = ""
        if person is not None:
            from .generator import honorific

            row = person["row"]
            who = honorific(person["surname"], row["title"], row["name"])
        references = [r for r in self.references if r != d.p["row"]["name"]] or ["标杆客户"]
        text = title or template.format(who=who, ref=rng.choice(references))
        owner = d.owner if rng.random() < 0.7 else rng.choice(sorted(d.member_ids))
        updated = done or created
        d.actions.append(
            {
                "deal_id": d.id,
                "title": text[:200],
                "owner_id": owner,
                "due_on": due,
                "status": status,
                "person_id": person["row"]["id"] if person is not None and not title else None,
                "linked_to": (linked_to if linked_to is not None else link)[:120],
                "done_at": done if status == "done" else None,
                "created_at": created,
                "updated_at": updated,
            }
        )

    def _reviews(self, d):
        """Coaching reviews every two weeks or so by the owner's manager (A/B deals)."""
        rng = self.rng
        d.reviews = []
        if d.grade not in ("a", "b") or not d.manager:
            return
        if d.big:
            wanted = True
        elif d.status == OPEN:
            wanted = d.stage >= 2 and rng.random() < 0.65
        else:
            wanted = rng.random() < 0.35
        if not wanted:
            return
        start = d.qs[0].at if d.qs else d.created + timedelta(days=14)
        stop = d.end
        if d.status == OPEN and not d.big and rng.random() < 0.3:
            stop = self.now - timedelta(days=rng.randint(15, 40))  # a review is overdue
        day = local_date(start) + timedelta(days=rng.randint(0, 4))
        while day <= local_date(stop):
            if rng.random() > 0.15 or d.big:
                decisions = rng.choice(dd.REVIEW_DECISIONS)
                elements = sorted(
                    rng.sample(dd.REVIEW_ELEMENTS, rng.randint(3, 6)),
                    key=dd.REVIEW_ELEMENTS.index,
                )
                d.reviews.append(
                    {
                        "deal_id": d.id,
                        "held_on": day,
                        "manager_id": d.manager,
                        "rep_id": d.owner,
                        "elements": elements,
                        "decisions": decisions,
                    }
                )
                if rng.random() < 0.3:
                    held = datetime.combine(day, time(rng.randint(9, 17)), tzinfo=TZ)
                    held = min(max(held, d.created), self.now)
                    due = day + timedelta(days=rng.randint(7, 14))
                    status, done = "open", None
                    if due < self.today or d.status != OPEN:
                        status = "done" if rng.random() < 0.8 else "open"
                        if d.status != OPEN:
                            status = "done"
                        if status == "done":
                            done = self._between(held, min(self.now, d.end + timedelta(days=1)))
                    self._action(
                        d,
                        held,
                        due,
                        status,
                        done,
                        title=decisions.split("，")[0],
                        linked_to="review",
                    )
            day += timedelta(days=rng.randint(11, 17))

    def _requirements(self, d):
        """Requirement lists written in needs analysis, signed off before the tender."""
        rng = self.rng
        d.requirements = []
        if 3 not in d.path or not (d.grade in ("a", "b") or rng.random() < 0.4):
            return
        people = [m["person"]["row"]["id"] for m in d.people if m["row"]["decision_role"]] or [
            x["row"]["id"] for x in d.p["people"]
        ]
        start = d.entered[3]
        written = self._between(start, d.exit_at.get(3, d.end))
        items = rng.sample(dd.REQUIREMENT_ITEMS, rng.randint(4, 7))
        signed = None
        if 4 in d.exit_at or (d.stage == 4 and rng.random() < 0.5):
            signed = self._between(written, d.exit_at.get(4, d.end))
        writer = d.owner if rng.random() < 0.5 else rng.choice(sorted(d.member_ids))
        d.requirements.append(
            {
                "deal_id": d.id,
                "number": 1,
                "items": "\n".join(items),
                "written_by_id": writer,
                "written_at": written,
                "signed_off_by_id": rng.choice(people) if signed and people else None,
                "signed_off_on": local_date(signed) if signed and people else None,
                "document": "需求规格说明书V1.0.pdf" if signed and people else "",
            }
        )
        if signed and people and rng.random() < 0.3:
            changed = self._between(signed, d.end)
            extra = [x for x in dd.REQUIREMENT_ITEMS if x not in items]
            items = [*items, rng.choice(extra)] if extra else items
            again = self._between(changed, d.end) if rng.random() < 0.5 else None
            d.requirements.append(
                {
                    "deal_id": d.id,
                    "number": 2,
                    "items": "\n".join(items),
                    "change_reason": rng.choice(dd.CHANGE_REASONS),
                    "is_change_request": True,
                    "written_by_id": writer,
                    "written_at": changed,
                    "signed_off_by_id": rng.choice(people) if again else None,
                    "signed_off_on": local_date(again) if again else None,
                    "document": "需求规格说明书V1.1.pdf" if again else "",
                }
            )

    def _registration(self, d):
        """E deals: the partner registers the account and product line; the manager decides."""
        rng = self.rng
        d.partner = ""
        d.registration = None
        if not d.partner_led:
            return
        d.partner = rng.choice(dd.PARTNERS)
        line_id = self.lines[d.line_names[0]]
        key = (d.p["row"]["id"], line_id)
        submitted = self._between(d.created, min(d.end, d.created + timedelta(days=5)))
        row = {
            "deal_id": d.id,
            "account_id": d.p["row"]["id"],
            "product_line_id": line_id,
            "partner": d.partner,
            "status": "submitted",
            "submitted_by_id": d.owner,
            "submitted_at": submitted,
        }
        recent = self.now - submitted < timedelta(days=10)
        if d.manager and not (recent and rng.random() < 0.5):
            decided = self._between(submitted, min(self.now, submitted + timedelta(days=3)))
            row["decided_by_id"] = d.manager
            row["decided_at"] = decided
            if key in self.registered:
                row["status"] = "rejected"
                row["note"] = "该客户与产品线已由其他伙伴报备，保护期内不受理。"
            elif rng.random() < 0.08:
                row["status"] = "rejected"
                row["note"] = "客户倾向于与我司直签，不适合伙伴主导。"
            else:
                row["status"] = "approved"
                row["protected_until"] = local_date(decided) + timedelta(days=self.protection_days)
                row["note"] = "同意报备，请按期推进。"
        if row["status"] != "rejected":
            self.registered.add(key)
        d.registration = row

    def _closing(self, d):
        rng = self.rng
        d.lost_reason = ""
        if d.status == LOST:
            if d.winner is not None:
                d.lost_reason = rng.choice(dd.LOST_REASONS).format(
                    winner=d.winner.name, pct=rng.randint(8, 25)
                )
            else:
                d.lost_reason = rng.choice(dd.NO_DECISION_REASONS)
        if d.closed:
            if d.status == WON:
                cause = "赢单：合同签订"
            elif d.status == LOST:
                cause = f"输单：{d.winner.name}中标" if d.winner else "输单：客户未做决定"
            else:
                cause = "放弃商机"
            d.log.append((d.closed, Kind.STATUS, d.owner, OPEN, d.status, "", cause))
        sources = dd.DEAL_SOURCES
        if d.p["row"]["status"] != "active":  # only active accounts are existing customers
            sources = [pair for pair in sources if pair[0] != "existing"]
        d.source = "partner" if d.partner_led else _pick(rng, sources)

    # ---------------------------------------------------------------- linking

    def _link_activities(self, deals, activities):
        """Link the account's activities to the deals they belong to (the deal team's)."""
        rng = self.rng
        cutoff = self.now - timedelta(days=STALE_DAYS)
        for d in deals:
            d.last_activity = None
        for row in activities:
            at = row["occurred_at"]
            candidates = [
                d
                for d in deals
                if d.created <= at <= d.end
                and row["owner_id"] in d.member_ids
                and not (d.stale and at > cutoff)
            ]
            if not candidates or rng.random() > 0.6:
                continue
            d = rng.choice(candidates)
            row["deal_id"] = d.id
            if d.last_activity is None or at > d.last_activity:
                d.last_activity = at

    # ------------------------------------------------------------- the result

    def _inputs(self, d, moment) -> WinRateInputs:
        """What the rule reads at ``moment``: the same as ``win_rate_inputs`` on the rows."""
        ce = d.ce
        has_event = (
            ce is not None
            and ce["recorded"] <= moment
            and not (ce["withdrawn_at"] is not None and ce["withdrawn_at"] <= moment)
        )
        latest = None
        for q in d.qs:
            if q.at > moment:
                break
            latest = q
        scores = latest.scores if latest is not None else {}
        parties = tuple(
            PartyAssessment(
                name=entry.name,
                fit=scores[entry.id][0] if entry.id in scores else None,
                closeness=scores[entry.id][1] if entry.id in scores else None,
            )
            for entry in d.comps
            if entry.added <= moment
        )
        us = PartyAssessment(
            name="us",
            fit=latest.fit if latest else None,
            closeness=latest.close if latest else None,
        )
        return WinRateInputs(
            has_compelling_event=has_event,
            has_inside_coach=latest.coach if latest else None,
            us=us,
            competitors=parties,
            sole_source=d.sole_source,
            grade=Grade(d.grade),
        )

    def _curve(self, d) -> list[dict]:
        """Weekly points from creation (at most 40 weeks back) to the close or today."""
        end = d.end
        last_week = monday(local_date(end))
        created_week = monday(local_date(d.created))
        first_week = max(created_week, last_week - timedelta(weeks=CURVE_WEEKS))
        log = sorted(d.log, key=lambda item: item[0])
        index = 0
        if first_week > created_week:
            start = datetime.combine(first_week, time(0), tzinfo=TZ)
            while index < len(log) and log[index][0] < start:
                index += 1
        points = []
        result = factors = None
        week = first_week
        while week <= last_week:
            at = min(datetime.combine(week + timedelta(days=6), time(20), tzinfo=TZ), end)
            causes, mapped = [], []
            while index < len(log) and log[index][0] <= at:
                if log[index][1] == Kind.DECISION_MAP:
                    mapped.append(log[index][4])
                else:
                    causes.append(log[index][6])
                index += 1
            if mapped:
                causes.append(f"决策地图：新增 {'、'.join(mapped)}")
            if causes or mapped or result is None:  # the inputs only move with logged events
                result = explain_win_rate(self._inputs(d, at))
                factors = factors_json(result)
            cause = "；".join(causes) or "无变化"
            points.append(
                {
                    "deal_id": d.id,
                    "week": week,
                    "at": at,
                    "status": str(result.status),
                    "rate": result.rate,
                    "factors": factors,
                    "cause": cause if len(cause) <= 300 else cause[:299] + "…",
                }
            )
            week += timedelta(weeks=1)
        return points

    def _snapshot(self, d, moment) -> dict:
        """The deal row as it stood at ``moment`` (for the change-history rows)."""
        stage = d.path[0]
        since = d.created
        for i in range(1, len(d.path)):
            if d.entries[i] <= moment:
                stage, since = d.path[i], d.entries[i]
        row = dict(d.row)
        row["stage_id"] = self.stage_ids[stage]
        row["stage_changed_at"] = since
        for name, (value, at) in d.milestones.items():
            if at > moment:
                row[name] = "" if isinstance(value, str) else None
        if d.closed is None or moment < d.closed:
            row.update(
                status=OPEN, closed_at=None, lost_reason="", winner_id=None, no_decision=False
            )
        return row

    def _finish(self, d):
        rows = self.rows
        result = explain_win_rate(self._inputs(d, d.end))
        changed = [item[0] for item in d.log] + [a["updated_at"] for a in d.actions]
        updated = min(self.now, max(changed))
        row = {
            "id": d.id,
            "account_id": d.p["row"]["id"],
            "name": d.name,
            "owner_id": d.owner,
            "amount": d.amount,
            "expected_close": d.expected_close,
            "source": d.source,
            "partner": d.partner,
            "stage_id": self.stage_ids[d.stage],
            "stage_changed_at": d.entries[-1],
            "status": d.status,
            "closed_at": d.closed,
            "lost_reason": d.lost_reason,
            "winner_id": d.winner.competitor["id"] if d.winner else None,
            "no_decision": d.no_decision,
            "grade": d.grade,
            "grade_override": d.override,
            "grade_override_reason": d.override_reason,
            "grade_override_by_id": d.manager if d.override else None,
            "partner_led": d.partner_led,
            "sole_source": d.sole_source,
            "win_rate": result.rate,
            "win_rate_status": str(result.status),
            "last_activity_at": d.last_activity,
            "created_at": d.created,
            "updated_at": updated,
        }
        for name, (value, _at) in d.milestones.items():
            row[name] = value
        if self.health is not None:
            row["health_score"] = self._health_score(d)
        d.row = row
        moments = [d.entries[i] for i in range(1, len(d.path))]
        moments += [at for _v, at in d.milestones.values() if at not in moments]
        if d.closed and d.closed not in moments:
            moments.append(d.closed)
        moments = sorted(m for m in set(moments) if m > d.created)
        row["version"] = 1 + len(moments)
        rows["deal"].append(row)
        if self.history:
            rows["deal_history"].append(
                _history(self._snapshot(d, d.created), d.created, d.owner, "+")
            )
            for moment in moments:
                rows["deal_history"].append(
                    _history(self._snapshot(d, moment), moment, d.owner, "~")
                )
        for user_id, role in d.members:
            rows["member"].append({"deal_id": d.id, "user_id": user_id, "role": role})
        for name in d.line_names:
            rows["line"].append({"deal_id": d.id, "productline_id": self.lines[name]})
        for at, kind, by, old, new, detail, _cause in sorted(d.log, key=lambda item: item[0]):
            rows["event"].append(
                {
                    "deal_id": d.id,
                    "kind": str(kind),
                    "at": at,
                    "by_id": by,
                    "old": old[:200],
                    "new": new[:200],
                    "detail": detail[:300],
                }
            )
        if d.ce is not None:
            rows["compelling"].append(d.ce["row"])
        for entry in d.comps:
            rows["competitor"].append(entry.row)
            rows["quote"].extend(entry.quotes)
        for q in d.qs:
            rows["questionnaire"].append(q.row)
            for entry_id, (fit, close) in q.scores.items():
                rows["assessment"].append(
                    {
                        "questionnaire_id": q.id,
                        "deal_competitor_id": entry_id,
                        "fit": fit,
                        "closeness": close,
                    }
                )
        rows["person"].extend(m["row"] for m in d.people)
        rows["point"].extend(self._curve(d))
        rows["action"].extend(d.actions)
        rows["review"].extend(d.reviews)
        rows["requirement"].extend(d.requirements)
        if d.registration is not None:
            rows["registration"].append(d.registration)

    # ---------------------------------------------------------------- writing

    def flush(self) -> None:
        """Write the planned rows (parents first) and forget them."""
        started = perf_counter()
        for name, table in self.tables.items():
            if self.rows[name]:
                table.insert(self.rows[name])
                self.rows[name] = []
        self.seconds += perf_counter() - started

    def finish(self) -> dict:
        self.flush()
        reset_sequences(self.id_models)
        written = {name: t.rows_written for name, t in self.tables.items()}
        return {
            "deals": written.pop("deal"),
            "win_rate_points": written.pop("point"),
            "deal_history_rows": written.pop("deal_history"),
            "deal_rows": sum(written.values()),
        }
