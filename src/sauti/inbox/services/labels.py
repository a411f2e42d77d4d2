"""The label catalogue and labels on chats and messages.

`label_message` is also how journeys' add_label and the API label a message: it keeps the
message's JSON list of names (what the API shows) and the MessageLabel rows (what search and
segments query) together.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from sauti.accounts.models import User, Workspace
from sauti.accounts.services import record_audit
from sauti.inbox.events import announce
from sauti.inbox.models import LABEL_COLOURS, ChatLabel, Label, MessageLabel
from sauti.messaging.models import Chat, Message

MAX_NAME = 60


class LabelInvalid(ValueError):
    """A label name that cannot be used, with a reason for the person who typed it."""


def clean_label_name(name: str) -> str:
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise LabelInvalid("A label needs a name.")
    if len(cleaned) > MAX_NAME:
        raise LabelInvalid(f"A label name has at most {MAX_NAME} characters.")
    return cleaned


def ensure_labels(workspace: Workspace | int, names: Iterable[str]) -> list[Label]:
    """The catalogue labels for `names` (any case), created when new; order kept, duplicates dropped."""
    workspace_id = workspace if isinstance(workspace, int) else workspace.id
    wanted = list({name.lower(): name for name in reversed([clean_label_name(n) for n in names])}.values())[::-1]
    found = {label.name.lower(): label for label in
             Label.objects.filter(workspace_id=workspace_id, name__in=wanted)}
    if len(found) < len(wanted):
        # Case-insensitive: "Urgent" finds "urgent" too.
        for label in Label.objects.filter(workspace_id=workspace_id):
            found.setdefault(label.name.lower(), label)
    labels = []
    for name in wanted:
        label = found.get(name.lower())
        if label is None:
            try:
                with transaction.atomic():
                    label = Label.objects.create(workspace_id=workspace_id, name=name)
            except IntegrityError:
                label = Label.objects.get(workspace_id=workspace_id, name__iexact=name)
            found[name.lower()] = label
        labels.append(label)
    return labels


@transaction.atomic
def create_label(workspace: Workspace, name: str, *, colour: str = "teal", actor: User | None) -> Label:
    name = clean_label_name(name)
    if Label.objects.filter(workspace=workspace, name__iexact=name).exists():
        raise LabelInvalid("A label with this name exists already.")
    return Label.objects.create(workspace=workspace, name=name,
                                colour=colour if colour in LABEL_COLOURS else "teal")


@transaction.atomic
def delete_label(workspace: Workspace, label: Label, *, actor: User | None) -> None:
    """Remove a label from the catalogue, every chat and every message (names in the JSON lists too)."""
    message_ids = list(MessageLabel.objects.filter(label=label).values_list("message_id", flat=True))
    for message in Message.objects.filter(id__in=message_ids, workspace=workspace).only("id", "labels"):
        message.labels = [n for n in message.labels if str(n).lower() != label.name.lower()]
        message.save(update_fields=["labels"])
    record_audit(workspace, "label_deleted", actor=actor, target=label.name)
    label.delete()


@transaction.atomic
def label_chat(chat: Chat, names: Iterable[str], *, actor: User | None) -> list[Label]:
    labels = ensure_labels(chat.workspace_id, names)
    for label in labels:
        ChatLabel.objects.get_or_create(chat=chat, label=label)
    announce(chat.workspace_id, "chat_updated", chat=chat.uuid, change="labels")
    return labels


@transaction.atomic
def unlabel_chat(chat: Chat, label: Label, *, actor: User | None) -> None:
    ChatLabel.objects.filter(chat=chat, label=label).delete()
    announce(chat.workspace_id, "chat_updated", chat=chat.uuid, change="labels")


@transaction.atomic
def label_message(message: Message, names: Iterable[str], *, actor: User | None = None) -> list[Label]:
    """Add labels to a message (journeys, the API, the inbox); names new to the workspace join its catalogue."""
    labels = ensure_labels(message.workspace_id, names)
    current = list(Message.objects.filter(id=message.id).values_list("labels", flat=True).first() or [])
    known = {str(n).lower() for n in current}
    merged = current + [label.name for label in labels if label.name.lower() not in known]
    if merged != current:
        Message.objects.filter(id=message.id).update(labels=merged)
    message.labels = merged
    for label in labels:
        MessageLabel.objects.get_or_create(message_id=message.id, label=label, defaults={"chat_id": message.chat_id})
    announce(message.workspace_id, "chat_updated", chat=_chat_uuid(message), change="labels")
    return labels


@transaction.atomic
def unlabel_message(message: Message, label: Label, *, actor: User | None) -> None:
    MessageLabel.objects.filter(message=message, label=label).delete()
    message.labels = [n for n in message.labels if str(n).lower() != label.name.lower()]
    Message.objects.filter(id=message.id).update(labels=message.labels)
    announce(message.workspace_id, "chat_updated", chat=_chat_uuid(message), change="labels")


def _chat_uuid(message: Message) -> str:
    chat = Chat.objects.filter(id=message.chat_id).values_list("uuid", flat=True).first()
    return str(chat)
