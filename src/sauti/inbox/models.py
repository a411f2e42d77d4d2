"""The inbox's own rows: the label catalogue and its use on chats and messages, internal notes with
their mentions, and collections saved from a search. Chats and messages themselves are messaging's."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from sauti.accounts.models import Workspace
from sauti.messaging.models import Chat, Message

LABEL_COLOURS = ("teal", "blue", "purple", "pink", "red", "orange", "yellow", "green", "grey")


class Label(models.Model):
    """A workspace's label: one name (any case), used on chats and on messages."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="labels")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=60)
    colour = models.CharField(max_length=12, default="teal")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), "workspace", name="label_unique_name")]

    def __str__(self) -> str:
        return self.name


class ChatLabel(models.Model):
    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="chat_labels")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="chat_labels")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chat", "label"], name="chatlabel_unique")]
        # Search `label:x` and contact_ids_labelled: the chats carrying a label.
        indexes = [models.Index(fields=["label", "chat"], name="chatlabel_by_label")]

    def __str__(self) -> str:
        return f"{self.label_id} on chat {self.chat_id}"


class MessageLabel(models.Model):
    """A label on one message. `Message.labels` keeps the names too (the API and journeys read it);
    this table is what searches and segments query (JSON containment is not portable)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="message_labels")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="message_labels")
    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "label"], name="messagelabel_unique")]
        # Search `label:x` and contact_ids_labelled: the chats whose messages carry a label.
        indexes = [models.Index(fields=["label", "chat"], name="messagelabel_by_label")]

    def __str__(self) -> str:
        return f"{self.label_id} on message {self.message_id}"


class Note(models.Model):
    """An internal note in a chat: the team sees it, the contact never does."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="notes")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The conversation view: a chat's notes in order, merged with its messages.
        indexes = [models.Index(fields=["chat", "created_at"], name="note_chat")]

    def __str__(self) -> str:
        return f"note in {self.chat_id}"


class Mention(models.Model):
    """A teammate named in a note (@name); unseen mentions are their notifications."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions")
    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["note", "user"], name="mention_unique")]
        # The Mentions collection and the sidebar badge: a person's unseen mentions.
        indexes = [models.Index(fields=["user", "chat"], condition=Q(seen_at__isnull=True), name="mention_unseen")]

    def __str__(self) -> str:
        return f"mention of {self.user_id} in note {self.note_id}"


class Collection(models.Model):
    """A search saved under a name: shared with the team, or one person's own."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="collections")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("search"), max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+", help_text="None: shared with the whole team")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def shared(self) -> bool:
        return self.owner_id is None
