"""buttons(...) and list(...): interactive messages and the routing of their replies.

Routing (spec/journeys.md §1.8): a reply matches an option by its id (the raw, unevaluated label,
as Turn's choice tests compare `block.response` with the raw label), by the raw label or by the
shown title, then by the option's card name; then, ignoring case and surrounding blanks, by title
or raw label. A match stores `{__value__, name, index, label}` and goes to the option's card; anything
else stores `{__value__: text, index: nil}` and takes the card's `then:` (the fallback), or goes
on with the card.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..effects import SendMessage
from ..inbound import reply_parts
from ..values import as_text, plain
from .messaging import interactive
from .registry import function, on_reply

if TYPE_CHECKING:
    from ...lang.program import Op
    from ..run import Run


def options_of(run: Run, op: Op) -> list[dict]:
    p = op.params
    ctx = run.ctx
    if p["mode"] in ("cards", "strings"):
        # A named card also answers to its name (`ImPregnant`, `im_pregnant`), as an option id.
        return [{"id": o.raw, "title": ctx.text(o.label), "card": o.card, "name": o.name, "raw": o.raw,
                 "aliases": [o.card, o.name] if o.card else []}
                for o in p["options"]]
    items = plain(p["dynamic_items"].evaluate(ctx)) or []
    if not isinstance(items, (list, tuple)):
        raise ValueError(f"{p['style']}(...) options must be a list, got {items!r}")
    out = []
    target = p.get("dynamic_target")
    for item in items:
        item = plain(item)
        pair = isinstance(item, (list, tuple)) and len(item) >= 2
        raw_value, label = (plain(item[0]), item[1]) if pair else (item, item)
        value = as_text(raw_value)
        # A whole-number value stays a number in the option id, as Turn sends it (the shell's
        # sender turns ids into strings for the Cloud API).
        option_id: Any = raw_value if type(raw_value) is int else value
        out.append({"id": option_id, "title": as_text(label), "card": target, "name": value,
                    "raw": value})
    return out


@function("choice")
def choice(run: Run, op: Op) -> None:
    p = op.params
    options = options_of(run, op)
    if p["style"] == "buttons":
        action: dict[str, Any] = {"buttons": [
            {"type": "reply", "reply": {"id": o["id"], "title": o["title"]}} for o in options]}
        message = interactive(run, "button", p, action)
    else:
        rows = [{"id": o["id"], "title": o["title"]} for o in options]
        action = {"button": run.ctx.text(p["list_button"]), "sections": [{"rows": rows}]}
        message = interactive(run, "list", p, action)
    run.emit(SendMessage(message, run.state.card))
    run.wait("reply", {"op": "choice", "target": op.target, "options": options,
                       "fallback": p["fallback"]}, reply=True)


def _fold(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split()).casefold()


def match(options: list[dict], reply_id: str | None, text: str | None) -> int | None:
    if reply_id is not None:
        for i, o in enumerate(options):
            if as_text(o["id"]) == reply_id:
                return i
    for probe in (reply_id, text):
        if probe is None:
            continue
        for i, o in enumerate(options):
            if probe == o["raw"] or probe == o["title"]:
                return i
    for probe in (reply_id, text):
        if probe is None:
            continue
        for i, o in enumerate(options):
            if probe in o.get("aliases", ()):
                return i
    folded = _fold(text)
    if folded:
        for i, o in enumerate(options):
            if folded == _fold(o["title"]) or folded == _fold(o["raw"]):
                return i
    return None


@on_reply("choice")
def choice_reply(run: Run, waiting: dict, message: dict) -> None:
    reply_id, text = reply_parts(message)
    options = waiting["options"]
    index = match(options, reply_id, text)
    target = waiting.get("target")
    if index is None:
        if target:
            run.set_var(target, {"__value__": text or "", "name": None, "index": None, "label": None})
        if waiting.get("fallback"):
            run.goto(waiting["fallback"])
        return
    opt = options[index]
    if target:
        run.set_var(target, {"__value__": opt["name"], "name": opt["name"], "index": index,
                             "label": opt["title"]})
    if opt["card"]:
        run.goto(opt["card"])
