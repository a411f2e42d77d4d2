"""Deliver an endpoint's pending deliveries one at a time, in order, with retries and backoff.

One worker at a time holds an endpoint's lease, so deliveries arrive in the order they were
recorded: a delivery that fails holds back the ones after it until it succeeds. After its last
retry it is marked failed, the endpoint is disabled (what was pending stays pending, and resumes
in order when someone enables it again) and the workspace's admins get an email.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sauti.integrations.models import Delivery, Webhook
from sauti.integrations.signing import SIGNATURE_HEADER, sign
from sauti.integrations.targets import BlockedAddress, check_target

logger = logging.getLogger(__name__)
BATCH = 100
USER_AGENT = "Sauti-Webhooks/1"


@dataclass(frozen=True, slots=True)
class Attempt:
    ok: bool
    status: int | None
    body: str
    error: str
    duration_ms: int


def retry_delays() -> list[float]:
    return [float(s) for s in settings.SAUTI_WEBHOOK_RETRY_DELAYS]


def post(webhook: Webhook, delivery: Delivery, http: httpx.Client) -> Attempt:
    """One signed POST of the stored body; any 2xx is success."""
    raw = delivery.body.encode()
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
               SIGNATURE_HEADER: sign(raw, webhook.secret), "X-Turn-Hook-Subscription": delivery.subscription,
               "X-Sauti-Delivery": str(delivery.uuid), **(delivery.headers or {})}
    started = time.monotonic()
    try:
        check_target(webhook.workspace, webhook.url)
    except BlockedAddress as exc:
        return Attempt(False, None, "", str(exc), 0)
    try:
        response = http.post(webhook.url, content=raw, headers=headers)
    except httpx.HTTPError as exc:
        return Attempt(False, None, "", f"{type(exc).__name__}: {exc}"[:500], _ms(started))
    ok = 200 <= response.status_code < 300
    error = "" if ok else f"HTTP {response.status_code}"
    return Attempt(ok, response.status_code, response.text[:1000], error, _ms(started))


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _lease(webhook_id: int, now: dt.datetime) -> str | None:
    token = secrets.token_hex(8)
    until = now + dt.timedelta(seconds=settings.SAUTI_WEBHOOK_TIMEOUT * 2 + 30)
    taken = Webhook.objects.filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now), id=webhook_id,
                                   enabled=True).update(lock_token=token, locked_until=until)
    return token if taken else None


def _release(webhook_id: int, token: str) -> None:
    Webhook.objects.filter(id=webhook_id, lock_token=token).update(lock_token="", locked_until=None)


def deliver_pending(webhook_id: int, *, http: httpx.Client | None = None) -> dt.datetime | None:
    """Send the endpoint's due deliveries in order; returns when to look again (a retry or more
    work), or None when there is nothing left or another worker holds the endpoint."""
    now = timezone.now()
    token = _lease(webhook_id, now)
    if token is None:
        return None
    own = http is None
    client = http or httpx.Client(timeout=settings.SAUTI_WEBHOOK_TIMEOUT, follow_redirects=False)
    try:
        webhook = Webhook.objects.select_related("workspace").get(id=webhook_id)
        for _ in range(BATCH):
            delivery = (Delivery.objects.filter(webhook_id=webhook_id, state=Delivery.State.PENDING)
                        .order_by("id").first())
            if delivery is None:
                return None
            if delivery.next_attempt_at > timezone.now():
                return delivery.next_attempt_at
            attempt = post(webhook, delivery, client)
            if not _record(webhook, delivery, attempt):
                return None if not _still_enabled(webhook_id) else delivery.next_attempt_at
        return timezone.now()
    finally:
        _release(webhook_id, token)
        if own:
            client.close()


def _still_enabled(webhook_id: int) -> bool:
    return Webhook.objects.filter(id=webhook_id, enabled=True).exists()


def _record(webhook: Webhook, delivery: Delivery, attempt: Attempt) -> bool:
    """Keep what the attempt did; True when the delivery is done and the next one may go."""
    now = timezone.now()
    delivery.attempts += 1
    delivery.response_status = attempt.status
    delivery.response_body = attempt.body
    delivery.error = attempt.error
    delivery.duration_ms = attempt.duration_ms
    if attempt.ok:
        delivery.state = Delivery.State.DELIVERED
        delivery.delivered_at = now
        delivery.save(update_fields=["attempts", "response_status", "response_body", "error", "duration_ms",
                                     "state", "delivered_at"])
        return True
    delays = retry_delays()
    if delivery.attempts <= len(delays):
        delivery.next_attempt_at = now + dt.timedelta(seconds=delays[delivery.attempts - 1])
        delivery.save(update_fields=["attempts", "response_status", "response_body", "error", "duration_ms",
                                     "next_attempt_at"])
        return False
    delivery.state = Delivery.State.FAILED
    delivery.save(update_fields=["attempts", "response_status", "response_body", "error", "duration_ms", "state"])
    disable_failing(webhook, delivery)
    return False


def disable_failing(webhook: Webhook, delivery: Delivery) -> None:
    """Stop an endpoint that keeps failing and tell the workspace's owners and admins by email."""
    from sauti.integrations.services import disable_webhook_for_failures

    reason = (f"{delivery.attempts} attempts to deliver a {delivery.subscription} {delivery.event} "
              f"failed; the last: {delivery.error or 'no answer'}")
    with transaction.atomic():
        disable_webhook_for_failures(webhook, reason)
    logger.warning("webhook %s disabled: %s", webhook.id, reason)


def sweep(now: dt.datetime | None = None) -> int:
    """Enqueue delivery again for endpoints whose task was lost (a killed worker); the scheduler runs it."""
    from sauti.integrations.tasks import deliver

    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=30)
    ids = list(Webhook.objects.filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now), enabled=True,
                                      deliveries__state=Delivery.State.PENDING,
                                      deliveries__next_attempt_at__lt=stale)
               .values_list("id", flat=True).distinct()[:200])
    for webhook_id in ids:
        deliver.enqueue(webhook_id)
    return len(ids)
