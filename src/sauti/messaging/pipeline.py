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
from sauti.integrations.hooks import after_webhook_event
from sauti.messaging.channels.whatsapp import webhook
from sauti.messaging.inbound import handle_inbound, store_inbound
from sauti.messaging.models import Message, WebhookEvent
from sauti.messaging.statuses import apply_statuses

logger = logging.getLogger(__name__)
MAX_EVENT_ATTEMPTS = 5
HANDLE_BATCH = 100


def process_webhook_event(event_id: int) -> list[int]:
    """Store and handle what one webhook event carries; returns the ids of contacts whose
    messages wait for another worker's lease (the caller enqueues handle_contact for them).

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
        if contact_ids or statuses:
            after_webhook_event(event.id, {w.id for w in workspaces.values()})
        # Handle the people right away, in the same transaction: one commit per webhook. Someone
        # whose lease another worker holds across transactions gets a task that waits its turn.
        waiting = [cid for cid in contact_ids if handle_contact(cid) is None]
        WebhookEvent.objects.filter(id=event.id).update(processed_at=timezone.now(), error="")
    return waiting


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

def _handle_later(contact_id: int) -> None:
    """A backstop in case the earlier event's worker finished its look before we committed."""
    from sauti.messaging.tasks import handle_contact as task

    transaction.on_commit(lambda: task.using(run_after=timezone.now() + dt.timedelta(seconds=1)).enqueue(contact_id))


def acquire_contact(contact_id: int, now: dt.datetime) -> str | None:
    """Take the contact's lease (a row update, so it works on SQLite and PostgreSQL alike)."""
    token = secrets.token_hex(8)
    until = now + dt.timedelta(seconds=settings.SAUTI_CONTACT_LEASE_SECONDS)
    taken = Contact.objects.filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now), id=contact_id).update(
        lock_token=token, locked_until=until)
    return token if taken else None


def release_contact(contact_id: int, token: str) -> None:
    Contact.objects.filter(id=contact_id, lock_token=token).update(locked_until=None, lock_token="")


def pending_inbound(contact_id: int) -> list[Message]:
    """The contact's unhandled messages in arrival order: by webhook event, then within it."""
    return list(
        Message.objects.filter(contact_id=contact_id, direction=Message.Direction.INBOUND, handled_at__isnull=True)
        .select_related("chat", "contact__workspace").order_by("webhook_event_id", "id")[:HANDLE_BATCH]
    )


def earlier_event_waiting(contact: Contact, before_event_id: int | None) -> bool:
    """Does an older, unprocessed webhook event carry a message from this person?

    Workers process events side by side; without this check a person's second message could be
    handled before their first when both arrive within milliseconds.
    """
    if before_event_id is None:
        return False
    names = [n for n in (contact.wa_id, contact.user_id) if n]
    query = WebhookEvent.objects.filter(workspace_id=contact.workspace_id, processed_at__isnull=True,
                                        id__lt=before_event_id)
    return any(query.filter(senders__contains=f" {name} ").exists() for name in names)


def handle_contact(contact_id: int) -> int | None:
    """Handle the contact's waiting inbound messages in arrival order; returns how many, or None
    when another worker holds the contact's lease.

    One transaction takes the lease, handles the batch and gives the lease back, so a message
    costs one commit. Each message is handled in a savepoint: one that fails is marked handled
    with its error (kept visible, never retried forever) and the others go on.
    """
    handled = 0
    while True:
        with transaction.atomic():
            now = timezone.now()
            token = acquire_contact(contact_id, now)
            if token is None:
                return handled or None
            done: list[int] = []
            pending = pending_inbound(contact_id)
            if pending and earlier_event_waiting(pending[0].contact, pending[0].webhook_event_id):
                # That event's worker handles this person after storing the earlier message.
                release_contact(contact_id, token)
                _handle_later(contact_id)
                return handled or None
            for message in pending:
                try:
                    with transaction.atomic():
                        handle_inbound(message, now)
                except Exception as exc:
                    logger.exception("handling inbound message %s failed", message.id)
                    Message.objects.filter(id=message.id).update(
                        error={"title": "handling failed", "details": f"{type(exc).__name__}: {exc}"[:1000]})
                done.append(message.id)
            Message.objects.filter(id__in=done).update(handled_at=now)
            release_contact(contact_id, token)
        handled += len(done)
        # Messages stored while we worked (by a worker that found the lease taken) are ours too.
        if len(done) < HANDLE_BATCH and not Message.objects.filter(
                contact_id=contact_id, direction=Message.Direction.INBOUND, handled_at__isnull=True).exists():
            return handled
