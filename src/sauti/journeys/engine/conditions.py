"""Evaluate a trigger's `when` condition for the shell's trigger matching (spec §1.9).

Pure like the rest of the engine: the shell passes the contact, the inbound message and the
clock; a condition that fails to evaluate does not hold.
"""

from __future__ import annotations

import datetime as dt

from ..lang.program import Program, Trigger
from .context import Context
from .state import State
from .values import truthy


def trigger_holds(program: Program, trigger: Trigger, *, contact: dict, now: dt.datetime,
                  message: dict | None = None, chat: dict | None = None,
                  globals: dict | None = None) -> bool:
    """Whether `trigger`'s condition holds (a trigger without one always does)."""
    if trigger.condition is None:
        return True
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    state = State(contact=contact, chat=chat or {}, globals=globals or {}, message=message,
                  dictionaries={k: dict(v) for k, v in program.dictionaries.items()})
    try:
        return truthy(trigger.condition.evaluate(Context(state, now)))
    except Exception:  # a broken condition never starts a journey
        return False
