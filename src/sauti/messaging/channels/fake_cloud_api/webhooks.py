"""Delivers signed webhooks to the receiver: batched statuses and template updates, in order, retried.

There is one ordered stream (one worker, one body at a time, retried with growing pauses while the
receiver answers non-2xx or cannot be reached), and direct deliveries for `/_fake/inbound`, which
report the receiver's answer to the caller instead of retrying.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import json
import logging
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any

import httpx

from .config import FakeCloudAPIConfig
from .envelopes import statuses_body
from .signing import SIGNATURE_HEADER, sign_body
from .store import now_iso

logger = logging.getLogger(__name__)

LOG_SIZE = 5000
BODIES_KEPT = 500  # bodies of the latest deliveries, for `GET /_fake/webhooks?bodies=1`
USER_AGENT = "facebookexternalua"


@dataclass(slots=True)
class Delivery:
    seq: int
    kind: str
    body: bytes
    items: int
    signature: str | None


def encode(body: Any) -> bytes:
    """Compact JSON with non-ASCII escaped, as Meta's webhook bodies are."""
    return json.dumps(body, separators=(",", ":")).encode()


class WebhookDispatcher:
    """Owns the shared httpx client, the status batcher and the ordered delivery worker."""

    def __init__(self, config: FakeCloudAPIConfig) -> None:
        self.config = config
        self._client: httpx.AsyncClient | None = None
        self._pending: list[tuple[float, int, dict[str, Any]]] = []  # heap of (due, seq, status)
        self._pending_seq = itertools.count()
        self._delivery_seq = itertools.count(1)
        self._queue: asyncio.Queue[Delivery] = asyncio.Queue()
        self._wake = asyncio.Event()
        self._in_flight = False
        self._generation = 0  # bumped by reset() so a delivery being retried is abandoned
        self._tasks: list[asyncio.Task[None]] = []
        self.log: deque[dict[str, Any]] = deque(maxlen=LOG_SIZE)
        self._bodies: OrderedDict[int, bytes] = OrderedDict()

    async def start(self) -> None:
        if self._client is not None:
            return
        # Made here, not in __init__, so they belong to the loop that serves (an app may be served twice).
        self._queue = asyncio.Queue()
        self._wake = asyncio.Event()
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
        self._client = httpx.AsyncClient(timeout=self.config.webhook_timeout_s, limits=limits)
        self._tasks = [asyncio.create_task(self._batch_statuses()), asyncio.create_task(self._deliver_in_order())]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            try:
                await task
            except asyncio.CancelledError:
                pass
        self._tasks = []
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # --- the ordered stream ---------------------------------------------------------------

    def schedule_status(self, status: dict[str, Any], delay_s: float) -> None:
        """Queue a status to join the next batch due after `delay_s`."""
        due = asyncio.get_running_loop().time() + delay_s
        heapq.heappush(self._pending, (due, next(self._pending_seq), status))
        self._wake.set()

    def enqueue(self, kind: str, body: Any, items: int = 1) -> None:
        """Send a body on the ordered, retried stream behind whatever is already queued."""
        raw = encode(body)
        self._queue.put_nowait(Delivery(next(self._delivery_seq), kind, raw, items, self.sign(raw)))

    async def _batch_statuses(self) -> None:
        batch_s = self.config.webhook_batch_ms / 1000
        limit = max(1, self.config.webhook_batch_max)
        loop = asyncio.get_running_loop()
        while True:
            if not self._pending:
                self._wake.clear()
                await self._wake.wait()
            await asyncio.sleep(batch_s)
            now = loop.time()
            due: list[dict[str, Any]] = []
            while self._pending and self._pending[0][0] <= now:
                due.append(heapq.heappop(self._pending)[2])
            for start in range(0, len(due), limit):
                chunk = due[start:start + limit]
                self.enqueue("statuses", statuses_body(self.config, chunk), len(chunk))

    async def _deliver_in_order(self) -> None:
        while True:
            delivery = await self._queue.get()
            self._in_flight = True
            try:
                await self._deliver_with_retries(delivery)
            except Exception:  # keep the stream alive whatever one delivery does
                logger.exception("webhook delivery %s failed unexpectedly", delivery.seq)
            finally:
                self._in_flight = False

    async def _deliver_with_retries(self, delivery: Delivery) -> None:
        delays = self.config.webhook_retry_delays_s
        generation = self._generation
        for attempt in range(1, len(delays) + 2):
            status, error = await self._post(delivery.body, delivery.signature)
            if generation != self._generation:
                return  # reset while this was under way: forget it, log included
            ok = status is not None and 200 <= status < 300
            last = attempt > len(delays) or not self.config.webhook_url
            outcome = "delivered" if ok else ("gave_up" if last else "retrying")
            self._record(delivery, attempt, status, error, outcome)
            if ok or last:
                return
            await asyncio.sleep(delays[attempt - 1])
            if generation != self._generation:
                return

    # --- direct deliveries ----------------------------------------------------------------

    def sign(self, raw: bytes) -> str:
        return sign_body(self.config.app_secret, raw)

    async def deliver_now(self, kind: str, raw: bytes, *, signature: str | None,
                          items: int = 1) -> tuple[int | None, str | None]:
        """Deliver once, right away; returns (receiver's HTTP status or None, error text).

        `signature` is the header value to send (None sends none, to test receivers' refusals).
        """
        delivery = Delivery(next(self._delivery_seq), kind, raw, items, signature)
        status, error = await self._post(raw, signature)
        ok = status is not None and 200 <= status < 300
        self._record(delivery, 1, status, error, "delivered" if ok else "failed")
        return status, error

    async def _post(self, raw: bytes, signature: str | None) -> tuple[int | None, str | None]:
        if not self.config.webhook_url:
            return None, "no webhook_url configured"
        if self._client is None:
            await self.start()
        assert self._client is not None
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
        if signature:
            headers[SIGNATURE_HEADER] = signature
        try:
            response = await self._client.post(self.config.webhook_url, content=raw, headers=headers)
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return response.status_code, None

    # --- introspection --------------------------------------------------------------------

    def _record(self, delivery: Delivery, attempt: int, status: int | None, error: str | None,
                outcome: str) -> None:
        self.log.append({"delivery": delivery.seq, "kind": delivery.kind, "attempt": attempt,
                         "status_code": status, "error": error, "outcome": outcome, "items": delivery.items,
                         "at": now_iso()})
        if delivery.seq not in self._bodies:
            self._bodies[delivery.seq] = delivery.body
            if len(self._bodies) > BODIES_KEPT:
                self._bodies.popitem(last=False)
        if self.config.verbose:
            logger.info("webhook %s #%s attempt %s -> %s %s", delivery.kind, delivery.seq, attempt,
                        status, error or "")

    @property
    def idle(self) -> bool:
        return not self._pending and self._queue.empty() and not self._in_flight

    def snapshot(self, *, with_bodies: bool = False, kind: str | None = None) -> dict[str, Any]:
        entries = [dict(e) for e in self.log if kind is None or e["kind"] == kind]
        if with_bodies:
            for entry in entries:
                body = self._bodies.get(entry["delivery"])
                entry["body"] = json.loads(body) if body is not None else None
        return {"deliveries": entries, "pending_statuses": len(self._pending), "queued": self._queue.qsize(),
                "in_flight": self._in_flight, "idle": self.idle}

    def clear_log(self) -> None:
        self.log.clear()
        self._bodies.clear()

    def reset(self) -> None:
        """Drop pending statuses, queued bodies and retries in progress, and the log."""
        self._generation += 1
        self._pending.clear()
        while not self._queue.empty():
            self._queue.get_nowait()
        self.clear_log()
