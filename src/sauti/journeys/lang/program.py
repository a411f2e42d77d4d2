"""The executable form of a journey: cards of ops over compiled values. Immutable, shareable
between sessions and threads, cached by the shell per version hash."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .errors import Diagnostic

DEFAULT_INTERACTION_TIMEOUT = 300


class Value:
    """A compiled argument. `evaluate(ctx)` needs a context built by the engine."""

    __slots__ = ()
    raw: str = ""

    def evaluate(self, ctx: Any) -> Any:  # pragma: no cover - interface
        raise NotImplementedError


class Lit(Value):
    """A constant known at compile time (numbers, booleans, strings without `@`)."""

    __slots__ = ("value", "raw")

    def __init__(self, value: Any, raw: str = "") -> None:
        self.value = value
        self.raw = raw if raw else (value if isinstance(value, str) else "")

    def evaluate(self, ctx: Any) -> Any:
        return self.value

    def __repr__(self) -> str:
        return f"Lit({self.value!r})"


class Tpl(Value):
    """A string argument with `@` interpolation; always evaluates to text."""

    __slots__ = ("expr", "raw")

    def __init__(self, expr: Any, raw: str) -> None:
        self.expr = expr
        self.raw = raw

    def evaluate(self, ctx: Any) -> Any:
        return ctx.render(self.expr)

    def __repr__(self) -> str:
        return f"Tpl({self.raw!r})"


class Code(Value):
    """An expression in a code position (no `@` needed); evaluates to any value."""

    __slots__ = ("expr", "raw")

    def __init__(self, expr: Any, raw: str) -> None:
        self.expr = expr
        self.raw = raw

    def evaluate(self, ctx: Any) -> Any:
        return ctx.evaluate(self.expr)

    def __repr__(self) -> str:
        return f"Code({self.raw!r})"


class ListOf(Value):
    """A list literal whose elements were compiled one by one (keeps per-element raw text)."""

    __slots__ = ("items", "raw")

    def __init__(self, items: tuple[Value, ...], raw: str = "") -> None:
        self.items = items
        self.raw = raw

    def evaluate(self, ctx: Any) -> Any:
        return [v.evaluate(ctx) for v in self.items]

    def __repr__(self) -> str:
        return f"ListOf({list(self.items)!r})"


@dataclass(frozen=True, slots=True)
class Option:
    """One button/list row/template quick reply known at compile time."""

    card: str | None     # destination card (None for string options)
    label: Value         # what the user sees (evaluated when sent)
    raw: str             # the unevaluated label text: the option id, as in Turn
    name: str            # the answer's `name`/value: snake_case card name or the label
    line: int = 0
    column: int = 0


@dataclass(frozen=True, slots=True)
class Op:
    """One card item. `kind` selects the engine function; `params` holds compiled values."""

    kind: str
    params: dict
    target: str | None = None    # variable receiving the result (`x = ask(...)`)
    line: int = 0
    column: int = 0

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


@dataclass(frozen=True, slots=True)
class CardVariant:
    name: str
    index: int                    # position among the variants sharing this name
    label: Value | None           # display label (`card X, "label"`)
    raw_label: str | None
    condition: Value | None
    then: str | None
    ops: tuple[Op, ...]
    code_generator: str | None = None
    uuid: str | None = None
    version: str | None = None
    line: int = 0
    column: int = 0

    @property
    def is_placeholder(self) -> bool:
        """Canvas placeholder cards (`RESERVED_DEFAULT_CARD`, ...) are never a start card."""
        return self.name.startswith("RESERVED_") or (self.code_generator or "").startswith("RESERVED_")


@dataclass(frozen=True, slots=True)
class Trigger:
    """A `trigger(...)` line, structured for the shell's trigger matching (spec §1.9)."""

    kind: str                     # message_received | first_visit | catch_all | relative_time | specific_time
    on: str | None
    condition: Value | None
    condition_source: str | None
    interval: str | None = None   # "+1m"
    interval_seconds: int | None = None
    relative_to: str | None = None   # "contact.next_engagement_time"
    at: str | None = None
    options: dict = field(default_factory=dict)
    line: int = 0
    column: int = 0

    def to_dict(self) -> dict:
        return {"kind": self.kind, "on": self.on, "condition": self.condition_source,
                "interval": self.interval, "interval_seconds": self.interval_seconds,
                "relative_to": self.relative_to, "at": self.at, "options": dict(self.options),
                "line": self.line, "column": self.column}


@dataclass(frozen=True, slots=True)
class CellInfo:
    """Where a notebook cell sits on the canvas (for the editor's graph)."""

    kind: str
    line: int
    section: str | None = None
    x: float | None = None
    y: float | None = None
    cards: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Program:
    """A compiled journey. `cards` maps a name to its variants in source order."""

    cards: dict[str, tuple[CardVariant, ...]]
    start: str | None
    triggers: tuple[Trigger, ...] = ()
    interaction_timeout: int = DEFAULT_INTERACTION_TIMEOUT
    dictionaries: dict[str, dict] = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()
    name: str | None = None
    source_hash: str = ""
    cells: tuple[CellInfo, ...] = ()
    names: frozenset[str] | None = None   # words used in code cells (None: unknown, use all)

    def edges(self) -> list[tuple[str, str, str]]:
        """(from card, to card, how) for every connection, for the editor's graph."""
        out: list[tuple[str, str, str]] = []
        for name, variants in self.cards.items():
            for v in variants:
                if v.then:
                    out.append((name, v.then, "then"))
                for op in v.ops:
                    for target, how in op_targets(op):
                        out.append((name, target, how))
        return out


def op_targets(op: Op) -> list[tuple[str, str]]:
    """Cards an op can lead to."""
    out: list[tuple[str, str]] = []
    if op.kind == "then":
        out += [(t, "then") for t, _c in op.params["branches"]]
    for opt in op.params.get("options") or ():
        if opt.card:
            out.append((opt.card, "option"))
    if op.params.get("dynamic_target"):
        out.append((op.params["dynamic_target"], "option"))
    return out


_SNAKE_1 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_SNAKE_2 = re.compile(r"([a-z\d])([A-Z])")


def snake_case(name: str) -> str:
    """`ImPregnant` → "im_pregnant", `EDDRUnknown` → "eddr_unknown" (how Turn names answers and
    template payloads after cards)."""
    return _SNAKE_2.sub(r"\1_\2", _SNAKE_1.sub(r"\1_\2", name)).lower()
