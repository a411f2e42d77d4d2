"""An in-process channel layer that is safe across threads, for the all-in-one `sauti serve`.

Channels' in-memory layer hands a message to a waiting consumer from the sender's own event loop.
In `sauti serve` the sender is a worker thread (its own loop) and the consumer lives in the web
server's loop, which would not wake up until something else stirred it. Here a message for a
channel that waits in another loop is delivered through that loop (call_soon_threadsafe).
"""

from __future__ import annotations

import asyncio
import time
from copy import deepcopy
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer


class ThreadSafeInMemoryChannelLayer(InMemoryChannelLayer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loops: dict[str, asyncio.AbstractEventLoop] = {}

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        loop = self._loops.get(channel)
        try:
            current = asyncio.get_running_loop()
        except RuntimeError:  # pragma: no cover - send is always awaited
            current = None
        if loop is None or loop is current or loop.is_closed():
            await super().send(channel, message)
            return
        assert isinstance(message, dict), "message is not a dict"
        queue = self.channels.setdefault(channel, asyncio.Queue(maxsize=self.get_capacity(channel)))
        item = (time.time() + self.expiry, deepcopy(message))

        def put() -> None:
            try:
                queue.put_nowait(item)
            except asyncio.QueueFull:
                pass  # like the parent's ChannelFull, a full browser queue drops the update

        if queue.full():
            raise ChannelFull(channel)
        loop.call_soon_threadsafe(put)

    async def receive(self, channel: str) -> dict[str, Any]:
        self._loops[channel] = asyncio.get_running_loop()
        try:
            return await super().receive(channel)
        finally:
            if channel not in self.channels:
                self._loops.pop(channel, None)
