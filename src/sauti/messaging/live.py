"""Live updates to open browsers: one Channels group per workspace, sent only after commit."""

from __future__ import annotations

import logging
import os
from typing import Any

from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def group_name(workspace_id: int) -> str:
    return f"workspace-{workspace_id}"


def enabled() -> bool:
    """In-memory layers only reach browsers of the same process: the embedded server's."""
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    return "InMemory" not in backend or os.environ.get("SAUTI_EMBEDDED") == "1"


def publish(workspace_id: int, event: str, **data: Any) -> None:
    if not enabled():
        return
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group_name(workspace_id), {"type": "live.event", "event": event, **data})
    except Exception:  # a live update is a courtesy; never fail the write that caused it
        logger.warning("live update %s for workspace %s not delivered", event, workspace_id, exc_info=True)


def on_commit_publish(workspace_id: int, event: str, **data: Any) -> None:
    if not enabled():
        return
    transaction.on_commit(lambda: publish(workspace_id, event, **data))
