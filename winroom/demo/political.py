"""Demo political maps and iron-supporter indicators (METHODOLOGY §1.1, §1.3).

Most accounts with four people or more get one to three influence circles and two to six
influence lines; people who are positive toward us meet some of the checklist's indicators,
and levels are recomputed so that they follow. Deterministic from the company's seed, from
its own random generator (other demo data of a seed stay unchanged), written in bulk.
"""

from collections import defaultdict
from random import Random

from winroom.accounts.models import (
    CIRCLE_PALETTE,
    Contact,
    ContactIndicator,
    InfluenceCircle,
    InfluenceLine,
    LevelIndicator,
)

CIRCLE_NAMES = [
    "技术派",
    "改革派",
    "保守派",
    "财务线",
    "老同事圈",
    "校友圈",
    "总部派",
    "业务派",
    "少壮派",
    "元老派",
]
LINE_NOTES = ["", "", "", "老上级", "同乡", "多年搭档", "决策前必征求意见", "技术上信任"]


def add_political_maps(seed: int) -> dict:
    """Circles, lines and indicators for the demo company; returns how many of each."""
    rng = Random(f"winroom-demo-political-{seed}")
    people = defaultdict(list)
    # a company generated into a non-empty database (--force): only the new accounts
    done = set(InfluenceCircle.all_objects.values_list("account_id", flat=True)) | set(
        InfluenceLine.all_objects.values_list("account_id", flat=True)
    )
    rows = (
        Contact.objects.exclude(account_id__in=done)
        .exclude(indicator_marks__isnull=False)
        .order_by("account_id", "pk")
        .values_list("pk", "account_id", "reports_to_id", "relationship_status")
    )
    statuses = {}
    for pk, account_id, boss, status in rows:
        people[account_id].append((pk, boss))
        statuses[pk] = status
    circles, memberships, lines = [], [], []
    for account_id, contacts in people.items():
        if len(contacts) < 4 or rng.random() < 0.15:
            continue
        ids = [pk for pk, _boss in contacts]
        names = rng.sample(CIRCLE_NAMES, rng.randint(1, min(3, len(ids) // 2)))
        colours = rng.sample([code for code, _label in CIRCLE_PALETTE], len(names))
        for name, colour in zip(names, colours, strict=True):
            circle = InfluenceCircle(account_id=account_id, name=name, colour=colour)
            circles.append(circle)
            memberships.append((circle, rng.sample(ids, rng.randint(2, min(5, len(ids))))))
        pairs = set()
        bosses = [(boss, pk) for pk, boss in contacts if boss]
        for _ in range(rng.randint(2, 6)):
            # influence often runs along or across the reporting lines, sometimes upward
            if bosses and rng.random() < 0.4:
                boss, report = rng.choice(bosses)
                pair = (report, boss) if rng.random() < 0.5 else (boss, report)
            else:
                pair = tuple(rng.sample(ids, 2))
            if pair in pairs:
                continue
            pairs.add(pair)
            lines.append(
                InfluenceLine(
                    account_id=account_id,
                    source_id=pair[0],
                    target_id=pair[1],
                    strength=rng.choice((1, 2, 2, 3)),
                    note=rng.choice(LINE_NOTES),
                )
            )
    InfluenceCircle.objects.bulk_create(circles, batch_size=1000)
    through = InfluenceCircle.members.through
    through.objects.bulk_create(
        [
            through(influencecircle_id=circle.pk, contact_id=pk)
            for circle, members in memberships
            for pk in members
        ],
        batch_size=2000,
    )
    InfluenceLine.objects.bulk_create(lines, batch_size=1000)
    marks = _indicators(rng, statuses)
    # the levels follow from the indicators just met
    from winroom.accounts.relationships import initialise_levels

    initialise_levels(Contact.all_objects.filter(pk__in={m.contact_id for m in marks}))
    return {
        "influence_circles": len(circles),
        "influence_lines": len(lines),
        "indicators_met": len(marks),
    }


def _indicators(rng: Random, statuses: dict) -> list:
    """People positive toward us meet some indicators; strong supporters often all."""
    checklist = list(LevelIndicator.objects.filter(active=True).order_by("order", "code"))
    if not checklist:
        return []
    marks = []
    for pk, status in statuses.items():
        if status == "strong_positive":
            count = len(checklist) if rng.random() < 0.6 else rng.randint(1, len(checklist))
        elif status == "positive" and rng.random() < 0.5:
            count = rng.randint(1, max(1, len(checklist) - 1))
        else:
            continue
        for indicator in rng.sample(checklist, count):
            marks.append(ContactIndicator(contact_id=pk, indicator=indicator))
    ContactIndicator.objects.bulk_create(marks, batch_size=2000)
    return marks
