"""In-memory state of the fake account: sends, read receipts, media, templates, faults, conversations.

Only the server's event loop touches it, so it needs no locks; nothing here does I/O.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .ids import new_conversation_id, new_object_id, new_token
from .templates import Template

CONVERSATION_SECONDS = 24 * 3600


@dataclass(frozen=True, slots=True)
class Media:
    id: str
    data: bytes
    mime_type: str
    filename: str | None
    sha256: str
    token: str


@dataclass(slots=True)
class Fault:
    """The next `remaining` sends (to `to`, when given) fail with `code`.

    mode "response" fails the request itself; mode "status" accepts the send and then delivers a
    `failed` status webhook carrying the error, as Meta does for undeliverable messages.
    """

    code: int
    remaining: int
    to: str | None = None
    mode: str = "response"

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "count": self.remaining, "to": self.to, "mode": self.mode}


@dataclass(slots=True)
class Store:
    sent: list[dict[str, Any]] = field(default_factory=list)
    reads: list[dict[str, Any]] = field(default_factory=list)
    inbound: list[dict[str, Any]] = field(default_factory=list)
    media: dict[str, Media] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    conversations: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    upload_sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    upload_handles: dict[str, bytes] = field(default_factory=dict)

    def reset(self) -> None:
        """Forget everything, for test isolation against a long-running fake."""
        for name in ("sent", "reads", "inbound", "faults"):
            getattr(self, name).clear()
        self.media.clear()
        self.templates.clear()
        self.conversations.clear()
        self.upload_sessions.clear()
        self.upload_handles.clear()

    def record_sent(self, wamid: str, to: str, wa_id: str, body: Any) -> None:
        self.sent.append({"id": wamid, "to": to, "wa_id": wa_id, "body": body, "received_at": now_iso()})

    def sent_to(self, to: str | None) -> list[dict[str, Any]]:
        if not to:
            return list(self.sent)
        wa_id = "".join(ch for ch in to if ch.isdigit()) or to
        return [m for m in self.sent if m["wa_id"] == wa_id or m["to"] == to]

    def take_fault(self, wa_id: str) -> Fault | None:
        """Consume one use of the first fault that applies to this recipient."""
        for fault in self.faults:
            if fault.to is None or fault.to == wa_id:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def add_media(self, data: bytes, mime_type: str, filename: str | None) -> Media:
        media = Media(new_object_id(), data, mime_type, filename, hashlib.sha256(data).hexdigest(), new_token())
        self.media[media.id] = media
        return media

    def find_template(self, name: str, language: str) -> Template | None:
        for template in self.templates.values():
            if template.name == name and template.language == language:
                return template
        return None

    def conversation(self, wa_id: str, category: str, now: float) -> tuple[str, int]:
        """The open conversation (id, expiry) for this user and pricing category; a new one after 24 h."""
        key = (wa_id, category)
        current = self.conversations.get(key)
        if current is None or current[1] <= now:
            current = (new_conversation_id(), int(now) + CONVERSATION_SECONDS)
            self.conversations[key] = current
        return current


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def unix_now() -> str:
    """Webhook timestamps are Unix seconds as strings."""
    return str(int(time.time()))
