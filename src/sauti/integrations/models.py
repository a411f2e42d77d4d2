"""Outbound webhooks and their deliveries, conversation claims, and context integrations."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sauti.accounts.models import Workspace
from sauti.accounts.secrets import EncryptedTextField

WHATSAPP, TURN, JOURNEY_OUTBOUND = "whatsapp", "turn", "journey_outbound"
SUBSCRIPTIONS = {
    WHATSAPP: _("Messages people send, and delivery and read statuses"),
    TURN: _("Messages sent through the API and by operators, once WhatsApp accepted them"),
    JOURNEY_OUTBOUND: _("Messages journeys send, once WhatsApp accepted them"),
}


class Webhook(models.Model):
    """An endpoint of the organisation's that hears about a workspace's messages, signed with its secret."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="webhooks")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    url = models.URLField(_("URL"), max_length=500)
    secret = EncryptedTextField()
    subscriptions = models.JSONField(default=list)
    enabled = models.BooleanField(default=True)
    # Why it stopped when Sauti stopped it (repeated failures); empty when a person did.
    disabled_reason = models.TextField(blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The delivery lease: one worker at a time per endpoint keeps deliveries in order.
    lock_token = models.CharField(max_length=32, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.url


class Delivery(models.Model):
    """One signed POST to a webhook, kept with what happened, in the order it must arrive."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="webhook_deliveries")
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.CharField(max_length=32)
    event = models.CharField(max_length=32, help_text="message, status, outbound")
    body = models.TextField(help_text="the exact bytes signed and sent")
    headers = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The delivery worker: an endpoint's oldest pending delivery comes next.
            models.Index(fields=["webhook", "id"], condition=Q(state="pending"), name="delivery_pending"),
            # The delivery log page: an endpoint's newest deliveries first.
            models.Index(fields=["webhook", "-id"], name="delivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription} {self.event} → {self.webhook_id} ({self.state})"


class ApiBody(models.Model):
    """The body a message was posted with to /v1/messages, kept for the `turn` subscription, which
    repeats it once WhatsApp accepted the message. Only kept while a `turn` webhook exists."""

    message = models.OneToOneField("messaging.Message", on_delete=models.CASCADE, related_name="+")
    body = models.JSONField()

    def __str__(self) -> str:
        return f"api body of message {self.message_id}"


class Claim(models.Model):
    """An outside service holds this chat: Sauti's journeys stay quiet until it releases or expires."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="claims")
    chat = models.OneToOneField("messaging.Chat", on_delete=models.CASCADE, related_name="+")
    claim = models.CharField(max_length=200)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"claim on chat {self.chat_id} until {self.expires_at}"


class Integration(models.Model):
    """A Turn-style context integration: shows context, suggests replies and offers actions in the inbox."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="integrations")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = EncryptedTextField()
    enabled = models.BooleanField(default=True)
    # What the handshake answered: version and capabilities (actions, suggested_responses, context_objects).
    version = models.CharField(max_length=32, blank=True)
    capabilities = models.JSONField(default=dict, blank=True)
    handshake_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class ContextSnapshot(models.Model):
    """An integration's last answer for a chat (context objects, suggested replies, actions), as of
    the chat's latest message; fetched again when a newer message arrives."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="snapshots")
    chat = models.ForeignKey("messaging.Chat", on_delete=models.CASCADE, related_name="+")
    as_of_message_id = models.BigIntegerField(null=True)
    data = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    fetched_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["integration", "chat"], name="contextsnapshot_unique")]

    def __str__(self) -> str:
        return f"context of {self.integration_id} for chat {self.chat_id}"
