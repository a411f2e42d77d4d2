"""The worker side: process stored webhook events, then handle each contact's messages in order.

process_webhook_event turns one raw event into stored messages and applied statuses (idempotent:
message ids are unique, statuses only move forward). handle_contact takes the contact's lease so
that only one worker at a time handles that person, and routes their messages in arrival order.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sauti.accounts.models import Workspace
from sauti.contacts.models import Contact
from sauti.messaging.channels.whatsapp import webhook
from sauti.messaging.inbound import handle_inbound, store_inbound
from sauti.messaging.models import Message, WebhookEvent
from sauti.messaging.statuses import apply_statuses

logger = logging.getLogger(__name__)
MAX_EVENT_ATTEMPTS = 5
HANDLE_BATCH = 100


def process_webhook_event(event_id: int) -> list[int]:
    """Store what one webhook event carries; returns the ids of contacts with new messages.

    A duplicate delivery processed at the same moment by another worker meets a unique constraint;
    one retry then finds the message stored and moves on.
    """
    try:
        return _process_webhook_event(event_id)
    except IntegrityError:
        return _process_webhook_event(event_id)


def _process_webhook_event(event_id: int) -> list[int]:
    event = WebhookEvent.objects.select_related("workspace").filter(id=event_id).first()
    if event is None or event.processed_at is not None:
        return []
    try:
        items = webhook.parse(json.loads(event.body))
    except (ValueError, webhook.MalformedWebhook) as exc:
        WebhookEvent.objects.filter(id=event.id).update(processed_at=timezone.now(), error=f"unreadable: {exc}")
        return []
    workspaces = _workspaces_for(event.workspace, items)
    contact_ids: list[int] = []
    statuses: dict[int, list[webhook.StatusUpdate]] = {}
    with transaction.atomic():
        for item in items:
            workspace = workspaces.get(getattr(item, "phone_number_id", "") or "", event.workspace)
            if isinstance(item, webhook.InboundMessage):
                message = store_inbound(workspace, item, event)
                if message is not None and message.contact_id not in contact_ids:
                    contact_ids.append(message.contact_id)
            elif isinstance(item, webhook.StatusUpdate):
                statuses.setdefault(workspace.id, []).append(item)
            elif isinstance(item, webhook.TemplateStatusUpdate):
                _template_status(workspace, item)
            else:
                logger.info("webhook %s: %s update for workspace %s kept in the raw event",
                            event.id, item.field, workspace.id)
        for workspace_id, updates in statuses.items():
            apply_statuses(workspace_id, updates)
        WebhookEvent.objects.filter(id=event.id).update(processed_at=timezone.now(), error="")
    return contact_ids


def record_event_failure(event_id: int, exc: BaseException) -> None:
    """Keep a failing event visible; after MAX_EVENT_ATTEMPTS it is marked processed with its error."""
    event = WebhookEvent.objects.filter(id=event_id).first()
    if event is None:
        return
    event.attempts += 1
    event.error = f"{type(exc).__name__}: {exc}"[:2000]
    if event.attempts >= MAX_EVENT_ATTEMPTS:
        event.processed_at = timezone.now()
    event.save(update_fields=["attempts", "error", "processed_at"])


def _workspaces_for(default: Workspace, items: list[webhook.Item]) -> dict[str, Workspace]:
    """A body may name several numbers of one business account; each goes to its own workspace."""
    phone_ids = {getattr(i, "phone_number_id", "") for i in items} - {"", default.phone_number_id}
    found = {w.phone_number_id: w for w in Workspace.objects.filter(phone_number_id__in=phone_ids)}
    return {default.phone_number_id or "": default, **{k: v for k, v in found.items() if k}}


def _template_status(workspace: Workspace, item: webhook.TemplateStatusUpdate) -> None:
    from sauti.messaging import template_hooks

    template_hooks.template_status_changed(workspace, item)


# -- per-contact handling ------------------------------------------------------------------------

def acquire_contact(contact_id: int, now: dt.datetime) -> str | None:
    """Take the contact's lease (a row update, so it works on SQLite and PostgreSQL alike)."""
    token = secrets.token_hex(8)
    until = now + dt.timedelta(seconds=settings.SAUTI_CONTACT_LEASE_SECONDS)
    taken = Contact.objects.filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now), id=contact_id).update(
        lock_token=token, locked_until=until)
    return token if taken else None


def release_contact(contact_id: int, token: str) -> None:
    Contact.objects.filter(id=contact_id, lock_token=token).update(locked_until=None, lock_token="")


def renew_contact(contact_id: int, token: str, now: dt.datetime) -> bool:
    until = now + dt.timedelta(seconds=settings.SAUTI_CONTACT_LEASE_SECONDS)
    return bool(Contact.objects.filter(id=contact_id, lock_token=token).update(locked_until=until))


def pending_inbound(contact_id: int) -> list[Message]:
    return list(
        Message.objects.filter(contact_id=contact_id, direction=Message.Direction.INBOUND, handled_at__isnull=True)
        .select_related("chat", "contact", "workspace").order_by("id")[:HANDLE_BATCH]
    )


def handle_contact(contact_id: int) -> int:
    """Handle the contact's waiting inbound messages in arrival order; returns how many.

    If another worker holds the lease, return at once: the holder looks for new messages again
    before it lets go, so nothing waits for long.
    """
    handled = 0
    while True:
        token = acquire_contact(contact_id, timezone.now())
        if token is None:
            return handled
        try:
            while True:
                batch = pending_inbound(contact_id)
                if not batch:
                    break
                for message in batch:
                    now = timezone.now()
                    with transaction.atomic():
                        if not renew_contact(contact_id, token, now):
                            logger.warning("lost the lease on contact %s; another worker goes on", contact_id)
                            return handled
                        handle_inbound(message, now)
                        Message.objects.filter(id=message.id).update(handled_at=now)
                    handled += 1
        finally:
            release_contact(contact_id, token)
        # A message stored after our last look but before the release found the lease taken.
        if not Message.objects.filter(contact_id=contact_id, direction=Message.Direction.INBOUND,
                                      handled_at__isnull=True).exists():
            return handled
