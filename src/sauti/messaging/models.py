"""Raw webhook events, chats, messages (both directions) and the outbox."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sauti.accounts.models import Workspace
from sauti.contacts.models import Contact


class WebhookEvent(models.Model):
    """One POST from the Cloud API, stored as received before anything else happens."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="webhook_events")
    body = models.TextField()
    # Who wrote the messages inside (" wa_id wa_id "), read at ingest: a person's later message is
    # not handled while an earlier event naming them still waits to be processed.
    senders = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # After a failed attempt, not before this moment (backoff); NULL: as soon as a worker is free.
    retry_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [
            # Workers' claim query (pipeline.claim_events): unprocessed events, oldest first.
            models.Index(fields=["id"], condition=Q(processed_at__isnull=True), name="webhookevent_unprocessed"),
        ]

    def __str__(self) -> str:
        return f"webhook event {self.id}"


class Chat(models.Model):
    """One contact's thread with the workspace's number."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="chats")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="chat")
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    state_reason = models.CharField(max_length=200, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="assigned_chats")
    unread_count = models.PositiveIntegerField(default=0)
    # A journey asked for a person (route to operator): automation stays quiet until someone
    # picks the chat up and hands it back.
    needs_human = models.BooleanField(default=False)
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    window_expires_at = models.DateTimeField(null=True, blank=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The inbox: when the current assignee took the chat, and when (and by whom) it was closed.
    assigned_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")

    class Meta:
        indexes = [
            # The inbox chat list: a workspace's chats by state, newest activity first (All open,
            # Closed, search results; auto-close reads the oldest end of it).
            models.Index(fields=["workspace", "state", "-last_message_at"], name="chat_list"),
            # Assigned to me / teammates' chats, and routing's count of each operator's open chats.
            models.Index(fields=["assigned_to", "state", "-last_message_at"], name="chat_assignee"),
            # Unassigned and With bot: open chats nobody holds, waiting for a person or not.
            models.Index(fields=["workspace", "needs_human", "-last_message_at"],
                         condition=Q(state="open", assigned_to__isnull=True), name="chat_unassigned"),
        ]

    def __str__(self) -> str:
        return f"chat with {self.contact}"


class Message(models.Model):
    """A message in WhatsApp's own JSON shape (`payload`), inbound or outbound."""

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("Inbound")
        OUTBOUND = "outbound", _("Outbound")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        READ = "read", _("Read")
        PLAYED = "played", _("Played")
        FAILED = "failed", _("Failed")

    class AuthorType(models.TextChoices):
        CONTACT = "CONTACT", _("Contact")
        SYSTEM = "SYSTEM", _("System")
        OPERATOR = "OPERATOR", _("Operator")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="messages")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="messages")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    type = models.CharField(max_length=32)
    payload = models.JSONField(default=dict)
    text = models.TextField(blank=True, help_text="searchable text: body, caption, reply title")
    # NULL until the provider names it; unique among the known ones.
    provider_id = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    status = models.CharField(max_length=12, choices=Status.choices)
    statuses = models.JSONField(default=list, blank=True, help_text="status history from the provider")
    error = models.JSONField(null=True, blank=True)
    pricing = models.JSONField(null=True, blank=True)
    labels = models.JSONField(default=list, blank=True)
    author_type = models.CharField(max_length=12, choices=AuthorType.choices, default=AuthorType.SYSTEM)
    author_id = models.CharField(max_length=64, blank=True)
    author_name = models.CharField(max_length=200, blank=True)
    in_reply_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="replies")
    sent_at = models.DateTimeField(help_text="the provider's timestamp for inbound, creation for outbound")
    created_at = models.DateTimeField(auto_now_add=True)
    # Inbound only: set once the contact's handler has routed it (journey, inbox).
    handled_at = models.DateTimeField(null=True, blank=True)
    # Inbound only: a person dealt with it ("mark as done"), by hand or by replying after it.
    done_at = models.DateTimeField(null=True, blank=True)
    webhook_event = models.ForeignKey(WebhookEvent, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        constraints = [
            # Duplicate webhook deliveries of one message id are stored once.
            models.UniqueConstraint(fields=["workspace", "direction", "provider_id"],
                                    condition=Q(provider_id__isnull=False),
                                    name="message_unique_provider_id"),
        ]
        indexes = [
            # Conversation view and history API: a chat's messages newest first.
            models.Index(fields=["chat", "-id"], name="message_chat_recent"),
            # handle_contact: a contact's inbound messages still waiting for their handler.
            models.Index(fields=["contact", "id"], condition=Q(handled_at__isnull=True, direction="inbound"),
                         name="message_unhandled"),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.type} {self.provider_id or self.uuid}"


class Outbox(models.Model):
    """An outbound message waiting to go out, and what happened when it was tried."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    REPLY = 0  # people waiting for an answer go first
    BULK = 10  # reminders and broadcasts

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="outbox")
    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="outbox")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="outbox")
    priority = models.SmallIntegerField(default=REPLY)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # The sender's claim query: a number's queued rows by priority then age, read in index
            # order so a round stops after its batch, even with 100,000 queued for a broadcast.
            models.Index(fields=["workspace", "priority", "id"], condition=Q(state="queued"),
                         name="outbox_number_queued"),
            # One in flight per contact, and order per contact.
            models.Index(fields=["contact", "id"], condition=Q(state__in=["queued", "sending"]),
                         name="outbox_contact_pending"),
        ]

    def __str__(self) -> str:
        return f"outbox {self.id} ({self.state})"
