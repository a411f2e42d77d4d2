"""Handing the chat to people: routing to an operator and explicit assignment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import Effect, register


@register
@dataclass(frozen=True, slots=True)
class Handover(Effect):
    """Hand the chat to the routing engine (Canvas "Route to operator", `route_to_operator()`);
    automation pauses while a person holds the chat."""

    type: ClassVar[str] = "handover"
    reason: str = "route_to_operator"


@register
@dataclass(frozen=True, slots=True)
class AssignChat(Effect):
    """`assign_chat_to(x)`: assign the chat to a member (email) or a team."""

    type: ClassVar[str] = "assign_chat"
    assignee: str = ""
