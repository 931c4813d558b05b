"""Each section of Today at its edges: the bound itself, one step either side, time zones."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from winroom.activities.models import Activity, ActivityKind
from winroom.deals.models import Action, CompellingEvent, DealStatus, Review
from winroom.leads.models import Lead, LeadRoute, LeadStatus
from winroom.org.models import CompanySettings
from winroom.testing.factories import AccountFactory
from winroom.today import sections
from winroom.visits.models import VisitStatus

from .conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shanghai", "english")]
TODAY = date(2026, 6, 15)


def mine(user, key, *, now=NOW):
    """The listed rows of one section for ``user``."""
    data = sections.build(sections.scope_for(user), now=now)
    return data["sections"][key]


def keys(section):
    return {item.key for item in section.items}


def test_stale_exactly_at_the_bound(company, make_deal):
    days = CompanySettings.current().stale_after_days
    at_bound = make_deal(
        name="到点",
        created_at=NOW - timedelta(days=days),
        stage_changed_at=NOW - timedelta(days=days),
    )
    just_inside = make_deal(
        name="差一秒",
        created_at=NOW - timedelta(days=days) + timedelta(seconds=1),
        stage_changed_at=NOW - timedelta(days=days) + timedelta(seconds=1),
    )
    old_but_active = make_deal(
        name="有活动",
        created_at=NOW - timedelta(days=90),
        stage_changed_at=NOW - timedelta(days=90),
        last_activity_at=NOW - timedelta(days=2),
    )
    section = mine(company.owner, "stale")
    assert keys(section) == {f"deal-{at_bound.pk}"}
    assert f"deal-{just_inside.pk}" not in keys(section)
    assert f"deal-{old_but_active.pk}" not in keys(section)
    assert (
        section.items[0].reason == f"no activity and no stage change for {days} days (rule: {days})"
    )


def test_closed_deals_are_never_stale(company, make_deal):
    make_deal(status=DealStatus.WON, created_at=NOW - timedelta(days=300))
    assert mine(company.owner, "stale").count == 0


def test_overdue_yesterday_but_not_due_today(company, make_deal):
    deal = make_deal()
    yesterday = Action.objects.create(
        deal=deal, title="回访", owner=company.owner, due_on=TODAY - timedelta(days=1)
    )
    Action.objects.create(deal=deal, title="今天", owner=company.owner, due_on=TODAY)
    Action.objects.create(
        deal=deal,
        title="已完成",
        owner=company.owner,
        due_on=TODAY - timedelta(days=5),
        status="done",
    )
    section = mine(company.owner, "actions")
    assert keys(section) == {f"action-{yesterday.pk}"}
    assert "1 days overdue" in section.items[0].reason


def test_review_overdue_the_day_after_it_is_due(company, make_deal):
    every = CompanySettings.current().review_every_days
    due_today = make_deal(name="今天到期", created_at=NOW - timedelta(days=every))
    overdue = make_deal(name="逾期", created_at=NOW - timedelta(days=every + 1))
    reviewed = make_deal(name="已督导", created_at=NOW - timedelta(days=60))
    Review.objects.create(
        deal=reviewed, held_on=TODAY - timedelta(days=3), manager=company.manager, rep=company.owner
    )
    small = make_deal(name="小单", amount="50000", created_at=NOW - timedelta(days=60))
    section = mine(company.owner, "reviews")
    assert keys(section) == {f"deal-{overdue.pk}"}
    assert {due_today.pk, reviewed.pk, small.pk}.isdisjoint(
        {int(k.split("-")[1]) for k in keys(section)}
    )
    assert f"rule: every {every} days" in section.items[0].reason
    # the first-line manager owes it; the director above does not
    assert keys(mine(company.manager, "owed")) == {f"deal-{overdue.pk}"}
    assert mine(company.director, "owed").count == 0
    assert mine(company.director, "reviews").count == 1


def test_health_risk_below_the_line(company, make_deal):
    risky = make_deal(name="低", health_score=79)
    make_deal(name="正好", health_score=80)
    make_deal(name="未算", health_score=None)
    section = mine(company.owner, "health")
    assert keys(section) == {f"deal-{risky.pk}"}
    assert "health 79 (attention below 80)" in section.items[0].reason


def test_missing_compelling_event_past_the_first_stage(company, make_deal):
    missing = make_deal(name="缺事件", stage=3)
    with_event = make_deal(name="有事件", stage=3)
    CompellingEvent.objects.create(deal=with_event, description="预算")
    withdrawn = make_deal(name="已撤回", stage=2)
    CompellingEvent.objects.create(deal=withdrawn, description="旧", withdrawn=True)
    make_deal(name="第一阶段", stage=1)
    section = mine(company.owner, "event")
    assert keys(section) == {f"deal-{missing.pk}", f"deal-{withdrawn.pk}"}
    assert "required after stage 1" in section.items[0].reason


def test_leads_new_or_about_to_return(company):
    rule_days = CompanySettings.current().lead_recycle_days
    new = Lead.objects.create(company_name="新线索", owner=company.owner, assigned_at=NOW)
    fresh = Lead.objects.create(
        company_name="刚跟进",
        owner=company.owner,
        status=LeadStatus.WORKING,
        created_at=NOW - timedelta(days=30),
        assigned_at=NOW - timedelta(days=5),
        first_touched_at=NOW - timedelta(days=5),
        last_touched_at=NOW - timedelta(days=1),
    )
    soon = Lead.objects.create(
        company_name="快回池",
        owner=company.owner,
        status=LeadStatus.WORKING,
        created_at=NOW - timedelta(days=30),
        assigned_at=NOW - timedelta(days=20),
        first_touched_at=NOW - timedelta(days=20),
        last_touched_at=NOW - timedelta(days=rule_days - 2),
    )
    Lead.objects.create(company_name="别人的", owner=company.teammate, assigned_at=NOW)
    section = mine(company.owner, "leads")
    assert keys(section) == {f"lead-{new.pk}", f"lead-{soon.pk}"}
    assert f"lead-{fresh.pk}" not in keys(section)
    reasons = {item.key: item.reason for item in section.items}
    assert reasons[f"lead-{new.pk}"].startswith("new, never touched")
    assert reasons[f"lead-{soon.pk}"].startswith(f"untouched for {rule_days - 2} days")


def test_the_pool_when_holding_none(company):
    Lead.objects.create(company_name="大客户线索", need_type="solution")
    small = Lead.objects.create(company_name="小线索", expected_size=1000)
    assert small.route == LeadRoute.SELF_SERVICE
    data = sections.build(sections.scope_for(company.owner), now=NOW)
    pool = data["sections"]["pool"]
    assert [item.title for item in pool.items] == ["大客户线索"]
    # holding a lead: no pool suggestions
    Lead.objects.create(company_name="我的", owner=company.owner, assigned_at=NOW)
    assert "pool" not in sections.build(sections.scope_for(company.owner), now=NOW)["sections"]


def test_visits_to_prepare_today_and_tomorrow_in_the_users_time_zone(company, make_visit):
    sh = ZoneInfo("Asia/Shanghai")
    later_today = make_visit(planned_at=datetime(2026, 6, 15, 15, 0, tzinfo=sh))
    late_tomorrow = make_visit(planned_at=datetime(2026, 6, 16, 23, 59, tzinfo=sh))
    day_after = make_visit(planned_at=datetime(2026, 6, 17, 0, 0, tzinfo=sh))
    early_today = make_visit(planned_at=datetime(2026, 6, 15, 8, 0, tzinfo=sh))
    make_visit(planned_at=datetime(2026, 6, 16, 9, 0, tzinfo=sh), status=VisitStatus.CANCELLED)
    prepare = mine(company.owner, "prepare")
    assert keys(prepare) == {f"visit-{later_today.pk}", f"visit-{late_tomorrow.pk}"}
    reasons = [item.reason for item in prepare.items]
    assert reasons[0].startswith("today 15:00") and reasons[1].startswith("tomorrow 23:59")
    assert "plan missing: objective" in reasons[0]
    # held earlier today: to record, not to prepare
    assert keys(mine(company.owner, "record")) == {f"visit-{early_today.pk}"}
    # in UTC it is still 15 June 02:00; 17 June 00:00 Shanghai is 16 June 16:00 UTC: tomorrow
    with timezone.override(ZoneInfo("UTC")):
        utc = mine(company.owner, "prepare", now=NOW)
    assert f"visit-{day_after.pk}" in keys(utc)


def test_visits_to_score_are_the_managers(company, make_visit):
    done = make_visit(
        status=VisitStatus.DONE, visited_on=TODAY, objective="了解需求", commitment="won"
    )
    scored = make_visit(status=VisitStatus.DONE, visited_on=TODAY, manager_scored_at=NOW)
    own = make_visit(owner=company.manager, status=VisitStatus.DONE, visited_on=TODAY)
    section = mine(company.manager, "score")
    assert keys(section) == {f"visit-{done.pk}"}
    assert {scored.pk, own.pk}.isdisjoint({int(k.split("-")[1]) for k in keys(section)})
    assert "score" not in sections.build(sections.scope_for(company.owner), now=NOW)["sections"]


def test_revisit_won_customers_at_the_bound(company, make_deal, make_visit):
    interval = CompanySettings.current().revisit_after_days
    due = AccountFactory(name="到期客户", owner=company.owner)
    recent = AccountFactory(name="近期客户", owner=company.owner)
    planned = AccountFactory(name="已约客户", owner=company.owner)
    never = AccountFactory(name="未联系", owner=company.owner)
    prospect = AccountFactory(name="潜在客户", owner=company.owner)
    for account in (due, recent, planned, never):
        make_deal(account=account, status=DealStatus.WON)
    make_deal(account=prospect)
    Activity.objects.create(
        kind=ActivityKind.MEETING,
        subject="旧",
        account=due,
        owner=company.owner,
        occurred_at=NOW - timedelta(days=interval),
    )
    Activity.objects.create(
        kind=ActivityKind.MEETING,
        subject="近",
        account=recent,
        owner=company.owner,
        occurred_at=NOW - timedelta(days=interval - 1),
    )
    make_visit(account=planned, planned_at=NOW + timedelta(days=3))
    section = mine(company.owner, "revisit")
    assert keys(section) == {f"account-{due.pk}", f"account-{never.pk}"}
    reasons = {item.key: item.reason for item in section.items}
    assert f"{interval} days ago (rule: {interval} days)" in reasons[f"account-{due.pk}"]
    assert "no contact recorded" in reasons[f"account-{never.pk}"]


def test_summary_counts_match_the_page(company, make_deal):
    make_deal(health_score=10)
    scope = sections.scope_for(company.owner)
    counts = sections.summary(scope, now=NOW)
    page = sections.build(scope, now=NOW)["sections"]
    assert counts == {key: s.count for key, s in page.items() if key != "pool"}
    assert counts["health"] == 1
