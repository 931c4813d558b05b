"""Pipeline filters: owner, team, stage, grade, status, win-rate band, stale, overdue."""

from datetime import timedelta
from decimal import Decimal

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from winroom.attributes.filters import CustomAttributeFilters
from winroom.methodology.trees import team_subtree
from winroom.org.models import CompanySettings, Team, User

from .models import Deal, DealStatus, Grade, Stage

BANDS = [
    ("commit", _("Commit (≥ 70%)")),
    ("best_case", _("Best case (40–70%)")),
    ("pipeline", _("Pipeline (< 40%)")),
    ("none", _("No win rate")),
]


class DealFilter(CustomAttributeFilters, django_filters.FilterSet):
    custom_target = "deal"

    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=DealStatus.choices, label=_("status"))
    stage = django_filters.ModelChoiceFilter(queryset=Stage.objects.all(), label=_("stage"))
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label=_("grade"))
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(is_active=True), label=_("owner")
    )
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.all(), method="in_team", label=_("sales team")
    )
    band = django_filters.ChoiceFilter(choices=BANDS, method="in_band", label=_("win rate"))
    health = django_filters.ChoiceFilter(
        choices=[
            ("low", _("At risk (< 50)")),
            ("medium", _("Watch (50–79)")),
            ("good", _("Healthy (≥ 80)")),
        ],
        method="in_health",
        label=_("health"),
    )
    stale = django_filters.BooleanFilter(method="only_stale", label=_("stale"))
    overdue = django_filters.BooleanFilter(method="only_overdue", label=_("overdue actions"))
    sort = django_filters.OrderingFilter(
        fields=(
            ("updated_at", "updated"),
            ("amount", "amount"),
            ("expected_close", "close"),
            ("win_rate", "win_rate"),
            ("health_score", "health"),
            ("stage__number", "stage"),
            ("name", "name"),
        ),
        field_labels={
            "updated_at": _("updated"),
            "amount": _("amount"),
            "expected_close": _("expected close date"),
            "win_rate": _("win rate"),
            "health_score": _("health"),
            "stage__number": _("stage"),
            "name": _("name"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Deal
        fields = [
            "q",
            "status",
            "stage",
            "grade",
            "owner",
            "team",
            "band",
            "health",
            "stale",
            "overdue",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(account__name__icontains=value))

    def in_team(self, queryset, name, team):
        if team is None:
            return queryset
        teams = team_subtree(dict(Team.objects.values_list("pk", "parent_id")), [team.pk])
        return queryset.filter(owner__team_id__in=teams)

    def in_band(self, queryset, name, value):
        if value == "commit":
            return queryset.filter(win_rate__gte=Decimal("0.7"))
        if value == "best_case":
            return queryset.filter(win_rate__gte=Decimal("0.4"), win_rate__lt=Decimal("0.7"))
        if value == "pipeline":
            return queryset.filter(win_rate__lt=Decimal("0.4"))
        if value == "none":
            return queryset.filter(win_rate__isnull=True)
        return queryset

    def in_health(self, queryset, name, value):
        bounds = {"low": (0, 49), "medium": (50, 79), "good": (80, 100)}.get(value)
        if bounds is None:
            return queryset
        return queryset.filter(health_score__gte=bounds[0], health_score__lte=bounds[1])

    def only_stale(self, queryset, name, value):
        if value is None:
            return queryset
        cutoff = timezone.now() - timedelta(days=CompanySettings.current().stale_after_days)
        stale = Q(status=DealStatus.OPEN, stage_changed_at__lt=cutoff, created_at__lt=cutoff) & (
            Q(last_activity_at__isnull=True) | Q(last_activity_at__lt=cutoff)
        )
        return queryset.filter(stale) if value else queryset.exclude(stale)

    def only_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(has_overdue_actions=value)
