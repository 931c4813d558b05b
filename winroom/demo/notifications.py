"""Demo reminders: the producer run once over the generated company, some already read."""

import random

from django.utils import timezone


def add_notifications(*, seed: int) -> int:
    """Create today's reminders for everyone (as ``send_reminders`` would) and mark about a
    third of them read, deterministically from the seed. Returns how many were created."""
    from winroom.notifications.models import Notification
    from winroom.notifications.producers import produce

    created = len(produce())
    rng = random.Random(seed)
    ids = list(Notification.objects.order_by("pk").values_list("pk", flat=True))
    read = [pk for pk in ids if rng.random() < 0.33]
    Notification.objects.filter(pk__in=read).update(read_at=timezone.now())
    return created
