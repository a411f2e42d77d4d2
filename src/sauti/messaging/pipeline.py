"""The worker side: claim stored webhook events in batches, store what they carry, then handle each
contact's messages in order.

Two steps. First a worker claims the oldest unprocessed events (PostgreSQL: skipping rows another
worker holds), stores their messages with a handful of bulk statements, applies their statuses
and marks them processed, all in one short transaction. Then it handles each person with new
messages in a transaction of their own, holding their contact row: no two workers ever handle one
person at once, a person's messages go in arrival order, and the locks of a batch are never held
while a journey runs. A person whose earlier message sits in an event another worker has not
stored yet is left to that worker, which handles everything the person has waiting.

If a worker dies between the two steps, the sweeper finds the stored, unhandled messages.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from sauti.accounts.models import Workspace
from sauti.contacts.models import Contact
from sauti.messaging.channels.whatsapp import webhook
from sauti.messaging.inbound import handle_inbound, store_inbound_batch
from sauti.messaging.models import Message, WebhookEvent
from sauti.messaging.statuses import apply_statuses

logger = logging.getLogger(__name__)
MAX_EVENT_ATTEMPTS = 5
HANDLE_BATCH = 100
EVENT_BATCH = 50
# Template quality, category and content changes arrive as their own webhook fields.
TEMPLATE_UPDATE_FIELDS = frozenset({"message_template_quality_update", "template_category_update",
                                    "message_template_components_update"})


def process_pending_events(limit: int = EVENT_BATCH) -> int:
    """Claim up to `limit` of the oldest unprocessed events, store them, then handle the people
    they name; returns how many events were claimed (0: nothing is waiting)."""
    now = timezone.now()
    # A plain read first: an idle worker looks often, and on SQLite every write transaction takes
    # the one write lock that the web server needs to store the next webhook.
    if not _due(now).exists():
        return 0
    with transaction.atomic():
        events = claim_events(limit, now)
        if not events:
            return 0
        ready, behind = store_events(events)
    handle_contacts(ready)
    for contact_id, earlier in behind.items():
        # Another worker is storing this person's earlier message right now: once it has, both
        # are waiting, and whichever of us holds the person first handles them in order.
        if _wait_until_processed(earlier):
            handle_contacts([contact_id])
    return len(events)


def _wait_until_processed(event_ids: list[int]) -> bool:
    """Wait for the workers holding these events to finish storing them; True if all are processed."""
    with transaction.atomic():
        query = WebhookEvent.objects.filter(id__in=event_ids)
        if connection.vendor == "postgresql":
            query = query.select_for_update(no_key=True)
        return all(processed is not None for processed in query.values_list("processed_at", flat=True))


def _due(now: dt.datetime) -> QuerySet[WebhookEvent]:
    return WebhookEvent.objects.filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now), processed_at__isnull=True)


def claim_events(limit: int, now: dt.datetime) -> list[WebhookEvent]:
    """The oldest events due for processing, locked for this transaction (another worker skips them)."""
    query = _due(now).select_related("workspace").order_by("id")
    if connection.vendor == "postgresql":
        query = query.select_for_update(skip_locked=True, of=("self",))
    return list(query[:limit])


def process_webhook_event(event_id: int) -> None:
    """Process one event now, whoever else may be working (tests, and tools replaying an event)."""
    with transaction.atomic():
        query = WebhookEvent.objects.select_related("workspace").filter(id=event_id, processed_at__isnull=True)
        if connection.vendor == "postgresql":
            query = query.select_for_update(of=("self",))
        event = query.first()
        ready, _ = store_events([event]) if event is not None else ([], {})
    handle_contacts(ready)


def store_events(events: list[WebhookEvent]) -> tuple[list[int], dict[int, list[int]]]:
    """Store what a batch of claimed events carries and mark them processed.

    Returns the ids of the contacts to handle next, and of those whose earlier messages are still
    being stored by other workers (contact id → those events). People behind an event that failed
    are neither: they are handled once that event is stored.

    If storing the batch at once fails, each event is stored on its own, so one bad event never
    holds the others back; it keeps its error and is tried again later.
    """
    now = timezone.now()
    parsed: list[tuple[WebhookEvent, list[webhook.Item]]] = []
    unreadable: dict[int, str] = {}
    for event in events:
        try:
            parsed.append((event, webhook.parse(json.loads(event.body))))
        except (ValueError, webhook.MalformedWebhook) as exc:
            unreadable[event.id] = f"unreadable: {exc}"
    failed: dict[int, BaseException] = {}
    try:
        with transaction.atomic():
            stored = _store(parsed)
    except Exception:
        logger.warning("storing a batch of %s events failed; storing them one by one", len(parsed), exc_info=True)
        stored = []
        for event, items in parsed:
            try:
                with transaction.atomic():
                    stored += _store([(event, items)])
            except Exception as exc:
                logger.exception("webhook event %s could not be processed", event.id)
                failed[event.id] = exc
    done = [e.id for e in events if e.id not in failed and e.id not in unreadable]
    if done:
        WebhookEvent.objects.filter(id__in=done).update(processed_at=now, error="")
    for event_id, error in unreadable.items():
        WebhookEvent.objects.filter(id=event_id).update(processed_at=now, error=error)
    for event in events:
        if event.id in failed:
            _record_failure(event, failed[event.id], now)
    contacts = list({m.contact_id: m.contact for m in stored}.values())
    behind = _behind_earlier_events(contacts, [e for e in events if e.id not in failed],
                                    [e for e in events if e.id in failed])
    ready = [c.id for c in contacts if c.id not in behind]
    return ready, {cid: ids for cid, ids in behind.items() if ids}


def _store(parsed: list[tuple[WebhookEvent, list[webhook.Item]]]) -> list[Message]:
    """Store the batch's messages (per workspace, in bulk) and apply its statuses."""
    inbound: dict[int, list[tuple[webhook.InboundMessage, WebhookEvent]]] = {}
    workspaces: dict[int, Workspace] = {}
    statuses: dict[int, list[webhook.StatusUpdate]] = {}
    for event, items in parsed:
        by_phone = _workspaces_for(event.workspace, items)
        for item in items:
            workspace = by_phone.get(getattr(item, "phone_number_id", "") or "", event.workspace)
            workspaces[workspace.id] = workspace
            if isinstance(item, webhook.InboundMessage):
                inbound.setdefault(workspace.id, []).append((item, event))
            elif isinstance(item, webhook.StatusUpdate):
                statuses.setdefault(workspace.id, []).append(item)
            elif isinstance(item, webhook.TemplateStatusUpdate):
                _template_status(workspace, item)
            elif item.field in TEMPLATE_UPDATE_FIELDS:
                _template_update(workspace, item)
            else:
                logger.info("webhook %s: %s update for workspace %s kept in the raw event",
                            event.id, item.field, workspace.id)
    stored: list[Message] = []
    for workspace_id, entries in inbound.items():
        stored += store_inbound_batch(workspaces[workspace_id], entries)
    for workspace_id, updates in statuses.items():
        apply_statuses(workspace_id, updates)
    return stored


def _behind_earlier_events(contacts: list[Contact], ours: list[WebhookEvent],
                           failed: list[WebhookEvent]) -> dict[int, list[int]]:
    """Contacts of this batch named by an older event that is not processed yet, with the ids of
    those events: ones other workers hold (or will try again), and ones of ours that just failed
    (an empty list: nothing to wait for)."""
    if not contacts:
        return {}
    names = {c.id: {n for n in (c.wa_id, c.user_id) if n} for c in contacts}
    newest = max(e.id for e in ours) if ours else 0
    others = list(WebhookEvent.objects.filter(processed_at__isnull=True, id__lt=newest)
                  .exclude(id__in=[e.id for e in ours]).values_list("id", "workspace_id", "senders")) if newest else []
    if not others and not failed:
        return {}
    behind: dict[int, list[int]] = {}
    for contact in contacts:
        def named(workspace_id: int, senders: str, contact: Contact = contact) -> bool:
            return workspace_id == contact.workspace_id and any(f" {n} " in senders for n in names[contact.id])

        if any(named(e.workspace_id, e.senders) for e in failed):
            behind[contact.id] = []
            continue
        earlier = [event_id for event_id, workspace_id, senders in others if named(workspace_id, senders)]
        if earlier:
            behind[contact.id] = earlier
    return behind


def handle_contacts(contact_ids: list[int]) -> None:
    """Handle each contact's waiting messages, one person per transaction.

    SQLite has one write lock for the whole database and hands it out unfairly: a run of short
    transactions can keep the web server from storing a webhook for seconds. There the batch's
    people share one transaction (a savepoint each), which is what SQLite would serialise anyway.
    """
    if not contact_ids:
        return
    if connection.vendor == "sqlite" and len(contact_ids) > 1:
        with transaction.atomic():
            _handle_each(contact_ids)
    else:
        _handle_each(contact_ids)


def _handle_each(contact_ids: list[int]) -> None:
    for contact_id in contact_ids:
        try:
            handle_held_contact(contact_id)
        except Exception:
            # Their messages stay unhandled; the sweeper offers them again.
            logger.exception("handling the messages of contact %s failed", contact_id)


def handle_held_contact(contact_id: int) -> int:
    """Hold the contact's row, handle their waiting messages in order, mark them handled.

    A contact whose lease another part of Sauti holds across transactions (a time trigger) is
    left alone: the holder hands over when it lets go (release_contact).
    """
    with transaction.atomic():
        now = timezone.now()
        query = Contact.objects.select_related("chat", "workspace").filter(id=contact_id)
        if connection.vendor == "postgresql":
            query = query.select_for_update(of=("self",), no_key=True)
        contact = query.first()
        if contact is None or (contact.locked_until and contact.locked_until > now):
            return 0
        pending = list(Message.objects.filter(contact_id=contact_id, direction=Message.Direction.INBOUND,
                                              handled_at__isnull=True)
                       .order_by("webhook_event_id", "id")[:HANDLE_BATCH])
        for message in pending:
            message.contact, message.chat = contact, contact.chat
        done = _handle_messages(pending, now)
        if done:
            Message.objects.filter(id__in=done).update(handled_at=now)
    if len(done) == HANDLE_BATCH:
        return len(done) + handle_held_contact(contact_id)
    return len(done)


def _handle_messages(messages: Iterable[Message], now: dt.datetime) -> list[int]:
    """Route one person's messages in order, each in a savepoint: one that fails keeps its error."""
    done = []
    for message in messages:
        try:
            with transaction.atomic():
                handle_inbound(message, now)
        except Exception as exc:
            logger.exception("handling inbound message %s failed", message.id)
            Message.objects.filter(id=message.id).update(
                error={"title": "handling failed", "details": f"{type(exc).__name__}: {exc}"[:1000]})
        done.append(message.id)
    return done


def _record_failure(event: WebhookEvent, exc: BaseException, now: dt.datetime) -> None:
    """Keep a failing event visible and try it again later; after MAX_EVENT_ATTEMPTS it is set aside."""
    attempts = event.attempts + 1
    WebhookEvent.objects.filter(id=event.id).update(
        attempts=attempts, error=f"{type(exc).__name__}: {exc}"[:2000],
        retry_at=now + dt.timedelta(seconds=min(300, 2 ** attempts)),
        processed_at=now if attempts >= MAX_EVENT_ATTEMPTS else None)


def _workspaces_for(default: Workspace, items: list[webhook.Item]) -> dict[str, Workspace]:
    """A body may name several numbers of one business account; each goes to its own workspace."""
    phone_ids = {getattr(i, "phone_number_id", "") for i in items} - {"", default.phone_number_id}
    found = {w.phone_number_id: w for w in Workspace.objects.filter(phone_number_id__in=phone_ids)}
    return {default.phone_number_id or "": default, **{k: v for k, v in found.items() if k}}


def _template_status(workspace: Workspace, item: webhook.TemplateStatusUpdate) -> None:
    from sauti.messaging import template_hooks

    template_hooks.template_status_changed(workspace, item)


def _template_update(workspace: Workspace, item: webhook.OtherUpdate) -> None:
    from sauti.messaging import template_hooks

    template_hooks.template_updated(workspace, item.field, item.value)


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


def release_contact(contact_id: int, token: str, *, hand_over: bool = True) -> None:
    """Give the lease back; messages that arrived meanwhile (workers left them to the holder) are
    handled next, by a task."""
    Contact.objects.filter(id=contact_id, lock_token=token).update(locked_until=None, lock_token="")
    if hand_over and Message.objects.filter(contact_id=contact_id, direction=Message.Direction.INBOUND,
                              handled_at__isnull=True).exists():
        from sauti.messaging.tasks import handle_contact as task

        transaction.on_commit(lambda: task.enqueue(contact_id))


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
            pending = pending_inbound(contact_id)
            if pending and earlier_event_waiting(pending[0].contact, pending[0].webhook_event_id):
                # That event's worker handles this person after storing the earlier message.
                release_contact(contact_id, token, hand_over=False)
                _handle_later(contact_id)
                return handled or None
            done = _handle_messages(pending, now)
            Message.objects.filter(id__in=done).update(handled_at=now)
            release_contact(contact_id, token)
        handled += len(done)
        # Messages stored while we worked (by a worker that found the lease taken) are ours too.
        if len(done) < HANDLE_BATCH and not Message.objects.filter(
                contact_id=contact_id, direction=Message.Direction.INBOUND, handled_at__isnull=True).exists():
            return handled
