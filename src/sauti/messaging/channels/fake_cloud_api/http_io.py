"""The small slice of ASGI HTTP the fake needs: a parsed request and JSON/bytes responses."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

MAX_BODY_BYTES = 110 * 1024 * 1024  # Meta's largest media (documents) is 100 MB


class BodyTooLarge(Exception):
    pass


@dataclass(slots=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    _json: Any = field(default=None, repr=False)

    def json(self) -> Any:
        """The body parsed as JSON; raises ValueError when it is not JSON."""
        if self._json is None:
            self._json = json.loads(self.body or b"null")
        return self._json

    @property
    def bearer_token(self) -> str | None:
        scheme, _, token = self.headers.get("authorization", "").partition(" ")
        # Graph takes "OAuth <token>" too; Meta's Resumable Upload API documents that form.
        if scheme.lower() not in ("bearer", "oauth"):
            return None
        return token.strip() or None

    @property
    def base_url(self) -> str:
        """The scheme and authority the client used, so links work behind any host or port."""
        host = self.headers.get("host", "127.0.0.1")
        return f"http://{host}"


async def read_request(scope: Scope, receive: Receive) -> Request:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    query = {key: values[-1] for key, values in parse_qs(scope.get("query_string", b"").decode("latin-1"),
                                                         keep_blank_values=True).items()}
    headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
    return Request(scope["method"], scope["path"], query, headers, b"".join(chunks))


@dataclass(slots=True)
class Response:
    status: int
    body: bytes
    content_type: str = "application/json"
    extra_headers: tuple[tuple[str, str], ...] = ()

    async def send(self, send: Send) -> None:
        headers = [(b"content-type", self.content_type.encode()),
                   (b"content-length", str(len(self.body)).encode())]
        headers += [(k.encode(), v.encode()) for k, v in self.extra_headers]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


def json_response(data: Any, status: int = 200) -> Response:
    return Response(status, json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())
