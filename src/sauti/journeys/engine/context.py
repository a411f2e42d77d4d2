"""The expression context of a session (spec/journeys.md §1.6) and the evaluation seam.

Built lazily once per change: an assignment or a contact update invalidates it, so a card of
ten texts prepares the context once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sauti.expressions import prepare_context

from .values import as_text

if TYPE_CHECKING:
    from .state import State


class Context:
    """What `Value.evaluate(ctx)` talks to: evaluate code, render templates."""

    __slots__ = ("state", "now", "names", "_data", "_prepare", "_prepared")

    def __init__(self, state: State, now: dt.datetime, names: frozenset[str] | None = None) -> None:
        self.state = state
        self.names = names
        self.now = now
        self._data: dict | None = None
        self._prepare = prepare_context
        # Top-level name -> (value as given, value as prepared). Preparing (lower-cased keys,
        # typed literals) walks whole HTTP bodies, so each root is prepared again only when it
        # is replaced: an assignment re-prepares one variable, not the whole context.
        self._prepared: dict[str, tuple[Any, Any]] = {}

    def invalidate(self) -> None:
        self._data = None

    def _root(self, name: str, value: Any) -> Any:
        hit = self._prepared.get(name)
        if hit is not None and hit[0] is value:
            return hit[1]
        prepared = next(iter(self._prepare({name: value}, coerce=True).values()))
        self._prepared[name] = (value, prepared)
        return prepared

    def data(self) -> dict:
        if self._data is None:
            st = self.state
            root = self._root
            used = self.names
            data: dict[str, Any] = {}
            # Roots no expression of the journey names are left out (see Program.names).
            for name, value in st.vars.items():
                low = name.lower()
                if used is None or low in used:
                    data[low] = root(name, value)
            for name, items in st.dictionaries.items():
                low = name.lower()
                if used is None or low in used:
                    data[low] = {"items": root("dictionary:" + name, items)}
            for name, value in (("contact", st.contact), ("chat", st.chat), ("global", st.globals),
                                ("results", st.results)):
                if used is None or name in used:
                    data[name] = root(name, value)
            if used is None or "event" in used:
                data["event"] = {"message": root("event.message", st.message) or {}}
            data["__now__"] = self.now
            self._data = data
        return self._data

    def evaluate(self, expr: Any) -> Any:
        return expr.evaluate(self.data(), prepared=True)

    def render(self, expr: Any) -> str:
        return expr.render(self.data(), prepared=True)

    def text(self, value: Any) -> str:
        """Text of a compiled Value: templates render, code renders its result, constants print."""
        expr = getattr(value, "expr", None)
        if expr is not None:
            return self.render(expr)
        return as_text(value.evaluate(self))
