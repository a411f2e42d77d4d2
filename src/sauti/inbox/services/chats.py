"""What people do to a chat: assign, unassign, close, reopen, reply, react, mark done, hand back
to the bot or a journey; and `request_human`, which the pipeline and journeys call when a chat
starts waiting for a person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sauti.accounts import permissions
from sauti.accounts.models import Membership, User
from sauti.inbox.events import announce
from sauti.inbox.models import Mention
from sauti.inbox.services.routing import route_waiting_chats, routing_enabled
from sauti.messaging.models import Chat, Message
from sauti.messaging.services import queue_message

MAX_TEXT = 4096  # the Cloud API's limit for a text body
REOPENED_BY_REPLY = "Re-opened by a reply from the team."


@dataclass
class InboxActionRefused(Exception):
    """An action that cannot be done now, with a reason a person can act on and the form field."""

    message: str
    field: str = ""

    def __str__(self) -> str:
        return self.message


def _refresh(chat: Chat) -> Chat:
    chat.refresh_from_db(fields=["state", "state_reason", "assigned_to", "assigned_at", "needs_human",
                                 "closed_at", "closed_by", "unread_count", "window_expires_at", "last_message_at"])
    return chat


def _helper(chat: Chat, user: User) -> Membership:
    membership = Membership.objects.filter(workspace_id=chat.workspace_id, user=user).first()
    if membership is None or not permissions.can(membership.role, "inbox.reply"):
        raise InboxActionRefused(_("Only teammates who answer chats can be assigned."), "assignee")
    return membership


def request_human(chat: Chat, *, reason: str = "", workspace=None) -> None:  # noqa: ANN001 - a Workspace
    """The chat now waits for a person (no journey took the message, or a journey handed over).

    Called inside the pipeline's transaction: one update, and routing only when the chat starts
    waiting (a chat already waiting, or held by someone, costs nothing more).
    """
    if chat.assigned_to_id is not None or chat.needs_human:
        return
    updates = {"needs_human": True}
    if reason:
        updates["state_reason"] = reason[:200]
    Chat.objects.filter(id=chat.id).update(state=Chat.State.OPEN, **updates)
    chat.needs_human = True
    announce(chat.workspace_id, "chat_updated", chat=chat.uuid, change="waiting")
    workspace = workspace or chat.workspace
    if routing_enabled(workspace):
        route_waiting_chats(workspace)


@transaction.atomic
def assign_chat(chat: Chat, assignee: User, *, actor: User | None) -> Chat:
    """Give the chat to a teammate; automation pauses for it while someone holds it."""
    _helper(chat, assignee)
    reason = (_("Assigned to %(name)s by %(actor)s.") % {"name": str(assignee), "actor": str(actor)}
              if actor and actor.id != assignee.id else _("Taken by %(name)s.") % {"name": str(assignee)})
    Chat.objects.filter(id=chat.id).update(assigned_to=assignee, assigned_at=timezone.now(), needs_human=False,
                                           state=Chat.State.OPEN, state_reason=reason[:200])
    announce(chat.workspace_id, "chat_updated", chat=chat.uuid, change="assigned")
    return _refresh(chat)


@transaction.atomic
def unassign_chat(chat: Chat, *, actor: User | None) -> Chat:
    """Back to Unassigned, waiting for a person: routing may give it to someone else (not back)."""
    previous = chat.assigned_to_id
    Chat.objects.filter(id=chat.id).update(assigned_to=None, assigned_at=None, needs_human=True,
                                           state_reason=_("Unassigned.")[:200])
    announce(chat.workspace_id, "chat_updated", chat=chat.uuid, change="unassigned")
    if chat.state == Chat.State.OPEN:
        route_waiting_chats(chat.workspace, skip={chat.id: previous} if previous else None)
    return _refresh(chat)


@transaction.atomic
def close_chat(chat: Chat, *, reason: str, unassign: bool = False, actor: User | None) -> Chat:
    """Close with a reason; its inbound messages count as done. An inbound message reopens it
    (for its assignee, unless it was closed and unassigned)."""
    reason = " ".join(reason.split()) or _("Closed.")
    now = timezone.now()
    updates = {"state": Chat.State.CLOSED, "state_reason": reason[:200], "closed_at": now, "closed_by": actor,
               "needs_human": False}
    if unassign:
        updates.update(assigned_to=None, assigned_at=None)
    Chat.objects.filter(id=chat.id).update(**updates)
    _mark_done(chat, now)
    announce(chat.workspace_id, "chat_updated", chat=chat.uuid, change="closed")
    route_waiting_chats(chat.workspace)
    return _refresh(chat)


@transaction.atomic
def reopen_chat(chat: Chat, *, actor: User | None) -> Chat:
    reason = _("Re-opened by %(name)s.") % {"name": str(actor)} if actor else _("Re-opened.")
    Chat.objects.filter(id=chat.id).update(state=Chat.State.OPEN, state_reason=reason[:200], closed_at=None,
                                           closed_by=None)
    announce(chat.workspace_id, "chat_updated", chat=chat.uuid, change="reopened")
    return _refresh(chat)


@transaction.atomic
def mark_chat_read(chat: Chat, *, actor: User) -> None:
    """Someone who answers chats opened it: nothing unread, their mentions in it seen."""
    if chat.unread_count:
        Chat.objects.filter(id=chat.id).update(unread_count=0)
        chat.unread_count = 0
        announce(chat.workspace_id, "chat_updated", chat=chat.uuid, change="read")
    Mention.objects.filter(chat=chat, user=actor, seen_at__isnull=True).update(seen_at=timezone.now())


def _mark_done(chat: Chat, now: dt.datetime) -> None:
    Message.objects.filter(chat=chat, direction=Message.Direction.INBOUND, done_at__isnull=True).update(done_at=now)


@transaction.atomic
def mark_message_done(message: Message, done: bool, *, actor: User | None) -> Message:
    message.done_at = timezone.now() if done else None
    Message.objects.filter(id=message.id).update(done_at=message.done_at)
    announce(message.workspace_id, "chat_updated", chat=message.chat.uuid, change="done")
    return message


def _operator_send(chat: Chat, body: dict, actor: User, *, in_reply_to: Message | None = None) -> Message:
    return queue_message(chat.workspace, chat.contact, body, author_type=Message.AuthorType.OPERATOR,
                         author_id=str(actor.uuid), author_name=str(actor), in_reply_to=in_reply_to, chat=chat)


@transaction.atomic
def reply_to_chat(chat: Chat, text: str, *, actor: User, in_reply_to: Message | None = None) -> Message:
    """Send free text from the team. Outside the 24-hour window messaging refuses it
    (SendRefused, nothing queued): the reply box then offers templates.

    Replying to a chat nobody holds takes it (automation pauses); earlier inbound messages count
    as done; a closed chat opens again.
    """
    text = text.strip()
    if not text:
        raise InboxActionRefused(_("Write a message first."), "text")
    if len(text) > MAX_TEXT:
        raise InboxActionRefused(_("A WhatsApp message has at most 4,096 characters."), "text")
    message = _operator_send(chat, {"type": "text", "text": {"body": text, "preview_url": "http" in text}}, actor,
                             in_reply_to=in_reply_to)
    took_over(chat, actor, message.sent_at)
    return message


def took_over(chat: Chat, actor: User, now: dt.datetime) -> None:
    """After someone of the team sent something: they hold the chat, it is open, all is read and done."""
    updates: dict = {"unread_count": 0}
    if chat.assigned_to_id is None:
        updates.update(assigned_to=actor, assigned_at=now, needs_human=False,
                       state_reason=(_("Taken by %(name)s.") % {"name": str(actor)})[:200])
    if chat.state == Chat.State.CLOSED:
        updates.update(state=Chat.State.OPEN, closed_at=None, closed_by=None, state_reason=REOPENED_BY_REPLY)
    Chat.objects.filter(id=chat.id).update(**updates)
    _mark_done(chat, now)
    announce(chat.workspace_id, "chat_updated", chat=chat.uuid, change="replied")


MEDIA_KINDS = ("image", "video", "document", "audio")
CAPTIONED = ("image", "video", "document")


@transaction.atomic
def send_media_to_chat(chat: Chat, kind: str, link: str, caption: str = "", *, actor: User) -> Message:
    """Send a picture, video, document or voice note by its web address (WhatsApp fetches it).

    A caption goes with images, videos and documents; with audio it follows as its own text.
    """
    from urllib.parse import urlparse

    link, caption = link.strip(), caption.strip()
    if kind not in MEDIA_KINDS:
        raise InboxActionRefused(_("Choose a picture, video, document or audio."), "media_kind")
    parsed = urlparse(link)
    if parsed.scheme not in ("https", "http") or not parsed.netloc or len(link) > 2000:
        raise InboxActionRefused(_("Give the file's web address, starting with https://"), "media_link")
    media: dict = {"link": link}
    if caption and kind in CAPTIONED:
        media["caption"] = caption[:1024]
    if kind == "document":
        media["filename"] = (parsed.path.rsplit("/", 1)[-1] or "document")[:240]
    message = _operator_send(chat, {"type": kind, kind: media}, actor)
    if caption and kind not in CAPTIONED:
        message = _operator_send(chat, {"type": "text", "text": {"body": caption[:MAX_TEXT]}}, actor)
    took_over(chat, actor, message.sent_at)
    return message


@transaction.atomic
def react_to_message(chat: Chat, message: Message, emoji: str, *, actor: User) -> Message:
    """React with an emoji to a message of the chat (an empty emoji takes the reaction back)."""
    if not message.provider_id:
        raise InboxActionRefused(_("This message has not reached WhatsApp yet; react once it is sent."), "emoji")
    if len(emoji) > 16:
        raise InboxActionRefused(_("Choose one emoji."), "emoji")
    return _operator_send(chat, {"type": "reaction", "reaction": {"message_id": message.provider_id,
                                                                  "emoji": emoji}}, actor)


@transaction.atomic
def hand_back_to_bot(chat: Chat, *, actor: User | None, journey=None) -> Chat:  # noqa: ANN001 - a Journey
    """Nobody holds the chat any more and automation answers again: the contact's next message
    goes to their journey session or the triggers, or `journey` starts now (ending a paused session).

    Raises InboxActionRefused (with the journey's reason) when the journey cannot start.
    """
    Chat.objects.filter(id=chat.id).update(assigned_to=None, assigned_at=None, needs_human=False,
                                           state=Chat.State.OPEN,
                                           state_reason=(_("Handed back to automation by %(name)s.")
                                                         % {"name": str(actor)})[:200])
    if journey is not None:
        _start_journey(chat, journey)
    announce(chat.workspace_id, "chat_updated", chat=chat.uuid, change="bot")
    route_waiting_chats(chat.workspace)
    return _refresh(chat)


def _start_journey(chat: Chat, journey) -> None:  # noqa: ANN001 - a Journey
    from sauti.journeys.models import Session
    from sauti.journeys.runner.sessions import StartRefused, end_session, start_journey
    from sauti.messaging.pipeline import acquire_contact, release_contact

    now = timezone.now()
    token = acquire_contact(chat.contact_id, now)
    if token is None:
        raise InboxActionRefused(_("The contact's messages are being handled right now; try again in a moment."),
                                 "journey")
    try:
        for session in Session.objects.filter(contact_id=chat.contact_id, status__in=[
                Session.Status.ACTIVE, Session.Status.WAITING_CHILD]):
            end_session(session, "interrupted", now)
        start_journey(journey, chat.contact, now=now, require_message=True)
    except StartRefused as exc:
        raise InboxActionRefused(str(exc), "journey") from exc
    finally:
        release_contact(chat.contact_id, token)


@transaction.atomic
def bulk_update_chats(chats: Iterable[Chat], action: str, *, actor: User, assignee: User | None = None,
                      label: str = "", reason: str = "") -> int:
    """One action on many chats from the list: assign, unassign, close, reopen, label."""
    from sauti.inbox.services.labels import label_chat

    done = 0
    for chat in chats:
        if action == "assign" and assignee is not None:
            assign_chat(chat, assignee, actor=actor)
        elif action == "unassign":
            unassign_chat(chat, actor=actor)
        elif action == "close":
            close_chat(chat, reason=reason or _("Closed in bulk."), actor=actor)
        elif action == "reopen":
            reopen_chat(chat, actor=actor)
        elif action == "label" and label:
            label_chat(chat, [label], actor=actor)
        else:
            raise InboxActionRefused(_("Choose what to do with the selected chats."), "action")
        done += 1
    return done
