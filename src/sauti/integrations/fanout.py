"""Turn stored messages and statuses into deliveries for each subscribed webhook, in order.

Run by tasks (never in the pipeline): one for each processed Cloud API event, one for each batch
of messages the sender got accepted. Deliveries are written in the order things happened, and
the delivery worker sends each endpoint's deliveries in that order.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from sauti.accounts.models import Workspace
from sauti.integrations.claims import claim_for
from sauti.integrations.interest import CONTEXT, interests
from sauti.integrations.models import JOURNEY_OUTBOUND, TURN, WHATSAPP, ApiBody, Delivery, Webhook
from sauti.integrations.turn_bodies import inbound_body, journey_body, sent_body, status_body
from sauti.messaging.channels.whatsapp import webhook as cloud
from sauti.messaging.models import Message, WebhookEvent

Item = tuple[str, str, dict[str, Any], dict[str, str]]  # subscription, event, body, headers


def encode(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def fan_out_event(event_id: int) -> tuple[list[int], list[int]]:
    """Deliveries for a processed Cloud API event; returns (webhook ids to deliver, chat ids whose
    context integrations should look again)."""
    event = WebhookEvent.objects.filter(id=event_id).only("id", "workspace_id", "body").first()
    if event is None:
        return [], []
    try:
        parsed = cloud.parse(json.loads(event.body))
    except (ValueError, cloud.MalformedWebhook):
        return [], []
    numbers = {getattr(i, "phone_number_id", "") for i in parsed} - {""}
    workspace_of = dict(Workspace.objects.filter(phone_number_id__in=numbers).values_list("phone_number_id", "id"))
    inbound = {m.provider_id: m for m in Message.objects.filter(webhook_event_id=event.id,
                                                               direction=Message.Direction.INBOUND)
               .select_related("contact", "chat", "in_reply_to")}
    wamids = [i.id for i in parsed if isinstance(i, cloud.StatusUpdate)]
    outbound = {m.provider_id: m for m in Message.objects.filter(provider_id__in=wamids,
                                                                direction=Message.Direction.OUTBOUND)
                .only("id", "uuid", "provider_id", "workspace_id")} if wamids else {}
    items: dict[int, list[Item]] = {}
    chats: list[int] = []
    for item in parsed:
        workspace_id = workspace_of.get(getattr(item, "phone_number_id", ""), event.workspace_id)
        if isinstance(item, cloud.InboundMessage):
            message = inbound.get(item.id)
            if message is None:
                continue
            chats.append(message.chat_id)
            items.setdefault(workspace_id, []).append(
                (WHATSAPP, "message", inbound_body(message), {"X-Turn-Claim": claim_for(message.chat)}))
        elif isinstance(item, cloud.StatusUpdate):
            message = outbound.get(item.id)
            if message is not None and message.workspace_id != workspace_id:
                message = None
            items.setdefault(workspace_id, []).append((WHATSAPP, "status", status_body(item, message), {}))
    webhook_ids = []
    for workspace_id, entries in items.items():
        webhook_ids += record(workspace_id, entries)
    context_chats = [c for c in dict.fromkeys(chats)
                     if CONTEXT in interests(event.workspace_id)]
    return webhook_ids, context_chats


def fan_out_sent(workspace_id: int, message_ids: list[int]) -> tuple[list[int], list[int]]:
    """Deliveries for outbound messages WhatsApp accepted: `turn` for the API's and operators',
    `journey_outbound` for journeys'. Returns (webhook ids to deliver, chat ids for context)."""
    from sauti.journeys.models import Journey

    messages = list(Message.objects.filter(id__in=message_ids, workspace_id=workspace_id,
                                           direction=Message.Direction.OUTBOUND)
                    .select_related("contact").order_by("id"))
    if not messages:
        return [], []
    journeys = {str(uuid): {"uuid": str(uuid), "name": name} for uuid, name in
                Journey.objects.filter(workspace_id=workspace_id,
                                       uuid__in=[_uuid(m.author_id) for m in messages if _uuid(m.author_id)])
                .values_list("uuid", "name")}
    posted = dict(ApiBody.objects.filter(message_id__in=[m.id for m in messages]).values_list("message_id", "body"))
    entries: list[Item] = []
    for message in messages:
        headers = {"X-WhatsApp-Id": message.provider_id or ""}
        if message.author_id in journeys:
            entries.append((JOURNEY_OUTBOUND, "outbound", journey_body(message, journeys[message.author_id]),
                            headers))
        else:
            entries.append((TURN, "outbound", sent_body(message, posted.get(message.id)), headers))
    webhook_ids = record(workspace_id, entries)
    ApiBody.objects.filter(message_id__in=list(posted)).delete()
    chats = list(dict.fromkeys(m.chat_id for m in messages)) if CONTEXT in interests(workspace_id) else []
    return webhook_ids, chats


def record(workspace_id: int, entries: list[Item]) -> list[int]:
    """One delivery per entry and enabled webhook subscribed to it, in order; returns those webhooks' ids."""
    webhooks = list(Webhook.objects.filter(workspace_id=workspace_id, enabled=True).only("id", "subscriptions"))
    now = timezone.now()
    rows = []
    for subscription, event, body, headers in entries:
        raw = None
        for hook in webhooks:
            if subscription in (hook.subscriptions or ()):
                raw = raw or encode(body)
                rows.append(Delivery(workspace_id=workspace_id, webhook_id=hook.id, subscription=subscription,
                                     event=event, body=raw, headers=headers, next_attempt_at=now))
    if not rows:
        return []
    with transaction.atomic():
        Delivery.objects.bulk_create(rows)
    return sorted({row.webhook_id for row in rows})


def _uuid(value: str) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(value)) if value else None
    except ValueError:
        return None
