"""How long integrations keep what they no longer need: delivered and failed deliveries after
SAUTI_WEBHOOK_LOG_DAYS, bodies of messages WhatsApp never accepted, expired claims, snapshots of
chats nobody wrote in for a month. Pending deliveries are never pruned (nothing is lost)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from sauti.integrations.models import ApiBody, Claim, ContextSnapshot, Delivery

BATCH = 5000


def prune(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    log_cutoff = now - dt.timedelta(days=settings.SAUTI_WEBHOOK_LOG_DAYS)
    old = list(Delivery.objects.filter(created_at__lt=log_cutoff).exclude(state=Delivery.State.PENDING)
               .values_list("id", flat=True)[:BATCH])
    deliveries = Delivery.objects.filter(id__in=old).delete()[0] if old else 0
    bodies = ApiBody.objects.filter(message__created_at__lt=now - dt.timedelta(days=7)).delete()[0]
    claims = Claim.objects.filter(expires_at__lt=now).delete()[0]
    snapshots = ContextSnapshot.objects.filter(fetched_at__lt=now - dt.timedelta(days=30)).delete()[0]
    return {"deliveries": deliveries, "api_bodies": bodies, "claims": claims, "snapshots": snapshots}
