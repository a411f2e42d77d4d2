"""The two calls the messaging pipeline makes: after a webhook event is processed and after
messages were sent. Each costs a dictionary lookup for a workspace that has no webhooks or
integrations, and otherwise one task enqueued when the transaction commits; the bodies are built
by that task, never in the pipeline."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from sauti.integrations.interest import CONTEXT, interests
from sauti.integrations.models import JOURNEY_OUTBOUND, TURN, WHATSAPP


def after_webhook_events(event_ids: list[int], workspace_ids: Iterable[int]) -> None:
    """A batch of Cloud API events was stored as messages and statuses: tell `whatsapp` webhooks
    and refresh context integrations (one task for the batch, in the events' order)."""
    wanted = set().union(*(interests(w) for w in workspace_ids))
    if (WHATSAPP in wanted or CONTEXT in wanted) and event_ids:
        from sauti.integrations.tasks import fan_out_events

        ids = sorted(event_ids)
        transaction.on_commit(lambda: fan_out_events.enqueue(ids))


def after_messages_sent(workspace_id: int, message_ids: Iterable[int]) -> None:
    """WhatsApp accepted these outbound messages: tell `turn` and `journey_outbound` webhooks."""
    wanted = interests(workspace_id)
    if TURN in wanted or JOURNEY_OUTBOUND in wanted or CONTEXT in wanted:
        from sauti.integrations.tasks import fan_out_sent

        ids = sorted(message_ids)
        if ids:
            transaction.on_commit(lambda: fan_out_sent.enqueue(workspace_id, ids))
