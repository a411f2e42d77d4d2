"""The messaging side of deleting a person: what their chat, messages and outbox (which go with the
contact row) leave behind, namely the raw webhook events that carried only their messages."""

from __future__ import annotations

from sauti.contacts.models import Contact
from sauti.messaging.models import WebhookEvent


def forget_contact(contact: Contact) -> int:
    """Delete the processed raw webhook events whose only sender is `contact`; returns how many.

    Events that also carry other people's messages stay (they are theirs too); events still
    waiting to be processed stay, so the pipeline never loses work.
    """
    if not contact.wa_id:
        return 0
    return WebhookEvent.objects.filter(workspace_id=contact.workspace_id, senders=f" {contact.wa_id} ",
                                       processed_at__isnull=False).delete()[0]
