"""The expression context of a session (spec/journeys.md §1.6) and the evaluation seam.

Built lazily once per change: an assignment or a contact update invalidates it, so a card of
ten texts prepares the context once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .values import as_text

if TYPE_CHECKING:
    from .state import State


def _prepare() -> Any:
    from sauti.expressions import prepare_context

    return prepare_context


class Context:
    """What `Value.evaluate(ctx)` talks to: evaluate code, render templates."""

    __slots__ = ("state", "now", "_data", "_prepare")

    def __init__(self, state: State, now: dt.datetime) -> None:
        self.state = state
        self.now = now
        self._data: dict | None = None
        self._prepare = _prepare()

    def invalidate(self) -> None:
        self._data = None

    def data(self) -> dict:
        if self._data is None:
            st = self.state
            data: dict[str, Any] = dict(st.vars)
            for name, items in st.dictionaries.items():
                data[name] = {"items": items}
            data["contact"] = st.contact
            data["event"] = {"message": st.message or {}}
            data["chat"] = st.chat
            data["global"] = st.globals
            data["results"] = st.results
            data["__now__"] = self.now
            self._data = self._prepare(data, coerce=True)
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
