"""Demo: logged activities carry the catalogue's relationship actions (METHODOLOGY §1.2).

Each kind of activity maps to the catalogue actions it plausibly is; most activities carry
one, a few two (a technical exchange with a product demo, a reference visit followed by an
executive dinner). Each activity's draw is seeded by the demo seed and the activity's id, so
the result is deterministic and running it again changes nothing (an activity that drew no
action draws none again; one that has actions is not touched).
"""

import random

from winroom.accounts.models import RelationshipActionType
from winroom.activities.models import Activity

#: activity kind → (catalogue codes to pick from, chance of carrying an action at all)
BY_KIND: dict[str, tuple[tuple[str, ...], float]] = {
    "call": (("phone_call",), 0.5),
    "email": ((), 0.0),
    "meeting": (("office_visit", "business_meal", "joint_workshop"), 0.7),
    "visit": (("office_visit", "business_meal"), 0.8),
    "technical_exchange": (("technical_exchange", "product_demo"), 0.95),
    "reference_visit": (("reference_visit", "hq_visit"), 0.95),
    "executive_meeting": (("executive_dinner", "hq_visit", "strategic_agreement"), 0.9),
    "other": (("office_visit",), 0.3),
}
#: a second action on the same activity
SECOND: dict[str, str] = {
    "technical_exchange": "product_demo",
    "reference_visit": "executive_dinner",
    "executive_dinner": "business_meal",
}


def add_relationship_actions(*, seed: int) -> int:
    """Attach catalogue actions to demo activities; returns how many links were created."""
    catalogue = dict(RelationshipActionType.objects.filter(active=True).values_list("code", "pk"))
    if not catalogue:
        return 0
    through = Activity.relationship_actions.through
    activities = (
        Activity.all_objects.filter(relationship_actions__isnull=True)
        .order_by("pk")
        .values_list("pk", "kind")
    )
    links = []
    for activity_id, kind in activities.iterator(chunk_size=5000):
        rng = random.Random(seed * 1_000_003 + activity_id)
        codes, chance = BY_KIND.get(kind, ((), 0.0))
        codes = tuple(code for code in codes if code in catalogue)
        if not codes or rng.random() >= chance:
            continue
        # the big-ticket actions are rare: a strategic agreement is not signed every week
        code = rng.choice(codes)
        if code == "strategic_agreement" and rng.random() < 0.85:
            code = "executive_dinner"
        chosen = {code}
        second = SECOND.get(code)
        if second in catalogue and rng.random() < 0.25:
            chosen.add(second)
        links.extend(
            through(activity_id=activity_id, relationshipactiontype_id=catalogue[c])
            for c in sorted(chosen)
        )
    through.objects.bulk_create(links, batch_size=5000)
    return len(links)
