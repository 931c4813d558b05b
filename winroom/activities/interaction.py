"""Interaction levels of contacts, counted in the database and judged by the core rule."""

from datetime import timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from winroom.methodology.interaction import (
    InteractionCounts,
    InteractionExplanation,
    explain_interaction_level,
)
from winroom.org.models import CompanySettings

from .models import Activity


def _count(contact_ref, condition: Q):
    through = Activity.participants.through
    rows = (
        through.objects.filter(contact_id=contact_ref, activity__deleted_at__isnull=True)
        .filter(condition)
        .order_by()
        .values("contact_id")
        .annotate(n=Count("activity_id"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def with_interaction_counts(contacts, company: CompanySettings | None = None):
    """Annotate ``ix_ever``, ``ix_recent`` and ``ix_recent_deep`` on a contact queryset."""
    company = company or CompanySettings.current()
    since = timezone.now() - timedelta(days=company.interaction_window_days)
    ref = OuterRef("pk")
    recent = Q(activity__occurred_at__gte=since)
    return contacts.annotate(
        ix_ever=_count(ref, Q()),
        ix_recent=_count(ref, recent),
        ix_recent_deep=_count(ref, recent & Q(activity__kind__in=company.deep_activity_kinds)),
    )


def explain(contact, company: CompanySettings | None = None) -> InteractionExplanation:
    """The contact's level and why; needs a contact from :func:`with_interaction_counts`."""
    company = company or CompanySettings.current()
    counts = InteractionCounts(
        ever=contact.ix_ever, recent=contact.ix_recent, recent_deep=contact.ix_recent_deep
    )
    return explain_interaction_level(counts, company.interaction_rule())
