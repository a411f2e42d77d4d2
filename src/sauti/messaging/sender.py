"""The sender: claims Outbox rows and delivers them through the Cloud API at each number's rate.

Rules it keeps: replies before bulk (priority), one message in flight per contact and in order,
retries with backoff on rate limits and temporary errors, a failure recorded with Meta's reason,
and never a second send of a message the Cloud API may have accepted (a claimed row waits for
its lease to expire, and a status webhook naming it settles it first; see statuses.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import OperationalError, close_old_connections, connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from sauti.accounts.models import Workspace
from sauti.integrations.hooks import after_messages_sent
from sauti.messaging import live
from sauti.messaging.channels.whatsapp.errors import CloudAPIError, Outcome, error_from_response
from sauti.messaging.channels.whatsapp.http11 import Http11Pool, HTTPFailure
from sauti.messaging.models import Message, Outbox, WebhookEvent
from sauti.messaging.ratelimit import RateLimiter, limiter_from_settings

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
BATCH = 200
MAX_BATCH = 1000


def batch_size(rate: int) -> int:
    """How many sends one round may claim for a number: enough for half a second at its rate,
    since a round (claim, send, record) takes a few hundred milliseconds on a busy machine and a
    smaller cap would hold a 1,000/s number below its tier."""
    return min(MAX_BATCH, max(BATCH, rate // 2))


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
    bulk: bool = False


def workspaces_with_work(now: dt.datetime) -> list[Workspace]:
    """Numbers with something to send now. One EXISTS per number, which stops at the first queued
    row (a DISTINCT over the queue would read all of it every round: 100,000 rows during a big
    broadcast)."""
    ready = Outbox.objects.filter(workspace_id=OuterRef("pk"), state=Outbox.State.QUEUED, not_before__lte=now)
    return list(Workspace.objects.filter(Exists(ready), channel_healthy=True))


def claim(workspace_id: int, limit: int, now: dt.datetime, *, bulk_limit: int | None = None) -> list[Claimed]:
    """Claim up to `limit` sendable rows: at most one per contact, the contact's oldest first.

    Replies (priority below BULK) come first; bulk rows fill what is left, up to `bulk_limit`
    (the share of the rate bulk may use). One locked read (joined with the message and the
    contact) and two updates, whatever the batch's size.
    """
    if limit <= 0:
        return []
    in_flight = Outbox.objects.filter(contact_id=OuterRef("contact_id"), state=Outbox.State.SENDING)
    earlier = Outbox.objects.filter(contact_id=OuterRef("contact_id"), state=Outbox.State.QUEUED,
                                    id__lt=OuterRef("id"))
    query = (Outbox.objects.filter(workspace_id=workspace_id, state=Outbox.State.QUEUED, not_before__lte=now)
             .filter(~Exists(in_flight), ~Exists(earlier)).order_by("priority", "id"))
    fields = ("id", "message_id", "message__uuid", "message__payload", "contact__wa_id", "contact__user_id",
              "attempts", "priority")
    lease = now + dt.timedelta(seconds=settings.SAUTI_SEND_LEASE_SECONDS)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            query = query.select_for_update(skip_locked=True, of=("self",))
        if bulk_limit is None or bulk_limit >= limit:
            rows = list(query.values_list(*fields)[:limit])
        else:
            rows = list(query.filter(priority__lt=Outbox.BULK).values_list(*fields)[:limit])
            room = min(bulk_limit, limit - len(rows))
            if room > 0:
                rows += list(query.filter(priority__gte=Outbox.BULK).values_list(*fields)[:room])
        if not rows:
            return []
        ids = [row[0] for row in rows]
        Outbox.objects.filter(id__in=ids).update(state=Outbox.State.SENDING, claimed_until=lease)
        Message.objects.filter(id__in=[row[1] for row in rows], status=Message.Status.QUEUED).update(
            status=Message.Status.SENDING)
    return [Claimed(outbox_id, message_id, str(message_uuid), workspace_id, wa_id or user_id or "", body, attempts,
                    priority >= Outbox.BULK)
            for outbox_id, message_id, message_uuid, body, wa_id, user_id, attempts, priority in rows]


def _lock_messages(ids: Iterable[int]) -> None:
    list(Message.objects.filter(id__in=list(ids)).order_by("id").select_for_update(no_key=True)
         .values_list("id", flat=True))


def _mark_sent(sent: dict[int, str]) -> None:
    """Sent messages get their wamid and status in one statement (their rows already locked). A
    status webhook may have been faster: a status already past "sent" and a wamid already known
    are kept. UPDATE … FROM VALUES works on PostgreSQL and SQLite ≥ 3.33."""
    table = Message._meta.db_table
    pairs = sorted(sent.items())
    rows = ", ".join(["(%s, %s)"] * len(pairs))
    sql = (f"UPDATE {table} SET provider_id = COALESCE({table}.provider_id, v.column2), "  # noqa: S608 - no user text
           f"status = CASE WHEN {table}.status IN (%s, %s) THEN %s ELSE {table}.status END "
           f"FROM (VALUES {rows}) AS v WHERE {table}.id = v.column1")
    params: list[object] = [Message.Status.SENDING.value, Message.Status.QUEUED.value, Message.Status.SENT.value]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *[x for pair in pairs for x in pair]])


def record(results: list[tuple[Claimed, str | None, CloudAPIError | None]], workspace: Workspace) -> None:
    """Write what each send did, in one transaction and a handful of bulk statements; a deadlock
    with a status lane is retried (what was sent must be recorded, or it waits for its lease)."""
    for attempt in range(5):
        try:
            return _record(results, workspace)
        except OperationalError:
            if attempt == 4:
                raise
            logger.warning("recording sends met a lock conflict; trying again")
            time.sleep(0.05 * (attempt + 1))
    return None


def _record(results: list[tuple[Claimed, str | None, CloudAPIError | None]], workspace: Workspace) -> None:
    now = timezone.now()
    channel_error: CloudAPIError | None = None
    sent = {c.message_id: wamid for c, wamid, err in results if err is None and wamid}
    with transaction.atomic():
        if sent:
            # Messages first, locked in id order, then their Outbox rows: the order a status lane
            # settling the same sends takes (statuses.py), so neither waits on the other in a circle
            # (a deadlock costs PostgreSQL's deadlock_timeout, a second, each time).
            _lock_messages(sent)
            _mark_sent(sent)
            Outbox.objects.filter(message_id__in=sent).update(state=Outbox.State.SENT, claimed_until=None,
                                                              attempts=F("attempts") + 1, last_error="")
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
    # A status webhook naming one of them (the Cloud API had accepted it) may be stored but not
    # yet read, when the lanes are behind: a claim waits while its number has unread webhooks
    # that arrived before the claim expired, or the message would go out twice. (Webhooks that
    # arrive later do not hold it: on a busy number there is always a newer one.)
    unread = WebhookEvent.objects.filter(workspace_id=OuterRef("workspace_id"), processed_at__isnull=True,
                                         received_at__lte=OuterRef("claimed_until"))
    expired = Outbox.objects.filter(state=Outbox.State.SENDING, claimed_until__lt=now).exclude(Exists(unread))
    ids = list(expired.values_list("id", flat=True)[:1000])
    if not ids:
        return 0
    count = Outbox.objects.filter(id__in=ids, state=Outbox.State.SENDING).update(state=Outbox.State.QUEUED,
                                                                                 claimed_until=None)
    Message.objects.filter(outbox__id__in=ids, status=Message.Status.SENDING).update(status=Message.Status.QUEUED)
    logger.warning("%s outbound message(s) went back to the queue after their claim expired", count)
    return count


class Sender:
    """One sender loop; run one per worker process.

    Sends go over keep-alive HTTP/1.1 connections (one pool per Graph origin, `concurrency`
    requests in flight), so a number's whole tier fits on one core. Bulk rows (reminders,
    broadcasts) may use only part of a number's rate (`SAUTI_REPLY_SHARE` is kept for replies),
    so a person who answers during a big broadcast is not left waiting for the next second.
    """

    # While messages flow, look again soon (a reply should not wait); when quiet, back off so an
    # idle installation costs almost nothing.
    BUSY_SLEEP, IDLE_SLEEP = 0.01, 0.25

    def __init__(self, *, concurrency: int = 32, limiter: RateLimiter | None = None,
                 reply_share: float | None = None) -> None:
        self.concurrency = concurrency
        self.sleep = self.BUSY_SLEEP
        self.limiter = limiter or limiter_from_settings()
        share = settings.SAUTI_REPLY_SHARE if reply_share is None else reply_share
        self.reply_share = min(0.9, max(0.0, share))
        self.stop = threading.Event()
        self._last_sweep = 0.0
        self._pools: dict[str, Http11Pool] = {}
        self._pools_loop: asyncio.AbstractEventLoop | None = None

    def run_forever(self) -> None:
        asyncio.run(self._run())

    async def _run(self) -> None:
        limits = httpx.Limits(max_connections=self.concurrency, max_keepalive_connections=self.concurrency)
        async with httpx.AsyncClient(limits=limits) as http:
            try:
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
            finally:
                await self.close()

    async def close(self) -> None:
        for pool in self._pools.values():
            await pool.close()
        self._pools.clear()

    def _pool(self, base_url: str) -> Http11Pool:
        # Connections belong to the event loop that opened them (tests run rounds in new loops).
        loop = asyncio.get_running_loop()
        if loop is not self._pools_loop:
            self._pools, self._pools_loop = {}, loop
        pool = self._pools.get(base_url)
        if pool is None:
            pool = self._pools[base_url] = Http11Pool(base_url, size=self.concurrency)
        return pool

    async def run_once(self, http: httpx.AsyncClient | None = None) -> int:
        """One round over the numbers with queued work; returns how many sends were attempted."""
        now = timezone.now()
        loop_time = asyncio.get_running_loop().time()
        if loop_time - self._last_sweep > 5:
            self._last_sweep = loop_time
            await sync_to_async(release_expired_claims, thread_sensitive=True)(now)
        workspaces = await sync_to_async(workspaces_with_work, thread_sensitive=True)(now)
        total = 0
        for workspace in workspaces:
            rate = max(1, workspace.send_rate)
            allowed = self.limiter.take(workspace.id, rate, batch_size(rate))
            if not allowed:
                continue
            bulk_key = f"{workspace.id}:bulk"
            bulk_allowed = self.limiter.take(bulk_key, max(1, int(rate * (1 - self.reply_share))), allowed)
            batch = await sync_to_async(claim, thread_sensitive=True)(workspace.id, allowed, now,
                                                                      bulk_limit=bulk_allowed)
            bulk_used = sum(1 for c in batch if c.bulk)
            self.limiter.refund(workspace.id, allowed - len(batch))
            self.limiter.refund(bulk_key, bulk_allowed - bulk_used)
            if batch:
                total += len(batch)
                await self._send_batch(workspace, batch)
        return total

    async def _send_batch(self, workspace: Workspace, batch: list[Claimed]) -> None:
        pool = self._pool(workspace.graph_base_url)
        path = f"/{workspace.phone_number_id or ''}/messages"
        headers = {"Authorization": f"Bearer {workspace.access_token}"}
        gate = asyncio.Semaphore(self.concurrency)

        async def one(claimed: Claimed) -> tuple[Claimed, str | None, CloudAPIError | None]:
            body = {"messaging_product": "whatsapp", "recipient_type": "individual",
                    **{k: v for k, v in claimed.body.items() if not k.startswith("_")}, "to": claimed.to,
                    "biz_opaque_callback_data": claimed.message_uuid}
            async with gate:
                try:
                    status, answer = await pool.post(path, json.dumps(body, separators=(",", ":")).encode(),
                                                     headers)
                except HTTPFailure as exc:
                    return claimed, None, CloudAPIError(None, f"cannot reach the Cloud API: {exc}")
            try:
                data = json.loads(answer) if answer else None
            except ValueError:
                data = None
            if status >= 400:
                return claimed, None, error_from_response(status, data)
            messages = (data or {}).get("messages") or [{}] if isinstance(data, dict) else [{}]
            wamid = messages[0].get("id") if messages and isinstance(messages[0], dict) else None
            if not wamid:
                return claimed, None, CloudAPIError(None, "the Cloud API accepted the message but returned no id",
                                                    raw=data if isinstance(data, dict) else None)
            return claimed, str(wamid), None

        results = await asyncio.gather(*(one(c) for c in batch))
        await sync_to_async(record, thread_sensitive=True)(list(results), workspace)
