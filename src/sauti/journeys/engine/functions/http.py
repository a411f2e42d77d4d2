"""HTTP calls (get/post/put/patch/delete/webhook): a round trip through the session state.

The op emits HttpRequest and the session waits; the shell answers with an HttpResponse event
and the result `{status, body, headers, url, query, mode}` is stored under the assigned variable
and under `webhook` (spec/journeys.md §1.7, HTTP).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from ...lang.program import ListOf
from ..effects import HttpRequest
from ..values import as_text, encode, plain
from .registry import function

if TYPE_CHECKING:
    from ...lang.program import Op, Value
    from ..events import HttpResponse
    from ..run import Run

DEFAULT_TIMEOUT_MS = 5000
MIN_TIMEOUT_MS, MAX_TIMEOUT_MS = 100, 20000
DEFAULT_CACHE_TTL_MS = 60000


def _pairs(run: Run, value: Value | None, what: str) -> list[tuple[str, str]]:
    """`[["k", "v"], ...]` (or a map) as text pairs."""
    if value is None:
        return []
    if isinstance(value, ListOf):
        items: Any = [v.evaluate(run.ctx) for v in value.items]
    else:
        items = plain(value.evaluate(run.ctx))
    if items is None:
        return []
    if isinstance(items, dict):
        items = list(items.items())
    out = []
    for item in items:
        item = plain(item)
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            raise ValueError(f"{what}: expected [name, value] pairs, got {item!r}")
        out.append((as_text(item[0]), as_text(item[1])))
    return out


def _number(run: Run, value: Value | None, default: int) -> int:
    if value is None:
        return default
    result = plain(value.evaluate(run.ctx))
    return int(float(result)) if result not in (None, "") else default


@function("http")
def http(run: Run, op: Op) -> None:
    p = op.params
    method = as_text(p["method"].evaluate(run.ctx)).upper() or "GET"
    url = run.ctx.text(p["url"]).strip()
    query = _pairs(run, p["query"], "query")
    if query:
        url += ("&" if "?" in url else "?") + urlencode(query)
    headers = _pairs(run, p["headers"], "headers")
    body: str | None = None
    if p["body"] is not None:
        raw = p["body"].evaluate(run.ctx)
        if isinstance(raw, (list, tuple)):
            # A list of pairs is sent form-encoded (spec §1.7, HTTP).
            body = urlencode(_pairs(run, p["body"], "body"))
            if not any(k.lower() == "content-type" for k, _ in headers):
                headers.append(("content-type", "application/x-www-form-urlencoded"))
        elif isinstance(raw, dict) and "__value__" not in raw:
            body = json.dumps(encode(raw))
        else:
            body = run.ctx.text(p["body"])
    timeout = min(max(_number(run, p["timeout"], DEFAULT_TIMEOUT_MS), MIN_TIMEOUT_MS), MAX_TIMEOUT_MS)
    cache_ttl = _number(run, p["cache_ttl"], DEFAULT_CACHE_TTL_MS) if method == "GET" else 0
    mode = as_text(p["mode"].evaluate(run.ctx)).lower() if p["mode"] is not None else "sync"
    if mode not in ("sync", "async"):
        raise ValueError(f'mode: must be "sync" or "async", got "{mode}"')
    request_id = run.next_id()
    run.emit(HttpRequest(request_id, method, url, tuple(headers), body, tuple(query), timeout,
                         max(cache_ttl, 0), mode))
    if mode == "async":
        result = {"url": url, "mode": mode}
        if op.target:
            run.set_var(op.target, result)
        run.set_var("webhook", result)
        return
    run.wait("http", {"request_id": request_id, "target": op.target, "url": url,
                      "query": [list(q) for q in query], "mode": mode})


def on_response(run: Run, waiting: dict, event: HttpResponse) -> None:
    """Store the result of the call the session was waiting for."""
    headers = event.headers
    if isinstance(headers, (list, tuple)):
        headers = {str(k): v for k, v in headers}
    headers = headers or {}
    body = event.body
    content_type = next((str(v) for k, v in headers.items() if str(k).lower() == "content-type"), "")
    if isinstance(body, str) and "json" in content_type.lower():
        # JSON answers are decoded (spec §1.7); a body that is not JSON stays text.
        try:
            body = json.loads(body)
        except ValueError:
            pass
    result = {"status": event.status, "body": body, "headers": headers,
              "url": waiting["url"], "query": waiting["query"], "mode": waiting["mode"]}
    if waiting.get("target"):
        run.set_var(waiting["target"], result)
    run.set_var("webhook", result)
