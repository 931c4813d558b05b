"""The reproducible demo company: a Chinese industrial-software seller and its key accounts.

``generate()`` builds the sales organisation (teams, managers, reps), the customer accounts
with their account teams, the customers' people with reporting lines, the activity log,
the opportunities with their whole deal room (``winroom.demo.deals``) and the
"created" change-history rows, inside one transaction. One seed always gives the same
company (names, org charts, texts); dates are laid out backwards from today.

Customer data is written with ``winroom.demo.bulk`` (multi-row INSERTs of plain dicts with
ids assigned up front) in chunks of accounts: the default company takes a couple of seconds
and 50,000 accounts (8 million rows with history) a few minutes in flat memory.

The generator only adds: users and teams that already exist are reused, and account names
already taken are avoided, so it can also run into a database that holds data.
"""

from __future__ import annotations

import math
import random
import time
import unicodedata
from bisect import bisect
from datetime import datetime, timedelta
from functools import cache
from itertools import accumulate
from zoneinfo import ZoneInfo

import phonenumbers
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from winroom.accounts.models import (
    Account,
    AccountMember,
    AccountStatus,
    Contact,
    Orientation,
    RelationshipStatus,
    Size,
    TeamRole,
    name_key,
)
from winroom.activities.models import Activity
from winroom.org.models import CompanySettings, Role, Team, User

from . import data
from .bulk import Inserter, first_free_id, reset_sequences
from .deals import DEFAULT_DEALS_PER_ACCOUNT, DealPlanner

TZ = ZoneInfo("Asia/Shanghai")
EAST, WEST = data.EAST, data.WEST

# (team, parent team, manager username, sales region or None)
TEAMS = [
    ("全国销售部", None, "director", None),
    ("华东大区", "全国销售部", "manager", EAST),
    ("华西大区", "全国销售部", "manager2", WEST),
    ("华东一组", "华东大区", "manager", EAST),
    ("华东二组", "华东大区", "manager3", EAST),
    ("西南组", "华西大区", "manager2", WEST),
]

# (username, role, team, region) for everyone but the reps.
LEADERS = [
    ("admin", Role.ADMIN, None, None),
    ("director", Role.MANAGER, "全国销售部", None),
    ("manager", Role.MANAGER, "华东大区", EAST),
    ("manager2", Role.MANAGER, "华西大区", WEST),
    ("manager3", Role.MANAGER, "华东二组", EAST),
]

# The logins shown by ``load_demo``: (username, role, what the user sees).
DEMO_LOGINS = [
    ("admin", "administrator (管理员)", "everything (全部数据)"),
    ("director", "manager (销售总监)", "both regions (全国销售部: 华东 + 华西)"),
    ("manager", "manager (华东大区经理)", "East region (华东大区)"),
    ("manager2", "manager (华西大区经理)", "West region (华西大区)"),
    ("rep1", "rep (销售代表)", "own East accounts (华东一组)"),
    ("rep2", "rep (销售代表)", "own East accounts (华东一组)"),
    ("rep3", "rep (销售代表)", "own West accounts (西南组)"),
]

PHONE_PREFIXES = [
    130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157,
    158, 159, 166, 173, 175, 176, 177, 178, 180, 181, 182, 183, 184, 185, 186, 187,
    188, 189, 191, 198, 199,
]  # fmt: skip
PERSONAL_MAIL = ["163.com", "qq.com", "126.com"]

STATUS_WEIGHTS = [
    (AccountStatus.ACTIVE, 50),
    (AccountStatus.TARGET, 35),
    (AccountStatus.DORMANT, 15),
]
SIZE_WEIGHTS = [
    (Size.SMALL, 8),
    (Size.MEDIUM, 30),
    (Size.LARGE, 32),
    (Size.XLARGE, 20),
    (Size.HUGE, 10),
]
ORIENTATION_WEIGHTS = [
    (Orientation.INNOVATIVE, 12),
    (Orientation.INNOVATIVE_PRAGMATIC, 22),
    (Orientation.BALANCED, 30),
    (Orientation.PRAGMATIC_INNOVATIVE, 20),
    (Orientation.PRAGMATIC, 16),
]
# Relationship toward us by how much the sales team deals with the person.
RELATIONSHIP_WEIGHTS = {
    "close": [
        (RelationshipStatus.STRONG_POSITIVE, 25),
        (RelationshipStatus.POSITIVE, 40),
        (RelationshipStatus.NEUTRAL, 20),
        (RelationshipStatus.NEGATIVE, 10),
        (RelationshipStatus.STRONG_NEGATIVE, 5),
    ],
    "engaged": [
        (RelationshipStatus.STRONG_POSITIVE, 8),
        (RelationshipStatus.POSITIVE, 30),
        (RelationshipStatus.NEUTRAL, 40),
        (RelationshipStatus.NEGATIVE, 17),
        (RelationshipStatus.STRONG_NEGATIVE, 5),
    ],
    "distant": [
        (RelationshipStatus.STRONG_POSITIVE, 2),
        (RelationshipStatus.POSITIVE, 10),
        (RelationshipStatus.NEUTRAL, 75),
        (RelationshipStatus.NEGATIVE, 10),
        (RelationshipStatus.STRONG_NEGATIVE, 3),
    ],
}
# How likely our team deals with someone at each depth of the org chart, and how much.
# Ranks in an org chart: the top person, second-in-command or second root, vice level,
# department head, sub-lead, staff. Executive meetings are with ranks up to VICE.
TOP, SECOND, VICE, HEAD, LEAD, STAFF = range(6)
RANK_ENGAGEMENT = {
    TOP: (0.55, 1.0),
    SECOND: (0.6, 1.3),
    VICE: (0.6, 1.3),
    HEAD: (0.7, 1.8),
    LEAD: (0.5, 1.2),
    STAFF: (0.35, 0.8),
}
# Size bands by org template, where they differ from the general spread.
ORG_SIZES = {
    "government": [(Size.SMALL, 4), (Size.MEDIUM, 6)],
    "hospital": [(Size.LARGE, 6), (Size.XLARGE, 4)],
    "school": [(Size.MEDIUM, 4), (Size.LARGE, 5), (Size.XLARGE, 2)],
    "grid": [(Size.LARGE, 3), (Size.XLARGE, 6), (Size.HUGE, 1)],
    "telecom": [(Size.LARGE, 3), (Size.XLARGE, 5), (Size.HUGE, 2)],
    "finance": [(Size.LARGE, 5), (Size.XLARGE, 4), (Size.HUGE, 1)],
}


class Picker:
    """Weighted choice with precomputed cumulative weights (fast for repeated draws)."""

    def __init__(self, pairs):
        self.values = [value for value, _weight in pairs]
        self.cumulative = list(accumulate(weight for _value, weight in pairs))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random):
        return self.values[bisect(self.cumulative, rng.random() * self.total)]


class Out:
    """Progress lines to a stream (a management command's stdout) or nowhere."""

    def __init__(self, stream):
        self.stream = stream

    def __call__(self, message: str) -> None:
        if self.stream is not None:
            self.stream.write(message + ("" if message.endswith("\n") else "\n"))


def rep_team(number: int) -> str:
    """The sales team of repN: rep1/rep2 East (华东一组), rep3 West, then spread over teams."""
    if number in (1, 2):
        return "华东一组"
    if number == 3:
        return "西南组"
    return ["华东二组", "西南组", "华东一组"][(number - 4) % 3]


def team_region(team_name: str | None) -> str | None:
    return next((region for name, _p, _m, region in TEAMS if name == team_name), None)


# ---------------------------------------------------------------------------- people


def person_name(rng: random.Random, surnames: Picker) -> tuple[str, str, str, str]:
    """A Chinese name: (full name, surname, surname pinyin, given-name pinyin)."""
    surname, surname_py = surnames(rng)
    count = 1 if rng.random() < 0.3 else 2
    given = [rng.choice(data.GIVEN_CHARS) for _ in range(count)]
    return (
        surname + "".join(c for c, _p in given),
        surname,
        surname_py,
        "".join(p for _c, p in given),
    )


def mobile_number(rng: random.Random, used: set[str]) -> str:
    """A valid, unused mainland mobile in international format (+86 138 0013 8000)."""
    while True:
        digits = f"{rng.choice(PHONE_PREFIXES)}{rng.randrange(10**8):08d}"
        number = phonenumbers.parse(digits, "CN")
        if not phonenumbers.is_valid_number(number):
            continue
        text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        if text not in used:
            used.add(text)
            return text


def email_address(
    rng: random.Random, surname_py: str, given_py: str, domain: str, used: set[str]
) -> str:
    if domain in PERSONAL_MAIL and rng.random() < 0.5:
        local = str(rng.randrange(10**7, 10**10))  # a QQ-style number
    else:
        local = rng.choice(
            [
                f"{surname_py}{given_py}",
                f"{surname_py}.{given_py}",
                f"{given_py}.{surname_py}",
                f"{surname_py}{given_py[:1]}",
            ]
        )
    address = f"{local}@{domain}".lower()
    suffix = 2
    while address in used:
        address = f"{local}{suffix}@{domain}".lower()
        suffix += 1
    used.add(address)
    return address


def honorific(surname: str, title: str, full_name: str) -> str:
    """How a Chinese sales rep would refer to the person: 王总, 李主任, 张工…"""
    for marker, word in (
        ("董事长", "董"),
        ("局长", "局"),
        ("院长", "院长"),
        ("校长", "校长"),
        ("行长", "行长"),
        ("书记", "书记"),
        ("总", "总"),
        ("CIO", "总"),
        ("主任", "主任"),
        ("处长", "处"),
        ("科长", "科长"),
        ("部长", "部长"),
        ("经理", "经理"),
        ("工程师", "工"),
    ):
        if marker in title:
            return surname + word
    return full_name


# -------------------------------------------------------------------- org charts


def build_org(count: int, template: dict, rng: random.Random) -> list[tuple]:
    """An org chart of ``count`` people: (title, department, parent index, level, focus, rank).

    One top person, sometimes a second root, a second-in-command, vice-level people,
    department heads, sub-leads in big departments and staff; parents come before children.
    """
    nodes: list[tuple] = []

    def add(title, dept, parent, focus, rank):
        level = 0 if parent is None else nodes[parent][3] + 1
        nodes.append((title, dept, parent, level, focus, rank))
        return len(nodes) - 1

    if count <= 0:
        return nodes
    top = add(*template["top"], None, 1.0, TOP)
    boss = top
    if template.get("gm") and count >= 4:
        boss = add(*template["gm"], top, 1.2, SECOND)
    if count >= 8 and rng.random() < 0.3:
        add(*rng.choice(template["second_root"]), None, 0.8, SECOND)
    vices: dict[str, int] = {}
    if count >= 10:
        wanted = min(len(template["vices"]), max(1, round((count - len(nodes)) / 12)))
        for title, dept in template["vices"][:wanted]:
            index = add(title, dept, boss, 1.3, VICE)
            if title not in vices:  # a second 副局长 is a person, but not a hint target
                vices[title] = index
    remaining = count - len(nodes)
    if remaining <= 0:
        return nodes[:count]
    departments = list(template["departments"])
    head_start, rest = departments[:2], departments[2:]
    rng.shuffle(rest)
    departments = head_start + rest
    wanted = max(1, min(len(departments), math.ceil(remaining / 5)))
    heads = []
    for dept, head_title, _sub, _staff, vice_hint, focus in departments[:wanted]:
        parent = vices.get(vice_hint) if vice_hint else None
        if parent is None:
            parent = rng.choice(list(vices.values())) if vices and rng.random() < 0.5 else boss
        heads.append(add(head_title, dept, parent, focus, HEAD))
        if len(nodes) == count:
            return nodes
    remaining = count - len(nodes)
    shares = [rng.uniform(1, 3) * (1 + d[5] / 3) for d in departments[:wanted]]
    per_dept = [0] * wanted
    for index in rng.choices(range(wanted), weights=shares, k=remaining):
        per_dept[index] += 1
    for (dept, _head, sub_title, staff_titles, _hint, focus), head, staff in zip(
        departments[:wanted], heads, per_dept, strict=True
    ):
        leads = [head]
        if staff >= 6:
            for _ in range(math.ceil(staff / 7)):
                leads.append(add(sub_title, dept, head, focus, LEAD))
            staff -= len(leads) - 1
        for _ in range(staff):
            parent = head if len(leads) == 1 or rng.random() < 0.15 else rng.choice(leads[1:])
            add(rng.choice(staff_titles), dept, parent, focus, STAFF)
    return nodes


# ------------------------------------------------------------------------ accounts


@cache
def _name_patterns(industry: str, municipality: bool, branded: bool):
    """The name patterns that fit, and their weights (``branded``: only {brand} ones)."""
    patterns = [
        p
        for p in data.NAME_PATTERNS[industry]
        if (p[3] is None or (p[3] == "muni") == municipality) and (not branded or "{brand}" in p[0])
    ]
    return patterns, [p[4] for p in patterns]


_SUFFIXES = [s for s, _w in data.COMPANY_SUFFIXES]
_SUFFIX_WEIGHTS = [w for _s, w in data.COMPANY_SUFFIXES]


def company_name(rng, industry, city, taken):
    """A unique name for an account in the industry and city.

    Returns (name, industry, org template, e-mail domain, district); ``taken`` holds the
    name keys in use and receives the new one. Institution names (市交通运输局, 市第三人民医院)
    run out at large scale: then the industry's brand names are used, and failing those a
    manufacturer's (the industry returned says which).
    """
    city_name, city_py, province, prov, muni, districts, _w = city
    urban = [d for d in districts if d.endswith("区")] or districts
    for attempt in range(40):
        use = industry if attempt < 20 else "manufacturing"
        patterns, weights = _name_patterns(use, muni, 8 <= attempt < 20)
        if not patterns:
            use = "manufacturing"
            patterns, weights = _name_patterns(use, muni, False)
        template, org, domain, _cond, _w = rng.choices(patterns, weights=weights)[0]
        brand = rng.sample(data.BRAND_CHARS, 3 if attempt >= 30 else 2)
        bureau, bureau_abbr = rng.choice(data.GOV_BUREAUS)
        district = rng.choice(urban)
        ordinal = rng.randrange(len(data.ORDINALS))
        words = data.INDUSTRY_WORDS[use] or data.INDUSTRY_WORDS["other"]
        in_name = district
        if muni and "{district}供电公司" in template:  # 国网上海市电力公司浦东供电公司
            in_name = district.removesuffix("新区").removesuffix("区") or district
        name = template.format(
            city=city_name,
            province=province,
            prov=prov,
            district=in_name,
            brand="".join(c for c, _p in brand),
            word=rng.choice(words),
            suffix=rng.choices(_SUFFIXES, weights=_SUFFIX_WEIGHTS)[0],
            n=data.ORDINALS[ordinal],
            bureau=bureau,
        )
        key = name_key(name)
        if key in taken:
            continue
        abbr = bureau_abbr if "{bureau}" in template else str(ordinal + 1)
        domain = domain.format(bp="".join(p for _c, p in brand), cp=city_py, abbr=abbr)
        taken.add(key)
        return name, use, org, domain, district
    # Practically unreachable: number the branch to stay unique.
    number = 2
    while name_key(f"{name}第{number}分公司") in taken:
        number += 1
    name = f"{name}第{number}分公司"
    taken.add(name_key(name))
    return name, use, org, domain, district


def contact_count(rng: random.Random, mean: float, low: int, high: int) -> int:
    """People at one account: a long-tailed count between low and high around ``mean``."""
    if mean <= low:
        return low
    shape = 1.6
    value = low + round(rng.gammavariate(shape, (mean - low) / shape))
    return min(high, value)


# ------------------------------------------------------------------- the generator


def generate(
    *,
    accounts: int = 150,
    contacts_per_account: int = 10,
    activities: int = 4000,
    seed: int = 2026,
    months: int = 18,
    reps: int = 12,
    history: bool = True,
    deals_per_account: float = DEFAULT_DEALS_PER_ACCOUNT,
    stdout=None,
) -> dict:
    """Build the demo company and return the number of rows created per kind.

    The same arguments (and seed) give the same company. Runs in one transaction; accounts,
    contacts and activities are written in chunks of accounts so memory stays flat at
    large scale. ``history`` adds the change-history rows. ``deals_per_account`` sets how
    many opportunities there are (about 2.7 per account: 405 for the default 150 accounts).
    """
    if min(accounts, contacts_per_account, activities, deals_per_account) < 0:
        raise ValueError("counts cannot be negative")
    if accounts > 0 and reps < 1:
        raise ValueError("the demo company needs at least one sales rep")
    say = Out(stdout)
    started = time.perf_counter()
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    with transaction.atomic():
        users, region_reps, region_staff, user_count, team_count = _build_org(fake, reps)
        settings_row = CompanySettings.current()
        settings_row.company_name = data.COMPANY_NAME
        settings_row.save()
        say(f"Sales organisation: {user_count} users and {team_count} teams created.")
        builder = _Builder(
            rng,
            users,
            region_reps,
            region_staff,
            months=months,
            history=history,
            say=say,
            seed=seed,
            deals_per_account=deals_per_account,
        )
        counts = builder.run(accounts, contacts_per_account, activities)
        # relationship levels follow from the loaded statuses and activities (METHODOLOGY §1.3)
        from winroom.accounts.models import Contact
        from winroom.accounts.relationships import initialise_levels
        from winroom.demo.relationship_actions import add_relationship_actions  # §1.2

        counts["relationship_actions"] = add_relationship_actions(seed=seed)
        initialise_levels(Contact.all_objects.all())
        from winroom.demo.visits import add_visits  # a month of visits, §3.4

        counts["visits"] = add_visits(seed=seed)
        from winroom.demo.political import add_political_maps  # political maps, §1.1

        counts.update(add_political_maps(seed))
        from winroom.demo.leads import generate_leads  # leads in every state, §3.1

        counts["leads"] = generate_leads(seed=seed, history=history)
        from winroom.demo.plans import add_plans  # account plans and canvases, §1.6

        add_plans(seed=seed)
        from winroom.demo.notifications import add_notifications  # reminders, §3.4

        counts["notifications"] = add_notifications(seed=seed)
        from winroom.demo.insights import add_insights  # payments, contracts, §3.2–§3.5

        counts.update(add_insights(seed=seed))
        from winroom.demo.incentives import add_incentives  # targets, ranking, commissions, §3.6

        counts.update(add_incentives(seed=seed))
        from winroom.demo.attributes import add_custom_attributes  # custom attributes, issue 7

        counts["custom_values"] = add_custom_attributes(seed=seed)
    counts = {"users": user_count, "teams": team_count, **counts}
    counts["seconds"] = round(time.perf_counter() - started, 2)
    return counts


def _build_org(fake, reps):
    """Teams and users (created when missing); returns users and who sells where."""
    password = make_password(data.PASSWORD)  # hashed once: the same for every demo user
    specs = list(LEADERS) + [
        (f"rep{n}", Role.REP, rep_team(n), team_region(rep_team(n))) for n in range(1, reps + 1)
    ]
    names = [fake.name() for _spec in specs]  # drawn for all, so the seed maps stably
    users: dict[str, User] = {}
    created_users = 0
    for (username, role, _team, _region), display_name in zip(specs, names, strict=True):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                display_name=display_name,
                role=role,
                email=f"{username}@{data.USER_EMAIL_DOMAIN}",
                password=password,
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            user.save()
            created_users += 1
        users[username] = user
    teams: dict[str, Team] = {}
    created_teams = 0
    for name, parent, manager, _region in TEAMS:
        team, created = Team.objects.get_or_create(
            name=name,
            defaults={"parent": teams.get(parent), "manager": users[manager]},
        )
        created_teams += created
        teams[name] = team
    for username, _role, team, _region in specs:
        user = users[username]
        if team and user.team_id is None:
            user.team = teams[team]
            user.save(update_fields=["team"])
    region_reps: dict[str, list[User]] = {EAST: [], WEST: []}
    region_staff: dict[str, list[User]] = {EAST: [], WEST: []}
    for username, role, _team, region in specs:
        if region:
            region_staff[region].append(users[username])
            if role == Role.REP:
                region_reps[region].append(users[username])
    return users, region_reps, region_staff, created_users, created_teams


def _history_row(row: dict, when, user_id) -> dict:
    """A simple-history "created" row for a freshly inserted row."""
    return {
        **row,
        "history_date": when,
        "history_user_id": user_id,
        "history_type": "+",
        "history_change_reason": None,
    }


class _Builder:
    """Plans the customer data with one random generator and writes it in chunks."""

    CHUNK = 500  # accounts planned and written together

    def __init__(
        self,
        rng,
        users,
        region_reps,
        region_staff,
        *,
        months,
        history,
        say,
        seed=2026,
        deals_per_account=DEFAULT_DEALS_PER_ACCOUNT,
    ):
        self.rng = rng
        self.seed = seed
        self.deals_per_account = deals_per_account
        self.users = users
        self.region_reps = region_reps
        self.region_staff = region_staff
        self.history = history
        self.say = say
        self.now = datetime.now(TZ)
        self.today = self.now.date()
        self.window = max(30, round(months * 30.44))
        self.phones: set[str] = set()
        self.emails: set[str] = set()
        self.surnames = Picker([((s, p), w) for s, p, w in data.SURNAMES])
        self.orientations = Picker(ORIENTATION_WEIGHTS)
        self.relationships = {k: Picker(v) for k, v in RELATIONSHIP_WEIGHTS.items()}
        self.kinds = Picker(list(data.ACTIVITY_KIND_WEIGHTS.items()))
        self.participant_counts = {k: Picker(v) for k, v in data.PARTICIPANT_COUNTS.items()}
        # Looked up once: the history descriptor builds a new manager on every access.
        self.through = through = Activity.participants.through
        self.activity_history = activity_history = Activity.history.model
        self.id_models = [Account, AccountMember, Contact, Activity, through, activity_history]
        self.next_ids = {model: first_free_id(model) for model in self.id_models}
        self.tables = {
            "account": Inserter(Account),
            "member": Inserter(AccountMember),
            "contact": Inserter(Contact),
            "activity": Inserter(Activity),
            "participant": Inserter(through),
            "account_history": Inserter(Account.history.model, with_pk=False),
            "member_history": Inserter(AccountMember.history.model, with_pk=False),
            "contact_history": Inserter(Contact.history.model, with_pk=False),
            "activity_history": Inserter(activity_history),
            "participant_history": Inserter(
                apps.get_model("activities", "HistoricalActivity_participants"), with_pk=False
            ),
        }

    def new_id(self, model) -> int:
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value

    # -- the run

    def run(self, accounts: int, per_account: int, total_activities: int) -> dict:
        started = time.perf_counter()
        plans = self.plan_accounts(accounts, per_account)
        self.write_accounts(plans)
        self.say(
            f"  accounts and account teams: {len(plans):,} accounts "
            f"in {time.perf_counter() - started:.2f}s"
        )
        # Activities go where the relationship is: active accounts and big org charts.
        per_plan = [0] * len(plans)
        weights = [p["weight"] * math.sqrt(p["size"]) for p in plans]
        if total_activities and sum(weights) > 0:
            for index in self.rng.choices(range(len(plans)), weights=weights, k=total_activities):
                per_plan[index] += 1
        self.references = [p["row"]["name"] for p in plans if p["row"]["status"] == "active"][:12]
        # Opportunities are planned per account once its people and activities are known.
        self.deals = DealPlanner(self, seed=self.seed, per_account=self.deals_per_account)
        self.deals.references = self.references
        per_plan_deals = self.deals.allocate(plans)
        chunks = max(1, math.ceil(len(plans) / self.CHUNK))
        every = max(1, chunks // 10)
        for number, start in enumerate(range(0, len(plans), self.CHUNK), start=1):
            chunk = plans[start : start + self.CHUNK]
            self.write_people_and_activities(
                chunk,
                per_plan[start : start + self.CHUNK],
                per_plan_deals[start : start + self.CHUNK],
            )
            if chunks > 1 and (number % every == 0 or number == chunks):
                self.say(
                    f"  {min(start + self.CHUNK, len(plans)):,}/{len(plans):,} accounts: "
                    f"{self.tables['contact'].rows_written:,} contacts, "
                    f"{self.tables['activity'].rows_written:,} activities, "
                    f"{self.deals.tables['deal'].rows_written:,} deals "
                    f"({time.perf_counter() - started:.1f}s)"
                )
        deal_counts = self.deals.finish()
        reset_sequences(self.id_models)
        history_rows = sum(t.rows_written for name, t in self.tables.items() if "history" in name)
        history_rows += deal_counts.pop("deal_history_rows")
        self.say(
            f"  contacts, activities, deals and history written in "
            f"{time.perf_counter() - started:.2f}s (deals planned in {self.deals.seconds:.2f}s)"
        )
        return {
            "accounts": self.tables["account"].rows_written,
            "account_members": self.tables["member"].rows_written,
            "contacts": self.tables["contact"].rows_written,
            "activities": self.tables["activity"].rows_written,
            "participants": self.tables["participant"].rows_written,
            **deal_counts,
            "history_rows": history_rows,
        }

    def write_accounts(self, plans):
        accounts, members = [], []
        account_history, member_history = [], []
        for p in plans:
            row = p["row"]
            accounts.append(row)
            owner_id = row["owner_id"]
            if self.history:
                account_history.append(_history_row(row, row["created_at"], owner_id))
            for user_id, role in p["team"]:
                member = {
                    "id": self.new_id(AccountMember),
                    "account_id": row["id"],
                    "user_id": user_id,
                    "role": role,
                }
                members.append(member)
                if self.history:
                    member_history.append(_history_row(member, row["created_at"], owner_id))
        self.tables["account"].insert(accounts)
        self.tables["member"].insert(members)
        self.tables["account_history"].insert(account_history)
        self.tables["member_history"].insert(member_history)

    def write_people_and_activities(self, chunk, activity_counts, deal_counts=None):
        contacts, activities, participants = [], [], []
        deal_counts = deal_counts or [0] * len(chunk)
        for p, count, deals in zip(chunk, activity_counts, deal_counts, strict=True):
            self.plan_people(p)
            planned = [self.plan_activity(p) for _ in range(count if p["engaged"] else 0)]
            planned.sort(key=lambda item: item[0]["occurred_at"])
            for row, people in planned:
                row["id"] = self.new_id(Activity)
                activities.append(row)
                for person in people:
                    if person["first"] is None or row["occurred_at"] < person["first"]:
                        person["first"] = row["occurred_at"]
                    participants.append(
                        {
                            "id": self.new_id(self.through),
                            "activity_id": row["id"],
                            "contact_id": person["row"]["id"],
                        }
                    )
            self.finish_people(p)
            self.deals.plan_account(p, [row for row, _people in planned], deals)
            contacts.extend(person["row"] for person in p["people"])
            del p["people"], p["engaged"], p["cumulative"], p["top"]  # free memory
        # Parents come before their reports in ``contacts`` (org charts are built top-down).
        self.tables["contact"].insert(contacts)
        self.tables["activity"].insert(activities)
        self.tables["participant"].insert(participants)
        self.deals.flush()
        if not self.history:
            return
        owner_of = {p["row"]["id"]: p["row"]["owner_id"] for p in chunk}
        self.tables["contact_history"].insert(
            _history_row(c, c["created_at"], owner_of[c["account_id"]]) for c in contacts
        )
        history_id = {}
        rows = []
        for row in activities:
            history_id[row["id"]] = hid = self.new_id(self.activity_history)
            rows.append(
                {**_history_row(row, row["created_at"], row["owner_id"]), "history_id": hid}
            )
        self.tables["activity_history"].insert(rows)
        self.tables["participant_history"].insert(
            {**link, "history_id": history_id[link["activity_id"]]} for link in participants
        )

    # -- accounts

    def plan_accounts(self, count: int, per_account: int) -> list[dict]:
        """Account rows with their side data (city, org template, domain, team, window)."""
        rng, today, window, users = self.rng, self.today, self.window, self.users
        taken = set(Account.objects.values_list("name_key", flat=True))
        regions = [r for r in (EAST, WEST) if self.region_reps[r]]
        region_pick = Picker([(r, len(self.region_reps[r])) for r in regions])
        city_pick = {r: Picker([(c, c[6]) for c in data.CITIES[r]]) for r in regions}
        industry_pick = Picker(list(data.INDUSTRY_WEIGHTS.items()))
        status_pick = Picker(STATUS_WEIGHTS)
        size_pick = Picker(SIZE_WEIGHTS)
        org_size_pick = {org: Picker(weights) for org, weights in ORG_SIZES.items()}
        # The flagship has a big org chart (200+ people); the other accounts share the rest.
        flagship_size = rng.randint(210, 260) if per_account > 0 else 0
        others_mean = per_account
        if count > 1 and per_account > 0:
            others_mean = max(3, (per_account * count - flagship_size) / (count - 1))
        low, high = min(3, per_account), max(40, per_account * 4)
        plans = []
        for index in range(count):
            flagship = (
                index == 0 and name_key(data.FLAGSHIP["name"]) not in taken and "rep1" in users
            )
            if flagship:
                spec = data.FLAGSHIP
                region = EAST
                city = next(c for c in data.CITIES[EAST] if c[0] == spec["city"])
                industry, status, size = spec["industry"], spec["status"], spec["size"]
                name, org, domain = spec["name"], "enterprise", spec["domain"]
                district = "工业园区"
                taken.add(name_key(name))
                owner = users["rep1"]
                people = flagship_size
            else:
                region = region_pick(rng)
                city = city_pick[region](rng)
                industry = industry_pick(rng)
                status = status_pick(rng)
                name, industry, org, domain, district = company_name(rng, industry, city, taken)
                size = org_size_pick[org](rng) if org in org_size_pick else size_pick(rng)
                owner = rng.choice(self.region_reps[region])
                people = contact_count(rng, others_mean, low, high)
            # Active and dormant accounts predate the activity window; targets are recent.
            if status == AccountStatus.TARGET:
                created_day = today - timedelta(days=rng.randint(7, window))
                first_day, last_day = created_day, today - timedelta(days=1)
            else:
                created_day = today - timedelta(days=window + rng.randint(0, 540))
                first_day = today - timedelta(days=window)
                last_day = today - timedelta(days=1)
                if status == AccountStatus.DORMANT:
                    last_day = max(first_day, today - timedelta(days=rng.randint(200, 400)))
            created_at = datetime(
                created_day.year, created_day.month, created_day.day,
                rng.randint(9, 16), rng.randint(0, 59), tzinfo=TZ,
            )  # fmt: skip
            if flagship:
                description, website = data.FLAGSHIP["description"], data.FLAGSHIP["website"]
            else:
                sector = "public" if org in ("government", "hospital", "school") else "company"
                initiatives = data.ACCOUNT_INITIATIVES.get(org, data.ACCOUNT_INITIATIVES["company"])
                description = rng.choice(data.ACCOUNT_DESCRIPTIONS[sector]).format(
                    city=city[0],
                    industry=data.INDUSTRY_CN[industry],
                    initiative=rng.choice(initiatives),
                )
                website = f"https://www.{domain}" if rng.random() < 0.8 else ""
            address = (
                f"{city[2] if not city[4] else ''}{city[0]}市{district}"
                f"{rng.choice(data.ROADS)}{rng.randint(1, 2999)}号"
            )
            row = {
                "id": self.new_id(Account),
                "name": name,
                "name_key": name_key(name),
                "industry": str(industry),
                "region": city[0],
                "size": str(size),
                "status": str(status),
                "website": website,
                "address": address,
                "description": description,
                "owner_id": owner.pk,
                "created_at": created_at,
            }
            # Others on the account team: from the same region, never the owner twice.
            others = [u for u in self.region_staff[region] if u.pk != owner.pk]
            rng.shuffle(others)
            team = [(owner.pk, TeamRole.ACCOUNT_MANAGER.value)]
            if others and rng.random() < (0.85 if flagship else 0.55):
                team.append((others.pop().pk, TeamRole.SOLUTION_MANAGER.value))
            delivery = 1.0 if flagship else 0.45 if status == "active" else 0.15
            if others and rng.random() < delivery:
                team.append((others.pop().pk, TeamRole.DELIVERY_MANAGER.value))
            plans.append(
                {
                    "row": row,
                    "flagship": flagship,
                    "city": city,
                    "org": org,
                    "domain": domain,
                    "team": team,
                    "size": people,
                    "first_day": first_day,
                    "last_day": last_day,
                    "products": rng.sample(data.PRODUCTS, 2),
                    "weight": {"active": 3.0, "target": 1.2, "dormant": 0.8}[status],
                }
            )
        return plans

    # -- people

    def plan_people(self, p):
        """The account's org chart as contact rows, with who our team deals with (weight)."""
        rng = self.rng
        account_id = p["row"]["id"]
        people = []
        for title, dept, parent, _level, focus, rank in build_org(
            p["size"], data.ORG_TEMPLATES[p["org"]], rng
        ):
            full, surname, surname_py, given_py = person_name(rng, self.surnames)
            chance, base = RANK_ENGAGEMENT[rank]
            engaged = rng.random() < min(0.95, chance * (0.6 + focus / 4))
            weight = base * focus * rng.lognormvariate(0, 0.8) if engaged else 0.0
            phone = mobile_number(rng, self.phones) if rng.random() < 0.88 else ""
            orientation = self.orientations(rng) if engaged or rng.random() < 0.5 else ""
            notes = rng.choice(data.CONTACT_NOTES) if rng.random() < 0.2 else ""
            email = ""
            if rng.random() < 0.85:
                domain = p["domain"] if rng.random() < 0.85 else rng.choice(PERSONAL_MAIL)
                email = email_address(rng, surname_py, given_py, domain, self.emails)
            # Sometimes nobody knows whom a person reports to.
            boss = None
            if parent is not None and rng.random() > 0.04:
                boss = people[parent]["row"]["id"]
            row = {
                "id": self.new_id(Contact),
                "account_id": account_id,
                "name": full,
                "title": title,
                "department": dept,
                "phone": phone,
                "email": email,
                "reports_to_id": boss,
                "orientation": str(orientation),
                "notes": notes,
            }
            people.append(
                {"row": row, "weight": weight, "rank": rank, "surname": surname, "first": None}
            )
        if people and not any(x["weight"] for x in people):
            people[min(len(people) - 1, 1)]["weight"] = 1.0
        p["people"] = people
        p["engaged"] = [x for x in people if x["weight"] > 0]
        p["cumulative"] = list(accumulate(x["weight"] for x in p["engaged"]))
        top = [x for x in p["engaged"] if x["rank"] <= VICE]
        p["top"] = top or [x for x in p["engaged"] if x["rank"] <= HEAD] or p["engaged"]

    def finish_people(self, p):
        """Relationship, first-contact date and creation time, once activities are known."""
        rng = self.rng
        account_created = p["row"]["created_at"]
        for person in p["people"]:
            row = person["row"]
            weight = person["weight"]
            mood = "close" if weight > 2.5 else "engaged" if weight > 0 else "distant"
            row["relationship_status"] = str(self.relationships[mood](rng))
            first = person["first"]
            if first is None and rng.random() < 0.5:
                span = max(0, (self.today - account_created.date()).days)
                first = account_created + timedelta(days=rng.randint(0, span))
            if first is not None:
                row["first_contact_on"] = first.astimezone(TZ).date()
                room = max(0.0, (first - account_created).total_seconds())
                created = account_created + timedelta(seconds=rng.uniform(0, room))
            else:
                row["first_contact_on"] = None
                created = account_created + timedelta(minutes=rng.randint(5, 600))
            row["created_at"] = min(created, self.now)

    # -- activities

    def plan_activity(self, p):
        """One activity row at account plan ``p`` and its participants (people of ``p``)."""
        rng = self.rng
        row_account = p["row"]
        kind = self.kinds(rng)
        # When: a working day in the account's window, during office hours.
        span = max(0, (p["last_day"] - p["first_day"]).days)
        for _ in range(8):  # about one activity in twenty is at a weekend
            day = p["first_day"] + timedelta(days=rng.randint(0, span))
            if day.weekday() < 5 or rng.random() < 0.05:
                break
        hour = rng.choice([9, 9, 10, 10, 10, 11, 11, 13, 14, 14, 15, 15, 16, 16, 17])
        if kind in ("call", "email"):
            minute = rng.randrange(60)
        else:
            minute = rng.choice([0, 0, 15, 30, 30, 45])
        occurred = datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)
        occurred = max(occurred, row_account["created_at"] + timedelta(minutes=30))
        occurred = min(occurred, self.now - timedelta(minutes=5))
        # Who: 1–4 people of this account, the ones our team deals with most more often.
        wanted = min(self.participant_counts[kind](rng), len(p["engaged"]))
        if kind == "executive_meeting":
            pool = p["top"]
            picked = rng.sample(pool, min(wanted, len(pool)))
        else:
            engaged, cumulative = p["engaged"], p["cumulative"]
            total = cumulative[-1]
            chosen: list[int] = []
            for _ in range(wanted * 4):
                index = min(len(engaged) - 1, bisect(cumulative, rng.random() * total))
                if index not in chosen:
                    chosen.append(index)
                    if len(chosen) == wanted:
                        break
            picked = [engaged[index] for index in chosen]
        lead = picked[0]
        fields = {
            "product": rng.choice(p["products"]),
            "contact": honorific(lead["surname"], lead["row"]["title"], lead["row"]["name"]),
            "dept": lead["row"]["department"] or "信息中心",
            "ref": rng.choice(
                [r for r in self.references if r != row_account["name"]] or ["标杆客户"]
            ),
            "our_exec": rng.choice(data.OUR_EXECS),
            "company": data.COMPANY_SHORT,
            "city": p["city"][0],
        }
        subject = rng.choice(data.ACTIVITY_SUBJECTS[kind]).format(**fields)
        notes = [rng.choice(data.NOTE_OPENINGS[kind])]
        if rng.random() < 0.65:
            notes.append(rng.choice(data.NOTE_FINDINGS))
        if rng.random() < 0.7:
            notes.append(rng.choice(data.NOTE_NEXT_STEPS).format(**fields))
        team = p["team"]
        owner_id = team[0][0] if len(team) == 1 or rng.random() < 0.75 else rng.choice(team[1:])[0]
        row = {
            "kind": kind,
            "occurred_at": occurred,
            "subject": subject[:200],
            "notes": "".join(notes),
            "account_id": row_account["id"],
            "owner_id": owner_id,
            "created_at": min(occurred + timedelta(minutes=rng.randint(10, 600)), self.now),
        }
        return row, picked


# ------------------------------------------------------------------------- logins


def _width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def demo_logins_table() -> str:
    """The demo logins and what each one sees, as a small text table."""
    header = ("login", "role", "sees")
    rows = [header, *DEMO_LOGINS]
    widths = [max(_width(row[i]) for row in rows) for i in range(3)]
    lines = [f"Demo logins (演示账号) — password for all (密码): {data.PASSWORD}"]
    for number, row in enumerate(rows):
        lines.append("  " + "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
        if number == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)
