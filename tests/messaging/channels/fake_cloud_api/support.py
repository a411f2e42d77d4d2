"""Test support: a real receiving HTTP server for webhooks, and small request helpers."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

APP_SECRET = "s3cret"
PHONE_NUMBER_ID = "100000000000001"
WABA_ID = "200000000000001"
CORPUS = Path(__file__).resolve().parents[5] / "shared" / "conformance" / "whatsapp"


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    raw: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.raw)

    @property
    def signature_ok(self) -> bool:
        expected = "sha256=" + hmac.new(APP_SECRET.encode(), self.raw, hashlib.sha256).hexdigest()
        return hmac.compare_digest(self.headers.get("x-hub-signature-256", ""), expected)


class WebhookReceiver:
    """Records every POST (headers and raw bytes) and answers with scripted status codes (200 after)."""

    def __init__(self) -> None:
        self.received: list[Received] = []  # bodies answered with 2xx, in arrival order
        self.attempts: list[tuple[int, bytes]] = []  # every POST with the status it got
        self.answers: deque[int] = deque()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                raw = self.rfile.read(int(self.headers.get("content-length", "0")))
                with receiver._lock:
                    status = receiver.answers.popleft() if receiver.answers else 200
                    receiver.attempts.append((status, raw))
                    if status < 300:
                        receiver.received.append(Received({k.lower(): v for k, v in self.headers.items()}, raw))
                self.send_response(status)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}/webhooks/whatsapp"
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def reset(self) -> None:
        with self._lock:
            self.received.clear()
            self.attempts.clear()
            self.answers.clear()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait_for(self, predicate: Callable[[list[Received]], bool], timeout: float = 5.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                snapshot = list(self.received)
            if predicate(snapshot):
                return snapshot
            time.sleep(0.01)
        raise AssertionError(f"the receiver did not get what was expected in {timeout}s; got {len(snapshot)} bodies")

    def statuses(self) -> list[dict[str, Any]]:
        """Every status item received, in delivery order."""
        return [status for body in self.bodies_with("statuses") for status in _values_of(body, "statuses")]

    def wait_for_statuses(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        self.wait_for(lambda _: len(self.statuses()) >= count, timeout)
        return self.statuses()

    def bodies_with(self, key: str) -> list[dict[str, Any]]:
        with self._lock:
            bodies = [r.json for r in self.received]
        return [b for b in bodies if _values_of(b, key)]


def _values_of(body: dict[str, Any], key: str) -> list[Any]:
    return [item for entry in body.get("entry", []) for change in entry.get("changes", [])
            for item in change.get("value", {}).get(key, [])]


def send(graph: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    """POST a message body (messaging_product added) to the messages endpoint."""
    return graph.post(f"/{PHONE_NUMBER_ID}/messages", json={"messaging_product": "whatsapp", **body})


def graph_error(response: httpx.Response) -> dict[str, Any]:
    """The error object of a Graph error response, after checking its envelope is Meta's."""
    error = response.json()["error"]
    assert error["type"] == "OAuthException"
    assert error["message"].startswith(f"(#{error['code']})") or error["code"] == 190
    assert error["fbtrace_id"]
    return error


def corpus(name: str) -> Any:
    """A body from the shared conformance corpus (skipped where the corpus is not checked out)."""
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"the shared conformance corpus is not at {CORPUS}")
    return json.loads(path.read_bytes())


def shape(value: Any, ignore: frozenset[str] = frozenset()) -> Any:
    """The structure of a JSON value (keys and scalar types), to compare bodies with real ones."""
    if isinstance(value, dict):
        return {key: shape(item, ignore) for key, item in value.items() if key not in ignore}
    if isinstance(value, list):
        return [shape(value[0], ignore)] if value else []
    return type(value).__name__
