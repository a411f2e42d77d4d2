"""Contact fields, message labels, chat assignment, handover and dictionaries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..effects import AddLabel, AssignChat, Handover, UpdateContact, UpdateDictionary
from ..values import plain
from .registry import function, texts

if TYPE_CHECKING:
    from ...lang.program import Op
    from ..run import Run


@function("update_contact")
def update_contact(run: Run, op: Op) -> None:
    fields = {}
    for name, value in op.params["fields"]:
        fields[name] = plain(value.evaluate(run.ctx))
    run.update_contact(fields)
    run.emit(UpdateContact(fields))


@function("add_label")
def add_label(run: Run, op: Op) -> None:
    labels: list[str] = []
    for value in op.params["labels"]:
        labels += texts(run, value)
    message_id = (run.state.message or {}).get("id")
    run.emit(AddLabel(tuple(labels), message_id))


@function("assign_chat")
def assign_chat(run: Run, op: Op) -> None:
    run.emit(AssignChat(run.ctx.text(op.params["assignee"])))


@function("handover")
def handover(run: Run, op: Op) -> None:
    run.emit(Handover(run.ctx.text(op.params["reason"])))


@function("update_dictionary")
def update_dictionary(run: Run, op: Op) -> None:
    name = op.params["dictionary"] or run.ctx.text(op.params["dictionary_value"])
    key = run.ctx.text(op.params["key"])
    value = plain(op.params["value"].evaluate(run.ctx))
    # The session sees its own write at once; the shell persists it.
    if name in run.state.dictionaries:
        dicts = dict(run.state.dictionaries)
        dicts[name] = {**dicts[name], key: value}
        run.replace("dictionaries", dicts)
    else:
        glob = dict(run.state.globals)
        glob[name] = {**(glob.get(name) or {}), key: value}
        run.replace("globals", glob)
    run.emit(UpdateDictionary(name, key, value))
