"""Timers and scheduled journeys: all kept by the shell in the one Timers table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import Effect, register


@register
@dataclass(frozen=True, slots=True)
class Schedule(Effect):
    """Do something at `at` (ISO instant, UTC).

    kind "interaction_timeout" / "wait": fire TimerFired(key) into this session; a new Schedule
    with the same key replaces the pending one. kind "journey": start `journey_uuid` for this
    contact (`schedule_stack`).
    """

    type: ClassVar[str] = "schedule"
    kind: str = "interaction_timeout"
    key: str = ""
    at: str = ""
    journey_uuid: str | None = None


@register
@dataclass(frozen=True, slots=True)
class CancelSchedules(Effect):
    """Drop pending timers of this contact: scheduled journeys (`journey_uuid` None = all of
    them, `cancel_scheduled_stacks()`), or this session's timers of `kind`."""

    type: ClassVar[str] = "cancel_schedules"
    kind: str = "journey"
    journey_uuid: str | None = None
