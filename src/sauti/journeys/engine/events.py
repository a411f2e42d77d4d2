"""Events the shell feeds to `step`: plain data, each with a `type` and to_dict/from_dict.

Every event may carry the contact's current fields (and `chat`), so changes made outside the
journey (another journey, an operator, the API) are seen by the next step.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

from .values import decode, encode


@dataclass(frozen=True, slots=True)
class Event:
    type: ClassVar[str] = ""

    def to_dict(self) -> dict:
        return {"type": self.type, **encode(asdict(self))}


@dataclass(frozen=True, slots=True)
class Start(Event):
    """Start a session. `message` is the inbound message that triggered it (event.message)."""

    type: ClassVar[str] = "start"
    message: dict | None = None
    contact: dict | None = None
    chat: dict | None = None
    globals: dict | None = None
    dictionaries: dict | None = None   # overrides of the journey's dictionary cells
    params: dict | None = None         # initial variables (API start, run_stack arguments)


@dataclass(frozen=True, slots=True)
class UserMessage(Event):
    """An inbound WhatsApp message (Cloud API shape: text, interactive, button, media, location)."""

    type: ClassVar[str] = "message"
    message: dict = field(default_factory=dict)
    contact: dict | None = None
    chat: dict | None = None


@dataclass(frozen=True, slots=True)
class HttpResponse(Event):
    """The answer to an HttpRequest effect; `status` None means the call failed (body says why)."""

    type: ClassVar[str] = "http_response"
    request_id: str = ""
    status: int | None = None
    body: Any = None
    headers: Any = None
    contact: dict | None = None


@dataclass(frozen=True, slots=True)
class TimerFired(Event):
    """A Schedule effect's instant has come (`key` as scheduled: interaction_timeout, wait)."""

    type: ClassVar[str] = "timer_fired"
    key: str = ""
    at: str | None = None
    contact: dict | None = None


@dataclass(frozen=True, slots=True)
class ChildFinished(Event):
    """The journey started with run_stack has ended; the parent resumes after the run_stack."""

    type: ClassVar[str] = "child_finished"
    journey_uuid: str | None = None
    contact: dict | None = None


EVENTS: dict[str, type[Event]] = {c.type: c for c in (Start, UserMessage, HttpResponse, TimerFired,
                                                      ChildFinished)}


def event_from_dict(data: dict) -> Event:
    """Rebuild an event from its dict; unknown types and fields are rejected."""
    data = dict(data)
    cls = EVENTS.get(data.pop("type", None))  # type: ignore[arg-type]
    if cls is None:
        raise ValueError(f"unknown event type {data.get('type')!r}")
    return cls(**decode(data))
