"""Other journeys and time: run_stack, schedule_stack, cancel_scheduled_stacks, wait."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..effects import CancelSchedules, RunJourney, Schedule
from ..values import plain
from .registry import function, on_reply

if TYPE_CHECKING:
    from ...lang.program import Op
    from ..run import Run


def _seconds(value: Any) -> float:
    value = plain(value)
    if isinstance(value, bool) or value is None:
        raise ValueError(f"expected a number of seconds, got {value!r}")
    return float(value)


def _instant(value: Any) -> dt.datetime:
    value = plain(value)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    raise ValueError(f"expected a date and time, got {value!r}")


@function("run_stack")
def run_stack(run: Run, op: Op) -> None:
    uuid = run.ctx.text(op.params["uuid"]).strip()
    run.emit(RunJourney(uuid))
    run.wait("child", {"journey_uuid": uuid})


@on_reply("child")
def child_finished(run: Run, waiting: dict, message: dict) -> None:
    """Resuming after run_stack: nothing to store, the parent goes on after it."""


@function("schedule_stack")
def schedule_stack(run: Run, op: Op) -> None:
    uuid = run.ctx.text(op.params["uuid"]).strip()
    if op.params["at"] is not None:
        at = _instant(op.params["at"].evaluate(run.ctx))
    else:
        at = run.now + dt.timedelta(seconds=_seconds(op.params["seconds"].evaluate(run.ctx)))
    run.emit(Schedule("journey", f"journey:{uuid}", at.astimezone(dt.UTC).isoformat(), uuid))


@function("cancel_scheduled_stacks")
def cancel_scheduled_stacks(run: Run, op: Op) -> None:
    uuid = run.ctx.text(op.params["uuid"]).strip() if op.params["uuid"] is not None else None
    run.emit(CancelSchedules("journey", uuid or None))


@function("wait")
def wait(run: Run, op: Op) -> None:
    seconds = _seconds(op.params["seconds"].evaluate(run.ctx))
    at = (run.now + dt.timedelta(seconds=max(seconds, 0))).isoformat()
    run.emit(Schedule("wait", "wait", at))
    run.wait("timer", {"key": "wait", "at": at})
