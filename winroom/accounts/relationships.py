"""Relationship scores, levels and red lines (METHODOLOGY §1.2–§1.4), read from the database
in bulk and judged by the methodology core."""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from winroom.methodology import relationship_score as core_score
from winroom.methodology.relationship_level import LevelExplanation, explain_relationship_level
from winroom.methodology.seven_elements import ElementsResult, seven_elements

from .models import (
    Contact,
    ContactIndicator,
    LevelIndicator,
    RedLineRule,
    RelationshipLevelChange,
)

FREQUENCY_DAYS = 90


@dataclass(frozen=True)
class ActionRow:
    """What the score sheet shows of a logged action besides the core's fields."""

    activity_id: int
    subject: str
    name: str


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def scores_for(contacts, *, company, today=None) -> dict[int, core_score.ContactScore]:
    """The score of each contact, from ONE query over the actions of the window.

    Each ``counted`` action of the result has its :class:`ActionRow` in
    ``action_rows[id(action)]`` (see :func:`explain_scores`)."""
    return explain_scores(contacts, company=company, today=today)[0]


def explain_scores(contacts, *, company, today=None):
    """(scores by contact id, ActionRow by id(LoggedAction)) for the given contacts."""
    from winroom.activities.models import Activity

    today = today or timezone.localdate()
    rule = company.score_rule()
    contacts = list(contacts)
    ids = [c.pk for c in contacts]
    through = Activity.participants.through
    rows = (
        through.objects.filter(
            contact_id__in=ids,
            activity__deleted_at__isnull=True,
            activity__relationship_actions__isnull=False,
            activity__occurred_at__gte=_start_of(rule.window_start(today)),
            activity__occurred_at__lt=_start_of(today + timedelta(days=1)),
        )
        .order_by("activity__occurred_at", "activity_id")
        .values_list(
            "contact_id",
            "activity_id",
            "activity__occurred_at",
            "activity__subject",
            "activity__relationship_actions__code",
            "activity__relationship_actions__name",
            "activity__relationship_actions__points",
        )
    )
    actions: dict[int, list] = defaultdict(list)
    meta: dict[int, ActionRow] = {}
    for contact_id, activity_id, at, subject, code, name, points in rows:
        logged = core_score.LoggedAction(
            code=code, points=Decimal(points), occurred_on=timezone.localdate(at)
        )
        meta[id(logged)] = ActionRow(activity_id, subject, name)
        actions[contact_id].append(logged)
    scores = {
        c.pk: core_score.explain_contact_score(
            actions.get(c.pk, ()), level=c.level, today=today, rule=rule
        )
        for c in contacts
    }
    return scores, meta


def key_contact_ids(contact_ids) -> set[int]:
    """Contacts holding a decision role in an open deal of their account (one query)."""
    from winroom.deals.models import DealPerson, DealStatus

    held = (
        DealPerson.objects.filter(
            contact_id__in=list(contact_ids),
            deal__status=DealStatus.OPEN,
            deal__deleted_at__isnull=True,
        )
        .exclude(decision_role="")
        .values_list("contact_id", "deal__account_id", "contact__account_id")
    )
    return {contact for contact, deal_account, account in held if deal_account == account}


def is_key(contact, holders: set[int]) -> bool:
    return core_score.is_key_contact(
        holds_decision_role_in_open_deal=contact.pk in holders, marked_key=contact.marked_key
    )


def active_indicators() -> list[LevelIndicator]:
    """The company's checklist for an iron supporter, in its order (one query)."""
    return list(LevelIndicator.objects.filter(active=True).order_by("order", "code"))


def level_rule_of(company, indicators=None):
    """The company's thresholds with the active checklist's codes as the iron indicators."""
    indicators = active_indicators() if indicators is None else indicators
    return replace(company.level_rule(), iron_indicators=tuple(i.code for i in indicators))


def load_indicators(contacts) -> None:
    """Preload ``indicators_met`` of many contacts in one query."""
    contacts = [c for c in contacts if c.pk is not None]
    met: dict[int, set[str]] = defaultdict(set)
    rows = ContactIndicator.objects.filter(contact_id__in=[c.pk for c in contacts])
    for contact_id, code in rows.values_list("contact_id", "indicator__code"):
        met[contact_id].add(code)
    for contact in contacts:
        contact._indicators_met = frozenset(met.get(contact.pk, ()))


def level_of(contact, score: Decimal, *, company, rule=None) -> LevelExplanation:
    return explain_relationship_level(
        score=score,
        status=contact.relationship_status,
        indicators_met=contact.indicators_met,
        rule=rule or level_rule_of(company),
    )


def annotate(contacts, *, company, today=None) -> list:
    """Attach ``score`` (ContactScore), ``is_key`` and ``level_explained`` to each contact."""
    contacts = list(contacts)
    scores, meta = explain_scores(contacts, company=company, today=today)
    holders = key_contact_ids(c.pk for c in contacts)
    load_indicators(contacts)
    rule = level_rule_of(company)
    for contact in contacts:
        contact.score = scores[contact.pk]
        contact.counted_rows = [
            (counted, meta[id(counted.action)]) for counted in contact.score.counted
        ]
        contact.is_key = is_key(contact, holders)
        contact.level_explained = level_of(contact, contact.score.score, company=company, rule=rule)
    return contacts


def account_score(contacts) -> Decimal | None:
    """Mean of the key contacts' scores; contacts come from :func:`annotate`."""
    return core_score.account_score([c.score.score for c in contacts if c.is_key])


def recompute_levels(contact_ids, *, company=None) -> list[RelationshipLevelChange]:
    """Store each contact's computed level; record every change in the level history."""
    from winroom.org.models import CompanySettings

    company = company or CompanySettings.current()
    ids = sorted({pk for pk in contact_ids if pk})
    if not ids:
        return []
    changes = []
    with transaction.atomic():
        contacts = list(Contact.all_objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        scores = scores_for(contacts, company=company)
        load_indicators(contacts)
        rule = level_rule_of(company)
        for contact in contacts:
            explained = level_of(contact, scores[contact.pk].score, company=company, rule=rule)
            new = explained.level.value
            if new != contact.relationship_level:
                changes.append(
                    RelationshipLevelChange(
                        contact=contact, old=contact.relationship_level, new=new
                    )
                )
                Contact.all_objects.filter(pk=contact.pk).update(relationship_level=new)
        RelationshipLevelChange.objects.bulk_create(changes)
    return changes


def check_red_lines(*, subject: str, notes: str, actions) -> None:
    """Refuse an activity that breaches a red line, with the rule's own text."""
    rules = {}
    core_rules = []
    for rule in RedLineRule.objects.filter(active=True).prefetch_related("forbidden_actions"):
        keywords = tuple(rule.keyword_list())
        forbidden = tuple(a.code for a in rule.forbidden_actions.all())
        if not keywords and not forbidden:
            continue
        rules[str(rule.pk)] = rule
        core_rules.append(
            core_score.RedLineRule(
                code=str(rule.pk), keywords=keywords, forbidden_action_codes=forbidden
            )
        )
    breaches = core_score.check_red_lines(
        text=f"{subject or ''}\n{notes or ''}",
        action_codes=[a.code for a in actions],
        rules=core_rules,
    )
    errors: dict[str, list[str]] = defaultdict(list)
    for breach in breaches:
        field = "relationship_actions" if breach.matched_action_codes else "notes"
        errors[field].append(rules[breach.rule_code].text)
    if errors:
        raise ValidationError(dict(errors), code="red_line")


def interactions_last_days(contact, days: int = FREQUENCY_DAYS, *, today=None) -> int:
    today = today or timezone.localdate()
    since = _start_of(today - timedelta(days=days - 1))
    return contact.activities.filter(deleted_at__isnull=True, occurred_at__gte=since).count()


def elements_of(contact, *, today=None) -> ElementsResult:
    """The seven elements: the five judged ones as stored, frequency and length derived."""
    today = today or timezone.localdate()
    first = contact.first_contact_on
    if first is not None and first > today:
        first = None
    return seven_elements(
        contact.judged_elements(),
        interactions_90d=interactions_last_days(contact, today=today),
        first_contact=first,
        today=today,
    )


def initialise_levels(contacts, *, company=None, chunk: int = 2000) -> int:
    """Set the computed level of contacts loaded in bulk (no history: it is their first level).

    Levels are grouped, so each chunk costs one score query and at most four updates.
    """
    from winroom.org.models import CompanySettings

    company = company or CompanySettings.current()
    rule = level_rule_of(company)
    ids = list(contacts.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), chunk):
        rows = list(Contact.all_objects.filter(pk__in=ids[start : start + chunk]))
        scores = scores_for(rows, company=company)
        load_indicators(rows)
        by_level: dict[str, list[int]] = {}
        for contact in rows:
            explained = level_of(contact, scores[contact.pk].score, company=company, rule=rule)
            level = explained.level.value
            if level != contact.relationship_level:
                by_level.setdefault(level, []).append(contact.pk)
        for level, pks in by_level.items():
            changed += Contact.all_objects.filter(pk__in=pks).update(relationship_level=level)
    return changed


def recompute_all_levels(*, company=None, chunk: int = 2000) -> int:
    """Recompute every contact's level (after the checklist changed), with level history.

    Returns the number of contacts whose level changed."""
    ids = list(Contact.all_objects.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), chunk):
        changed += len(recompute_levels(ids[start : start + chunk], company=company))
    return changed
