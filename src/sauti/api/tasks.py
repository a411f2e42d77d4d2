"""Background work the API asks for: calls to the Cloud API that must not run inside a request."""

from __future__ import annotations

import asyncio
import logging

import httpx
from django_tasks import task

from sauti.messaging.channels.whatsapp.client import CloudAPIClient
from sauti.messaging.channels.whatsapp.errors import CloudAPIError, Outcome
from sauti.messaging.models import Message

logger = logging.getLogger(__name__)


@task(queue_name="default")
def mark_read(message_id: int, attempt: int = 1) -> bool:
    """Tell WhatsApp a person's message was read (blue ticks); retried a few times on a temporary error."""
    message = Message.objects.select_related("workspace").filter(id=message_id).first()
    if message is None or not message.provider_id:
        return False
    workspace = message.workspace

    async def call() -> None:
        async with httpx.AsyncClient() as http:
            client = CloudAPIClient(http, base_url=workspace.graph_base_url,
                                    phone_number_id=workspace.phone_number_id or "",
                                    access_token=workspace.access_token)
            await client.mark_read(message.provider_id or "")

    try:
        asyncio.run(call())
    except CloudAPIError as exc:
        if exc.outcome is Outcome.RETRY and attempt < 5:
            import datetime as dt

            from django.utils import timezone

            mark_read.using(run_after=timezone.now() + dt.timedelta(seconds=2 ** attempt)).enqueue(
                message_id, attempt + 1)
        logger.warning("marking message %s as read failed: %s", message_id, exc)
        return False
    return True
