"""Reads of the inbox, always within one workspace: collections, the chat list, a conversation,
search results, and the label lookups other apps use (`contact_ids_labelled`).

`access_*` helpers fetch and authorise together: a chat, label or collection of another
workspace is the same 404 as one that does not exist.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from sauti.accounts import permissions
from sauti.accounts.models import Membership, User, Workspace
from sauti.contacts.privacy import numbers_hidden
from sauti.inbox.models import ChatLabel, Collection, Label, Mention, MessageLabel, Note
from sauti.inbox.search import Search, parse_search
from sauti.messaging.models import Chat, Message

PAGE = 30  # rows per page of the chat list: a screenful and a half; "Older chats" pages on
LABELLED_INLINE = 5000  # a label on fewer chats than this is searched by their ids
CONVERSATION = 200  # messages shown when a chat opens; older ones page in


@dataclass(frozen=True)
class BuiltIn:
    key: str
    label: Any
    query: str  # the same collection written as a search


BUILT_IN = (
    BuiltIn("unassigned", _("Unassigned"), "is:waiting"),
    BuiltIn("mine", _("Assigned to me"), "assignee:me state:open"),
    BuiltIn("mentions", _("Mentions"), "is:mentioned"),
    BuiltIn("bot", _("With bot"), "is:bot"),
    BuiltIn("open", _("All open"), "state:open"),
    BuiltIn("closed", _("Closed"), "state:closed"),
)
BUILT_IN_KEYS = {b.key: b for b in BUILT_IN}


def _uuid(value: Any) -> uuid_module.UUID:
    try:
        return uuid_module.UUID(str(value))
    except ValueError:
        raise Http404("no such item") from None


def access_chat(workspace: Workspace, chat_uuid: Any) -> Chat:
    chat = (Chat.objects.filter(workspace=workspace, uuid=_uuid(chat_uuid))
            .select_related("contact", "assigned_to", "workspace").first())
    if chat is None:
        raise Http404("no such chat")
    return chat


def access_message(chat: Chat, message_uuid: Any) -> Message:
    message = Message.objects.filter(chat=chat, uuid=_uuid(message_uuid)).select_related("chat").first()
    if message is None:
        raise Http404("no such message")
    return message


def access_label(workspace: Workspace, label_uuid: Any) -> Label:
    label = Label.objects.filter(workspace=workspace, uuid=_uuid(label_uuid)).first()
    if label is None:
        raise Http404("no such label")
    return label


def access_collection(workspace: Workspace, user: User, collection_uuid: Any) -> Collection:
    """A shared collection, or one of the person's own; someone else's own is a 404."""
    collection = (Collection.objects.filter(workspace=workspace, uuid=_uuid(collection_uuid))
                  .filter(Q(owner__isnull=True) | Q(owner=user)).first())
    if collection is None:
        raise Http404("no such collection")
    return collection


def collections_for(workspace: Workspace, user: User) -> list[Collection]:
    return list(Collection.objects.filter(workspace=workspace).filter(Q(owner__isnull=True) | Q(owner=user)))


def labels_of(workspace: Workspace) -> list[Label]:
    return list(Label.objects.filter(workspace=workspace))


def teammates(workspace: Workspace) -> list[Membership]:
    """Members who answer chats (may be assigned), by name."""
    return list(Membership.objects.filter(workspace=workspace, role__in=permissions.roles_with("inbox.reply"))
                .select_related("user").order_by("user__name", "user__email"))


def members(workspace: Workspace) -> list[User]:
    return [m.user for m in Membership.objects.filter(workspace=workspace).select_related("user")
            .order_by("user__name", "user__email")]


# ---------------------------------------------------------------------------------- the chat list

def _day_start(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def _tz(workspace: Workspace) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(workspace.timezone or "UTC")
    except (KeyError, ValueError):
        return dt.UTC


def search_chats(workspace: Workspace, search: Search, *, user: User, role: str) -> QuerySet[Chat]:
    """The chats a search finds, in this workspace only (newest activity first)."""
    chats = Chat.objects.filter(workspace=workspace)
    if search.state:
        chats = chats.filter(state=search.state)
    flags = search.flags
    if "waiting" in flags:
        chats = chats.filter(state=Chat.State.OPEN, assigned_to__isnull=True, needs_human=True)
    if "bot" in flags:
        chats = chats.filter(state=Chat.State.OPEN, assigned_to__isnull=True, needs_human=False)
    if "unassigned" in flags:
        chats = chats.filter(assigned_to__isnull=True)
    if "assigned" in flags:
        chats = chats.filter(assigned_to__isnull=False)
    if "unread" in flags:
        chats = chats.filter(unread_count__gt=0)
    if "mentioned" in flags:
        chats = chats.filter(Exists(Mention.objects.filter(chat=OuterRef("pk"), user=user, seen_at__isnull=True)))
    if search.assignee == "me":
        chats = chats.filter(assigned_to=user)
    elif search.assignee == "none":
        chats = chats.filter(assigned_to__isnull=True)
    elif search.assignee:
        name = search.assignee
        chats = chats.filter(Q(assigned_to__email__iexact=name) | Q(assigned_to__email__istartswith=name + "@"))
    for name in search.labels:
        # The label's id first, then plain IN subqueries: the planner hashes them, where
        # correlated EXISTS with a name join would run once per chat (seconds at 100,000 chats).
        ids = list(Label.objects.filter(workspace=workspace, name__iexact=name).values_list("id", flat=True))
        on_chats = ChatLabel.objects.filter(label_id__in=ids).values_list("chat_id", flat=True)
        on_messages = MessageLabel.objects.filter(label_id__in=ids).values_list("chat_id", flat=True)
        found = set(on_chats[:LABELLED_INLINE]) | set(on_messages[:LABELLED_INLINE])
        if len(found) < LABELLED_INLINE:
            # Most labels mark a few chats: their ids inline let the list walk its index in order.
            chats = chats.filter(id__in=sorted(found))
        else:
            chats = chats.filter(Q(id__in=on_chats) | Q(id__in=on_messages))
    tz = _tz(workspace)
    if search.after:
        chats = chats.filter(last_message_at__gte=_day_start(search.after, tz))
    if search.before:
        chats = chats.filter(last_message_at__lt=_day_start(search.before + dt.timedelta(days=1), tz))
    hidden = numbers_hidden(workspace, role)
    if search.contact:
        chats = chats.filter(_contact_matches(search.contact, hidden))
    if search.text:
        in_messages = Message.objects.filter(chat=OuterRef("pk"), text__icontains=search.text)
        if search.after:
            in_messages = in_messages.filter(sent_at__gte=_day_start(search.after, tz))
        if search.before:
            in_messages = in_messages.filter(sent_at__lt=_day_start(search.before + dt.timedelta(days=1), tz))
        chats = chats.filter(_contact_matches(search.text, hidden) | Exists(in_messages))
    return chats.order_by("-last_message_at", "-id")


def _contact_matches(text: str, numbers_are_hidden: bool) -> Q:
    """Name, surname or WhatsApp name; the number too unless the role sees numbers masked (a
    masked number must not be found by guessing it)."""
    query = (Q(contact__name__icontains=text) | Q(contact__surname__icontains=text)
             | Q(contact__whatsapp_profile_name__icontains=text))
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits and len(digits) >= 4 and not numbers_are_hidden:
        query |= Q(contact__wa_id__contains=digits)
    return query


def collection_search(key: str, workspace: Workspace, user: User) -> Search:
    """A built-in collection (by key) or a saved one (by uuid) as a Search."""
    if key in BUILT_IN_KEYS:
        return parse_search(BUILT_IN_KEYS[key].query)
    return parse_search(access_collection(workspace, user, key).query)


def chat_rows(chats: QuerySet[Chat], *, before: dt.datetime | None = None, limit: int = PAGE) -> list[Chat]:
    """One page of the list, with what each row shows: contact, assignee, last message, labels.

    Three queries whatever the page holds: the chats (with the last message's text, type and
    direction through the message_chat_recent index), then the labels of those chats.
    """
    if before is not None:
        chats = chats.filter(last_message_at__lt=before)
    last = Message.objects.filter(chat=OuterRef("pk")).order_by("-id")
    rows = list(chats.select_related("contact", "assigned_to")
                .annotate(last_text=Subquery(last.values("text")[:1]), last_type=Subquery(last.values("type")[:1]),
                          last_direction=Subquery(last.values("direction")[:1]))[:limit])
    by_chat: dict[int, list[Label]] = {row.id: [] for row in rows}
    for link in ChatLabel.objects.filter(chat_id__in=by_chat).select_related("label").order_by("label__name"):
        by_chat[link.chat_id].append(link.label)
    for row in rows:
        row.label_list = by_chat[row.id]
    return rows


def collection_counts(workspace: Workspace, user: User) -> dict[str, int]:
    """Counts for the left pane; each is one indexed count (see Chat.Meta.indexes)."""
    open_chats = Chat.objects.filter(workspace=workspace, state=Chat.State.OPEN)
    return {
        "unassigned": open_chats.filter(assigned_to__isnull=True, needs_human=True).count(),
        "mine": Chat.objects.filter(assigned_to=user, state=Chat.State.OPEN, workspace=workspace).count(),
        "mentions": Mention.objects.filter(user=user, seen_at__isnull=True, chat__workspace=workspace)
        .values("chat_id").distinct().count(),
    }


# ---------------------------------------------------------------------------------- a conversation

def conversation(chat: Chat, *, limit: int = CONVERSATION) -> list[dict[str, Any]]:
    """The chat's latest messages and notes in time order; reactions are folded into the message
    they react to (by WhatsApp id), as WhatsApp shows them."""
    messages = list(Message.objects.filter(chat=chat).select_related("in_reply_to").order_by("-id")[:limit])
    messages.reverse()
    by_wamid = {m.provider_id: m for m in messages if m.provider_id}
    items: list[dict[str, Any]] = []
    for message in messages:
        message.reactions = []
        message.media = _media_of(message)
    for message in messages:
        if message.type == "reaction":
            reaction = (message.payload or {}).get("reaction") or {}
            target = by_wamid.get(reaction.get("message_id"))
            if target is not None:
                # The latest reaction of each side wins; an empty emoji takes it back.
                target.reactions = [r for r in target.reactions if r["direction"] != message.direction]
                if reaction.get("emoji"):
                    target.reactions.append({"emoji": reaction["emoji"], "direction": message.direction})
                continue
        items.append({"kind": "message", "at": message.sent_at, "message": message})
    oldest = messages[0].sent_at if messages and len(messages) == limit else None
    notes = Note.objects.filter(chat=chat).select_related("author").order_by("created_at")
    if oldest is not None:
        notes = notes.filter(created_at__gte=oldest)
    items += [{"kind": "note", "at": note.created_at, "note": note} for note in notes]
    items.sort(key=lambda item: item["at"])
    return items


MEDIA_TYPES = ("image", "video", "document", "audio", "sticker")


def _media_of(message: Message) -> dict[str, str] | None:
    """What a media message shows: its kind and a file name or address (inbound ones have an id)."""
    if message.type not in MEDIA_TYPES:
        return None
    body = (message.payload or {}).get(message.type) or {}
    link = str(body.get("link") or "")
    name = str(body.get("filename") or (link.rsplit("/", 1)[-1] if link else "") or body.get("id") or "")
    return {"kind": message.type, "name": name[:80], "link": link if link.startswith("https://") else ""}


def message_labels(chat: Chat) -> dict[int, list[Label]]:
    found: dict[int, list[Label]] = {}
    for link in MessageLabel.objects.filter(chat=chat).select_related("label"):
        found.setdefault(link.message_id, []).append(link.label)
    return found


def chat_label_list(chat: Chat) -> list[Label]:
    return [link.label for link in ChatLabel.objects.filter(chat=chat).select_related("label")
            .order_by("label__name")]


# ---------------------------------------------------------------------------------- for other apps

def contact_ids_labelled(workspace: Workspace, name: str) -> QuerySet:
    """Ids of the workspace's contacts whose chat, or a message of it, carries the label `name`
    (any case): a queryset, so a segment can use it inside its own query."""
    on_chat = ChatLabel.objects.filter(label__workspace=workspace, label__name__iexact=name).values("chat_id")
    on_message = MessageLabel.objects.filter(label__workspace=workspace, label__name__iexact=name).values("chat_id")
    return (Chat.objects.filter(workspace=workspace).filter(Q(id__in=on_chat) | Q(id__in=on_message))
            .values_list("contact_id", flat=True))
