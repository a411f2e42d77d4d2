"""Inbound messages: stored once when their webhook is processed, handled in order per contact."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce, Greatest

from sauti.accounts.models import Workspace
from sauti.contacts.models import Contact
from sauti.contacts.services import Sighting, upsert_contacts
from sauti.messaging import live
from sauti.messaging.channels.whatsapp.webhook import InboundMessage, message_text
from sauti.messaging.models import Chat, Message, WebhookEvent
from sauti.messaging.routing import route_inbound
from sauti.messaging.window import WINDOW

REOPENED = "Re-opened by inbound message."


def store_inbound_batch(workspace: Workspace, entries: list[tuple[InboundMessage, WebhookEvent]]) -> list[Message]:
    """Store a batch of one workspace's inbound messages with a handful of statements; returns the
    new ones (redeliveries of stored ids are skipped). Their contacts stay locked until the caller's
    transaction ends (see contacts.services.upsert_contacts).
    """
    ids = {item.id for item, _ in entries if item.id}
    known = set(Message.objects.filter(workspace=workspace, direction=Message.Direction.INBOUND, provider_id__in=ids)
                .values_list("provider_id", flat=True)) if ids else set()
    fresh: list[tuple[InboundMessage, WebhookEvent]] = []
    for item, event in entries:
        if item.id and item.id in known:
            continue
        known.add(item.id)
        fresh.append((item, event))
    if not fresh:
        return []
    contacts = upsert_contacts(workspace, [Sighting(item.wa_id, item.user_id, item.profile_name, item.timestamp)
                                           for item, _ in fresh])
    chats = chats_for(workspace, contacts)
    context_ids = {(item.message.get("context") or {}).get("id") for item, _ in fresh} - {None, ""}
    replied = dict(Message.objects.filter(workspace=workspace, provider_id__in=context_ids)
                   .values_list("provider_id", "id")) if context_ids else {}
    messages = [
        Message(workspace=workspace, chat=chats[contact.id], contact=contact, direction=Message.Direction.INBOUND,
                type=item.type, payload=item.message, text=message_text(item.message), provider_id=item.id or None,
                status=Message.Status.RECEIVED, author_type=Message.AuthorType.CONTACT,
                author_id=item.wa_id or item.user_id or "", author_name=item.profile_name,
                in_reply_to_id=replied.get((item.message.get("context") or {}).get("id")),
                sent_at=item.timestamp, webhook_event=event)
        for (item, event), contact in zip(fresh, contacts, strict=True)
    ]
    return Message.objects.bulk_create(messages)


def chats_for(workspace: Workspace, contacts: list[Contact]) -> dict[int, Chat]:
    """Each contact's one chat (created where missing), keyed by contact id, with `contact.chat` set."""
    by_id = {c.id: c for c in contacts}
    chats = {chat.contact_id: chat for chat in Chat.objects.filter(contact_id__in=by_id)}
    missing = [Chat(workspace=workspace, contact=by_id[cid]) for cid in by_id if cid not in chats]
    if missing:
        for chat in Chat.objects.bulk_create(missing):
            chats[chat.contact_id] = chat
    for cid, contact in by_id.items():
        chats[cid].contact = contact
        contact.chat = chats[cid]
    return chats


def handle_inbound(message: Message, now: dt.datetime) -> str:
    """Update the chat (window, unread, reopen), apply edits and revocations, then route.

    The chat is updated in SQL, not from the row read earlier, so a batch of one person's messages
    never works from stale values; the window only ever moves forward.
    """
    sent = message.sent_at
    Chat.objects.filter(id=message.chat_id).update(
        unread_count=F("unread_count") + 1,
        last_message_at=Greatest(Coalesce("last_message_at", Value(sent)), Value(sent)),
        last_inbound_at=Greatest(Coalesce("last_inbound_at", Value(sent)), Value(sent)),
        window_expires_at=Greatest(Coalesce("window_expires_at", Value(sent + WINDOW)), Value(sent + WINDOW)),
        state_reason=Case(When(state=Chat.State.CLOSED, then=Value(REOPENED)), default=F("state_reason")),
        state=Value(Chat.State.OPEN),
    )
    # Mirror the update on the loaded row, so handlers (journeys replying inside the window) see it.
    chat = message.chat
    chat.last_inbound_at = max(filter(None, [chat.last_inbound_at, sent]))
    chat.window_expires_at = max(filter(None, [chat.window_expires_at, sent + WINDOW]))
    chat.last_message_at = max(filter(None, [chat.last_message_at, sent]))
    if chat.state == Chat.State.CLOSED:
        chat.state, chat.state_reason = Chat.State.OPEN, REOPENED
    _apply_to_original(message)
    handler = route_inbound(message)
    live.on_commit_publish(message.workspace_id, "message_received", chat=str(message.chat.uuid),
                           message=str(message.uuid))
    return handler


def _apply_to_original(message: Message) -> None:
    """Edits and revocations change the message they point at; the event itself is kept too."""
    body = message.payload.get(message.type) if isinstance(message.payload, dict) else None
    if message.type not in ("edit", "revoke") or not isinstance(body, dict):
        return
    original = Message.objects.filter(workspace_id=message.workspace_id,
                                      provider_id=body.get("original_message_id")).first()
    if original is None:
        return
    payload = dict(original.payload)
    vnd = dict(payload.get("_vnd", {}))
    if message.type == "edit" and isinstance(body.get("message"), dict):
        vnd["edited_from"] = {k: v for k, v in payload.items() if k != "_vnd"}
        payload.update(body["message"])
        original.text = message_text(payload)
        original.type = str(payload.get("type", original.type))
    else:
        vnd["revoked"] = True
        original.text = ""
    payload["_vnd"] = vnd
    original.payload = payload
    original.save(update_fields=["payload", "text", "type"])
