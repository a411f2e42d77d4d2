"""The session's own life: logs, waiting, child journeys and the end."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import Effect, register


@register
@dataclass(frozen=True, slots=True)
class Log(Effect):
    """A journey log line (`log(...)`, or level "error" for a runtime problem)."""

    type: ClassVar[str] = "log"
    level: str = "info"
    message: str = ""
    card: str | None = None
    line: int | None = None


@register
@dataclass(frozen=True, slots=True)
class Wait(Effect):
    """The session now waits: for a `reply`, an `http` response, a `child` journey or a `timer`.
    `deadline` is when the interaction timeout ends a reply wait."""

    type: ClassVar[str] = "wait"
    kind: str = "reply"
    deadline: str | None = None


@register
@dataclass(frozen=True, slots=True)
class RunJourney(Effect):
    """`run_stack(uuid)`: start that journey now for this contact; when it ends, the shell feeds
    ChildFinished to this session."""

    type: ClassVar[str] = "run_journey"
    journey_uuid: str = ""


@register
@dataclass(frozen=True, slots=True)
class End(Effect):
    """The session is over: reason "completed", "timeout" or "failed"."""

    type: ClassVar[str] = "end"
    reason: str = "completed"
