"""Flow results and journey logs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..effects import Log, WriteResult
from ..values import plain
from .registry import function

if TYPE_CHECKING:
    from ...lang.program import Op
    from ..run import Run


@function("write_result")
def write_result(run: Run, op: Op) -> None:
    name = run.ctx.text(op.params["key"])
    value = plain(op.params["value"].evaluate(run.ctx))
    label = op.params["label"] if op.params["label"] is not None else name
    results = dict(run.state.results)
    results[name] = value
    run.replace("results", results)
    run.emit(WriteResult(name, value, label, run.state.card))


@function("log")
def log(run: Run, op: Op) -> None:
    run.emit(Log("info", run.ctx.text(op.params["message"]), run.state.card, op.line))
