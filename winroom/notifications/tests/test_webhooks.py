"""Team robots against a real local HTTP server: payloads, retries with back-off, failure."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from winroom.notifications.models import DeliveryStatus, TeamWebhook, WebhookDelivery
from winroom.notifications.webhooks import backoff, deliver_due, enqueue, payload_for, send_soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def hook(company, robot):
    return TeamWebhook.objects.create(team=company.east, kind="wecom", url=robot.url)


def test_payload_per_robot():
    assert payload_for("wecom", "你好") == {"msgtype": "text", "text": {"content": "你好"}}
    assert payload_for("dingtalk", "你好") == {"msgtype": "text", "text": {"content": "你好"}}
    assert payload_for("feishu", "你好") == {"msg_type": "text", "content": {"text": "你好"}}


def test_backoff_doubles(settings):
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]


@pytest.mark.parametrize("kind", ["wecom", "dingtalk", "feishu"])
def test_success(company, robot, kind):
    hook = TeamWebhook.objects.create(team=company.east, kind=kind, url=robot.url)
    delivery = enqueue(hook, "测试消息")
    assert deliver_due() == {"sent": 1, "retry": 0, "failed": 0}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 1, "")
    assert robot.received == [payload_for(kind, "测试消息")]
    # nothing left to send
    assert deliver_due() == {"sent": 0, "retry": 0, "failed": 0}


def test_a_500_then_success_on_retry(hook, robot, caplog):
    robot.script = [(500, {}, 0)]
    delivery = enqueue(hook, "重试")
    now = timezone.now()
    with caplog.at_level(logging.WARNING, logger="winroom.notifications.webhooks"):
        assert deliver_due(now=now) == {"sent": 0, "retry": 1, "failed": 0}
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.last_error == "HTTP 500"
    assert delivery.next_attempt_at == now + timedelta(seconds=60)
    assert "attempt 1 failed" in caplog.text
    # not before its time
    assert deliver_due(now=now + timedelta(seconds=30))["sent"] == 0
    assert deliver_due(now=now + timedelta(seconds=61)) == {"sent": 1, "retry": 0, "failed": 0}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert len(robot.received) == 2


def test_a_robot_refusal_in_a_200_is_a_failure(hook, robot):
    robot.script = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"}, 0)]
    delivery = enqueue(hook, "x")
    deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == "pending" and "93000" in delivery.last_error


def test_timeouts_fail_after_max_attempts_and_are_logged(hook, robot, caplog):
    robot.script = [(200, {"errcode": 0}, 1.5)] * 3
    delivery = enqueue(hook, "超时")
    now = timezone.now()
    with caplog.at_level(logging.WARNING, logger="winroom.notifications.webhooks"):
        for step in range(3):
            deliver_due(now=now + timedelta(hours=step))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 3
    assert "timed out" in delivery.last_error.lower()
    assert "failed after 3 attempts" in caplog.text
    assert deliver_due(now=now + timedelta(days=1))["failed"] == 0


def test_unreachable_robot(company):
    hook = TeamWebhook.objects.create(team=company.east, kind="feishu", url="http://127.0.0.1:9/x")
    delivery = enqueue(hook, "x")
    deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.last_error


def test_inactive_robots_wait(hook):
    hook.active = False
    hook.save()
    enqueue(hook, "x")
    assert deliver_due() == {"sent": 0, "retry": 0, "failed": 0}


def test_dedupe_key_queues_once(hook):
    first = enqueue(hook, "a", dedupe_key="reminders:2026-06-15")
    assert enqueue(hook, "b", dedupe_key="reminders:2026-06-15") == first
    assert WebhookDelivery.objects.count() == 1


def test_the_command(hook, robot):
    enqueue(hook, "命令")
    call_command("deliver_webhooks", stdout=StringIO())
    assert WebhookDelivery.objects.get().status == "sent"


def test_test_send_is_tried_after_the_commit_only(
    hook, settings, django_capture_on_commit_callbacks
):
    settings.WINROOM_WEBHOOK_BACKGROUND = True
    delivery = enqueue(hook, "x", is_test=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_soon(delivery)
    assert len(callbacks) == 1
    delivery.refresh_from_db()
    assert delivery.status == "pending"  # the request itself never touched the network
