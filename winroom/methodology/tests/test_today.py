from datetime import date, datetime, timedelta

import pytest

from winroom.methodology.errors import MethodologyError
from winroom.methodology.leads import RecycleRule
from winroom.methodology.stages import is_stale
from winroom.methodology.today import (
    HEALTH_ATTENTION_BELOW,
    action_overdue,
    compelling_event_required_after,
    day_window,
    days_since,
    health_at_risk,
    lead_attention,
    lead_warning_cutoff,
    review_cutoff,
    review_due_on,
    review_overdue,
    revisit_cutoff,
    stale_cutoff,
)
from winroom.methodology.visits import revisit_due

NOW = datetime(2026, 6, 15, 10, 0)
TODAY = date(2026, 6, 15)


@pytest.mark.parametrize("age, stale", [(29, False), (30, True), (31, True)])
def test_stale_cutoff_agrees_with_the_stage_rule(age, stale):
    latest = NOW - timedelta(days=age)
    assert (latest <= stale_cutoff(NOW, 30)) is stale
    assert is_stale(last_activity=latest, last_stage_change=None, created=latest, now=NOW) is stale


def test_stale_cutoff_exactly_at_the_bound_to_the_second():
    cutoff = stale_cutoff(NOW, 30)
    assert is_stale(last_activity=None, last_stage_change=cutoff, created=cutoff, now=NOW)
    later = cutoff + timedelta(seconds=1)
    assert not is_stale(last_activity=None, last_stage_change=later, created=later, now=NOW)


def test_bad_periods_are_refused():
    for call in (
        lambda: stale_cutoff(NOW, 0),
        lambda: review_cutoff(TODAY, 0),
        lambda: revisit_cutoff(TODAY, 0),
        lambda: day_window(TODAY, 0),
        lambda: review_due_on(last_review=None, created=TODAY, every_days=True),
    ):
        with pytest.raises(MethodologyError):
            call()


def test_overdue_actions_start_the_day_after_their_due_date():
    assert action_overdue(due_on=TODAY - timedelta(days=1), today=TODAY)
    assert not action_overdue(due_on=TODAY, today=TODAY)


def test_review_due_and_overdue():
    created = date(2026, 5, 1)
    assert review_due_on(last_review=None, created=created, every_days=14) == date(2026, 5, 15)
    assert review_due_on(last_review=date(2026, 6, 1), created=created, every_days=14) == TODAY
    # due today: not yet overdue; a day later: overdue
    args = {"grade": "a", "last_review": date(2026, 6, 1), "created": created, "every_days": 14}
    assert not review_overdue(today=TODAY, **args)
    assert review_overdue(today=TODAY + timedelta(days=1), **args)
    # C/D/E deals are not coached
    assert not review_overdue(**{**args, "grade": "c"}, today=date(2027, 1, 1))
    # the SQL bound: overdue when the last review is strictly before the cutoff
    cutoff = review_cutoff(TODAY + timedelta(days=1), 14)
    assert date(2026, 6, 1) < cutoff
    assert not date(2026, 6, 1) < review_cutoff(TODAY, 14)


def test_health_risk_below_the_attention_line():
    assert health_at_risk(HEALTH_ATTENTION_BELOW - 1)
    assert not health_at_risk(HEALTH_ATTENTION_BELOW)
    assert not health_at_risk(None)


def test_compelling_event_required_after_its_stage():
    assert compelling_event_required_after([(1, "compelling_event"), (2, "x")]) == 1
    assert compelling_event_required_after([(1, "x"), (2, "compelling_event")]) == 2
    assert compelling_event_required_after([(1, "x")]) == 1


def test_lead_attention():
    rule = RecycleRule(untouched_days=14)
    new = lead_attention(never_touched=True, held_since=TODAY, today=TODAY, rule=rule)
    assert new.listed and new.reason == "new" and new.returns_on == date(2026, 6, 30)
    fresh = lead_attention(never_touched=False, held_since=TODAY, today=TODAY, rule=rule)
    assert not fresh.listed
    # returns on held + 15; listed when that is at most 3 days away
    held = TODAY - timedelta(days=12)  # returns in 3 days
    soon = lead_attention(never_touched=False, held_since=held, today=TODAY, rule=rule)
    assert soon.listed and soon.reason == "returns_soon" and soon.days_untouched == 12
    not_yet = lead_attention(
        never_touched=False, held_since=held + timedelta(days=1), today=TODAY, rule=rule
    )
    assert not not_yet.listed
    assert lead_warning_cutoff(TODAY, rule) == held


@pytest.mark.parametrize("age, due", [(89, False), (90, True), (200, True)])
def test_revisit_cutoff_agrees_with_revisit_due(age, due):
    last = TODAY - timedelta(days=age)
    assert (last <= revisit_cutoff(TODAY, 90)) is due
    assert revisit_due(last_contact=last, today=TODAY, interval_days=90) is due


def test_day_window_and_days_since():
    assert day_window(TODAY, 2) == (TODAY, date(2026, 6, 17))
    assert days_since(NOW - timedelta(days=41), TODAY) == 41
    assert days_since(date(2026, 6, 1), TODAY) == 14
