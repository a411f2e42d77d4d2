"""Outbound messages: WhatsApp Cloud API message bodies without `to` (the shell adds it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from .base import Effect, register


@register
@dataclass(frozen=True, slots=True)
class SendMessage(Effect):
    """Send `message` ({"type": "text", "text": {...}} etc.) to the session's contact."""

    type: ClassVar[str] = "send_message"
    message: dict = field(default_factory=dict)
    card: str | None = None


@register
@dataclass(frozen=True, slots=True)
class SendContent(Effect):
    """Send a saved content card from the content library (`send_content(uuid)`)."""

    type: ClassVar[str] = "send_content"
    content_uuid: str = ""
    card: str | None = None
