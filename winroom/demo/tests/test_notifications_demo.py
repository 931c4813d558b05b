"""The demo company comes with reminders, as the daily producer makes them."""

import pytest

from winroom.demo.generator import generate
from winroom.notifications.models import Notification
from winroom.notifications.producers import produce


@pytest.fixture
def demo(db):
    return generate(accounts=12, activities=200, seed=7, history=False)


def test_demo_users_have_reminders_some_read(demo):
    assert demo["notifications"] == Notification.objects.count() > 0
    assert Notification.objects.filter(read_at__isnull=True).exists()
    assert Notification.objects.filter(read_at__isnull=False).exists()
    assert Notification.objects.values("recipient").distinct().count() > 1
    # the producer is idempotent over the demo too
    assert produce() == []
