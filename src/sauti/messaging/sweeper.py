"""Find work whose task was lost (a worker killed mid-task) and enqueue it again.

Processing is idempotent, so a second enqueue of something still queued costs a little work and
loses nothing; the thresholds keep that rare.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone

from sauti.messaging.models import Message, WebhookEvent

logger = logging.getLogger(__name__)


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    from sauti.messaging.tasks import handle_contact, process_webhook

    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.SAUTI_SWEEP_AFTER_SECONDS)
    events = list(WebhookEvent.objects.filter(processed_at__isnull=True, enqueued_at__lt=cutoff)
                  .order_by("id").values_list("id", flat=True)[:500])
    for event_id in events:
        WebhookEvent.objects.filter(id=event_id).update(enqueued_at=now)
        process_webhook.enqueue(event_id)
    contacts = list(
        Message.objects.filter(direction=Message.Direction.INBOUND, handled_at__isnull=True, created_at__lt=cutoff)
        .exclude(contact__locked_until__gt=now).values_list("contact_id", flat=True).distinct()[:500]
    )
    for contact_id in contacts:
        handle_contact.enqueue(contact_id)
    if events or contacts:
        logger.warning("re-enqueued %s webhook event(s) and %s contact(s) whose tasks were lost",
                       len(events), len(contacts))
    return {"events": len(events), "contacts": len(contacts)}
