"""Evaluation-time objects: the per-evaluation State (variables, lambda arguments, clock,
randomness, work budget), lambda values, and the clean-up of results for Python callers."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from .budget import MAX_STEPS, too_much
from .temporal import UTC, parse_temporal, with_precision
from .values import Missing

Closure = Callable[["State"], Any]


class State:
    """Everything one evaluation needs; created per call, so evaluation is reentrant."""

    __slots__ = ("vars", "args", "steps", "_now", "_random")

    def __init__(self, variables: dict) -> None:
        self.vars = variables
        self.args: tuple = ()
        self.steps = MAX_STEPS
        self._now = None
        self._random = None

    def tick(self, count: int = 1) -> None:
        self.steps -= count
        if self.steps < 0:
            raise too_much(f"more than {MAX_STEPS} steps")

    def now(self) -> dt.datetime:
        """The evaluation clock: context ``__now__`` if given (journeys freeze time), else UTC now."""
        if self._now is None:
            value = self.vars.get("__now__")
            if isinstance(value, str):
                value = parse_temporal(value.strip())
            if isinstance(value, dt.datetime):
                # A frozen clock prints as given: whole seconds without a fraction, as a test
                # clock (FlowTester's fake time) does upstream.
                self._now = with_precision(value, 6 if value.microsecond else 0)
            else:
                self._now = with_precision(dt.datetime.now(UTC), 6)
        return self._now

    def random(self) -> random.Random:
        """Randomness from context ``__random__`` (a seed or a Random) so tests can fix it."""
        if self._random is None:
            value = self.vars.get("__random__")
            if isinstance(value, random.Random):
                self._random = value
            elif isinstance(value, (int, str)) and not isinstance(value, bool):
                self._random = random.Random(value)
            else:
                self._random = random.Random()  # noqa: S311 - not for secrets
        return self._random


class Function:
    """A lambda value (``&(&1 * 2)``) bound to the evaluation that created it."""

    __slots__ = ("body", "arity", "state")

    def __init__(self, body: Closure, arity: int, state: State) -> None:
        self.body = body
        self.arity = arity
        self.state = state

    def __call__(self, *args: Any) -> Any:
        state = self.state
        state.steps -= 1
        if state.steps < 0:
            raise too_much(f"more than {MAX_STEPS} steps")
        saved = state.args
        state.args = args
        try:
            value = self.body(state)
        finally:
            state.args = saved
        return None if type(value) is Missing else value


def finish(value: Any) -> Any:
    """The value handed back to Python callers: plain data only (no lambdas, no internal
    markers, ranges as lists), so results can be stored as JSON."""
    t = type(value)
    if t is Missing or t is Function:
        return None
    if t is range:
        return list(value)
    if t is list:
        if any(type(v) in _NOT_PLAIN for v in value):
            return [finish(v) for v in value]
        return value
    if t is dict:
        if any(type(v) in _NOT_PLAIN for v in value.values()):
            return {k: finish(v) for k, v in value.items()}
        return value
    return value


_NOT_PLAIN = frozenset({Missing, Function, range, list, dict})


def not_implemented(name: str) -> str:
    return f'ERROR: "{name} is not implemented."'
