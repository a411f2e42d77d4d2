"""Registries of journey functions: how an op runs, and how a waiting op takes its reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...lang.program import Op
    from ..run import Run

OpFunction = Callable[["Run", "Op"], None]
ReplyFunction = Callable[["Run", dict, dict], None]

FUNCTIONS: dict[str, OpFunction] = {}
REPLIES: dict[str, ReplyFunction] = {}


def function(*kinds: str) -> Callable[[OpFunction], OpFunction]:
    """Register the runner of ops of these kinds (filled at import time, read-only after)."""
    def deco(fn: OpFunction) -> OpFunction:
        for kind in kinds:
            assert kind not in FUNCTIONS, kind
            FUNCTIONS[kind] = fn
        return fn
    return deco


def on_reply(*kinds: str) -> Callable[[ReplyFunction], ReplyFunction]:
    """Register what a waiting op does with the contact's reply (waiting info, message)."""
    def deco(fn: ReplyFunction) -> ReplyFunction:
        for kind in kinds:
            REPLIES[kind] = fn
        return fn
    return deco


def texts(run: Run, value: Any) -> list[str]:
    """A list argument as texts (template parameters, labels)."""
    from ...lang.program import ListOf
    from ..values import as_text

    if value is None:
        return []
    if isinstance(value, ListOf):
        return [run.ctx.text(v) for v in value.items]
    result = value.evaluate(run.ctx)
    if result is None:
        return []
    if not isinstance(result, (list, tuple)):
        result = [result]
    return [as_text(v) for v in result]
