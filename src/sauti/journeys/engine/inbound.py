"""Reading inbound WhatsApp messages (Cloud API webhook `messages[]` items)."""

from __future__ import annotations

import json
from typing import Any

MEDIA = ("image", "video", "audio", "document", "sticker")


def message_type(message: dict) -> str:
    kind = message.get("type")
    if kind:
        return str(kind)
    for key in ("text", "interactive", "button", "location") + MEDIA:
        if key in message:
            return key
    return "unknown"


def reply_parts(message: dict) -> tuple[str | None, str | None]:
    """(reply id, text) of a reply: a tapped button or row gives its id and title, a template
    quick reply its payload and text, a text its body, media their caption."""
    kind = message_type(message)
    if kind == "text":
        body = message.get("text")
        return None, body.get("body") if isinstance(body, dict) else body
    if kind == "interactive":
        inter = message.get("interactive") or {}
        for key in ("button_reply", "list_reply"):
            if isinstance(inter.get(key), dict):
                reply = inter[key]
                return _str(reply.get("id")), _str(reply.get("title"))
        return None, None
    if kind == "button":
        button = message.get("button") or {}
        return _str(button.get("payload")), _str(button.get("text"))
    if kind in MEDIA:
        media = message.get(kind) or {}
        return None, _str(media.get("caption")) if isinstance(media, dict) else None
    return None, None


def reply_text(message: dict) -> str:
    """What `ask` stores: the text, a tapped option's title, a caption, or ""."""
    _id, text = reply_parts(message)
    return text or ""


def location(message: dict) -> dict | None:
    if message_type(message) != "location":
        return None
    loc = message.get("location") or {}
    return {k: loc.get(k) for k in ("latitude", "longitude", "name", "address")}


def flow_response(message: dict) -> Any:
    """The JSON a WhatsApp Flow submitted (`nfm_reply.response_json` is a JSON string)."""
    inter = message.get("interactive") or {}
    reply = inter.get("nfm_reply") if isinstance(inter, dict) else None
    if not isinstance(reply, dict):
        return None
    raw = reply.get("response_json")
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
