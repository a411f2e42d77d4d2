"""A real HTTP server that records what Sauti POSTs to it and answers as a test scripts it."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    raw: bytes
    status: int  # what it was answered

    @property
    def json(self) -> Any:
        return json.loads(self.raw)


Responder = Callable[[str, dict[str, Any] | None], tuple[int, Any]]


class Receiver:
    """Every POST is recorded; `statuses` (a queue of codes) answers the next ones, then 200 with
    `responder(path, body)` (default `{}`)."""

    def __init__(self, responder: Responder | None = None) -> None:
        self.requests: list[Request] = []
        self.statuses: deque[int] = deque()
        self.responder = responder
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                raw = self.rfile.read(int(self.headers.get("content-length", "0")))
                with receiver._lock:
                    status = receiver.statuses.popleft() if receiver.statuses else 200
                answer: Any = {}
                if status == 200 and receiver.responder is not None:
                    try:
                        body = json.loads(raw) if raw else None
                    except ValueError:
                        body = None
                    status, answer = receiver.responder(self.path, body)
                with receiver._lock:
                    receiver.requests.append(Request(self.path, {k.lower(): v for k, v in self.headers.items()},
                                                     raw, status))
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}/hook"
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def delivered(self) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if 200 <= r.status < 300]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Receiver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def settle(until: Callable[[], bool], timeout: float = 10.0) -> None:
    """Run due background tasks (for real) until `until()` holds; retries become due as time passes."""
    from tests.support import drain_tasks

    deadline = time.monotonic() + timeout
    while True:
        drain_tasks()
        if until():
            return
        if time.monotonic() > deadline:
            raise AssertionError("background work did not reach the expected state in time")
        time.sleep(0.05)
