"""Offer each inbound message to journeys: the contact's active session first, then triggers."""

from __future__ import annotations

from sauti.messaging.models import Message


def handle_inbound_message(message: Message) -> bool:
    from sauti.journeys.runner.sessions import route_message

    return route_message(message)
