"""The journey engine: a pure step function over compiled Programs. No Django, no I/O."""

from .conditions import trigger_holds
from .effects import Effect, effect_from_dict
from .events import ChildFinished, Event, HttpResponse, Start, TimerFired, UserMessage, event_from_dict
from .state import State
from .step import step

__all__ = ["ChildFinished", "Effect", "Event", "HttpResponse", "Start", "State", "TimerFired",
           "UserMessage", "effect_from_dict", "event_from_dict", "step", "trigger_holds"]
