"""/v1/messages and /v1/contacts/<wa_id>/messages."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict

from sauti.api.bodies import to_cloud_body
from sauti.api.errors import WINDOW_CLOSED, ApiError, invalid, not_found
from sauti.api.serializers import chat_to_turn, message_to_turn
from sauti.contacts.models import Contact
from sauti.contacts.services import contact_for_recipient
from sauti.messaging.models import Message
from sauti.messaging.services import SendRefused, chat_for, queue_message

router = Router(tags=["messages"])
HISTORY_LIMIT = 50


class MessageIn(Schema):
    """A message in Turn's (WhatsApp On-Premises) shape or the Cloud API's; `to` and the content."""

    model_config = ConfigDict(extra="allow")
    to: str
    type: str | None = None
    preview_url: bool | None = None
    recipient_type: str | None = None
    messaging_product: str | None = None


class MessageId(Schema):
    id: str


class MessagesOut(Schema):
    messages: list[MessageId]


@router.post("/messages", response={200: MessagesOut}, summary="Send a message")
def send_message(request: HttpRequest, payload: MessageIn) -> dict[str, Any]:
    """Queue a text, media, template, interactive, reaction, location or contacts message.

    The answer comes once the message is stored; delivery statuses follow by webhook and in
    the message history. Free-form messages outside the 24-hour window are refused with 470.
    """
    workspace = request.workspace  # type: ignore[attr-defined]
    to, body = to_cloud_body(json.loads(request.body))
    try:
        contact = contact_for_recipient(workspace, to)
    except ValueError as exc:
        raise invalid("to", str(exc)) from exc
    try:
        message = queue_message(workspace, contact, body, author_type=Message.AuthorType.SYSTEM,
                                author_id=str(request.api_token.uuid),  # type: ignore[attr-defined]
                                author_name=request.api_token.name)  # type: ignore[attr-defined]
    except SendRefused as exc:
        raise ApiError(400, WINDOW_CLOSED, "Message failed to send because the 24-hour window is closed",
                       exc.message, exc.field) from exc
    return {"messages": [{"id": str(message.uuid)}]}


@router.get("/contacts/{wa_id}/messages", summary="A contact's chat and latest messages")
def contact_messages(request: HttpRequest, wa_id: str) -> dict[str, Any]:
    """The chat and its 50 most recent messages, newest first, WhatsApp format with `_vnd.v1`."""
    workspace = request.workspace  # type: ignore[attr-defined]
    contact = Contact.objects.filter(workspace=workspace, wa_id=wa_id).first() or \
        Contact.objects.filter(workspace=workspace, user_id=wa_id).first()
    if contact is None:
        raise not_found(f"no contact {wa_id} in this workspace")
    chat = chat_for(contact)
    messages = (Message.objects.filter(chat=chat).select_related("contact", "in_reply_to")
                .order_by("-id")[:HISTORY_LIMIT])
    return {"chat": chat_to_turn(chat), "messages": [message_to_turn(m) for m in messages]}
