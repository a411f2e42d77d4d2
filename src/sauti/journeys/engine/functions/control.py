"""Assignments, bare expressions, in-card transitions and accepted no-op functions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..values import truthy
from .registry import function

if TYPE_CHECKING:
    from ...lang.program import Op
    from ..run import Run


@function("set")
def set_var(run: Run, op: Op) -> None:
    run.set_var(op.target, op.params["value"].evaluate(run.ctx))  # type: ignore[arg-type]


@function("eval")
def evaluate(run: Run, op: Op) -> None:
    op.params["value"].evaluate(run.ctx)


@function("then")
def then(run: Run, op: Op) -> None:
    """`then(X when c)` lines: every condition is evaluated, the first that holds wins; an
    unconditional `then(Y)` is the fallback; none holding goes on with the card."""
    chosen = fallback = None
    for target, cond in op.params["branches"]:
        if cond is None:
            fallback = fallback or target
            continue
        try:
            held = truthy(cond.evaluate(run.ctx))
        except Exception as exc:  # a failing condition does not hold
            run.error(op, f"condition of then({target} when ...) failed: "
                          f"{getattr(exc, 'message', None) or exc}")
            held = False
        if held and chosen is None:
            chosen = target
    target = chosen or fallback
    if target is not None:
        run.goto(target)


@function("noop")
def accepted(run: Run, op: Op) -> None:
    run.log(f"{op.params['function']}(...) is accepted and does nothing here", op=op)
