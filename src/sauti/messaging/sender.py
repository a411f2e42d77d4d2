"""The sender: claims Outbox rows and delivers them through the Cloud API at each number's rate.

Rules it keeps: replies before bulk (priority), one message in flight per contact and in order,
retries with backoff on rate limits and temporary errors, a failure recorded with Meta's reason,
and never a second send of a message the Cloud API may have accepted (a claimed row waits for
its lease to expire, and a status webhook naming it settles it first; see statuses.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
from dataclasses import dataclass
from typing import Any

import httpx
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from sauti.accounts.models import Workspace
from sauti.integrations.hooks import after_messages_sent
from sauti.messaging import live
from sauti.messaging.channels.whatsapp.client import CloudAPIClient
from sauti.messaging.channels.whatsapp.errors import CloudAPIError, Outcome
from sauti.messaging.models import Message, Outbox
from sauti.messaging.ratelimit import RateLimiter, limiter_from_settings

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
BATCH = 200


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(300, 2 ** max(0, attempts - 1)))


@dataclass(slots=True)
class Claimed:
    outbox_id: int
    message_id: int
    message_uuid: str
    workspace_id: int
    to: str
    body: dict[str, Any]
    attempts: int


def workspaces_with_work(now: dt.datetime) -> list[Workspace]:
    ids = (Outbox.objects.filter(state=Outbox.State.QUEUED, not_before__lte=now)
           .values_list("workspace_id", flat=True).distinct())
    return list(Workspace.objects.filter(id__in=list(ids), channel_healthy=True))


def claim(workspace_id: int, limit: int, now: dt.datetime) -> list[Claimed]:
    """Claim up to `limit` sendable rows: at most one per contact, the contact's oldest first."""
    if limit <= 0:
        return []
    in_flight = Outbox.objects.filter(contact_id=OuterRef("contact_id"), state=Outbox.State.SENDING)
    earlier = Outbox.objects.filter(contact_id=OuterRef("contact_id"), state=Outbox.State.QUEUED,
                                    id__lt=OuterRef("id"))
    query = (Outbox.objects.filter(workspace_id=workspace_id, state=Outbox.State.QUEUED, not_before__lte=now)
             .filter(~Exists(in_flight), ~Exists(earlier)).order_by("priority", "id"))
    lease = now + dt.timedelta(seconds=settings.SAUTI_SEND_LEASE_SECONDS)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            query = query.select_for_update(skip_locked=True, of=("self",))
        rows = list(query.values_list("id", flat=True)[:limit])
        if not rows:
            return []
        Outbox.objects.filter(id__in=rows).update(state=Outbox.State.SENDING, claimed_until=lease)
        Message.objects.filter(outbox__id__in=rows, status=Message.Status.QUEUED).update(status=Message.Status.SENDING)
        claimed = []
        for outbox_id, message_id, message_uuid, body, wa_id, user_id, attempts in (
            Outbox.objects.filter(id__in=rows).order_by("priority", "id").values_list(
                "id", "message_id", "message__uuid", "message__payload", "contact__wa_id", "contact__user_id",
                "attempts")
        ):
            claimed.append(Claimed(outbox_id, message_id, str(message_uuid), workspace_id, wa_id or user_id or "",
                                   body, attempts))
    return claimed


def record(results: list[tuple[Claimed, str | None, CloudAPIError | None]], workspace: Workspace) -> None:
    """Write what each send did, in one transaction and a handful of bulk statements."""
    now = timezone.now()
    channel_error: CloudAPIError | None = None
    sent = {c.message_id: wamid for c, wamid, err in results if err is None and wamid}
    with transaction.atomic():
        if sent:
            Outbox.objects.filter(message_id__in=sent).update(state=Outbox.State.SENT, claimed_until=None,
                                                              attempts=F("attempts") + 1, last_error="")
            # A status webhook may already have moved a message on; only fill in what is missing.
            Message.objects.filter(id__in=sent, status__in=[Message.Status.SENDING, Message.Status.QUEUED]
                                   ).update(status=Message.Status.SENT)
            missing = list(Message.objects.filter(id__in=sent, provider_id__isnull=True).only("id"))
            for message in missing:
                message.provider_id = sent[message.id]
            Message.objects.bulk_update(missing, ["provider_id"])
            after_messages_sent(workspace.id, sent)
        for claimed, _, err in results:
            if err is None:
                continue
            attempts = claimed.attempts + 1
            outcome = err.outcome
            if outcome is Outcome.RETRY and attempts < MAX_ATTEMPTS:
                Outbox.objects.filter(id=claimed.outbox_id).update(
                    state=Outbox.State.QUEUED, claimed_until=None, attempts=attempts,
                    not_before=now + backoff(attempts), last_error=str(err))
                Message.objects.filter(id=claimed.message_id, status=Message.Status.SENDING).update(
                    status=Message.Status.QUEUED)
                continue
            if outcome is Outcome.CHANNEL_DOWN:
                channel_error = err
            Outbox.objects.filter(id=claimed.outbox_id).update(state=Outbox.State.FAILED, claimed_until=None,
                                                              attempts=attempts, last_error=str(err))
            Message.objects.filter(id=claimed.message_id).update(status=Message.Status.FAILED,
                                                                 error=err.as_status_error())
        if channel_error is not None:
            Workspace.objects.filter(id=workspace.id).update(channel_healthy=False, channel_error=str(channel_error))
            logger.error("workspace %s: channel stopped: %s", workspace.id, channel_error)
    if live.enabled():
        for claimed, _, err in results:
            status = "sent" if err is None else ("queued" if err.outcome is Outcome.RETRY else "failed")
            live.publish(workspace.id, "message_status", message=claimed.message_uuid, status=status)


def release_expired_claims(now: dt.datetime) -> int:
    """Rows left 'sending' by a crashed sender, and not settled by a status webhook, go back to the queue."""
    expired = Outbox.objects.filter(state=Outbox.State.SENDING, claimed_until__lt=now)
    ids = list(expired.values_list("id", flat=True)[:1000])
    if not ids:
        return 0
    count = Outbox.objects.filter(id__in=ids, state=Outbox.State.SENDING).update(state=Outbox.State.QUEUED,
                                                                                 claimed_until=None)
    Message.objects.filter(outbox__id__in=ids, status=Message.Status.SENDING).update(status=Message.Status.QUEUED)
    logger.warning("%s outbound message(s) went back to the queue after their claim expired", count)
    return count


class Sender:
    """One sender loop; run one per worker process."""

    # While messages flow, look again soon (a reply should not wait); when quiet, back off so an
    # idle installation costs almost nothing.
    BUSY_SLEEP, IDLE_SLEEP = 0.01, 0.25

    def __init__(self, *, concurrency: int = 16, limiter: RateLimiter | None = None) -> None:
        self.concurrency = concurrency
        self.sleep = self.BUSY_SLEEP
        self.limiter = limiter or limiter_from_settings()
        self.stop = threading.Event()
        self._last_sweep = 0.0

    def run_forever(self) -> None:
        asyncio.run(self._run())

    async def _run(self) -> None:
        limits = httpx.Limits(max_connections=self.concurrency, max_keepalive_connections=self.concurrency)
        async with httpx.AsyncClient(limits=limits) as http:
            while not self.stop.is_set():
                try:
                    sent = await self.run_once(http)
                except Exception:
                    logger.exception("sender round failed; retrying")
                    sent = 0
                    await sync_to_async(close_old_connections, thread_sensitive=True)()
                if sent:
                    self.sleep = self.BUSY_SLEEP
                else:
                    await asyncio.sleep(self.sleep)
                    self.sleep = min(self.IDLE_SLEEP, self.sleep * 1.5)

    async def run_once(self, http: httpx.AsyncClient) -> int:
        """One round over the numbers with queued work; returns how many sends were attempted."""
        now = timezone.now()
        loop_time = asyncio.get_running_loop().time()
        if loop_time - self._last_sweep > 5:
            self._last_sweep = loop_time
            await sync_to_async(release_expired_claims, thread_sensitive=True)(now)
        workspaces = await sync_to_async(workspaces_with_work, thread_sensitive=True)(now)
        total = 0
        for workspace in workspaces:
            allowed = self.limiter.take(workspace.id, max(1, workspace.send_rate), BATCH)
            if not allowed:
                continue
            batch = await sync_to_async(claim, thread_sensitive=True)(workspace.id, allowed, now)
            self.limiter.refund(workspace.id, allowed - len(batch))
            if batch:
                total += len(batch)
                await self._send_batch(http, workspace, batch)
        return total

    async def _send_batch(self, http: httpx.AsyncClient, workspace: Workspace, batch: list[Claimed]) -> None:
        client = CloudAPIClient(http, base_url=workspace.graph_base_url,
                                phone_number_id=workspace.phone_number_id or "",
                                access_token=workspace.access_token)
        gate = asyncio.Semaphore(self.concurrency)

        async def one(claimed: Claimed) -> tuple[Claimed, str | None, CloudAPIError | None]:
            body = {**{k: v for k, v in claimed.body.items() if not k.startswith("_")}, "to": claimed.to,
                    "biz_opaque_callback_data": claimed.message_uuid}
            async with gate:
                try:
                    result = await client.send(body)
                except CloudAPIError as err:
                    return claimed, None, err
            return claimed, result.wamid, None

        results = await asyncio.gather(*(one(c) for c in batch))
        await sync_to_async(record, thread_sensitive=True)(list(results), workspace)
