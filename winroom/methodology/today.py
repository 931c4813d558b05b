"""A rep's day (METHODOLOGY §3.4): which leads, deals, visits and customers need them today.

"A rep's day: leads to process, deals needing action (stale, health gaps, overdue
actions), visits to prepare or evaluate, existing customers to revisit." Each rule here
decides one kind of item and gives the bound the database query uses, so the page and the
rule cannot drift apart; the explanation carries the inputs ("no activity for 41 days
(rule: 30)").

- **stale deal**: :func:`winroom.methodology.stages.is_stale` — the latest of the last
  activity, the last stage change and the creation is at least ``stale_days`` full days
  old; :func:`stale_cutoff` is the moment on or before which "latest" makes a deal stale.
- **overdue action**: open and due before today (due today is not overdue).
- **coaching review overdue** (§2.10): A/B deals are reviewed every ``every_days``; the
  next review is due ``every_days`` after the last one (or after the deal was created) and
  overdue the day after that.
- **health risk** (§2.9): health below :data:`HEALTH_ATTENTION_BELOW` — the lower edge of
  the deal list's good band; below it at least one indicator is well under the stage's
  standard.
- **missing compelling event** (§2.3): an open deal past the first stage whose exit
  criterion is the compelling event, without a live one.
- **lead to process** (§3.1): a held lead never touched, or one that returns to the pool
  within :data:`LEAD_WARNING_DAYS` days.
- **revisit** (§3.4): :func:`winroom.methodology.visits.revisit_due` — a customer with a
  won deal whose last contact is at least ``interval_days`` old.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .errors import MethodologyError
from .leads import RecycleRule, recycle_date
from .stages import ExitCriterion

#: Deals whose health is below this (0–100) are listed as health risks.
HEALTH_ATTENTION_BELOW = 80
#: A held lead that returns to the pool within this many days is listed.
LEAD_WARNING_DAYS = 3
#: Grades coached by the first-line manager (§2.10).
COACHED_GRADES = frozenset({"a", "b"})


def _days(name: str, value: int) -> None:
    if isinstance(value, bool) or value < 1:
        raise MethodologyError(f"{name} must be at least 1")


# --------------------------------------------------------------------------- deals


def stale_cutoff(now: datetime, stale_days: int) -> datetime:
    """A deal whose latest activity / stage change / creation is at or before this is stale."""
    _days("stale_days", stale_days)
    return now - timedelta(days=stale_days)


def days_since(moment: datetime | date, today: date) -> int:
    day = moment.date() if isinstance(moment, datetime) else moment
    return (today - day).days


def action_overdue(*, due_on: date, today: date) -> bool:
    """An open action is overdue from the day after its due date."""
    return due_on < today


def review_due_on(*, last_review: date | None, created: date, every_days: int) -> date:
    """The day the next coaching review is due: ``every_days`` after the last one (or after
    the deal was created when there has been none)."""
    _days("every_days", every_days)
    return (last_review or created) + timedelta(days=every_days)


def review_overdue(
    *, grade: str, last_review: date | None, created: date, today: date, every_days: int
) -> bool:
    """A coached (A/B) deal whose review due date has passed (due today is not overdue)."""
    if grade not in COACHED_GRADES:
        return False
    return review_due_on(last_review=last_review, created=created, every_days=every_days) < today


def review_cutoff(today: date, every_days: int) -> date:
    """A last review (or creation date) strictly before this makes the review overdue."""
    _days("every_days", every_days)
    return today - timedelta(days=every_days)


def health_at_risk(score: int | None) -> bool:
    return score is not None and score < HEALTH_ATTENTION_BELOW


def compelling_event_required_after(criteria: Iterable[tuple[int, str]]) -> int:
    """The stage number after which a deal must hold a compelling event.

    ``criteria`` are ``(stage number, exit criterion)`` pairs of the company's template: the
    first stage whose exit criterion is the compelling event. Without one, the event is still
    re-checked at every stage move (§2.3), so every deal past stage 1 needs one.
    """
    numbers = sorted(n for n, c in criteria if c == ExitCriterion.COMPELLING_EVENT)
    return numbers[0] if numbers else 1


# --------------------------------------------------------------------------- leads


@dataclass(frozen=True)
class LeadAttention:
    """Whether a held lead is listed, why (``new`` / ``returns_soon``) and when it returns."""

    listed: bool
    reason: str
    returns_on: date
    days_untouched: int


def lead_attention(
    *,
    never_touched: bool,
    held_since: date,
    today: date,
    rule: RecycleRule,
    warning_days: int = LEAD_WARNING_DAYS,
) -> LeadAttention:
    """A held lead is listed when never touched, or when it returns to the pool within
    ``warning_days`` days (``returns_on - today <= warning_days``)."""
    returns_on = recycle_date(held_since, rule)
    untouched = (today - held_since).days
    if never_touched:
        return LeadAttention(True, "new", returns_on, untouched)
    if (returns_on - today).days <= warning_days:
        return LeadAttention(True, "returns_soon", returns_on, untouched)
    return LeadAttention(False, "", returns_on, untouched)


def lead_warning_cutoff(
    today: date, rule: RecycleRule, warning_days: int = LEAD_WARNING_DAYS
) -> date:
    """A lead held (or last touched) on or before this day returns within ``warning_days``."""
    return today + timedelta(days=warning_days - rule.untouched_days - 1)


# --------------------------------------------------------------------------- visits / revisits


def day_window(day: date, days: int = 1) -> tuple[date, date]:
    """``[day, day + days)`` as dates; the caller makes them local midnights."""
    if days < 1:
        raise MethodologyError("days must be at least 1")
    return day, day + timedelta(days=days)


def revisit_cutoff(today: date, interval_days: int) -> date:
    """A customer whose last contact is on or before this day is due a revisit
    (:func:`winroom.methodology.visits.revisit_due`)."""
    _days("interval_days", interval_days)
    return today - timedelta(days=interval_days)
