"""One step's working copy of a session: runs ops until the session waits or ends.

`Run` is created by `step` and thrown away after it; the State it was given is never mutated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..lang.program import Op, Program
from .context import Context
from .effects import Effect, End, Handover, Log, Schedule, Wait
from .functions import FUNCTIONS
from .state import ENDED, RUNNING, WAITING, State
from .values import truthy

# Ops one step may run without waiting: a journey that loops forever ends instead of hanging.
MAX_OPS_PER_STEP = 5000
TIMEOUT_KEY = "interaction_timeout"


class JourneyFailure(Exception):
    """A problem that ends the session (End(reason="failed")), not just the current op."""


class Run:
    __slots__ = ("program", "state", "now", "effects", "ctx", "_vars_owned", "ops_run")

    def __init__(self, program: Program, state: State, now: dt.datetime) -> None:
        self.program = program
        self.state = state.copy()
        self.now = now
        self.effects: list[Effect] = []
        self.ctx = Context(self.state, now, program.names)
        self._vars_owned = False
        self.ops_run = 0

    # ------------------------------------------------------------------ state changes
    def emit(self, effect: Effect) -> None:
        self.effects.append(effect)

    def set_var(self, name: str, value: Any) -> None:
        if not self._vars_owned:
            self.state.vars = dict(self.state.vars)
            self._vars_owned = True
        self.state.vars[name] = value
        self.ctx.invalidate()

    def update_contact(self, fields: dict) -> None:
        # A new dict, not an update in place: the context re-prepares a root when it changes
        # identity.
        self.state.contact = {**self.state.contact, **fields}
        self.ctx.invalidate()

    def replace(self, attr: str, value: Any) -> None:
        """Replace a whole state container (chat, globals, dictionaries, results, message)."""
        setattr(self.state, attr, value)
        self.ctx.invalidate()

    def next_id(self) -> str:
        self.state.counter += 1
        return str(self.state.counter)

    def log(self, message: str, level: str = "info", op: Op | None = None) -> None:
        self.emit(Log(level, message, self.state.card, op.line if op is not None else None))

    def error(self, op: Op | None, exc: BaseException | str) -> None:
        """A runtime problem in one op: logged; the op is skipped and the card goes on."""
        text = exc if isinstance(exc, str) else (getattr(exc, "message", None) or str(exc)
                                                  or type(exc).__name__)
        where = f"card {self.state.card}" + (f", line {op.line}" if op is not None and op.line else "")
        self.emit(Log("error", f"{where}: {text}", self.state.card, op.line if op is not None else None))

    # ------------------------------------------------------------------ control
    def goto(self, name: str) -> None:
        """Enter card `name`: every variant's guard is evaluated (eagerly, as Turn does), the
        first that holds runs; none holding ends the session."""
        variants = self.program.cards.get(name)
        if not variants:
            raise JourneyFailure(f'card "{name}" does not exist')
        held: list[bool] = []
        for v in variants:
            if v.condition is None:
                held.append(True)
                continue
            try:
                held.append(truthy(v.condition.evaluate(self.ctx)))
            except Exception as exc:  # a failing guard does not hold
                self.emit(Log("error", f"card {name}, line {v.line}: condition failed: "
                                       f"{getattr(exc, 'message', None) or exc}", name, v.line))
                held.append(False)
        index = next((k for k, ok in enumerate(held) if ok), None)
        if index is None:
            self.state.card = name
            self.log(f'Card "{name}" has no variant whose condition holds. The journey ends here.')
            self.end("completed")
            return
        variant = variants[index]
        self.state.card, self.state.variant, self.state.pc = name, index, 0
        self.state.status = RUNNING
        if variant.code_generator == "HANDOVER_STARTS":
            self.emit(Handover("route_to_operator"))

    def wait(self, kind: str, info: dict, reply: bool = False) -> None:
        """Pause until an event; a reply wait starts the interaction timeout."""
        info = dict(info, kind=kind)
        self.state.waiting = info
        self.state.status = WAITING
        deadline = None
        if reply:
            at = self.now + dt.timedelta(seconds=self.program.interaction_timeout)
            deadline = at.isoformat()
            self.state.deadline = deadline
            self.emit(Schedule("interaction_timeout", TIMEOUT_KEY, deadline))
        else:
            self.state.deadline = None
        self.emit(Wait(kind, deadline))

    def resume(self) -> None:
        self.state.waiting = None
        self.state.deadline = None
        self.state.status = RUNNING

    def end(self, reason: str = "completed") -> None:
        if self.state.status == ENDED:
            return
        self.state.status = ENDED
        self.state.end_reason = reason
        self.state.waiting = None
        self.state.deadline = None
        self.emit(End(reason))

    # ------------------------------------------------------------------ the loop
    def run(self) -> None:
        program = self.program
        state = self.state
        while state.status == RUNNING:
            variant = program.cards[state.card][state.variant]  # type: ignore[index]
            ops = variant.ops
            if state.pc >= len(ops):
                if variant.then:
                    self.goto(variant.then)
                else:
                    self.end("completed")
                continue
            op = ops[state.pc]
            state.pc += 1
            self.ops_run += 1
            if self.ops_run > MAX_OPS_PER_STEP:
                raise JourneyFailure(f"more than {MAX_OPS_PER_STEP} steps without waiting for the "
                                     "contact: the journey seems to loop")
            try:
                FUNCTIONS[op.kind](self, op)
            except JourneyFailure:
                raise
            except Exception as exc:  # one op failing is logged; the card goes on
                self.error(op, exc)
