"""Team group robots (WeCom, DingTalk, Feishu): payloads, the outbox and its delivery.

Nothing here runs inside a web request's time: pages and jobs *enqueue* a
:class:`~winroom.notifications.models.WebhookDelivery`; ``deliver_webhooks`` (run every
minute) sends what is due, and a test message from the settings page is also handed to a
short background thread after the commit, so the page answers at once and shows the result
on its next refresh. A delivery is claimed with a lease (its next attempt moved forward in
one UPDATE) so the thread and the job never send it twice.

Retries: after a failed attempt ``n`` the next one waits ``base × 2^(n-1)`` seconds; after
``max attempts`` the delivery is failed. Every attempt is logged.
"""

import json
import logging
import threading
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import DeliveryStatus, TeamWebhook, WebhookDelivery, WebhookKind

logger = logging.getLogger("winroom.notifications.webhooks")

#: how long a claimed delivery is left alone by other workers (seconds)
LEASE_SECONDS = 120


def timeout() -> float:
    return float(getattr(settings, "WINROOM_WEBHOOK_TIMEOUT", 5))


def max_attempts() -> int:
    return int(getattr(settings, "WINROOM_WEBHOOK_MAX_ATTEMPTS", 5))


def retry_base() -> float:
    return float(getattr(settings, "WINROOM_WEBHOOK_RETRY_SECONDS", 60))


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: base, 2 × base, 4 × base …"""
    return timedelta(seconds=retry_base() * 2 ** max(attempts - 1, 0))


def payload_for(kind: str, text: str) -> dict:
    """The text message each robot expects."""
    if kind == WebhookKind.FEISHU:
        return {"msg_type": "text", "content": {"text": text}}
    # WeCom and DingTalk share the shape
    return {"msgtype": "text", "text": {"content": text}}


def enqueue(webhook: TeamWebhook, text: str, *, is_test=False, dedupe_key="") -> WebhookDelivery:
    """Put a message in the outbox (once per dedupe key, when one is given)."""
    if dedupe_key:
        existing = WebhookDelivery.objects.filter(webhook=webhook, dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    return WebhookDelivery.objects.create(
        webhook=webhook,
        text=text,
        payload=payload_for(webhook.kind, text),
        is_test=is_test,
        dedupe_key=dedupe_key,
    )


def robot_error(body: bytes) -> str:
    """The robot's own refusal in a 200 answer (errcode / code not 0), else ''."""
    try:
        data = json.loads(body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        return ""
    if not isinstance(data, dict):
        return ""
    for key in ("errcode", "code", "StatusCode"):
        if key in data and data[key] not in (0, "0", None):
            message = data.get("errmsg") or data.get("msg") or data.get("StatusMessage") or ""
            return f"{key} {data[key]}: {message}".strip()
    return ""


def post(url: str, payload: dict) -> str:
    """Send; '' on success, else what went wrong."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout()) as response:
            answer = response.read(65536)
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        return f"{type(reason).__name__}: {reason}"
    return robot_error(answer)


def claim(delivery_pk: int, now) -> WebhookDelivery | None:
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_pk, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + timedelta(seconds=LEASE_SECONDS))
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("webhook", "webhook__team").get(pk=delivery_pk)


def attempt(delivery: WebhookDelivery, now=None) -> WebhookDelivery:
    """One try of a claimed delivery; records the outcome and the next attempt."""
    now = now or timezone.now()
    error = post(delivery.webhook.url, delivery.payload)
    delivery.attempts += 1
    if not error:
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
        logger.info("webhook delivery %s sent (attempt %s)", delivery.pk, delivery.attempts)
    else:
        delivery.last_error = error[:1000]
        if delivery.attempts >= max_attempts():
            delivery.status = DeliveryStatus.FAILED
            logger.error(
                "webhook delivery %s failed after %s attempts: %s",
                delivery.pk,
                delivery.attempts,
                error,
            )
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            logger.warning(
                "webhook delivery %s attempt %s failed, retry at %s: %s",
                delivery.pk,
                delivery.attempts,
                delivery.next_attempt_at.isoformat(),
                error,
            )
    delivery.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
    return delivery


def deliver_due(*, now=None, limit: int = 200) -> dict[str, int]:
    """Send every pending delivery whose time has come (inactive robots wait)."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now, webhook__active=True
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    outcome = {"sent": 0, "retry": 0, "failed": 0}
    for pk in due:
        delivery = claim(pk, now)
        if delivery is None:
            continue
        delivery = attempt(delivery, now)
        key = {"sent": "sent", "failed": "failed"}.get(delivery.status, "retry")
        outcome[key] += 1
    return outcome


def _deliver_in_thread(delivery_pk: int) -> None:
    try:
        delivery = claim(delivery_pk, timezone.now())
        if delivery is not None:
            attempt(delivery)
    except Exception:  # a background thread must log, not die silently
        logger.exception("webhook delivery %s: background attempt crashed", delivery_pk)
    finally:
        connection.close()


def send_soon(delivery: WebhookDelivery) -> None:
    """After the commit, try this delivery once in a short daemon thread; whatever is left
    pending is ``deliver_webhooks``' to retry."""
    if not getattr(settings, "WINROOM_WEBHOOK_BACKGROUND", True):
        return

    def start():
        threading.Thread(
            target=_deliver_in_thread, args=(delivery.pk,), daemon=True, name="webhook"
        ).start()

    transaction.on_commit(start)
