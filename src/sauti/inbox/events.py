"""The live events the inbox announces, and the one helper that sends them after commit.

Browsers of a workspace receive `{"event": <name>, ...}` over the websocket (sauti.inbox.consumers);
events carry ids, never contents or numbers, and the page fetches what it may see. Names:
message_received / message_queued / message_status (messaging), chat_updated, note_added, mentioned, routing_changed.
"""

from __future__ import annotations

from typing import Any

from sauti.messaging import live

EVENTS = frozenset({"message_received", "message_queued", "message_status", "chat_updated", "note_added", "mentioned",
                    "routing_changed"})


def announce(workspace_id: int, event: str, **data: Any) -> None:
    """Send `event` to the workspace's open browsers once the current transaction commits."""
    if event not in EVENTS:
        raise ValueError(f"unknown live event {event!r}")
    live.on_commit_publish(workspace_id, event, **{k: str(v) if v is not None else None for k, v in data.items()})
