"""Turns `/_fake/inbound` requests into real inbound-message webhook bodies (spec §6.1)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from .config import FakeCloudAPIConfig
from .envelopes import inbound_body
from .errors import bad_param, missing
from .ids import new_wamid
from .store import Store
from .validation import MEDIA_TYPES

DEFAULT_PROFILE_NAME = "Test User"
_ITEM_KEYS = {"from", "text", "message", "name", "id", "context", "timestamp"}


@dataclass(frozen=True, slots=True)
class InboundRequest:
    items: list[tuple[dict[str, Any], dict[str, Any]]]  # (contact, message)
    batch: bool
    retry: bool


def parse_inbound_request(payload: Any, config: FakeCloudAPIConfig, store: Store) -> InboundRequest:
    """Accept one item, a list of items, or `{"messages": [...], "batch": bool, "retry": bool}`."""
    batch = retry = False
    if isinstance(payload, dict) and "messages" in payload:
        raw_items = payload["messages"]
        batch = bool(payload.get("batch", False))
        retry = bool(payload.get("retry", False))
        if not isinstance(raw_items, list):
            raise bad_param("messages", "must be an array")
    elif isinstance(payload, list):
        raw_items = payload
    elif isinstance(payload, dict):
        raw_items = [payload]
        retry = bool(payload.get("retry", False))
    else:
        raise bad_param("body", "must be a JSON object or array")
    if not raw_items:
        raise bad_param("messages", "must not be empty")
    items = [_build(item, f"messages[{i}]" if len(raw_items) > 1 else "", config, store)
             for i, item in enumerate(raw_items)]
    return InboundRequest(items, batch, retry)


def webhook_bodies(config: FakeCloudAPIConfig, request: InboundRequest) -> list[tuple[dict[str, Any], int]]:
    """One body per message, or one body for all when batching (contacts listed once each)."""
    if not request.batch:
        return [(inbound_body(config, [contact], [message]), 1) for contact, message in request.items]
    contacts: dict[str, dict[str, Any]] = {}
    for contact, _ in request.items:
        contacts.setdefault(contact["wa_id"], contact)
    messages = [message for _, message in request.items]
    return [(inbound_body(config, list(contacts.values()), messages), len(messages))]


def _build(item: Any, path: str, config: FakeCloudAPIConfig, store: Store) -> tuple[dict[str, Any], dict[str, Any]]:
    def field(key: str) -> str:
        return f"{path}.{key}" if path else key

    if not isinstance(item, dict):
        raise bad_param(path or "body", "must be a JSON object")
    for key in item:
        if key not in _ITEM_KEYS and key not in ("retry", "batch"):
            raise bad_param(field(key), f"unexpected parameter; expected some of {', '.join(sorted(_ITEM_KEYS))}")
    sender = item.get("from")
    if not isinstance(sender, str) or not sender.strip():
        raise missing(field("from"))
    wa_id = "".join(ch for ch in sender if ch.isdigit())
    if not wa_id:
        raise bad_param(field("from"), "must be a WhatsApp id (digits)")
    timestamp = item.get("timestamp", int(time.time()))
    message: dict[str, Any] = {"from": wa_id, "id": item.get("id") or new_wamid(wa_id),
                               "timestamp": str(int(timestamp))}
    if ("text" in item) == ("message" in item):
        raise bad_param(field("text"), 'give exactly one of "text" or "message"')
    if "text" in item:
        if not isinstance(item["text"], str):
            raise bad_param(field("text"), "must be a string")
        message.update({"text": {"body": item["text"]}, "type": "text"})
    else:
        given = item["message"]
        if not isinstance(given, dict) or not isinstance(given.get("type"), str):
            raise bad_param(field("message.type"), "a message object needs a type")
        message.update({k: v for k, v in given.items() if k not in ("from", "id", "timestamp")})
        _describe_media(message, store)
    if "context" in item:
        context = item["context"]
        if not isinstance(context, dict):
            raise bad_param(field("context"), "must be a JSON object")
        # A reply quotes one of the business's messages, so `from` defaults to this number.
        message["context"] = {"from": config.display_phone_number, **context}
    name = item.get("name", DEFAULT_PROFILE_NAME)
    return {"profile": {"name": name}, "wa_id": wa_id}, message


def _describe_media(message: dict[str, Any], store: Store) -> None:
    """Fill mime_type and sha256 of media uploaded to this fake, as Meta's media webhooks carry them."""
    kind = message["type"]
    media_json = message.get(kind)
    if kind in MEDIA_TYPES and isinstance(media_json, dict) and media_json.get("id") in store.media:
        media = store.media[media_json["id"]]
        message[kind] = {"mime_type": media.mime_type, "sha256": media.sha256, **media_json}
