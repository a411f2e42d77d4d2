"""Per-number send rate: a token bucket in process, or a shared per-second counter in Redis.

Several sender processes share one number's rate through Redis when REDIS_URL is set; the
embedded server has one sender and keeps its bucket in memory.
"""

from __future__ import annotations

import time
from typing import Protocol


class RateLimiter(Protocol):
    def take(self, key: int | str, rate: int, wanted: int) -> int:
        """Reserve up to `wanted` sends for `key` now; returns how many were granted."""

    def refund(self, key: int | str, unused: int) -> None:
        """Give back grants that found nothing to send."""


class TokenBucket:
    def __init__(self) -> None:
        self._buckets: dict[int | str, tuple[float, float]] = {}

    def take(self, key: int | str, rate: int, wanted: int) -> int:
        now = time.monotonic()
        tokens, last = self._buckets.get(key, (float(rate), now))
        tokens = min(float(rate), tokens + (now - last) * rate)
        granted = max(0, min(wanted, int(tokens)))
        self._buckets[key] = (tokens - granted, now)
        return granted

    def refund(self, key: int | str, unused: int) -> None:
        if unused > 0 and key in self._buckets:
            tokens, last = self._buckets[key]
            self._buckets[key] = (tokens + unused, last)


class RedisWindow:
    """A fixed one-second window per number, counted atomically in Redis."""

    def __init__(self, url: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url)

    def take(self, key: int | str, rate: int, wanted: int) -> int:
        second = int(time.time())
        name = f"sauti:send-rate:{key}:{second}"
        pipe = self.redis.pipeline()
        pipe.incrby(name, wanted)
        pipe.expire(name, 3)
        used = int(pipe.execute()[0])
        granted = max(0, min(wanted, rate - (used - wanted)))
        if granted < wanted:
            self.redis.decrby(name, wanted - granted)
        return granted

    def refund(self, key: int | str, unused: int) -> None:
        if unused > 0:
            self.redis.decrby(f"sauti:send-rate:{key}:{int(time.time())}", unused)


def limiter_from_settings() -> RateLimiter:
    from django.conf import settings

    return RedisWindow(settings.REDIS_URL) if settings.REDIS_URL else TokenBucket()
