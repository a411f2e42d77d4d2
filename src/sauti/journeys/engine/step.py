"""`step(program, state, event, now) -> (state, effects)`: the whole engine, as a pure function.

No I/O, no clock reads, no Django. A runtime problem in one op is a Log(level="error") and the
card goes on; anything that stops the journey ends it with End(reason="failed"). Nothing raises
out of `step` (ARCHITECTURE.md, "Functional core").
"""

from __future__ import annotations

import datetime as dt

from ..lang.program import Program
from .effects import Effect, Log
from .events import ChildFinished, Event, HttpResponse, Start, TimerFired, UserMessage, event_from_dict
from .functions import REPLIES
from .functions.http import on_response
from .run import TIMEOUT_KEY, JourneyFailure, Run
from .state import ENDED, NEW, RUNNING, WAITING, State


def step(program: Program, state: State | None, event: Event | dict,
         now: dt.datetime) -> tuple[State, list[Effect]]:
    """Advance a session by one event. `now` must be timezone-aware (naive means UTC)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    run = Run(program, state or State(), now)
    try:
        if isinstance(event, dict):
            event = event_from_dict(event)
        _dispatch(run, event)
        run.run()
    except JourneyFailure as exc:
        run.emit(Log("error", str(exc), run.state.card))
        run.end("failed")
    except Exception as exc:  # the engine's last line of defence: never let a traceback out
        run.emit(Log("error", f"internal error: {type(exc).__name__}: {exc}", run.state.card))
        run.end("failed")
    return run.state, run.effects


def _environment(run: Run, event: Event) -> None:
    """Contact and chat as the shell sees them now (changed by others since the last step)."""
    contact = getattr(event, "contact", None)
    if contact is not None:
        run.replace("contact", dict(contact))
    chat = getattr(event, "chat", None)
    if chat is not None:
        run.replace("chat", dict(chat))


def _ignore(run: Run, why: str) -> None:
    run.emit(Log("warning", why, run.state.card))


def _dispatch(run: Run, event: Event) -> None:
    state = run.state
    if isinstance(event, Start):
        _start(run, event)
        return
    if state.status == ENDED:
        _ignore(run, f"the session has ended; {event.type} ignored")
        return
    if state.status == NEW:
        _ignore(run, f"the session has not started; {event.type} ignored")
        return
    _environment(run, event)
    waiting = state.waiting or {}
    kind = waiting.get("kind")
    if isinstance(event, UserMessage):
        if kind != "reply":
            _ignore(run, f"a message arrived while waiting for {kind or 'nothing'}; ignored")
            return
        if state.deadline and run.now >= dt.datetime.fromisoformat(state.deadline):
            run.log("No reply within the interaction timeout: the session has ended.")
            run.end("timeout")
            return
        run.replace("message", event.message)
        run.resume()
        REPLIES[waiting["op"]](run, waiting, event.message)
    elif isinstance(event, HttpResponse):
        if kind != "http" or waiting.get("request_id") != event.request_id:
            _ignore(run, f"HTTP response {event.request_id} was not awaited; ignored")
            return
        run.resume()
        on_response(run, waiting, event)
    elif isinstance(event, TimerFired):
        if event.key == TIMEOUT_KEY:
            if kind == "reply" and state.deadline and run.now >= dt.datetime.fromisoformat(state.deadline):
                run.log("No reply within the interaction timeout: the session has ended.")
                run.end("timeout")
            return
        if kind == "timer" and waiting.get("key") == event.key:
            run.resume()
            return
        _ignore(run, f"timer {event.key} was not awaited; ignored")
    elif isinstance(event, ChildFinished):
        if kind != "child":
            _ignore(run, "a child journey finished but none was running; ignored")
            return
        run.resume()
        REPLIES["child"](run, waiting, {})
    else:
        raise ValueError(f"unknown event {event!r}")


def _start(run: Run, event: Start) -> None:
    program = run.program
    state = run.state
    dictionaries = {name: dict(items) for name, items in program.dictionaries.items()}
    for name, items in (event.dictionaries or {}).items():
        dictionaries[name] = {**dictionaries.get(name, {}), **(items or {})}
    fresh = State(status=RUNNING, vars=dict(event.params or {}), contact=dict(event.contact or {}),
                  chat=dict(event.chat or {}), globals=dict(event.globals or {}),
                  dictionaries=dictionaries, message=event.message)
    for name in ("status", "card", "variant", "pc", "vars", "contact", "chat", "globals",
                 "dictionaries", "message", "waiting", "deadline", "results", "end_reason", "counter"):
        setattr(state, name, getattr(fresh, name))
    run.ctx.invalidate()
    run._vars_owned = True
    if program.start is None:
        run.log("The journey has no cards.")
        run.end("completed")
        return
    run.goto(program.start)


__all__ = ["RUNNING", "WAITING", "step"]
