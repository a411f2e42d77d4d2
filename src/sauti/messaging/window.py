"""The customer service window: free-form messages only within 24 hours of the last inbound."""

from __future__ import annotations

import datetime as dt
from typing import Any

WINDOW = dt.timedelta(hours=24)
# Message types WhatsApp lets a business send whatever the window says.
ALWAYS_ALLOWED = frozenset({"template"})


def window_open(window_expires_at: dt.datetime | None, now: dt.datetime) -> bool:
    return window_expires_at is not None and window_expires_at > now


def needs_window(body: dict[str, Any]) -> bool:
    return body.get("type") not in ALWAYS_ALLOWED
