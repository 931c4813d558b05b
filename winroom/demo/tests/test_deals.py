"""The demo opportunities: counts, the business rules they obey, and the win-rate curves.

The default company is generated once for the module (in a transaction rolled back at the
end); each test runs in a savepoint inside it.
"""

from collections import Counter, defaultdict
from datetime import timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from winroom.accounts.models import Account, Contact
from winroom.activities.models import Activity
from winroom.deals import actions
from winroom.deals.assessment import decide_grade, iso_monday, win_rate_for
from winroom.deals.models import (
    Action,
    CompellingEvent,
    Competitor,
    CompetitorAssessment,
    Deal,
    DealCompetitor,
    DealEvent,
    DealMember,
    DealPerson,
    PartnerRegistration,
    ProductLine,
    Questionnaire,
    Review,
    Stage,
    WinRatePoint,
)
from winroom.demo import deal_data
from winroom.demo.deals import CURVE_WEEKS
from winroom.demo.generator import generate
from winroom.methodology.grade import Grade
from winroom.methodology.stages import is_stale
from winroom.methodology.strategy import suggested_relationship_strategy
from winroom.methodology.win_rate import PartyAssessment, WinRateInputs, explain_win_rate
from winroom.org.models import User

Kind = DealEvent.Kind


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The default demo company, generated once and rolled back after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield generate()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def deals(demo, db):
    return list(Deal.objects.select_related("stage", "account", "owner").order_by("pk"))


def stage_numbers():
    with translation.override("zh-hans"):
        return {str(stage): stage.number for stage in Stage.objects.all()}


def stage_events(deal_ids=None):
    """Per deal, its stage changes in order: (at, from number, to number)."""
    numbers = stage_numbers()
    result = defaultdict(list)
    events = DealEvent.objects.filter(kind=Kind.STAGE).order_by("at", "id")
    for event in events:
        result[event.deal_id].append((event.at, numbers[event.old], numbers[event.new]))
    return result


def region_of(user):
    """The region team (华东大区 / 华西大区) above a user's team."""
    team = user.team
    while team is not None and team.parent is not None and team.parent.parent is not None:
        team = team.parent
    return team.name if team is not None else None


def manager_of(user):
    team = user.team
    while team is not None:
        if team.manager_id and team.manager_id != user.pk:
            return team.manager_id
        team = team.parent
    return None


# ------------------------------------------------------------------------------ counts


def test_counts_cover_every_stage_grade_and_outcome(demo, deals):
    assert demo["deals"] == len(deals) == Deal.all_objects.count()
    assert 405 * 0.85 <= len(deals) <= 405 * 1.15
    statuses = Counter(d.status for d in deals)
    assert set(statuses) == {"open", "won", "lost", "abandoned"}
    assert 0.45 <= statuses["open"] / len(deals) <= 0.65
    open_stages = Counter(d.stage.number for d in deals if d.status == "open")
    assert set(open_stages) == set(range(1, 8))
    assert all(count >= 5 for count in open_stages.values())
    grades = Counter(d.grade for d in deals)
    assert set(grades) == {"a", "b", "c", "d", "e"}
    assert all(count >= 5 for count in grades.values())
    statuses_of_rate = Counter(d.win_rate_status for d in deals)
    assert set(statuses_of_rate) == {"computed", "not_computed", "not_assessed"}
    assert demo["win_rate_points"] == WinRatePoint.objects.count()
    # The library and product lines.
    assert Competitor.objects.count() == len(deal_data.COMPETITORS) == 10
    assert all(
        c.facts and c.core_partners and c.key_events and c.notes for c in Competitor.objects.all()
    )
    assert ProductLine.objects.count() >= len(deal_data.PRODUCT_LINES)
    assert all(d.product_lines.exists() for d in deals[:50])
    created = [timezone.localtime(d.created_at) for d in deals]
    assert min(created) >= timezone.now() - timedelta(days=round(18 * 30.44) + 1)
    assert max(created) <= timezone.now()
    assert Deal.history.count() > len(deals)


def test_amounts_decide_the_grades(deals):
    for deal in deals:
        assert deal.grade == decide_grade(deal).grade.value, deal
        if deal.grade == "e":
            assert deal.partner_led and deal.partner and deal.source == "partner"
        elif not deal.grade_override:
            assert not deal.partner_led
    by_grade = defaultdict(list)
    for deal in deals:
        if not deal.grade_override and not deal.partner_led:
            by_grade[deal.grade].append(deal.amount)
    assert min(by_grade["a"]) >= Decimal(5_000_000)
    assert Decimal(1_000_000) <= min(by_grade["b"]) and max(by_grade["b"]) < Decimal(5_000_000)
    assert Decimal(200_000) <= min(by_grade["c"]) and max(by_grade["c"]) < Decimal(1_000_000)
    assert max(by_grade["d"]) < Decimal(200_000)
    overridden = [d for d in deals if d.grade_override]
    assert all(d.grade_override_reason and d.grade_override_by_id for d in overridden)


# --------------------------------------------------------------------------- win rate


def test_stored_win_rate_is_the_rule_on_the_stored_answers(deals):
    for deal in deals:
        result = win_rate_for(deal)
        assert deal.win_rate == result.rate, deal.pk
        assert deal.win_rate_status == str(result.status), deal.pk
    # The stored health score too, where the deal model keeps one.
    from winroom.deals import assessment

    if hasattr(assessment, "health_for") and hasattr(Deal, "health_score"):
        for deal in deals:
            assert deal.health_score == assessment.health_for(deal).score, deal.pk
    # No compelling event → not computed; our answers missing → not assessed.
    for deal in deals:
        if not deal.compelling_events.filter(withdrawn=False).exists():
            assert deal.win_rate_status == "not_computed" and deal.win_rate is None


def test_weekly_points_are_the_rule_on_the_answers_of_their_week(deals):
    """Every point recomputed from the stored rows valid at its moment."""
    today = timezone.localdate()
    by_deal = defaultdict(list)
    for point in WinRatePoint.objects.order_by("at", "id"):
        by_deal[point.deal_id].append(point)
    ce_events = defaultdict(list)
    for event in DealEvent.objects.filter(kind=Kind.COMPELLING_EVENT).order_by("at"):
        ce_events[event.deal_id].append(event)
    questionnaires = defaultdict(list)
    for q in Questionnaire.objects.order_by("answered_at", "id"):
        questionnaires[q.deal_id].append(q)
    scores = defaultdict(dict)
    for a in CompetitorAssessment.objects.all():
        scores[a.questionnaire_id][a.deal_competitor_id] = (a.fit, a.closeness)
    entries = defaultdict(list)
    for entry in DealCompetitor.objects.select_related("competitor").order_by("added_at", "id"):
        entries[entry.deal_id].append(entry)

    def rule_at(deal, moment):
        events = [e for e in ce_events[deal.pk] if e.at <= moment]
        has_event = any(e.detail == "" for e in events) and not any(
            e.detail == "withdrawn" for e in events
        )
        latest = None
        for q in questionnaires[deal.pk]:
            if q.answered_at <= moment:
                latest = q
        answers = scores[latest.pk] if latest else {}
        parties = tuple(
            PartyAssessment(
                e.competitor.name,
                *answers.get(e.pk, (None, None)),
            )
            for e in entries[deal.pk]
            if e.added_at <= moment
        )
        return explain_win_rate(
            WinRateInputs(
                has_compelling_event=has_event,
                has_inside_coach=latest.has_inside_coach if latest else None,
                us=PartyAssessment(
                    "us",
                    latest.our_fit if latest else None,
                    latest.our_closeness if latest else None,
                ),
                competitors=parties,
                sole_source=deal.sole_source,
                grade=Grade(deal.grade),
            )
        )

    checked = 0
    for deal in deals:
        points = by_deal[deal.pk]
        assert points, deal.pk
        weeks = [p.week for p in points]
        assert len(set(weeks)) == len(weeks)
        assert all(w.weekday() == 0 for w in weeks)
        assert weeks == sorted(weeks)
        assert all(b - a == timedelta(weeks=1) for a, b in pairwise(weeks))
        assert len(points) <= CURVE_WEEKS + 1
        end = deal.closed_at or timezone.now()
        assert weeks[-1] == iso_monday(end)
        assert weeks[0] >= iso_monday(deal.created_at)
        if len(points) < CURVE_WEEKS + 1:
            assert weeks[0] == iso_monday(deal.created_at)
        for point in points:
            assert iso_monday(point.at) == point.week
            assert point.at <= end
            assert point.cause
            result = rule_at(deal, point.at)
            assert point.rate == result.rate, (deal.pk, point.week)
            assert point.status == str(result.status)
            assert point.factors == [
                {"code": f.code, "value": str(f.value), "subject": f.subject}
                for f in result.factors
            ]
            checked += 1
        last = points[-1]
        assert (last.rate, last.status) == (deal.win_rate, deal.win_rate_status)
        if deal.status == "open":
            assert last.week == iso_monday(timezone.now()) == today - timedelta(today.weekday())
    assert checked == WinRatePoint.objects.count()
    causes = " ".join(WinRatePoint.objects.values_list("cause", flat=True))
    assert "问卷更新：" in causes and " → " in causes and "关系紧密度" in causes
    assert "新增竞争对手：" in causes and "阶段推进：" in causes


# ---------------------------------------------------------------------- the process


def test_stage_history_follows_the_process(deals):
    changes = stage_events()
    now = timezone.now()
    created_events = set(
        DealEvent.objects.filter(kind=Kind.CREATED).values_list("deal_id", flat=True)
    )
    status_events = dict(DealEvent.objects.filter(kind=Kind.STATUS).values_list("deal_id", "new"))
    jumps = 0
    for deal in deals:
        assert deal.pk in created_events
        moves = changes[deal.pk]
        stage = 1
        previous = deal.created_at
        for at, old, new in moves:
            assert old == stage and previous < at <= (deal.closed_at or now)
            if new != old + 1:
                assert (old, new) == (2, 7) and deal.grade in "cde", deal.pk
                jumps += 1
            stage, previous = new, at
        assert stage == deal.stage.number
        assert deal.stage_changed_at == (moves[-1][0] if moves else deal.created_at)
        if deal.status == "open":
            assert deal.closed_at is None and deal.pk not in status_events
        else:
            assert deal.closed_at and deal.closed_at >= deal.stage_changed_at
            assert status_events[deal.pk] == deal.status
        events = DealEvent.objects.filter(deal=deal)
        assert all(deal.created_at <= e.at <= (deal.closed_at or now) for e in events)
    assert jumps > 0


def test_milestones_match_the_stages_left(deals):
    changes = stage_events()
    required = {
        2: ["internal_approved_on"],
        3: ["value_proposition", "competitive_strategy"],
        4: ["tender_influenced_on"],
        5: ["tender_issued_on"],
        6: ["bid_result_on"],
    }
    for deal in deals:
        left = {old: at for at, old, _new in changes[deal.pk]}
        reached = {1} | {new for _at, _old, new in changes[deal.pk]}
        for stage, fields in required.items():
            for field in fields:
                value = getattr(deal, field)
                if stage in left:
                    assert value, (deal.pk, field)
                    if hasattr(value, "year"):
                        assert value <= timezone.localdate(left[stage])
                elif value:
                    # Recorded ahead of the move only while in that very stage (or lost
                    # when the bid result came out).
                    assert stage in reached and (
                        deal.stage.number == stage
                        or (field == "bid_result_on" and deal.status == "lost")
                    ), (deal.pk, field)
        if 3 in left or deal.value_proposition:
            assert deal.tactics and deal.product_value and deal.perception is not None
        if deal.status == "won":
            assert deal.stage.number == 7
            assert deal.contract_signed_on == timezone.localdate(deal.closed_at)
        else:
            assert deal.contract_signed_on is None
        # Leaving stage 1 needs the compelling event, re-confirmed in every later stage left.
        if len(reached) > 1:
            event = CompellingEvent.objects.get(deal=deal)
            confirmations = DealEvent.objects.filter(deal=deal, kind=Kind.COMPELLING_EVENT)
            for stage, at in left.items():
                entered = (
                    deal.created_at
                    if stage == 1
                    else max(a for a, _o, new in changes[deal.pk] if new == stage)
                )
                assert confirmations.filter(at__gt=entered, at__lt=at).exists(), (deal.pk, stage)
            assert event.confirmed_in_stage <= deal.stage.number
        # Leaving stage 2 needs a team of two; leaving stage 3 an open action.
        if 2 in left:
            assert DealMember.objects.filter(deal=deal).count() >= 2
        if 3 in left:
            at = left[3]
            assert any(
                a.created_at < at and (a.done_at is None or a.done_at > at)
                for a in Action.all_objects.filter(deal=deal)
            ), deal.pk


def test_lost_deals_name_a_reason_and_the_winner(deals):
    lost = [d for d in deals if d.status == "lost"]
    assert lost
    for deal in lost:
        assert deal.lost_reason.strip()
        assert (deal.winner_id is not None) != deal.no_decision
        if deal.winner_id:
            assert DealCompetitor.objects.filter(deal=deal, competitor=deal.winner_id).exists()
            assert deal.winner.name in deal.lost_reason
    assert any(d.no_decision for d in lost) and any(d.winner_id for d in lost)
    for deal in deals:
        if deal.status != "lost":
            assert not deal.lost_reason and deal.winner_id is None and not deal.no_decision


def test_owners_teams_and_regions(deals):
    members = defaultdict(dict)
    for m in DealMember.objects.all():
        members[m.deal_id][m.user_id] = m.role
    users = {u.pk: u for u in User.objects.select_related("team__parent__parent")}
    for deal in deals:
        account_team = set(deal.account.member_ids())
        assert deal.owner_id in account_team, deal.pk
        assert members[deal.pk][deal.owner_id] == "account_manager"
        # Everyone on the deal team sells in the account's region.
        region = region_of(users[deal.account.owner_id])
        assert {region_of(users[uid]) for uid in members[deal.pk]} == {region}, deal.pk
    assert any("solution_manager" in roles.values() for roles in members.values())
    # A rep sees their own deals; a regional manager none of the other region's.
    rep1 = User.objects.get(username="rep1")
    assert Deal.objects.visible_to(rep1).filter(owner=rep1).exists()
    east = set(
        Deal.objects.visible_to(User.objects.get(username="manager")).values_list("pk", flat=True)
    )
    west = set(
        Deal.objects.visible_to(User.objects.get(username="manager2")).values_list("pk", flat=True)
    )
    assert east and west and not east & west


def test_questionnaires_maps_actions_and_reviews(deals):
    users = {u.pk: u for u in User.objects.select_related("team__parent__parent")}
    deal_of = {d.pk: d for d in deals}
    questionnaires = list(Questionnaire.objects.all())
    assert questionnaires
    reviewed = [q for q in questionnaires if q.reviewed_by_id]
    assert len(reviewed) > len(questionnaires) / 2
    for q in questionnaires:
        deal = deal_of[q.deal_id]
        if q.reviewed_by_id:
            assert q.reviewed_by_id == manager_of(users[deal.owner_id]) != deal.owner_id
            assert q.reviewed_at >= q.answered_at
        if q.inside_coach_id:
            assert q.has_inside_coach
            assert Contact.objects.get(pk=q.inside_coach_id).account_id == deal.account_id
    versions = Counter(q.deal_id for q in questionnaires)
    assert max(versions.values()) == 6 and min(versions.values()) == 1
    for a in CompetitorAssessment.objects.select_related("questionnaire", "deal_competitor"):
        assert a.questionnaire.deal_id == a.deal_competitor.deal_id
        assert a.deal_competitor.added_at <= a.questionnaire.answered_at
        assert 1 <= a.fit <= 5 and 1 <= a.closeness <= 5
    people = list(DealPerson.objects.select_related("contact"))
    roles = defaultdict(set)
    for person in people:
        deal = deal_of[person.deal_id]
        assert person.contact.account_id == deal.account_id
        suggested = str(suggested_relationship_strategy(person.relationship_status))
        assert person.strategy == suggested or person.strategy_reason
        roles[person.deal_id].add(person.decision_role)
    sizes = Counter(p.deal_id for p in people)
    assert sum(1 for n in sizes.values() if 3 <= n <= 8) > len(sizes) / 2
    assert any("approver" not in r for r in roles.values())
    assert sum(1 for r in roles.values() if "approver" in r) > 0.6 * len(roles)
    assert sum(1 for r in roles.values() if "decision_maker" in r) > 0.8 * len(roles)
    assert any(p.motivation and p.need and p.expectation for p in people)
    per_deal = Counter(e.deal_id for e in DealCompetitor.objects.all())
    assert set(per_deal.values()) >= {1, 2, 3, 4}
    bidding = {  # when each deal entered bidding (stage 6)
        deal_id: at
        for deal_id, moves in stage_events().items()
        for at, _o, new in moves
        if new == 6
    }
    for entry in DealCompetitor.objects.prefetch_related("quotes"):
        quotes = entry.quotes.all()
        assert 1 <= len(quotes) <= 3
        for quote in quotes:
            assert quote.quoted_on >= timezone.localdate(entry.added_at)
            if quote.source == deal_data.BID_OPENING_SOURCE:
                assert quote.quoted_on >= timezone.localdate(bidding[entry.deal_id])
    today = timezone.localdate()
    open_actions = Action.objects.filter(status="open")
    assert open_actions.filter(due_on__lt=today).exists()
    assert open_actions.filter(due_on__gte=today).exists()
    reviews = list(Review.objects.all())
    assert reviews
    for review in reviews:
        deal = deal_of[review.deal_id]
        assert deal.grade in ("a", "b")
        assert review.rep_id == deal.owner_id
        assert review.manager_id == manager_of(users[deal.owner_id])
        assert review.held_on <= today
    for registration in PartnerRegistration.objects.all():
        deal = deal_of[registration.deal_id]
        assert deal.partner_led and registration.partner == deal.partner
        assert registration.account_id == deal.account_id
    assert set(PartnerRegistration.objects.values_list("deal_id", flat=True)) == {
        d.pk for d in deals if d.partner_led
    }


def test_activities_link_deals_and_some_are_stale(deals):
    now = timezone.now()
    linked = Activity.objects.filter(deal__isnull=False).select_related("deal")
    assert linked.count() > 300
    last = defaultdict(lambda: None)
    members = defaultdict(set)
    for m in DealMember.objects.all():
        members[m.deal_id].add(m.user_id)
    for activity in linked:
        deal = activity.deal
        assert activity.account_id == deal.account_id
        assert deal.created_at <= activity.occurred_at <= (deal.closed_at or now)
        assert activity.owner_id in members[deal.pk]
        if last[deal.pk] is None or activity.occurred_at > last[deal.pk]:
            last[deal.pk] = activity.occurred_at
    for deal in deals:
        assert deal.last_activity_at == last[deal.pk]
    open_deals = [d for d in deals if d.status == "open"]
    stale = [
        d
        for d in open_deals
        if is_stale(
            last_activity=d.last_activity_at,
            last_stage_change=d.stage_changed_at,
            created=d.created_at,
            now=now,
        )
    ]
    assert 0.1 * len(open_deals) <= len(stale) <= 0.4 * len(open_deals)


def test_the_largest_deal(deals):
    big = max(deals, key=lambda d: d.people.count())
    assert big.status == "open" and big.grade == "a"
    assert big.people.count() >= 30
    assert big.competitors.count() == 5
    assert big.win_rate_points.filter(week__isnull=False).count() >= 40
    assert big.questionnaires.count() == 6
    assert big.reviews.count() >= 10
    assert set(big.people.values_list("decision_role", flat=True)) >= {
        "approver",
        "decision_maker",
        "evaluator",
        "user",
    }
    assert big.win_rate_status == "computed"
    rates = [p.rate for p in big.win_rate_points.order_by("at")]
    assert rates[-1] > min(r for r in rates if r is not None)  # the curve moves
    assert big.owner.username == "rep1"


def test_deal_pages_show_the_data(deals, client):
    """The deal room, its history and its curve open for a sample of every kind of deal."""
    client.force_login(User.objects.get(username="admin"))
    big = max(deals, key=lambda d: d.people.count())
    sample = {big.pk: big}
    for deal in deals:
        sample.setdefault((deal.status, deal.stage.number, deal.grade), deal)
    picked = list(sample.values())[:25]
    for deal in picked:
        response = client.get(reverse("deals:detail", args=[deal.pk]))
        assert response.status_code == 200, deal.pk
        assert deal.name in response.content.decode()
        assert client.get(reverse("deals:history", args=[deal.pk])).status_code == 200
        curve = client.get(reverse("deals:curve", args=[deal.pk])).json()
        assert curve["points"]
    assert client.get(reverse("deals:list")).status_code == 200
    assert client.get(reverse("deals:board")).status_code == 200


def test_the_largest_deal_room_renders_in_one_request_with_bounded_queries(deals, client):
    """30 people, 5 competitors, 40 weeks of history: one page, a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    big = max(deals, key=lambda d: d.people.count())
    client.force_login(big.owner)
    url = reverse("deals:detail", args=[big.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    # 40 for the deal room + 1 for the learned model's panel + 1 COUNT for the navbar's
    # unread-notifications badge
    assert len(ctx.captured_queries) <= 42, len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        assert len(client.get(reverse("deals:curve", args=[big.pk])).json()["points"]) >= 40
    assert len(ctx.captured_queries) <= 8


def test_snapshot_on_the_demo_data_reports_what_it_processed(deals):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("snapshot_win_rates", stdout=out)
    open_deals = sum(1 for d in deals if d.status == "open")
    assert f"{open_deals} open deals processed" in out.getvalue()
    again = StringIO()
    call_command("snapshot_win_rates", stdout=again)
    assert "0 points written" in again.getvalue()


# ------------------------------------------------------------------ generator knobs


def test_new_rows_after_the_demo_get_fresh_ids(demo, db):
    """Ids were assigned in bulk: the id sequences must carry on after them (PostgreSQL)."""
    rep = User.objects.get(username="rep1")
    account = Account.objects.filter(owner=rep).order_by("pk").first()
    deal = actions.create_deal(
        by=rep, data={"account": account, "name": "新商机", "amount": 300000}
    )
    assert deal.pk > Deal.all_objects.exclude(pk=deal.pk).order_by("-pk").first().pk
    competitor = Competitor.objects.create(name="新竞争对手")
    entry = actions.add_competitor(deal, by=rep, competitor=competitor)
    actions.record_compelling_event(deal, by=rep, description="年底前上线")
    q = actions.answer_questionnaire(
        deal, by=rep, has_inside_coach=True, our_fit=4, our_closeness=4, competitors={entry: (3, 3)}
    )
    assert q.pk and entry.pk
    deal.refresh_from_db()
    assert deal.win_rate == Decimal("0.6400")
