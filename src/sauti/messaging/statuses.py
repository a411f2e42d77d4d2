"""Apply delivery statuses from the Cloud API to outbound messages.

Statuses only move forward (sent → delivered → read → played); a failure is kept unless the
message was already read. A status naming a message whose send was not yet recorded (the sender
crashed after Meta accepted it) is matched through biz_opaque_callback_data, which settles the
Outbox row too: this is what keeps a crash from sending twice.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable

from django.db import connection, transaction

from sauti.messaging import live
from sauti.messaging.channels.whatsapp.webhook import StatusUpdate
from sauti.messaging.models import Chat, Message, Outbox

RANK = {"queued": 0, "sending": 0, "sent": 1, "delivered": 2, "read": 3, "played": 4}


def apply_statuses(workspace_id: int, updates: Iterable[StatusUpdate]) -> int:
    """Apply a batch of status updates with a read or two and one bulk write; returns how many matched."""
    updates = list(updates)
    if not updates:
        return 0
    if not connection.in_atomic_block:
        with transaction.atomic():  # the rows stay locked until the write below is committed
            return apply_statuses(workspace_id, updates)
    # Matched by the uuid the sender put in biz_opaque_callback_data (Meta echoes it), else by
    # wamid. Two plain lookups on unique indexes: one OR'd query let PostgreSQL, with statistics
    # lagging behind a broadcast's new rows, read every message of the number instead.
    # Locked, in id order, for the rest of the transaction: the sender records sends on the same
    # rows (messages, then their Outbox rows, in the same order), so the two never wait on each
    # other in a circle, and a status read here cannot be overwritten by a stale one.
    outbound = Message.objects.order_by("id").select_for_update(no_key=True)
    uuids = {_uuid(u.callback_data) for u in updates} - {None}
    messages = [m for m in outbound.filter(uuid__in=uuids)
                if m.workspace_id == workspace_id and m.direction == Message.Direction.OUTBOUND] if uuids else []
    known = {m.uuid for m in messages}
    wamids = {u.id for u in updates if _uuid(u.callback_data) not in known}
    if wamids:
        messages += outbound.filter(provider_id__in=wamids, workspace_id=workspace_id,
                                    direction=Message.Direction.OUTBOUND).exclude(uuid__in=known)
    by_wamid = {m.provider_id: m for m in messages if m.provider_id}
    by_uuid = {m.uuid: m for m in messages}
    touched: dict[int, Message] = {}
    settle: set[int] = set()
    for update in sorted(updates, key=lambda u: (u.timestamp, RANK.get(u.status, 5))):
        message = by_wamid.get(update.id) or by_uuid.get(_uuid(update.callback_data))
        if message is None:
            continue
        if not message.provider_id:
            message.provider_id = update.id
            by_wamid[update.id] = message
        if message.status in (Message.Status.QUEUED, Message.Status.SENDING):
            settle.add(message.id)
        _apply(message, update)
        touched[message.id] = message
    if touched:
        _write(sorted(touched.values(), key=lambda m: m.id))
        _announce(workspace_id, {m.chat_id for m in touched.values()})
    if settle:
        Outbox.objects.filter(message_id__in=settle, state__in=[Outbox.State.QUEUED, Outbox.State.SENDING]).update(
            state=Outbox.State.SENT, claimed_until=None)
    return len(touched)


def _write(messages: list[Message]) -> None:
    """The changed messages in one UPDATE … FROM VALUES (their rows already locked). Django's
    bulk_update builds a CASE per row and field, which cost more CPU than the rest of a status
    batch at broadcast rates."""
    table = Message._meta.db_table
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    row = f"(%s, %s, %s{cast}, %s{cast}, %s{cast}, %s)"
    sql = (f"UPDATE {table} SET status = v.column2, statuses = v.column3, error = v.column4, "  # noqa: S608
           f"pricing = v.column5, provider_id = v.column6 FROM (VALUES {', '.join([row] * len(messages))}) AS v "
           f"WHERE {table}.id = v.column1")
    params: list[object] = []
    for m in messages:
        params += [m.id, m.status, json.dumps(m.statuses), None if m.error is None else json.dumps(m.error),
                   None if m.pricing is None else json.dumps(m.pricing), m.provider_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _announce(workspace_id: int, chat_ids: set[int]) -> None:
    """Open inboxes redraw the ticks: one event per chat, one query per batch (only when live)."""
    if not live.enabled():
        return
    for chat_uuid in Chat.objects.filter(id__in=chat_ids).values_list("uuid", flat=True):
        live.on_commit_publish(workspace_id, "message_status", chat=str(chat_uuid))


def _apply(message: Message, update: StatusUpdate) -> None:
    entry = {"status": update.status, "timestamp": update.timestamp.isoformat()}
    if update.errors:
        entry["errors"] = update.errors
    if entry not in message.statuses:
        message.statuses = [*message.statuses, entry]
    if update.pricing:
        message.pricing = update.pricing
    if update.status == "failed":
        if RANK.get(message.status, 0) < RANK["read"]:
            message.status = Message.Status.FAILED
            message.error = update.errors[0] if update.errors else {"title": "failed"}
        return
    if message.status == Message.Status.FAILED:
        return
    if RANK.get(update.status, -1) > RANK.get(message.status, 0):
        message.status = update.status


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None
