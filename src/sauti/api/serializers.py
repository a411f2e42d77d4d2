"""Messages and chats in the shapes Turn's API returns (WhatsApp format plus `_vnd.v1`)."""

from __future__ import annotations

from typing import Any

from sauti.messaging.models import Chat, Message


def chat_to_turn(chat: Chat) -> dict[str, Any]:
    assignee = chat.assigned_to
    return {
        "uuid": str(chat.uuid),
        "owner": chat.contact.address,
        "assigned_to": {"id": str(assignee.uuid), "name": str(assignee), "type": "OPERATOR"} if assignee else None,
        "state": chat.state.upper(),
        "state_reason": chat.state_reason or None,
        "unread_count": chat.unread_count,
    }


def message_to_turn(message: Message) -> dict[str, Any]:
    payload = {k: v for k, v in (message.payload or {}).items() if k != "_vnd"}
    timestamp = str(int(message.sent_at.timestamp()))
    if message.direction == Message.Direction.INBOUND:
        body = {**payload, "id": message.provider_id or str(message.uuid), "timestamp": timestamp}
        body.setdefault("from", message.contact.address)
    else:
        body = {**payload, "id": message.provider_id or str(message.uuid), "to": message.contact.address,
                "timestamp": timestamp}
    vnd: dict[str, Any] = {
        "direction": message.direction,
        "author": {"id": message.author_id or None, "name": message.author_name or None, "type": message.author_type},
        "in_reply_to": message.in_reply_to.provider_id if message.in_reply_to_id and message.in_reply_to else None,
        "uuid": str(message.uuid),
    }
    if message.direction == Message.Direction.OUTBOUND:
        vnd["status"] = message.status
        if message.error:
            vnd["error"] = message.error
    extra = (message.payload or {}).get("_vnd", {})
    body["_vnd"] = {"v1": {**extra, **vnd}}
    return body
