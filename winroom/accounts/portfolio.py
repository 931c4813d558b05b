"""The managers' account list (portfolio), its CSV export and the seven-elements comparison.

Every figure of the list is computed by the database for all visible accounts at once
(correlated subqueries), so the list can be sorted and filtered on it and costs the same
number of queries for 5 or 500 accounts:

- account score: mean of the key contacts' scores (§1.2), in integer tenths, exactly as
  :mod:`winroom.methodology.relationship_score` computes it one account at a time;
- level distribution of the key contacts (§1.3);
- coverage gaps: decision roles of open deals without a supporter
  (:mod:`winroom.methodology.relationship_portfolio`);
- supplier tier: the latest assessment (§1.5);
- account plan status of the current year, when the plans app provides ``AccountPlan``.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

import django_filters
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Least, Round
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from winroom.activities.models import Activity
from winroom.exports import lists as exports
from winroom.exports.spreadsheet import (  # noqa: F401 (the first two were defined here)
    FORMULA_STARTS,
    spreadsheet_safe,
    wanted_format,
)
from winroom.methodology import relationship_portfolio as core
from winroom.methodology.seven_elements import seven_elements
from winroom.org.access import get_visible_or_404
from winroom.org.models import CompanySettings, Team, User
from winroom.web import paginate, query_without_page

from .labels import ELEMENT_LABELS
from .models import (
    LEVEL_COLOURS,
    Account,
    AccountMember,
    Contact,
    Industry,
    RelationshipLevel,
    SupplierTier,
    SupplierTierAssessment,
)
from .relationships import FREQUENCY_DAYS, annotate

# -- the figures, in SQL -------------------------------------------------------------------


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _holds_decision_role(contact_ref: str = "pk", account_ref: str = "account"):
    """The contact holds a decision role in an open, living deal of its own account."""
    from winroom.deals.models import DealPerson, DealStatus

    return Exists(
        DealPerson.objects.filter(
            contact=OuterRef(contact_ref),
            deal__account=OuterRef(account_ref),
            deal__status=DealStatus.OPEN,
            deal__deleted_at__isnull=True,
        ).exclude(decision_role="")
    )


def contact_score_tenths(company, today):
    """A contact's score in tenths, for a queryset of contacts (§1.2, exact integers)."""
    rule = company.score_rule()
    scale = core.coefficient_scale(rule.coefficients.values())
    unit_scale = core.POINT_SCALE * scale
    links = Activity.relationship_actions.through.objects.filter(
        activity__participants=OuterRef("pk"),
        activity__deleted_at__isnull=True,
        activity__occurred_at__gte=_start_of(rule.window_start(today)),
        activity__occurred_at__lt=_start_of(today + timedelta(days=1)),
    )
    point_tenths = Subquery(
        links.order_by()
        .values("activity__participants")
        .annotate(
            t=Sum(
                Cast(
                    Round(F("relationshipactiontype__points") * core.POINT_SCALE),
                    IntegerField(),
                )
            )
        )
        .values("t"),
        output_field=IntegerField(),
    )
    coefficient = Case(
        *(
            When(level=str(level), then=Value(int(value * scale)))
            for level, value in rule.coefficients.items()
        ),
        default=Value(scale),
        output_field=IntegerField(),
    )
    units = Least(
        Coalesce(point_tenths, Value(0)) * coefficient,
        Value(int(rule.cap * unit_scale)),
        output_field=IntegerField(),
    )
    per_tenth = unit_scale // core.POINT_SCALE
    return Cast(units + Value(per_tenth // 2), IntegerField()) / Value(per_tenth)


def key_contacts_of_account():
    """Living key contacts of the outer account (§1.2: a decision role in an open deal, or
    marked key)."""
    return (
        Contact.objects.filter(account=OuterRef("pk"))
        .annotate(holds_role=_holds_decision_role())
        .filter(Q(marked_key=True) | Q(holds_role=True))
        .order_by()
    )


def _per_account(queryset, *, by: str = "account", **aggregate):
    """One aggregate of ``queryset`` per outer account, 0 when it has no row."""
    ((name, expression),) = aggregate.items()
    return Coalesce(
        Subquery(
            queryset.order_by().values(by).annotate(**{name: expression}).values(name),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def unsupported_holders():
    """Decision-role holders of open deals whose (deal, role) has no holder who is at least
    a supporter: the people of the coverage gaps."""
    from winroom.deals.models import DealPerson, DealStatus

    same_slot = DealPerson.objects.filter(
        deal=OuterRef("deal"),
        decision_role=OuterRef("decision_role"),
        contact__deleted_at__isnull=True,
    )
    return (
        DealPerson.objects.filter(
            deal__status=DealStatus.OPEN,
            deal__deleted_at__isnull=True,
            contact__deleted_at__isnull=True,
        )
        .exclude(decision_role="")
        .exclude(Exists(same_slot.filter(contact__relationship_level__in=list(core.SUPPORTING))))
    )


def gap_people():
    """One row per coverage gap (deal, role): the role's first unsupported holder."""
    from winroom.deals.models import DealPerson

    earlier = DealPerson.objects.filter(
        deal=OuterRef("deal"),
        decision_role=OuterRef("decision_role"),
        contact__deleted_at__isnull=True,
        pk__lt=OuterRef("pk"),
    )
    return unsupported_holders().exclude(Exists(earlier))


def gaps_by_account(account_ids) -> dict[int, list[dict]]:
    """The coverage gaps of the given accounts for display: role and the people holding it
    (deal names are left out: the reader of an account may not read all its deals)."""
    from winroom.deals.models import DecisionRole

    labels = dict(DecisionRole.choices)
    rows = (
        unsupported_holders()
        .filter(deal__account_id__in=list(account_ids))
        .order_by("deal__account_id", "deal_id", "decision_role", "pk")
        .values_list("deal__account_id", "deal_id", "decision_role", "contact_id", "contact__name")
    )
    slots: dict[int, dict[tuple, list[dict]]] = defaultdict(dict)
    for account_id, deal_id, role, contact_id, name in rows:
        slots[account_id].setdefault((deal_id, role), []).append({"id": contact_id, "name": name})
    return {
        account_id: [
            {
                "role": role,
                "role_label": str(labels.get(role, role)),
                "contacts": contacts,
                "people": [c["name"] for c in contacts],
            }
            for (_deal, role), contacts in by_slot.items()
        ]
        for account_id, by_slot in slots.items()
    }


def _plan_model():
    try:
        return apps.get_model("plans", "AccountPlan")
    except LookupError:
        return None


def current_plan_status():
    """The status of the account's plan for the current year, or None.

    HOOK: reads ``winroom.plans.models.AccountPlan`` (account, year, status) when that model
    exists (the plans app is being built); until then the column says “—”."""
    plan_model = _plan_model()
    if plan_model is None:
        return Value(None, output_field=CharField())
    return Subquery(
        plan_model.objects.filter(account=OuterRef("pk"), year=timezone.localdate().year)
        .order_by("-pk")
        .values("status")[:1],
        output_field=CharField(),
    )


def plan_status_labels() -> dict:
    plan_model = _plan_model()
    if plan_model is None:
        return {}
    return {str(k): str(v) for k, v in plan_model._meta.get_field("status").flatchoices}


def with_relationship_figures(accounts, *, company, today=None):
    """Annotate accounts with every figure of the portfolio (see the module docstring)."""
    today = today or timezone.localdate()
    key = key_contacts_of_account()
    scored = key.annotate(tenths=contact_score_tenths(company, today))
    levels = {
        f"n_{level}": _per_account(key.filter(relationship_level=level), n=Count("pk"))
        for level in core.LEVELS
    }
    gaps = gap_people().filter(deal__account=OuterRef("pk"))
    latest_tier = SupplierTierAssessment.objects.filter(account=OuterRef("pk")).order_by(
        "-assessed_at", "-pk"
    )
    return accounts.annotate(
        key_count=_per_account(key, n=Count("pk")),
        key_sum=_per_account(scored, s=Sum("tenths")),
        **levels,
        gap_count=_per_account(gaps, by="deal__account", n=Count("pk")),
        tier=Subquery(latest_tier.values("tier")[:1], output_field=IntegerField()),
        plan_status=current_plan_status(),
    ).annotate(
        score_tenths=Case(
            When(key_count=0, then=Value(None)),
            default=(F("key_sum") * 2 + F("key_count")) / (F("key_count") * 2),
            output_field=IntegerField(),
        )
    )


def portfolio_queryset(user, *, company, today=None):
    """The accounts ``user`` may read, with their figures, owner and account team."""
    members = AccountMember.objects.select_related("user").order_by("role", "pk")
    accounts = (
        Account.objects.visible_to(user)
        .select_related("owner", "owner__team")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("name", "pk")
    )
    return with_relationship_figures(accounts, company=company, today=today)


# -- filters and sorting ---------------------------------------------------------------

SORTS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "score": (F("score_tenths").asc(nulls_first=True), "name", "pk"),
    "-score": (F("score_tenths").desc(nulls_last=True), "name", "pk"),
    "gaps": ("gap_count", "name", "pk"),
    "-gaps": ("-gap_count", "name", "pk"),
    "tier": (F("tier").asc(nulls_first=True), "name", "pk"),
    "-tier": (F("tier").desc(nulls_last=True), "name", "pk"),
    "owner": ("owner__display_name", "owner__username", "name", "pk"),
    "-owner": ("-owner__display_name", "-owner__username", "name", "pk"),
}

SORT_LABELS = [
    ("-score", gettext_lazy("Highest score first")),
    ("score", gettext_lazy("Lowest score first")),
    ("-gaps", gettext_lazy("Most coverage gaps first")),
    ("gaps", gettext_lazy("Fewest coverage gaps first")),
    ("-tier", gettext_lazy("Highest supplier tier first")),
    ("tier", gettext_lazy("Lowest supplier tier first")),
    ("name", gettext_lazy("Name")),
    ("-name", gettext_lazy("Name, Z to A")),
    ("owner", gettext_lazy("Owner")),
    ("-owner", gettext_lazy("Owner, Z to A")),
]

NOT_ASSESSED = "none"


class PortfolioFilter(django_filters.FilterSet):
    """Filters of the account portfolio (pages, export and API alike)."""

    q = django_filters.CharFilter(method="search", label=gettext_lazy("Search"))
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.order_by("name"),
        field_name="owner__team",
        method="in_team",
        label=gettext_lazy("sales team"),
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(is_active=True).order_by("display_name", "username"),
        label=gettext_lazy("owner"),
    )
    industry = django_filters.ChoiceFilter(choices=Industry.choices, label=gettext_lazy("industry"))
    region = django_filters.CharFilter(lookup_expr="icontains", label=gettext_lazy("region"))
    tier = django_filters.ChoiceFilter(
        choices=[*SupplierTier.choices, (NOT_ASSESSED, gettext_lazy("not assessed"))],
        method="with_tier",
        label=gettext_lazy("supplier tier"),
    )
    gaps = django_filters.ChoiceFilter(
        choices=[
            ("yes", gettext_lazy("with coverage gaps")),
            ("no", gettext_lazy("without coverage gaps")),
        ],
        method="with_gaps",
        label=gettext_lazy("coverage gaps"),
    )
    score_min = django_filters.NumberFilter(
        method="score_at_least", min_value=0, max_value=100, label=gettext_lazy("score from")
    )
    score_max = django_filters.NumberFilter(
        method="score_at_most", min_value=0, max_value=100, label=gettext_lazy("score to")
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_LABELS, method="sort_by", label=gettext_lazy("Sort by"), empty_label=None
    )

    class Meta:
        model = Account
        fields = ["q", "team", "owner", "industry", "region"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset

    def in_team(self, queryset, name, team):
        from winroom.methodology.trees import team_subtree

        teams = team_subtree(dict(Team.objects.values_list("pk", "parent_id")), [team.pk])
        return queryset.filter(owner__team_id__in=sorted(teams))

    def with_tier(self, queryset, name, value):
        if value == NOT_ASSESSED:
            return queryset.filter(tier__isnull=True)
        return queryset.filter(tier=int(value))

    def with_gaps(self, queryset, name, value):
        return queryset.filter(gap_count__gt=0) if value == "yes" else queryset.filter(gap_count=0)

    def score_at_least(self, queryset, name, value):
        return queryset.filter(score_tenths__gte=value * core.POINT_SCALE)

    def score_at_most(self, queryset, name, value):
        return queryset.filter(score_tenths__lte=value * core.POINT_SCALE)

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["name"]))


# -- rows for display ------------------------------------------------------------------


def decorate(accounts) -> list:
    """Attach the display values to each annotated account (no query but one for gaps)."""
    accounts = list(accounts)
    gaps = gaps_by_account(a.pk for a in accounts)
    tier_labels = dict(SupplierTier.choices)
    plan_labels = plan_status_labels()
    level_labels = dict(RelationshipLevel.choices)
    for account in accounts:
        account.score = core.tenths_to_score(account.score_tenths)
        counts = [(level, getattr(account, f"n_{level}")) for level in core.LEVELS]
        total = sum(n for _level, n in counts) or 1
        account.distribution = [
            {
                "level": level,
                "label": level_labels[level],
                "colour": LEVEL_COLOURS[level],
                "count": n,
                "percent": round(100 * n / total, 1),
            }
            for level, n in counts
        ]
        account.gaps = gaps.get(account.pk, [])
        account.tier_label = tier_labels.get(account.tier, "")
        account.plan_label = plan_labels.get(account.plan_status or "", account.plan_status or "")
    return accounts


def _filtered(request):
    company = CompanySettings.current()
    accounts = portfolio_queryset(request.user, company=company)
    data = request.GET.copy()
    if not data.get("sort"):
        data["sort"] = "-score"
    return PortfolioFilter(data, queryset=accounts), company


@login_required
@require_safe
def portfolio(request):
    """The account list for managers (and reps, over their own accounts)."""
    filterset, company = _filtered(request)
    if wanted_format(request):
        return exports.portfolio(request, filterset.qs)
    page = paginate(request, filterset.qs)
    page.object_list = decorate(page.object_list)
    context = {
        "filter": filterset,
        "page": page,
        "query": query_without_page(request),
        "export_query": query_without_page(request),
        "window_days": company.score_window_days,
        "plans_enabled": _plan_model() is not None,
    }
    template = "accounts/portfolio.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


# -- export (the columns live in winroom.exports.lists) -----------------------------------


@login_required
@require_safe
def portfolio_export(request):
    """The same list as a CSV file (UTF-8 with BOM, so that Excel reads the Chinese);
    ``?format=xlsx`` on the list itself gives the Excel file."""
    filterset, _company = _filtered(request)
    return exports.portfolio(request, filterset.qs, fmt="csv")


# -- seven elements across the account's key people ------------------------------------


@login_required
@require_safe
def account_elements(request, pk):
    """The seven elements (§1.4) of the account's key people side by side."""
    account = get_visible_or_404(Account.objects.select_related("owner"), request.user, pk=pk)
    company = CompanySettings.current()
    people = compare_elements(account, company=company, everyone=request.GET.get("all") == "1")
    context = {
        "account": account,
        **people,
        "everyone": request.GET.get("all") == "1",
        "frequency_days": FREQUENCY_DAYS,
    }
    return render(request, "accounts/elements_compare.html", context)


def compare_elements(account, *, company, everyone=False, today=None) -> dict:
    """Key contacts (or everyone) with their seven elements and the extremes per element.

    Three queries whatever the number of people: contacts with their recent interactions,
    the relationship actions of the window, the decision roles."""
    today = today or timezone.localdate()
    since = _start_of(today - timedelta(days=FREQUENCY_DAYS - 1))
    contacts = (
        Contact.objects.filter(account=account)
        .annotate(
            interactions_90d=Count(
                "activities",
                filter=Q(activities__deleted_at__isnull=True, activities__occurred_at__gte=since),
                distinct=True,
            )
        )
        .order_by("name", "pk")
    )
    contacts = annotate(contacts, company=company, today=today)
    people = contacts if everyone else [c for c in contacts if c.is_key]
    for person in people:
        first = person.first_contact_on
        person.elements = seven_elements(
            person.judged_elements(),
            interactions_90d=person.interactions_90d,
            first_contact=first if first is not None and first <= today else None,
            today=today,
        )
    extremes = core.element_extremes([(p.pk, p.elements.values) for p in people])
    names = {p.pk: p.name for p in people}
    codes = [e.element for e in extremes]
    for person in people:
        person.cells = [
            {
                "code": e.element,
                "value": person.elements.values[e.element],
                "strongest": e.answered > 1 and person.pk in e.strongest_by,
                "weakest": e.answered > 1
                and e.strongest != e.weakest
                and person.pk in e.weakest_by,
            }
            for e in extremes
        ]
    return {
        "people": people,
        "key_total": sum(1 for c in contacts if c.is_key),
        "contact_total": len(contacts),
        "extremes": [
            {
                "code": e.element,
                "label": ELEMENT_LABELS[e.element],
                "derived": e.element in ("frequency", "length"),
                "strongest": e.strongest,
                "strongest_by": [names[p] for p in e.strongest_by],
                "weakest": e.weakest,
                "weakest_by": [names[p] for p in e.weakest_by],
                "answered": e.answered,
            }
            for e in extremes
        ],
        "chart": {
            "indicators": [{"name": str(ELEMENT_LABELS[c]), "max": 5} for c in codes],
            "series": [
                {"name": p.name, "value": [p.elements.values[c] or 0 for c in codes]}
                for p in people
            ],
        },
    }
