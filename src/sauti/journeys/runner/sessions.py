"""Sessions in the database: start, resume with events, carry out effects. (Being written.)"""

from __future__ import annotations

from dataclasses import dataclass

from sauti.messaging.models import Message


@dataclass
class StartRefused(Exception):
    """A journey that cannot start for this contact, with a stable code and a reason."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def route_message(message: Message) -> bool:
    return False
