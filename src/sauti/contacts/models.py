"""People who write to a workspace: identity (wa_id or business-scoped user id) and profile."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from sauti.accounts.models import Workspace


class Contact(models.Model):
    """One person of one workspace.

    WhatsApp identifies people by wa_id (their phone number) or, for users who hide their number,
    only by a business-scoped user id (BSUID); either is enough to be a contact. The lease
    columns hold the per-contact lock that keeps one worker at a time on a contact's events.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="contacts")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # NULL, not "", for "unknown": the unique constraints below apply only to known ids.
    wa_id = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001
    user_id = models.CharField(max_length=128, null=True, blank=True, help_text="business-scoped user id")  # noqa: DJ001
    name = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=200, blank=True)
    whatsapp_profile_name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=16, blank=True)
    opted_in = models.BooleanField(default=False)
    opted_in_at = models.DateTimeField(null=True, blank=True)
    fields = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    first_message_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    # The contact lock (see sauti.messaging.pipeline.handle_contact).
    lock_token = models.CharField(max_length=32, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "wa_id"], condition=Q(wa_id__isnull=False),
                                    name="contact_unique_wa_id"),
            models.UniqueConstraint(fields=["workspace", "user_id"], condition=Q(user_id__isnull=False),
                                    name="contact_unique_user_id"),
        ]

    def __str__(self) -> str:
        return self.name or self.whatsapp_profile_name or self.address

    @property
    def address(self) -> str:
        """What the Cloud API's `to` takes for this person."""
        return self.wa_id or self.user_id or ""
