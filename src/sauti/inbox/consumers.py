"""The inbox's websocket: a signed-in member of a workspace hears its live events.

The browser connects to /ws/w/<workspace>/inbox/ with its session cookie; anyone who may not view
that workspace's inbox is refused (the same for "missing" and "not yours"). Events carry ids
only (sauti.inbox.events); the page then fetches what the person may see.
"""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.http import Http404

from sauti.messaging.live import group_name


@database_sync_to_async
def _workspace_id(user: Any, workspace_uuid: str) -> int | None:
    from sauti.web.workspaces import access_workspace

    if not user or not user.is_authenticated:
        return None
    try:
        access = access_workspace(user, workspace_uuid)
    except Http404:
        return None
    return access.workspace.id if access.can("inbox.view") else None


class InboxConsumer(AsyncWebsocketConsumer):
    group: str | None = None

    async def connect(self) -> None:
        workspace_id = await _workspace_id(self.scope.get("user"), self.scope["url_route"]["kwargs"]["workspace"])
        if workspace_id is None:
            await self.close(code=4403)
            return
        self.group = group_name(workspace_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send(text_data=json.dumps({"event": "connected"}))

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data == "ping":
            await self.send(text_data="pong")

    async def live_event(self, message: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps({k: v for k, v in message.items() if k != "type"}))
