"""Writes for chats, messages and the outbox. Other apps send messages through these functions."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
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


def queue_bulk(workspace: Workspace, items: list[tuple[Contact, dict[str, Any]]], *, priority: int = Outbox.BULK,
               now: dt.datetime | None = None, author_id: str = "", author_name: str = "") -> list[int]:
    """Store many outbound messages and their Outbox rows with a handful of bulk statements.

    For reminders and broadcasts: each item is (contact, Cloud API body without `to`); no window
    check (callers send templates). Runs inside the caller's transaction, so whatever marks the
    items as queued commits together with them or not at all. Returns the message ids in order.
    `author_id`/`author_name` say which send they belong to (reminders: "reminder:<uuid>" and its
    name, which Insights counts by).
    """
    if not items:
        return []
    now = now or timezone.now()
    contact_ids = [contact.id for contact, _ in items]
    chats = dict(Chat.objects.filter(contact_id__in=contact_ids).values_list("contact_id", "id"))
    missing = [cid for cid in dict.fromkeys(contact_ids) if cid not in chats]
    if missing:
        Chat.objects.bulk_create([Chat(workspace_id=workspace.id, contact_id=cid) for cid in missing],
                                 ignore_conflicts=True)
        chats.update(Chat.objects.filter(contact_id__in=missing).values_list("contact_id", "id"))
    common = {"workspace_id": workspace.id, "direction": Message.Direction.OUTBOUND.value,
              "status": Message.Status.QUEUED.value, "author_type": Message.AuthorType.SYSTEM.value,
              "author_id": author_id, "author_name": author_name, "sent_at": now, "created_at": now}
    ids = _insert(Message, [{"uuid": uuid.uuid4(), "chat_id": chats[contact.id], "contact_id": contact.id,
                             "type": str(body.get("type", "text")), "payload": body, "text": message_text(body)}
                            for contact, body in items], common)
    _insert(Outbox, [{"message_id": message_id, "contact_id": contact.id}
                     for message_id, (contact, _body) in zip(ids, items, strict=True)],
            {"workspace_id": workspace.id, "priority": priority, "state": Outbox.State.QUEUED.value,
             "attempts": 0, "not_before": now, "created_at": now, "last_error": ""})
    Chat.objects.filter(id__in=set(chats.values())).update(last_message_at=now)
    return ids


def _insert(model: type, rows: list[dict[str, Any]], common: dict[str, Any], *, chunk: int = 500) -> list[int]:
    """INSERT … RETURNING id for many rows of `model`, values prepared by each field as Django
    would, constants prepared once. Several times cheaper in CPU than bulk_create, which at
    broadcast rates cost more than sending. Columns not given take the field's default."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    given = set(rows[0]) if rows else set()
    constant: dict[str, Any] = {}
    for field in fields:
        if field.attname in given:
            continue
        value = common[field.attname] if field.attname in common else field.get_default()
        constant[field.attname] = field.get_db_prep_save(value, connection)
    varying = [f for f in fields if f.attname in given]
    columns = [f.column for f in varying] + [f.column for f in fields if f.attname in constant]
    constants = [constant[f.attname] for f in fields if f.attname in constant]
    quote = connection.ops.quote_name
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            params: list[Any] = []
            for row in part:
                params += [f.get_db_prep_save(row[f.attname], connection) for f in varying]
                params += constants
            one = "(" + ", ".join(["%s"] * len(columns)) + ")"
            sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
                   f"VALUES {', '.join([one] * len(part))} RETURNING {quote(model._meta.pk.column)}")
            cursor.execute(sql, params)
            ids += [row[0] for row in cursor.fetchall()]
    return ids


def cancel_queued(message_ids: list[int], reason: str) -> list[int]:
    """Take messages that are still waiting in the Outbox off it (a cancelled broadcast): they fail
    with `reason` and are never sent. Messages already claimed by the sender go on. Returns the
    ids of the messages taken off."""
    with transaction.atomic():
        query = Outbox.objects.filter(message_id__in=message_ids, state=Outbox.State.QUEUED)
        if connection.vendor == "postgresql":
            query = query.select_for_update(skip_locked=True)
        taken = list(query.values_list("message_id", flat=True))
        if taken:
            Outbox.objects.filter(message_id__in=taken).update(state=Outbox.State.FAILED, last_error=reason)
            Message.objects.filter(id__in=taken).update(
                status=Message.Status.FAILED, error={"code": "cancelled", "title": reason, "message": reason})
    return taken
