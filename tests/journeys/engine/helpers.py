"""Shared helpers for engine tests: a fixed clock and short ways to run a journey."""

from __future__ import annotations

import datetime as dt

from sauti.journeys import compile_journey
from sauti.journeys.engine import State, step
from sauti.journeys.engine.effects import Effect
from sauti.journeys.testing import Conversation

NOW = dt.datetime(2025, 8, 15, 10, 0, tzinfo=dt.UTC)


def conversation(src: str, **kwargs: object) -> Conversation:
    kwargs.setdefault("now", NOW)
    return Conversation(compile_journey(src), **kwargs)  # type: ignore[arg-type]


def body(message: dict) -> str | None:
    """The text a person reads in a message (text body, interactive body, caption)."""
    if message["type"] == "text":
        return message["text"]["body"]
    if message["type"] == "interactive":
        return message["interactive"]["body"]["text"]
    return message[message["type"]].get("caption")


def bodies(messages: list[dict]) -> list[str | None]:
    return [body(m) for m in messages]


def run(src: str, *events: object, now: dt.datetime = NOW,
        later: dt.datetime | None = None) -> tuple[State, list[Effect]]:
    """Step a fresh session through `events` (the first at `now`, the others at `later` if
    given); return the last state and all effects."""
    program = compile_journey(src)
    state = State()
    effects: list[Effect] = []
    for k, event in enumerate(events):
        when = later if later is not None and k > 0 else now
        state, out = step(program, state, event, when)  # type: ignore[arg-type]
        effects += out
    return state, effects


def of_type(effects: list[Effect], kind: str) -> list[Effect]:
    return [e for e in effects if e.type == kind]
