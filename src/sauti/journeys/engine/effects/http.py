"""HTTP calls: the shell performs them and answers with an HttpResponse event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import Effect, register


@register
@dataclass(frozen=True, slots=True)
class HttpRequest(Effect):
    """`get/post/put/patch/delete/webhook(...)`. `url` already carries the `query` pairs.

    `mode` "sync" waits for the HttpResponse with this `request_id`; "async" does not.
    `timeout_ms` is clamped to 100..20,000; GETs may be cached for `cache_ttl_ms` (0 = never).
    """

    type: ClassVar[str] = "http_request"
    request_id: str = ""
    method: str = "GET"
    url: str = ""
    headers: tuple = ()        # ((name, value), ...)
    body: str | None = None
    query: tuple = ()          # ((name, value), ...) as written, for the result's `query`
    timeout_ms: int = 5000
    cache_ttl_ms: int = 0
    mode: str = "sync"
