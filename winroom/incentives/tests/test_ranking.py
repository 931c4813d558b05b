"""The monthly ranking through the database, with 3 and 7 reps, against hand-worked numbers."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from winroom.incentives import ranking
from winroom.incentives.models import RankingSnapshot, RankingWeights, RepTarget
from winroom.testing.factories import AccountFactory

from .conftest import YEAR, make_deal, make_visit, relationship_action

pytestmark = pytest.mark.django_db
MARCH = date(YEAR, 3, 1)


def target(rep, baseline="120000"):
    """An even split: 10,000 a month for 120,000."""
    from winroom.methodology.targets import even_split

    return RepTarget.objects.create(
        rep=rep,
        year=YEAR,
        baseline=D(baseline),
        monthly=[str(v) for v in even_split(D(baseline))],
    )


@pytest.fixture
def three(small_team):
    """A: 15,000 won of 10,000 (150 %), 4 effective visits, account score 2.0;
    B: 10,000 (100 %), 2 visits, account score 6.0 (5 points × 1.2, a manager-level contact);
    C: nothing won, 1 visit (and one that is not effective), no key contacts."""
    manager, (a, b, c) = small_team(3)
    for rep in (a, b, c):
        target(rep)
    make_deal(a, "15000", date(YEAR, 3, 5))
    make_deal(b, "10000", date(YEAR, 3, 20))
    make_deal(c, "90000", date(YEAR, 4, 1))  # April: not in March
    for day in (3, 4, 5, 6):
        make_visit(a, date(YEAR, 3, day))
    make_visit(b, date(YEAR, 3, 3))
    make_visit(b, date(YEAR, 3, 31))
    make_visit(c, date(YEAR, 3, 3))
    make_visit(c, date(YEAR, 3, 4), effective=False)
    make_visit(c, date(YEAR, 2, 28))  # February
    relationship_action(AccountFactory(owner=a), code="technical_exchange", on=date(YEAR, 3, 10))
    relationship_action(
        AccountFactory(owner=b), code="hq_visit", on=date(YEAR, 3, 10), level="manager"
    )
    return manager, a, b, c


def test_three_reps_by_hand(three):
    _manager, a, b, c = three
    rows = {row.rep_id: row for row in ranking.compute(MARCH, today=date(2026, 1, 1))}
    assert (rows[a.pk].attainment, rows[b.pk].attainment, rows[c.pk].attainment) == (
        D("1.5000"),
        D("1.0000"),
        D("0.0000"),
    )
    assert (rows[a.pk].effective_visits, rows[b.pk].effective_visits) == (4, 2)
    assert rows[c.pk].effective_visits == 1
    assert (rows[a.pk].relationship, rows[b.pk].relationship, rows[c.pk].relationship) == (
        D("2.0"),
        D("6.0"),
        D("0"),
    )
    # weights 50 / 25 / 25; each metric scaled to the best rep = 100
    # A: (50 × 100 + 25 × 33.33 + 25 × 100) / 100 = 83.3325 → 83.33
    # B: (50 × 66.67 + 25 × 100 + 25 × 50) / 100 = 70.835 → 70.84
    # C: (0 + 0 + 25 × 25) / 100 = 6.25
    assert [rows[r.pk].score for r in (a, b, c)] == [D("83.33"), D("70.84"), D("6.25")]
    assert rows[a.pk].scaled == {
        "attainment": "100.00",
        "relationship": "33.33",
        "visits": "100.00",
    }
    # 3 reps: top 30 % → 1, bottom 15 % → 1
    assert [(rows[r.pk].position, rows[r.pk].group) for r in (a, b, c)] == [
        (1, "top"),
        (2, "middle"),
        (3, "bottom"),
    ]


def test_a_rep_without_target_scores_zero_attainment(three):
    _manager, a, _b, c = three
    RepTarget.objects.filter(rep=c).delete()
    rows = {row.rep_id: row for row in ranking.compute(MARCH, today=date(2026, 1, 1))}
    assert rows[c.pk].attainment is None and rows[c.pk].target is None
    assert rows[a.pk].target == D("10000.00")


def test_seven_reps_groups_and_a_tie_across_the_boundary(small_team):
    _manager, reps = small_team(7)
    RankingWeights.objects.update_or_create(
        pk=1, defaults={"attainment": 100, "relationship": 0, "visits": 0}
    )
    won = ["70000", "60000", "50000", "50000", "30000", "20000", "0"]
    for rep, amount in zip(reps, won, strict=True):
        target(rep)
        if amount != "0":
            make_deal(rep, amount, date(YEAR, 3, 10))
    # the tie between reps 3 and 4 is broken by effective visits: rep 4 has one more
    make_visit(reps[3], date(YEAR, 3, 12))
    rows = ranking.compute(MARCH, today=date(2026, 1, 1))
    order = [row.rep_id for row in rows]
    assert order == [reps[i].pk for i in (0, 1, 3, 2, 4, 5, 6)]
    # 7 reps: top ceil(2.1) = 3, bottom ceil(1.05) = 2
    assert [row.group for row in rows] == ["top"] * 3 + ["middle"] * 2 + ["bottom"] * 2
    tied = {row.rep_id for row in rows if row.tied_across_boundary}
    assert tied == {reps[3].pk, reps[2].pk}
    assert rows[2].score == rows[3].score == D("71.43")  # 50,000 / 70,000 × 100


def test_snapshot_is_idempotent_and_keeps_reviews(three):
    manager, _a, _b, c = three
    assert ranking.snapshot(MARCH, today=date(2026, 1, 1)) == 3
    first = list(RankingSnapshot.objects.filter(month=MARCH).values_list("rep_id", "position"))
    from winroom.incentives import actions

    actions.record_review(rep=c, month=MARCH, by=manager, causes="拜访太少", help_agreed="陪访两次")
    assert ranking.snapshot(MARCH, today=date(2026, 1, 1)) == 3
    again = list(RankingSnapshot.objects.filter(month=MARCH).values_list("rep_id", "position"))
    assert first == again and RankingSnapshot.objects.count() == 3
    assert c.ranking_reviews.get().help_agreed == "陪访两次"


def test_month_ranking_reads_the_snapshot_of_a_past_month(three):
    _manager, a, _b, _c = three
    ranking.snapshot(MARCH, today=date(2026, 1, 1))
    RankingSnapshot.objects.filter(month=MARCH, rep=a).update(score=D("1.00"))
    result = ranking.month_ranking(MARCH)
    assert not result.live
    assert next(r for r in result.rows if r.rep_id == a.pk).score == D("1.00")
    live = ranking.month_ranking(date(YEAR, 4, 1))  # never recorded: computed now
    assert live.live and live.rep_count == 3


def test_the_command_records_a_month(three, capsys):
    call_command("snapshot_rankings", "--month", f"{YEAR}-03")
    assert RankingSnapshot.objects.filter(month=MARCH).count() == 3
    call_command("snapshot_rankings", "--month", f"{YEAR}-03")
    assert RankingSnapshot.objects.filter(month=MARCH).count() == 3
    assert "3" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("snapshot_rankings", "--month", "March")
    with pytest.raises(CommandError):
        call_command("snapshot_rankings", "--month", "2999-01")


def test_the_command_defaults_to_the_month_that_ended(three):
    call_command("snapshot_rankings")
    months = set(RankingSnapshot.objects.values_list("month", flat=True))
    assert len(months) == 1
    (month,) = months
    from django.utils import timezone

    first = timezone.localdate().replace(day=1)
    assert month < first and (first - month).days <= 31
