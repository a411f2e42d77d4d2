"""Writes for chats, messages and the outbox. Other apps send messages through these functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sauti.accounts.models import Workspace
from sauti.contacts.models import Contact
from sauti.messaging import live
from sauti.messaging.channels.whatsapp.webhook import message_text
from sauti.messaging.models import Chat, Message, Outbox
from sauti.messaging.window import needs_window, window_open


@dataclass
class SendRefused(Exception):
    """A message that must not go out, with a reason a person can act on."""

    code: str
    message: str
    field: str = ""

    def __str__(self) -> str:
        return self.message


def chat_for(contact: Contact) -> Chat:
    """The contact's one chat, created on first use (safe when two workers race)."""
    try:
        return contact.chat
    except Chat.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return Chat.objects.create(workspace_id=contact.workspace_id, contact=contact)
    except IntegrityError:
        return Chat.objects.get(contact=contact)


def queue_message(workspace: Workspace, contact: Contact, body: dict[str, Any], *,
                  author_type: str = Message.AuthorType.SYSTEM, author_id: str = "", author_name: str = "",
                  priority: int = Outbox.REPLY, in_reply_to: Message | None = None,
                  now: dt.datetime | None = None, check_window: bool = True, chat: Chat | None = None) -> Message:
    """Store an outbound message and its Outbox row; the sender delivers it.

    `body` is a Cloud API message body without `to` (e.g. {"type": "text", "text": {...}}).
    Free-form messages outside the 24-hour window are refused here, before anything is queued.
    """
    now = now or timezone.now()
    chat = chat or chat_for(contact)
    if check_window and needs_window(body) and not window_open(chat.window_expires_at, now):
        raise SendRefused("window_closed",
                          "The 24-hour window is closed: the contact last wrote more than 24 hours ago "
                          "(or never). Only an approved template can be sent now.", "type")
    # No savepoint of its own: callers already in a transaction (a journey's turn) roll back
    # together, and a savepoint is two more round trips on every reply.
    with transaction.atomic(savepoint=False):
        message = Message.objects.create(
            workspace=workspace, chat=chat, contact=contact, direction=Message.Direction.OUTBOUND,
            type=str(body.get("type", "text")), payload=body, text=message_text(body), status=Message.Status.QUEUED,
            author_type=author_type, author_id=author_id, author_name=author_name, in_reply_to=in_reply_to,
            sent_at=now,
        )
        Outbox.objects.create(workspace=workspace, message=message, contact=contact, priority=priority,
                              not_before=now)
        Chat.objects.filter(id=chat.id).update(last_message_at=now)
        live.on_commit_publish(workspace.id, "message_queued", chat=str(chat.uuid), message=str(message.uuid))
    return message
