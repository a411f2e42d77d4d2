"""Find people whose waiting messages nobody is handling (their task was lost with a killed
worker, or the event before them failed for good) and enqueue them again.

Webhook events need no sweeping: workers claim them from their table until they are processed.
Handling is idempotent, so a second enqueue costs a little work and loses nothing.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone

from sauti.messaging.models import Message

logger = logging.getLogger(__name__)


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    from sauti.messaging.tasks import handle_contact

    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.SAUTI_SWEEP_AFTER_SECONDS)
    contacts = list(
        Message.objects.filter(direction=Message.Direction.INBOUND, handled_at__isnull=True, created_at__lt=cutoff)
        .exclude(contact__locked_until__gt=now).values_list("contact_id", flat=True).distinct()[:500]
    )
    for contact_id in contacts:
        handle_contact.enqueue(contact_id)
    if contacts:
        logger.warning("re-enqueued %s contact(s) whose waiting messages nobody was handling", len(contacts))
    return {"contacts": len(contacts)}
