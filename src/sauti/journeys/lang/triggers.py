"""Compile `trigger(...)` lines into structured triggers for the shell (spec/journeys.md §1.9)."""

from __future__ import annotations

import re

from .ast import TriggerNode
from .errors import JourneySyntaxError
from .exprs import code_value
from .program import Trigger

_KINDS = {
    "MESSAGE RECEIVED": "message_received",
    "FIRST VISIT": "first_visit",
    "FIRST MESSAGE": "first_visit",
    "CATCH ALL": "catch_all",
    "CATCHALL": "catch_all",
    "SPECIFIC TIME": "specific_time",
    "BEFORE OR AFTER AN EVENT": "relative_time",
}
_UNITS = {"s": 1, "sec": 1, "second": 1, "seconds": 1, "m": 60, "min": 60, "mins": 60,
          "minute": 60, "minutes": 60, "h": 3600, "hour": 3600, "hours": 3600, "d": 86400,
          "day": 86400, "days": 86400, "w": 604800, "week": 604800, "weeks": 604800}
_INTERVAL = re.compile(r"^\s*([+-]?)\s*(\d+)\s*([A-Za-z]+)\s*$")


def interval_seconds(text: str) -> int | None:
    """`"+3m"` → 180, `"-1d"` → -86400 (minutes for `m`, as in the Canvas trigger); None if unknown."""
    m = _INTERVAL.match(text)
    if not m or m.group(3).lower() not in _UNITS:
        return None
    seconds = int(m.group(2)) * _UNITS[m.group(3).lower()]
    return -seconds if m.group(1) == "-" else seconds


def compile_trigger(node: TriggerNode, source: str) -> Trigger:
    call = node.call
    options: dict = {}
    values: dict = {}
    for kw in call.kwargs:
        text = kw.value.string
        if text is None:
            b = kw.value.boolean
            text = b if b is not None else kw.value.number if kw.value.number is not None else kw.value.source
        values[kw.key] = (text, kw)
    if call.args:
        first = call.args[0]
        values.setdefault("on", (first.string if first.string is not None else first.source, first))
    on = values.get("on", (None, None))[0]
    interval = values.get("interval", (None, None))[0]
    relative_to = values.get("relative_to", (None, None))[0]
    at = values.get("at", (None, None))[0]
    for key, (value, _kw) in values.items():
        if key not in ("on", "interval", "relative_to", "at"):
            options[key] = value
    seconds = None
    if interval is not None or relative_to is not None:
        kind = "relative_time"
        if interval is None or relative_to is None:
            raise JourneySyntaxError("a relative trigger needs both interval: and relative_to:",
                                     call.line, call.column, source)
        seconds = interval_seconds(str(interval))
        if seconds is None:
            kw = values["interval"][1]
            raise JourneySyntaxError(f'cannot read the interval "{interval}" (write it like "+3m", '
                                     f'"-1d" or "+2h")', kw.line, kw.column, source)
    elif at is not None:
        kind = "specific_time"
    elif on is not None:
        kind = _KINDS.get(re.sub(r"[\s_]+", " ", str(on)).strip().upper(), "")
        if not kind:
            kw = values["on"][1]
            known = ", ".join(f'"{k}"' for k in ("MESSAGE RECEIVED", "FIRST VISIT", "CATCH ALL"))
            raise JourneySyntaxError(f'unknown trigger "{on}" (known: {known})', kw.line, kw.column,
                                     source)
    else:
        raise JourneySyntaxError('trigger(...) needs on: "MESSAGE RECEIVED" or interval: and '
                                 "relative_to:", call.line, call.column, source)
    condition = code_value(node.condition, source) if node.condition is not None else None
    return Trigger(kind=kind, on=None if on is None else str(on), condition=condition,
                   condition_source=node.condition.source if node.condition is not None else None,
                   interval=None if interval is None else str(interval), interval_seconds=seconds,
                   relative_to=None if relative_to is None else str(relative_to),
                   at=None if at is None else str(at), options=options, line=node.line,
                   column=node.column)
