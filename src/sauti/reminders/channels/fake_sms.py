"""A fake SMS provider speaking Twilio's Messages API over real HTTP, for tests, demos and benches.

POST /2010-04-01/Accounts/<sid>/Messages.json (Basic auth, form body) answers 201 with a message
sid, or Twilio's 400 for numbers it was told to refuse; when a StatusCallback is given, it posts
"sent" then "delivered" (or "undelivered" with ErrorCode 30003) there, signed like Twilio.
GET /_fake/sent lists what it accepted; POST /_fake/reset forgets it. No Django.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_PATH = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Messages\.json$")


def sign(auth_token: str, url: str, params: dict[str, str]) -> str:
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()).decode()


@dataclass
class FakeSms:
    account_sid: str = "AC" + "0" * 32
    auth_token: str = "fake-auth-token"  # noqa: S105 - the fake's own fixture secret
    refuse: set[str] = field(default_factory=set)  # numbers answered with 400 (21211)
    undeliverable: set[str] = field(default_factory=set)  # accepted, then reported undelivered
    status_delay_s: float = 0.05
    sent: list[dict[str, str]] = field(default_factory=list)
    callbacks: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def accept(self, sid_in_path: str, auth: str, form: dict[str, str]) -> tuple[int, dict]:
        expected = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if sid_in_path != self.account_sid or not hmac.compare_digest(auth, expected):
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        to = form.get("To", "")
        if not re.fullmatch(r"\+\d{8,15}", to) or to in self.refuse:
            return 400, {"code": 21211, "message": f"The 'To' number {to} is not a valid phone number.",
                         "status": 400}
        if not form.get("Body"):
            return 400, {"code": 21602, "message": "Message body is required.", "status": 400}
        sid = "SM" + secrets.token_hex(16)
        with self.lock:
            self.sent.append({"sid": sid, **form})
        callback = form.get("StatusCallback")
        if callback:
            threading.Thread(target=self._report, args=(callback, sid, to), daemon=True).start()
        return 201, {"sid": sid, "status": "queued", "to": to, "from": form.get("From"), "body": form.get("Body"),
                     "account_sid": self.account_sid}

    def _report(self, url: str, sid: str, to: str) -> None:
        final = "undelivered" if to in self.undeliverable else "delivered"
        for status in ("sent", final):
            time.sleep(self.status_delay_s)
            params = {"MessageSid": sid, "MessageStatus": status, "AccountSid": self.account_sid, "To": to}
            if status == "undelivered":
                params["ErrorCode"] = "30003"
            request = urllib.request.Request(url, data=urllib.parse.urlencode(params).encode(), method="POST",  # noqa: S310
                                             headers={"X-Twilio-Signature": sign(self.auth_token, url, params),
                                                      "Content-Type": "application/x-www-form-urlencoded"})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - a local test URL
                    answer = response.status
            except Exception as exc:  # a receiver that is down: recorded, as Twilio's debugger would
                answer = f"error: {exc}"
            with self.lock:
                self.callbacks.append({**params, "answer": str(answer)})


class _Handler(BaseHTTPRequestHandler):
    fake: FakeSms
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def _reply(self, status: int, data: dict) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path.startswith("/_fake/sent"):
            with self.fake.lock:
                return self._reply(200, {"messages": list(self.fake.sent), "callbacks": list(self.fake.callbacks)})
        return self._reply(404, {"code": 20404, "message": "not found", "status": 404})

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        if self.path == "/_fake/reset":
            with self.fake.lock:
                self.fake.sent.clear()
                self.fake.callbacks.clear()
            return self._reply(200, {"success": True})
        match = _PATH.match(self.path)
        if not match:
            return self._reply(404, {"code": 20404, "message": "not found", "status": 404})
        form = {k: v[0] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}
        status, data = self.fake.accept(match.group(1), self.headers.get("Authorization", ""), form)
        return self._reply(status, data)


@dataclass
class RunningFakeSms:
    fake: FakeSms
    url: str
    server: ThreadingHTTPServer
    thread: threading.Thread

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def __enter__(self) -> RunningFakeSms:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_in_thread(fake: FakeSms | None = None, host: str = "127.0.0.1", port: int = 0) -> RunningFakeSms:
    fake = fake or FakeSms()
    handler = type("Handler", (_Handler,), {"fake": fake})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="fake-sms", daemon=True)
    thread.start()
    return RunningFakeSms(fake, f"http://{host}:{server.server_address[1]}", server, thread)
