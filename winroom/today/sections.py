"""The sections of a rep's day (METHODOLOGY §3.4), as database queries.

Each section is one queryset built from the core's rules (:mod:`winroom.methodology.today`):
the page counts it per owner in one aggregate query and lists its first rows in a second,
so the page costs the same number of queries for ten rows or ten thousand. Every listed row
says why it is there, with the rule's number.

Whose day: a rep's own records; a manager's (or director's) everyone they manage, with a
filter to one rep; an administrator's everyone. Records are the owner's: deals, actions,
visits, leads and accounts they own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from winroom.accounts.models import Account
from winroom.activities.models import Activity
from winroom.deals.models import (
    Action,
    ActionStatus,
    CompellingEvent,
    Deal,
    DealStatus,
    Review,
    Stage,
)
from winroom.leads.models import Lead, LeadRoute, LeadStatus
from winroom.methodology import today as core
from winroom.methodology.stages import ExitCriterion
from winroom.org.access import viewer_for
from winroom.org.models import CompanySettings, User
from winroom.visits.models import Visit, VisitStatus

#: rows listed per section (the count covers them all)
LIMIT = 15


def url_or_none(name: str, *args, query: str = "") -> str | None:
    """A URL, or None while the page it names does not exist yet."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{query}" if query else url


def start_of(day) -> datetime:
    """Local midnight of ``day`` in the active time zone (the user's)."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def short_date(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


@dataclass
class Link:
    label: str
    url: str
    post: bool = False
    primary: bool = False


@dataclass
class Item:
    """One thing to do: what, why, whose, and the one-click ways to do it."""

    title: str
    url: str | None
    reason: str
    owner: object = None
    links: list[Link] = field(default_factory=list)
    subtitle: str = ""
    key: str = ""


@dataclass
class Section:
    key: str
    title: str
    hint: str
    count: int = 0
    per_owner: dict[int, int] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    more_url: str | None = None
    empty: str = ""


@dataclass
class Scope:
    """Whose day: ``owner_ids`` None means everyone (an administrator)."""

    user: User
    owner_ids: list[int] | None
    team: bool
    rep: User | None = None
    #: the viewer's whole scope (for the rep filter), None for everyone
    user_scope_ids: list[int] | None = None

    def q(self, owner_field: str = "owner") -> Q:
        if self.owner_ids is None:
            return Q()
        return Q(**{f"{owner_field}_id__in": self.owner_ids})

    def managed_q(self, owner_field: str = "owner") -> Q:
        """Records of the people this viewer manages (not their own)."""
        return self.q(owner_field) & ~Q(**{f"{owner_field}_id": self.user.pk})


def scope_for(user, rep_id: str | None = None) -> Scope:
    """The viewer's scope, narrowed to one rep they manage (404 for anyone else)."""
    viewer = viewer_for(user)
    if not viewer.is_active:
        raise Http404
    owners = None if viewer.is_admin else sorted(viewer.owner_scope)
    team = viewer.is_admin or len(viewer.managed_user_ids - {user.pk}) > 0
    if rep_id:
        try:
            number = int(rep_id)
        except (TypeError, ValueError) as error:
            raise Http404 from error
        if owners is not None and number not in owners:
            raise Http404
        rep = User.objects.filter(pk=number).first()
        if rep is None:
            raise Http404
        return Scope(user=user, owner_ids=[number], team=team, rep=rep, user_scope_ids=owners)
    return Scope(user=user, owner_ids=owners, team=team, user_scope_ids=owners)


def count_by_owner(queryset, owner_field: str = "owner_id") -> dict[int, int]:
    rows = queryset.order_by().values(owner_field).annotate(n=Count("pk", distinct=True))
    return {row[owner_field]: row["n"] for row in rows}


# --------------------------------------------------------------------------- querysets


def open_deals(scope: Scope):
    return Deal.objects.filter(
        scope.q(), status=DealStatus.OPEN, account__deleted_at__isnull=True
    ).select_related("account", "owner", "stage")


def stale_deals(scope: Scope, company, now):
    latest = Greatest(
        Coalesce("last_activity_at", "created_at"), F("stage_changed_at"), F("created_at")
    )
    cutoff = core.stale_cutoff(now, company.stale_after_days)
    return (
        open_deals(scope)
        .annotate(latest_move=latest)
        .filter(latest_move__lte=cutoff)
        .order_by("latest_move", "pk")
    )


def overdue_actions(scope: Scope, today):
    return (
        Action.objects.filter(
            scope.q(),
            status=ActionStatus.OPEN,
            due_on__lt=today,
            deal__status=DealStatus.OPEN,
            deal__deleted_at__isnull=True,
            deal__account__deleted_at__isnull=True,
        )
        .select_related("deal", "deal__account", "owner")
        .order_by("due_on", "pk")
    )


def reviews_overdue(scope: Scope, company, today):
    cutoff = core.review_cutoff(today, company.review_every_days)
    last = Review.objects.filter(deal=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
    return (
        open_deals(scope)
        .filter(grade__in=sorted(core.COACHED_GRADES))
        .annotate(last_review=Subquery(last))
        .filter(
            Q(last_review__lt=cutoff) | Q(last_review__isnull=True, created_at__date__lt=cutoff)
        )
        .order_by(F("last_review").asc(nulls_first=True), "created_at", "pk")
    )


def reviews_owed(scope: Scope, company, today):
    """Overdue reviews of deals whose owner's first-line manager is this viewer."""
    return (
        reviews_overdue(scope, company, today)
        .filter(owner__team__manager=scope.user)
        .exclude(owner=scope.user)
    )


def health_risks(scope: Scope):
    return (
        open_deals(scope)
        .filter(health_score__lt=core.HEALTH_ATTENTION_BELOW)
        .order_by("health_score", "pk")
    )


def missing_compelling_event(scope: Scope):
    first = (
        Stage.objects.filter(exit_criterion=ExitCriterion.COMPELLING_EVENT)
        .order_by("number")
        .values("number")[:1]
    )
    live = CompellingEvent.objects.filter(deal=OuterRef("pk"), withdrawn=False)
    return (
        open_deals(scope)
        .annotate(required_after=Coalesce(Subquery(first), Value(1), output_field=IntegerField()))
        .filter(stage__number__gt=F("required_after"))
        .filter(~Exists(live))
        .order_by("-stage__number", "pk")
    )


def leads_to_process(scope: Scope, company, today):
    held = Greatest(
        Coalesce("last_touched_at", "assigned_at", "created_at"),
        Coalesce("assigned_at", "created_at"),
        F("created_at"),
    )
    cutoff = core.lead_warning_cutoff(today, company.recycle_rule())
    return (
        Lead.objects.filter(scope.q(), status__in=[LeadStatus.NEW, LeadStatus.WORKING])
        .annotate(held_since=held)
        .filter(
            Q(first_touched_at__isnull=True) | Q(held_since__lt=start_of(cutoff + timedelta(1)))
        )
        .select_related("owner")
        .order_by("held_since", "pk")
    )


def pool_for(user):
    """The pool's newest leads on the route of most leads this person has worked (their
    route; the key-account route for someone new), in one query."""
    mine = (
        Lead.all_objects.filter(owner=user)
        .order_by()
        .values("route")
        .annotate(n=Count("pk"))
        .order_by("-n", "route")
        .values("route")[:1]
    )
    return (
        Lead.objects.pool()
        .annotate(my_route=Coalesce(Subquery(mine), Value(LeadRoute.KEY_ACCOUNT)))
        .filter(route=F("my_route"))
        .order_by("-created_at", "-pk")
    )


def visits_to_prepare(scope: Scope, now):
    """Planned from now to the end of tomorrow, in the user's time zone (earlier today:
    held, so they are to record instead)."""
    _start, end = core.day_window(timezone.localdate(now), 2)
    return (
        Visit.objects.filter(
            scope.q(),
            status=VisitStatus.PLANNED,
            planned_at__gte=now,
            planned_at__lt=start_of(end),
        )
        .select_related("account", "deal", "owner")
        .order_by("planned_at", "pk")
    )


def visits_to_record(scope: Scope, now):
    return (
        Visit.objects.filter(scope.q(), status=VisitStatus.PLANNED, planned_at__lt=now)
        .select_related("account", "deal", "owner")
        .order_by("planned_at", "pk")
    )


def visits_to_score(scope: Scope):
    """Recorded visits of the people this viewer manages, without the manager's scores."""
    return (
        Visit.objects.filter(
            scope.managed_q(), status=VisitStatus.DONE, manager_scored_at__isnull=True
        )
        .select_related("account", "deal", "owner")
        .order_by("visited_on", "pk")
    )


def revisits(scope: Scope, company, today):
    cutoff = core.revisit_cutoff(today, company.revisit_after_days)
    since = cutoff + timedelta(days=1)
    won = Deal.objects.filter(account=OuterRef("pk"), status=DealStatus.WON)
    recent_activity = Activity.objects.filter(
        account=OuterRef("pk"), occurred_at__gte=start_of(since)
    )
    recent_visit = Visit.objects.filter(account=OuterRef("pk")).exclude(
        status=VisitStatus.CANCELLED
    )
    recent_visit = recent_visit.filter(
        Q(visited_on__gte=since) | Q(planned_at__gte=start_of(since))
    )
    last_activity = (
        Activity.objects.filter(account=OuterRef("pk"))
        .order_by()
        .values("account")
        .annotate(m=Max("occurred_at"))
        .values("m")
    )
    last_visit = (
        Visit.objects.filter(account=OuterRef("pk"), status=VisitStatus.DONE)
        .order_by()
        .values("account")
        .annotate(m=Max("visited_on"))
        .values("m")
    )
    return (
        Account.objects.filter(scope.q())
        .filter(Exists(won))
        .exclude(Exists(recent_activity))
        .exclude(Exists(recent_visit))
        .annotate(last_activity=Subquery(last_activity), last_visit=Subquery(last_visit))
        .select_related("owner")
        .order_by("name", "pk")
    )


# --------------------------------------------------------------------------- explanations


def deal_link(deal, anchor: str) -> str:
    return reverse("deals:detail", args=[deal.pk]) + f"#{anchor}"


def _days(n: int) -> str:
    return _("%(n)s days") % {"n": n}


def explain_stale(deal, company, today) -> str:
    return _("no activity and no stage change for %(days)s (rule: %(rule)s)") % {
        "days": _days(core.days_since(timezone.localtime(deal.latest_move), today)),
        "rule": company.stale_after_days,
    }


def explain_action(action, today) -> str:
    return _("due %(date)s, %(days)s overdue") % {
        "date": short_date(action.due_on),
        "days": _days((today - action.due_on).days),
    }


def explain_review(deal, company) -> str:
    created = timezone.localdate(deal.created_at)
    due = core.review_due_on(
        last_review=deal.last_review, created=created, every_days=company.review_every_days
    )
    if deal.last_review:
        return _(
            "grade %(grade)s: last review %(last)s, next was due %(due)s (rule: every %(rule)s days)"
        ) % {
            "grade": deal.get_grade_display(),
            "last": short_date(deal.last_review),
            "due": short_date(due),
            "rule": company.review_every_days,
        }
    return _(
        "grade %(grade)s: no review since it was created %(created)s, due %(due)s "
        "(rule: every %(rule)s days)"
    ) % {
        "grade": deal.get_grade_display(),
        "created": short_date(created),
        "due": short_date(due),
        "rule": company.review_every_days,
    }


def explain_health(deal) -> str:
    return _(
        "health %(score)s (attention below %(bound)s): indicators under the stage's standard"
    ) % {
        "score": deal.health_score,
        "bound": core.HEALTH_ATTENTION_BELOW,
    }


def explain_event(deal) -> str:
    return _(
        "at stage %(stage)s (“%(name)s”) with no compelling event; required after stage %(after)s"
    ) % {
        "stage": deal.stage.number,
        "name": deal.stage,
        "after": deal.required_after,
    }


def explain_lead(lead, company, today) -> str:
    attention = core.lead_attention(
        never_touched=lead.first_touched_at is None,
        held_since=timezone.localdate(lead.held_since),
        today=today,
        rule=company.recycle_rule(),
    )
    values = {
        "date": short_date(attention.returns_on),
        "days": _days(attention.days_untouched),
        "rule": company.lead_recycle_days,
    }
    if attention.reason == "new":
        return (
            _("new, never touched; back to the pool on %(date)s (rule: %(rule)s days untouched)")
            % values
        )
    return (
        _("untouched for %(days)s; back to the pool on %(date)s (rule: %(rule)s days untouched)")
        % values
    )


def explain_visit_time(visit, today) -> str:
    local = timezone.localtime(visit.planned_at)
    when = _("today") if local.date() == today else _("tomorrow")
    missing = []
    if not visit.objective.strip():
        missing.append(_("objective"))
    if not visit.questions.strip():
        missing.append(_("questions to ask"))
    if not visit.commitment_ask.strip():
        missing.append(_("commitment to ask for"))
    text = _("%(when)s %(time)s") % {"when": when, "time": local.strftime("%H:%M")}
    if missing:
        text += " · " + _("plan missing: %(parts)s") % {"parts": ", ".join(str(m) for m in missing)}
    return text


def explain_record(visit, company, today) -> str:
    held = timezone.localdate(visit.planned_at)
    return _(
        "held %(date)s, not recorded yet (effective only when recorded within %(rule)s days)"
    ) % {
        "date": short_date(held),
        "rule": company.visit_record_within_days,
    }


def explain_score(visit) -> str:
    return _("recorded by %(rep)s on %(date)s; no manager scores yet") % {
        "rep": visit.owner,
        "date": short_date(visit.visited_on or timezone.localdate(visit.planned_at)),
    }


def explain_revisit(account, company, today) -> str:
    dates = [
        d
        for d in (
            timezone.localdate(account.last_activity) if account.last_activity else None,
            account.last_visit,
        )
        if d is not None
    ]
    if not dates:
        return _("won customer with no contact recorded (rule: revisit every %(rule)s days)") % {
            "rule": company.revisit_after_days
        }
    last = max(dates)
    return _("won customer, last contact %(date)s, %(days)s ago (rule: %(rule)s days)") % {
        "date": short_date(last),
        "days": _days((today - last).days),
        "rule": company.revisit_after_days,
    }


# --------------------------------------------------------------------------- the page


TITLES = {
    "leads": (
        gettext_lazy("Leads to process"),
        gettext_lazy("Held leads never touched or about to return to the pool."),
    ),
    "pool": (
        gettext_lazy("From the pool"),
        gettext_lazy("You hold no leads: the newest in the pool on your route."),
    ),
    "stale": (
        gettext_lazy("Stale opportunities"),
        gettext_lazy("No activity and no stage change for too long."),
    ),
    "actions": (gettext_lazy("Overdue actions"), gettext_lazy("Open actions past their due date.")),
    "reviews": (
        gettext_lazy("Coaching reviews overdue"),
        gettext_lazy("A/B opportunities without a review within the company's cadence."),
    ),
    "owed": (
        gettext_lazy("Coaching reviews you owe"),
        gettext_lazy("Overdue reviews of your team's A/B opportunities."),
    ),
    "health": (gettext_lazy("Health risks"), gettext_lazy("Health below the attention line.")),
    "event": (
        gettext_lazy("Missing compelling event"),
        gettext_lazy("Past the stage that requires one, with none recorded."),
    ),
    "prepare": (gettext_lazy("Visits to prepare"), gettext_lazy("Planned today and tomorrow.")),
    "record": (gettext_lazy("Visits to record"), gettext_lazy("Held but not recorded yet.")),
    "score": (
        gettext_lazy("Visits to evaluate"),
        gettext_lazy("Your reps' recorded visits without your scores."),
    ),
    "revisit": (
        gettext_lazy("Customers to revisit"),
        gettext_lazy("Won customers with no contact for too long."),
    ),
}

GROUPS = [
    (gettext_lazy("Leads"), ["leads", "pool"]),
    (
        gettext_lazy("Opportunities needing action"),
        ["stale", "actions", "reviews", "owed", "health", "event"],
    ),
    (gettext_lazy("Visits"), ["prepare", "record", "score"]),
    (gettext_lazy("Existing customers"), ["revisit"]),
]


def section_querysets(scope: Scope, company, now) -> dict[str, tuple]:
    """Section key → (queryset, owner field) for this scope, in page order."""
    today = timezone.localdate(now)
    sections: dict[str, tuple] = {
        "leads": (leads_to_process(scope, company, today), "owner_id"),
        "stale": (stale_deals(scope, company, now), "owner_id"),
        "actions": (overdue_actions(scope, today), "owner_id"),
        "reviews": (reviews_overdue(scope, company, today), "owner_id"),
        "health": (health_risks(scope), "owner_id"),
        "event": (missing_compelling_event(scope), "owner_id"),
        "prepare": (visits_to_prepare(scope, now), "owner_id"),
        "record": (visits_to_record(scope, now), "owner_id"),
        "revisit": (revisits(scope, company, today), "owner_id"),
    }
    if scope.team:
        sections["owed"] = (reviews_owed(scope, company, today), "owner_id")
        sections["score"] = (visits_to_score(scope), "owner_id")
    return sections


def summary(scope: Scope, *, now=None) -> dict[str, int]:
    """Counts per section (the API's today summary): one COUNT query per section."""
    now = now or timezone.now()
    company = CompanySettings.current()
    return {
        key: qs.order_by().count()
        for key, (qs, _field) in section_querysets(scope, company, now).items()
    }


def build(scope: Scope, *, now=None) -> dict:
    """Everything the Today page shows for ``scope``."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    company = CompanySettings.current()
    sections: dict[str, Section] = {}
    for key, (queryset, owner_field) in section_querysets(scope, company, now).items():
        title, hint = TITLES[key]
        section = Section(key=key, title=str(title), hint=str(hint))
        section.per_owner = count_by_owner(queryset, owner_field)
        section.count = sum(section.per_owner.values())
        rows = list(queryset[:LIMIT]) if section.count else []
        section.items = [ITEM_BUILDERS[key](row, company, today) for row in rows]
        sections[key] = section
    if not scope.team and sections["leads"].count == 0:
        title, hint = TITLES["pool"]
        pool = Section(key="pool", title=str(title), hint=str(hint))
        pool.items = [pool_item(lead) for lead in pool_for(scope.user)[:5]]
        pool.count = len(pool.items)
        pool.more_url = reverse("leads:list") + "?tab=pool"
        sections["pool"] = pool
    groups = []
    for label, keys in GROUPS:
        present = [sections[k] for k in keys if k in sections]
        if present:
            groups.append(
                {
                    "label": label,
                    "sections": present,
                    "count": sum(s.count for s in present if s.key != "pool"),
                }
            )
    return {"sections": sections, "groups": groups, "company": company, "today": today}


def team_rows(scope: Scope, sections: dict[str, Section]) -> list[dict]:
    """Per-rep counts for a manager's view (one query for the people)."""
    if not scope.team or scope.rep is not None:
        return []
    ids = set()
    for section in sections.values():
        ids |= {pk for pk in section.per_owner if pk is not None}
    if scope.owner_ids is not None:
        people = User.objects.filter(Q(pk__in=scope.owner_ids, is_active=True) | Q(pk__in=ids))
    else:
        people = User.objects.filter(pk__in=ids)
    rows = []
    for person in people.select_related("team").order_by("team__name", "username"):
        counts = [
            section.per_owner.get(person.pk, 0)
            for section in sections.values()
            if section.key != "pool"
        ]
        rows.append({"person": person, "counts": counts, "total": sum(counts)})
    return rows


# --------------------------------------------------------------------------- items


def deal_item(deal, reason: str, anchor: str, label) -> Item:
    return Item(
        title=deal.name,
        subtitle=str(deal.account),
        url=deal_link(deal, anchor),
        reason=reason,
        owner=deal.owner,
        links=[Link(str(label), deal_link(deal, anchor), primary=True)],
        key=f"deal-{deal.pk}",
    )


def stale_item(deal, company, today) -> Item:
    item = deal_item(deal, explain_stale(deal, company, today), "actions", _("Add an action"))
    visit = url_or_none("visits:create", query=f"deal={deal.pk}&account={deal.account_id}")
    if visit:
        item.links.append(Link(_("Plan a visit"), visit))
    return item


def action_item(action, company, today) -> Item:
    return Item(
        title=action.title,
        subtitle=f"{action.deal} · {action.deal.account}",
        url=deal_link(action.deal, "actions"),
        reason=explain_action(action, today),
        owner=action.owner,
        links=[
            Link(
                _("Done"), reverse("today:action_done", args=[action.pk]), post=True, primary=True
            ),
            Link(_("Open"), deal_link(action.deal, "actions")),
        ],
        key=f"action-{action.pk}",
    )


def review_item(deal, company, today) -> Item:
    return deal_item(deal, explain_review(deal, company), "reviews", _("Open the review"))


def health_item(deal, company, today) -> Item:
    item = deal_item(deal, explain_health(deal), "health", _("See the risks"))
    item.links.append(Link(_("Add an action"), deal_link(deal, "actions")))
    return item


def event_item(deal, company, today) -> Item:
    return deal_item(deal, explain_event(deal), "compelling-event", _("Record it"))


def lead_item(lead, company, today) -> Item:
    url = reverse("leads:detail", args=[lead.pk])
    return Item(
        title=lead.company_name,
        subtitle=lead.get_route_display(),
        url=url,
        reason=explain_lead(lead, company, today),
        owner=lead.owner,
        links=[Link(_("Process"), url, primary=True)],
        key=f"lead-{lead.pk}",
    )


def pool_item(lead) -> Item:
    url = reverse("leads:detail", args=[lead.pk])
    return Item(
        title=lead.company_name,
        subtitle=lead.get_route_display(),
        url=url,
        reason=_("in the pool since %(date)s")
        % {"date": short_date(timezone.localdate(lead.created_at))},
        links=[Link(_("Claim"), reverse("leads:claim", args=[lead.pk]), post=True, primary=True)],
        key=f"pool-{lead.pk}",
    )


def _visit_links(visit, *names) -> list[Link]:
    labels = {
        "visits:detail": _("Prepare"),
        "visits:record": _("Record"),
        "visits:evaluate": _("Evaluate"),
    }
    links = []
    for index, name in enumerate(names):
        url = url_or_none(name, visit.pk)
        if url:
            links.append(Link(str(labels[name]), url, primary=index == 0))
    return links


def visit_item(visit, reason: str, *names) -> Item:
    links = _visit_links(visit, *names)
    return Item(
        title=str(visit.account),
        subtitle=str(visit.deal) if visit.deal_id else "",
        url=links[0].url if links else None,
        reason=reason,
        owner=visit.owner,
        links=links,
        key=f"visit-{visit.pk}",
    )


def prepare_item(visit, company, today) -> Item:
    return visit_item(visit, explain_visit_time(visit, today), "visits:detail")


def record_item(visit, company, today) -> Item:
    return visit_item(
        visit, explain_record(visit, company, today), "visits:record", "visits:detail"
    )


def score_item(visit, company, today) -> Item:
    return visit_item(visit, explain_score(visit), "visits:evaluate", "visits:detail")


def revisit_item(account, company, today) -> Item:
    url = reverse("accounts:detail", args=[account.pk])
    links = []
    plan = url_or_none("visits:create", query=f"account={account.pk}")
    if plan:
        links.append(Link(_("Plan a revisit"), plan, primary=True))
    links.append(Link(_("Open"), url))
    return Item(
        title=account.name,
        url=url,
        reason=explain_revisit(account, company, today),
        owner=account.owner,
        links=links,
        key=f"account-{account.pk}",
    )


ITEM_BUILDERS = {
    "leads": lead_item,
    "stale": stale_item,
    "actions": action_item,
    "reviews": review_item,
    "owed": review_item,
    "health": health_item,
    "event": event_item,
    "prepare": prepare_item,
    "record": record_item,
    "score": score_item,
    "revisit": revisit_item,
}
