"""Per-token rate limits with Turn's headers: fixed windows counted in Redis, the database or memory.

Turn counts calls per number in buckets (`general`, and `text`/`media` for message sends) and
answers `X-Ratelimit-*` headers and 429 past the limit. Sauti counts per token and bucket. The
counter lives in Redis when REDIS_URL is set (shared by every process), else in PostgreSQL (one
upsert per call), else in the process (the embedded `sauti serve`: one process).
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import connection

BUCKETS = ("general", "text", "media")


@dataclass(frozen=True, slots=True)
class Quota:
    bucket: str
    limit: int
    remaining: int
    reset: int  # unix time when the window ends
    allowed: bool

    def headers(self) -> dict[str, str]:
        headers = {"X-Ratelimit-Bucket": self.bucket, "X-Ratelimit-Limit": str(self.limit),
                   "X-Ratelimit-Remaining": str(self.remaining), "X-Ratelimit-Reset": str(self.reset)}
        if not self.allowed:
            headers["Retry-After"] = str(max(1, self.reset - int(time.time())))
        return headers


class Counter(Protocol):
    def incr(self, key: str, window_start: int, window: int) -> int: ...


class MemoryCounter:
    """Counts in this process; enough for the embedded server, which is one process."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()

    def incr(self, key: str, window_start: int, window: int) -> int:
        with self._lock:
            if len(self._counts) > 10_000:
                self._counts = {k: v for k, v in self._counts.items() if k[1] >= window_start}
            count = self._counts.get((key, window_start), 0) + 1
            self._counts[(key, window_start)] = count
            return count


class RedisCounter:
    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url)

    def incr(self, key: str, window_start: int, window: int) -> int:
        name = f"sauti:rl:{key}:{window_start}"
        pipe = self._redis.pipeline()
        pipe.incr(name)
        pipe.expire(name, window * 2)
        count, _ = pipe.execute()
        return int(count)


class DatabaseCounter:
    """One upsert per call; old windows are pruned now and then."""

    def incr(self, key: str, window_start: int, window: int) -> int:
        from sauti.api.models import RateWindow

        table = connection.ops.quote_name(RateWindow._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1) "  # noqa: S608 - our table
                f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 RETURNING count",
                [key, window_start])
            count = cursor.fetchone()[0]
        if random.random() < 0.01:
            RateWindow.objects.filter(window_start__lt=window_start - window).delete()
        return int(count)


_counter: Counter | None = None
_counter_lock = threading.Lock()


def counter() -> Counter:
    global _counter
    with _counter_lock:
        if _counter is None:
            backend = settings.SAUTI_API_RATE_BACKEND
            if backend == "auto":
                backend = ("redis" if settings.REDIS_URL else
                           "database" if connection.vendor == "postgresql" else "memory")
            _counter = {"redis": lambda: RedisCounter(settings.REDIS_URL), "database": DatabaseCounter,
                        "memory": MemoryCounter}[backend]()
        return _counter


def reset_counter() -> None:
    """Forget the chosen backend and its counts (tests change settings)."""
    global _counter
    with _counter_lock:
        _counter = None


def limit_for(bucket: str) -> int:
    return int(settings.SAUTI_API_RATE_LIMITS.get(bucket) or settings.SAUTI_API_RATE_LIMIT)


def hit(token_id: int, bucket: str, *, now: float | None = None, using: Counter | None = None) -> Quota:
    """Count one call of this token in this bucket and say whether it is within the limit."""
    window = int(settings.SAUTI_API_RATE_WINDOW)
    now = time.time() if now is None else now
    window_start = int(math.floor(now / window) * window)
    limit = limit_for(bucket)
    count = (using or counter()).incr(f"{token_id}:{bucket}", window_start, window)
    return Quota(bucket, limit, max(0, limit - count), window_start + window, count <= limit)
