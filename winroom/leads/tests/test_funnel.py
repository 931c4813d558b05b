"""Lead funnel counts, computed by hand on a small cohort (and its period edges)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from winroom.deals.actions import close_deal
from winroom.leads import actions, funnel
from winroom.leads.models import Lead, LeadChannel, LeadRoute

SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = funnel.Period(start=date(2026, 3, 1), end=date(2026, 3, 31))


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def _set(lead, created, touched_after_hours=None):
    first = created + timedelta(hours=touched_after_hours) if touched_after_hours else None
    Lead.all_objects.filter(pk=lead.pk).update(
        created_at=created, first_touched_at=first, last_touched_at=first
    )


@pytest.fixture
def cohort(company, make_lead):
    """Five leads in March (two on its edges), two just outside.

    L1 展会, owner, 10,000 (self-service): created 1 Mar 00:00, touched after 2 h, qualified,
       the deal won.
    L2 展会, owner, 50,000 (standard): touched after 10 h, rejected.
    L3 官网咨询, teammate, size unknown (standard): created 31 Mar 23:59:59, untouched.
    L4 官网咨询, solution need (key account): recycled once, claimed again by owner, touched
       after 5 h.
    L7 no channel, in the pool, 1,000,000 (key account), untouched.
    Outside: 28 Feb 23:59:59 and 1 Apr 00:00.
    """
    fair = LeadChannel.objects.get(name="展会")
    web = LeadChannel.objects.get(name="官网咨询")
    owner = company.owner
    l1 = make_lead(company_name="甲公司", channel=fair, expected_size=Decimal(10_000))
    l1 = actions.qualify_lead(l1, by=owner, account=company.account, deal_name="甲项目")
    close_deal(l1.qualified_deal, by=owner, status="won")
    _set(l1, at(2026, 3, 1, 0, 0), 2)

    l2 = make_lead(company_name="乙公司", channel=fair, expected_size=Decimal(50_000))
    actions.reject_lead(l2, by=owner, reason="预算不足")
    _set(l2, at(2026, 3, 10, 12, 0), 10)

    l3 = make_lead(company_name="丙公司", channel=web, owner=company.teammate, by=company.manager)
    _set(l3, at(2026, 3, 31, 23, 59, 59))

    l4 = make_lead(company_name="丁公司", channel=web, need_type="solution")
    Lead.all_objects.filter(pk=l4.pk).update(
        created_at=timezone.now() - timedelta(days=40),
        assigned_at=timezone.now() - timedelta(days=40),
    )
    assert actions.recycle_untouched_leads(today=timezone.localdate()) == [l4]
    l4 = actions.claim_lead(Lead.objects.get(pk=l4.pk), by=owner)
    actions.touch(l4, by=owner, note="回电")
    _set(l4, at(2026, 3, 15, 9, 0), 5)

    l7 = make_lead(company_name="戊公司", channel=None, owner=None, expected_size=Decimal(10**6))
    _set(l7, at(2026, 3, 20, 8, 0))

    before = make_lead(company_name="早一秒公司", channel=fair)
    _set(before, at(2026, 2, 28, 23, 59, 59), 1)
    after = make_lead(company_name="晚一天公司", channel=fair)
    _set(after, at(2026, 4, 1, 0, 0), 1)
    return {"fair": fair, "web": web, "l1": l1}


def _by_key(rows):
    return {row.key: row for row in rows}


def test_total_counts_by_hand(company, cohort):
    leads = funnel.cohort(Lead.objects.visible_to(company.manager), MARCH)
    total = funnel.funnel_total(leads)
    assert (total.leads_in, total.touched, total.qualified, total.rejected) == (5, 3, 1, 1)
    assert (total.recycled, total.won) == (1, 1)
    assert total.conversion == Decimal("0.2000") and total.conversion_percent == Decimal("20.0")
    assert total.win_rate == Decimal(1)
    # hours to first touch: 2, 10, 5 → median 5
    assert total.median_first_touch_hours == Decimal("5.00")
    assert [(s.code, s.count) for s in total.steps()] == [
        ("leads_in", 5),
        ("touched", 3),
        ("qualified", 1),
        ("won", 1),
    ]


def test_by_channel(company, cohort):
    leads = funnel.cohort(Lead.objects.visible_to(company.manager), MARCH)
    rows = _by_key(funnel.funnel_rows(leads, "channel"))
    fair, web, none = rows[cohort["fair"].pk], rows[cohort["web"].pk], rows[None]
    assert (fair.label, fair.leads_in, fair.touched, fair.qualified, fair.rejected) == (
        "展会",
        2,
        2,
        1,
        1,
    )
    assert fair.median_first_touch_hours == Decimal("6.00")  # (2 + 10) / 2
    assert fair.conversion == Decimal("0.5000") and fair.won == 1
    assert (web.leads_in, web.touched, web.recycled, web.qualified) == (2, 1, 1, 0)
    assert web.median_first_touch_hours == Decimal("5.00") and web.conversion == 0
    assert none.leads_in == 1 and none.median_first_touch_hours is None
    assert str(none.label) in {"No channel", "无渠道"}  # in the language active when computed


def test_by_route_and_by_rep(company, cohort):
    leads = funnel.cohort(Lead.objects.visible_to(company.manager), MARCH)
    routes = _by_key(funnel.funnel_rows(leads, "route"))
    assert {key: row.leads_in for key, row in routes.items()} == {
        LeadRoute.SELF_SERVICE: 1,
        LeadRoute.STANDARD: 2,
        LeadRoute.KEY_ACCOUNT: 2,
    }
    assert routes[LeadRoute.KEY_ACCOUNT].recycled == 1
    reps = _by_key(funnel.funnel_rows(leads, "rep"))
    assert {key: row.leads_in for key, row in reps.items()} == {
        company.owner.pk: 3,
        company.teammate.pk: 1,
        None: 1,
    }
    mine = reps[company.owner.pk]
    assert (mine.touched, mine.qualified, mine.rejected, mine.won) == (3, 1, 1, 1)
    assert mine.median_first_touch_hours == Decimal("5.00")
    assert mine.label == str(company.owner)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (date(2026, 3, 1), date(2026, 3, 1), 1),  # 00:00 on the first day is in
        (date(2026, 3, 31), date(2026, 3, 31), 1),  # 23:59:59 on the last day is in
        (date(2026, 2, 28), date(2026, 2, 28), 1),  # the second before March
        (date(2026, 4, 1), date(2026, 4, 1), 1),
        (date(2026, 2, 28), date(2026, 4, 1), 7),
        (date(2026, 3, 2), date(2026, 3, 30), 3),
    ],
)
def test_period_edges(company, cohort, start, end, count):
    period = funnel.Period(start=start, end=end)
    leads = funnel.cohort(Lead.objects.visible_to(company.admin), period)
    assert funnel.funnel_total(leads).leads_in == count


def test_a_rep_counts_the_pool_and_their_own_only(company, cohort):
    outsider = funnel.report(company.outsider, MARCH)
    assert outsider.total.leads_in == 1  # the pooled lead
    teammate = funnel.report(company.teammate, MARCH)
    assert teammate.total.leads_in == 2
    assert funnel.report(company.deactivated, MARCH).total.leads_in == 0


def test_empty_period_has_no_rates(company, cohort):
    empty = funnel.report(company.manager, funnel.Period(date(2020, 1, 1), date(2020, 1, 2)))
    assert empty.total.leads_in == 0
    assert empty.total.conversion is None and empty.total.median_first_touch_hours is None
    assert empty.by == {"channel": [], "route": [], "rep": []}


def test_even_median_is_the_mean_of_the_middle_two(company, make_lead):
    for n, hours in enumerate((1, 4, 6, 30)):
        lead = make_lead(company_name=f"中位数{n}")
        actions.touch(lead, by=company.owner)
        _set(lead, at(2026, 5, 3, 10, 0), hours)
    leads = funnel.cohort(Lead.objects.all(), funnel.Period(date(2026, 5, 1), date(2026, 5, 31)))
    assert funnel.funnel_total(leads).median_first_touch_hours == Decimal("5.00")
    assert funnel.median_first_touch(leads, "owner_id") == {company.owner.pk: Decimal("5.00")}


def test_funnel_page(company, cohort, login):
    client = login(company.manager)
    url = reverse("leads:funnel")
    response = client.get(url, {"start": "2026-03-01", "end": "2026-03-31"})
    assert response.status_code == 200
    assert response.context["report"].total.leads_in == 5
    body = response.content.decode()
    assert "lead-funnel-data" in body and "展会" in body and "20.0%" in body
    assert client.get(url).status_code == 200  # the default period


def test_funnel_page_keeps_a_bad_period_and_says_why(company, cohort, login):
    client = login(company.owner)
    response = client.get(reverse("leads:funnel"), {"start": "2026-03-31", "end": "2026-03-01"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["end"] == ["结束日期不能早于开始日期。"]
    assert form["start"].value() == "2026-03-31"
    response = client.get(reverse("leads:funnel"), {"start": "not a date", "end": ""})
    assert response.status_code == 200 and response.context["form"].errors


def test_funnel_page_query_count_does_not_grow(company, cohort, make_lead, login):
    client = login(company.admin)
    params = {"start": "2026-01-01", "end": "2026-12-31"}
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("leads:funnel"), params)
    for n in range(12):
        lead = make_lead(
            company_name=f"更多{n}", owner=company.teammate if n % 2 else None, by=company.admin
        )
        if n % 3 == 0:
            actions.touch(lead, by=company.admin)
        _set(lead, at(2026, 6, 1 + n, 9, 0), n + 1 if n % 3 == 0 else None)
    with CaptureQueriesContext(connection) as second:
        response = client.get(reverse("leads:funnel"), params)
    assert response.context["report"].total.leads_in == 7 + 12
    assert len(second) == len(first)
