"""Webhook bodies in Turn's shapes (WhatsApp On-Premises format plus `_vnd.v1`), spec/turn-api.md §3.8."""

from __future__ import annotations

from typing import Any

from sauti.api.serializers import message_to_turn
from sauti.messaging.channels.whatsapp.webhook import StatusUpdate
from sauti.messaging.models import Message


def inbound_body(message: Message) -> dict[str, Any]:
    """`{"contacts": [...], "messages": [...]}` for one message a person sent."""
    contact = message.contact
    entry: dict[str, Any] = {"profile": {"name": contact.whatsapp_profile_name or ""}, "wa_id": contact.address}
    if contact.user_id and contact.wa_id:
        entry["user_id"] = contact.user_id
    return {"contacts": [entry], "messages": [message_to_turn(message)]}


def status_body(update: StatusUpdate, message: Message | None) -> dict[str, Any]:
    """`{"statuses": [...]}` for one delivery status; `_vnd.v1.uuid` is the id /v1/messages answered."""
    status: dict[str, Any] = {"id": update.id, "recipient_id": update.recipient_id or "",
                              "status": update.status, "timestamp": str(int(update.timestamp.timestamp()))}
    if update.errors:
        status["errors"] = update.errors
    if update.conversation:
        status["conversation"] = update.conversation
    if update.pricing:
        status["pricing"] = update.pricing
    if message is not None:
        status["_vnd"] = {"v1": {"uuid": str(message.uuid), "direction": "outbound"}}
    return {"statuses": [status]}


def sent_body(message: Message, posted: dict[str, Any] | None) -> dict[str, Any]:
    """The `turn` subscription: the body as posted to /v1/messages, or (operators' replies) the
    message in the same send shape."""
    if posted is not None:
        return posted
    payload = {k: v for k, v in (message.payload or {}).items() if k != "_vnd"}
    return {"recipient_type": "individual", "to": message.contact.address, **payload}


def journey_body(message: Message, journey: dict[str, str] | None) -> dict[str, Any]:
    """The `journey_outbound` subscription: the message in the send shape, with the journey that sent it."""
    payload = {k: v for k, v in (message.payload or {}).items() if k != "_vnd"}
    vnd = {"direction": "outbound", "uuid": str(message.uuid), "journey": journey,
           "author": {"id": message.author_id or None, "name": message.author_name or None,
                      "type": message.author_type}}
    return {"recipient_type": "individual", "to": message.contact.address, **payload, "_vnd": {"v1": vnd}}
