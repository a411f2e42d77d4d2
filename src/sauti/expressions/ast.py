"""Syntax tree of the expression language: frozen, slotted nodes that compare by structure.

Every node keeps ``pos``, the offset of its first character in the source it was parsed from,
so evaluation errors can point at the right place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Node:
    pos: int


@dataclass(frozen=True, slots=True)
class Literal(Node):
    value: Any


@dataclass(frozen=True, slots=True)
class Var(Node):
    name: str


@dataclass(frozen=True, slots=True)
class Attr(Node):
    obj: Node
    name: str


@dataclass(frozen=True, slots=True)
class Index(Node):
    obj: Node
    index: Node


@dataclass(frozen=True, slots=True)
class Call(Node):
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Negate(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class ListLit(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class MapLit(Node):
    """``{"key": value, name: value}``: keys are lower-cased like every context key."""

    keys: tuple[str, ...]
    values: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class RangeLit(Node):
    start: Node
    stop: Node
    step: Node | None


@dataclass(frozen=True, slots=True)
class Lambda(Node):
    body: Node
    arity: int


@dataclass(frozen=True, slots=True)
class Arg(Node):
    number: int


@dataclass(frozen=True, slots=True)
class Chunk(Node):
    """An ``@…`` part of a template; ``text`` is what the author wrote, written back if unresolved."""

    expr: Node
    text: str


@dataclass(frozen=True, slots=True)
class Template(Node):
    """Text with ``@`` expressions: parts are plain strings and Chunks."""

    parts: tuple[str | Chunk, ...]


LOOKUPS = (Var, Attr, Index)
EAGER = (Call, Binary, Negate)  # the original evaluates these arguments before calling a function
