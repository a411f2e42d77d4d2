"""Who handles an inbound message once it is stored: a journey, or else the inbox.

Apps that can take a message (journeys) register a handler; the first one that returns True
has taken it. With none, the message simply waits in its chat for a person: nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from sauti.messaging.models import Message

InboundHandler = Callable[[Message], bool]
_handlers: list[tuple[int, InboundHandler]] = []


def register_inbound_handler(handler: InboundHandler, *, order: int = 100) -> None:
    """Called at app start-up (AppConfig.ready); lower order runs first."""
    if all(h is not handler for _, h in _handlers):
        _handlers.append((order, handler))
        _handlers.sort(key=lambda pair: pair[0])


def route_inbound(message: Message) -> str:
    """Offer the message to each handler; returns the name of the one that took it, or "inbox"."""
    for _, handler in _handlers:
        if handler(message):
            return getattr(handler, "__name__", "handler")
    return "inbox"
