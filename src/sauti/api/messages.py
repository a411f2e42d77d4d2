"""/v1/messages (send, mark as read, label) and /v1/contacts/<wa_id>/messages (history)."""

from __future__ import annotations

import json
import uuid as uuid_module
from typing import Annotated, Any, Literal

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema
from pydantic import ConfigDict, StringConstraints

from sauti.accounts.models import Workspace
from sauti.api import sending
from sauti.api.auth import needs
from sauti.api.bodies import to_cloud_body
from sauti.api.errors import WINDOW_CLOSED, ApiError, invalid, not_found
from sauti.api.schemas import SuccessOut, errors
from sauti.api.serializers import chat_to_turn, message_to_turn
from sauti.contacts.models import Contact
from sauti.contacts.services import contact_for_recipient
from sauti.messaging.models import Message
from sauti.messaging.services import SendRefused, chat_for, queue_message

router = Router(tags=["messages"])
WA_ID = Path(..., description="the contact's WhatsApp id (or business-scoped user id)", examples=["27820000001"])
HISTORY_LIMIT = 50


class MessageIn(Schema):
    """A message in Turn's (WhatsApp On-Premises) shape or the Cloud API's: `to`, `type` and the
    object named by `type` (`text`, `image`, `template`, `hsm`, `interactive`, `reaction`, …)."""

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


class StatusIn(Schema):
    status: Literal["read"] = Field(description='"read" (the only status a business may set)')


class LabelsIn(Schema):
    labels: list[Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"\S")]] = Field(
        min_length=1, max_length=50)


class LabelsOut(Schema):
    labels: list[str]


class HistoryOut(Schema):
    chat: dict[str, Any]
    messages: list[dict[str, Any]]


def _access_message(workspace: Workspace, message_id: str) -> Message:
    """The workspace's message by its WhatsApp id or Sauti's uuid; one 404 for missing and not yours."""
    match = Q(provider_id=message_id)
    try:
        match |= Q(uuid=uuid_module.UUID(message_id))
    except ValueError:
        pass
    message = Message.objects.filter(match, workspace=workspace).first()
    if message is None:
        raise not_found(f"no message {message_id} in this workspace")
    return message


def _contact(workspace: Workspace, wa_id: str) -> Contact:
    contact = (Contact.objects.filter(workspace=workspace, wa_id=wa_id).first()
               or Contact.objects.filter(workspace=workspace, user_id=wa_id).first())
    if contact is None:
        raise not_found(f"no contact {wa_id} in this workspace")
    return contact


@router.post("/messages", auth=needs("messages:write"), response={200: MessagesOut, **errors(400, 404)},
             summary="Send a message")
def send_message(request: HttpRequest, payload: MessageIn) -> dict[str, Any]:
    """Queue a text, media, template (or legacy `hsm`), interactive, reaction, location or contacts message.

    The answer comes once the message is stored, with Sauti's id for it; WhatsApp's id and the
    delivery statuses follow by webhook and in the message history. Free-form messages outside
    the 24-hour window are refused with 470. `X-Turn-Claim-Release` / `X-Turn-Claim-Extend`
    release or extend a conversation claim.
    """
    from sauti.integrations import claims, outbound

    workspace = request.workspace  # type: ignore[attr-defined]
    posted = json.loads(request.body)
    to, body = to_cloud_body(posted)
    try:
        contact = contact_for_recipient(workspace, to)
    except ValueError as exc:
        raise invalid("to", str(exc)) from exc
    token = request.api_token  # type: ignore[attr-defined]
    try:
        # One commit: the sender (which may send within milliseconds) sees the message and the
        # body the `turn` webhook repeats together.
        with transaction.atomic():
            if body["type"] == "template":
                message = sending.send_stored_template(workspace, contact, body, author_id=str(token.uuid),
                                                       author_name=token.name)
            else:
                message = queue_message(workspace, contact, sending.resolve_library_media(workspace, body),
                                        author_type=Message.AuthorType.SYSTEM, author_id=str(token.uuid),
                                        author_name=token.name)
            outbound.remember_api_body(workspace, message, posted)
    except SendRefused as exc:
        raise ApiError(400, WINDOW_CLOSED, "Message failed to send because the 24-hour window is closed",
                       exc.message, exc.field) from exc
    claims.apply_claim_headers(workspace, contact, request.headers)
    return {"messages": [{"id": str(message.uuid)}]}


@router.put("/messages/{message_id}", auth=needs("messages:write"), response={200: SuccessOut, **errors(400, 404)},
            summary="Mark a message as read")
def mark_message_read(request: HttpRequest, message_id: str, payload: StatusIn) -> dict[str, Any]:
    """`{"status": "read"}` on a person's message shows them blue ticks (WhatsApp is told by a worker)."""
    from sauti.api.tasks import mark_read

    message = _access_message(request.workspace, message_id)  # type: ignore[attr-defined]
    if message.direction != Message.Direction.INBOUND or not message.provider_id:
        raise invalid("message_id", "only a message the contact sent can be marked as read")
    transaction.on_commit(lambda: mark_read.enqueue(message.id))
    return {"success": True}


@router.post("/messages/{message_id}/labels", auth=needs("messages:write"),
             response={200: LabelsOut, **errors(400, 404)}, summary="Label a message")
def label_message(request: HttpRequest, message_id: str, payload: LabelsIn) -> dict[str, Any]:
    """Add labels to a message (those it has stay); answers every label the message now has."""
    labels = [label.strip() for label in payload.labels]
    for i, label in enumerate(labels):
        if not label or len(label) > 100:
            raise invalid(f"labels.{i}", "a label is 1 to 100 characters")
    from sauti.inbox.services import label_message

    message = _access_message(request.workspace, message_id)  # type: ignore[attr-defined]
    with transaction.atomic():
        label_message(message, labels, actor=None)
    return {"labels": list(message.labels)}


@router.get("/contacts/{wa_id}/messages", auth=needs("messages:read"), response={200: HistoryOut, **errors(404)},
            summary="A contact's chat and latest messages")
def contact_messages(request: HttpRequest, wa_id: str = WA_ID) -> dict[str, Any]:
    """The chat and its 50 most recent messages, newest first, WhatsApp format with `_vnd.v1`."""
    contact = _contact(request.workspace, wa_id)  # type: ignore[attr-defined]
    chat = chat_for(contact)
    messages = (Message.objects.filter(chat=chat).select_related("contact", "in_reply_to")
                .order_by("-id")[:HISTORY_LIMIT])
    return {"chat": chat_to_turn(chat), "messages": [message_to_turn(m) for m in messages]}
