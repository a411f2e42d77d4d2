"""Syntax tree of a journey: frozen nodes, each with its position; expressions stay source slices
that `sauti.expressions` compiles."""

from __future__ import annotations

from dataclasses import dataclass, field

from .tokens import Token, TokenKind


@dataclass(frozen=True, slots=True)
class Expr:
    """An expression in a code position, kept as the exact source slice (comments blanked)."""

    source: str
    line: int
    column: int
    tokens: tuple[Token, ...] = field(repr=False, compare=False)

    @property
    def string(self) -> str | None:
        """The unescaped text when the expression is one string literal."""
        if len(self.tokens) == 1 and self.tokens[0].kind is TokenKind.STRING:
            return self.tokens[0].value  # type: ignore[return-value]
        return None

    @property
    def name(self) -> str | None:
        """The identifier when the expression is one bare name (a card or a variable)."""
        if len(self.tokens) == 1 and self.tokens[0].kind is TokenKind.NAME:
            return self.tokens[0].text
        return None

    @property
    def number(self) -> int | float | None:
        if len(self.tokens) == 1 and self.tokens[0].kind is TokenKind.NUMBER:
            return self.tokens[0].value  # type: ignore[return-value]
        if (len(self.tokens) == 2 and self.tokens[0].is_op("-")
                and self.tokens[1].kind is TokenKind.NUMBER):
            return -self.tokens[1].value  # type: ignore[operator]
        return None

    @property
    def boolean(self) -> bool | None:
        if len(self.tokens) == 1 and self.tokens[0].kind is TokenKind.NAME:
            low = self.tokens[0].text.lower()
            if low in ("true", "false"):
                return low == "true"
        return None

    def items(self) -> list[Expr] | None:
        """The elements when the expression is a list literal `[a, b, ...]`, else None."""
        toks = self.tokens
        if len(toks) < 2 or toks[0].kind is not TokenKind.LBRACKET or toks[-1].kind is not TokenKind.RBRACKET:
            return None
        out: list[Expr] = []
        depth = 0
        start = 1
        for k in range(1, len(toks) - 1):
            t = toks[k]
            if t.kind in (TokenKind.LPAREN, TokenKind.LBRACKET, TokenKind.LBRACE):
                depth += 1
            elif t.kind in (TokenKind.RPAREN, TokenKind.RBRACKET, TokenKind.RBRACE):
                depth -= 1
                if depth < 0:
                    return None  # `[a][0]` is an index, not one list
            elif t.kind is TokenKind.COMMA and depth == 0:
                out.append(_sub(self, toks[start:k]))
                start = k + 1
        if depth != 0:
            return None
        tail = [t for t in toks[start:-1] if t.kind is not TokenKind.NEWLINE]
        if tail:
            out.append(_sub(self, tuple(tail)))
        return out


def _sub(parent: Expr, toks: tuple[Token, ...] | list[Token]) -> Expr:
    toks = tuple(t for t in toks if t.kind is not TokenKind.NEWLINE)
    if not toks:
        return Expr("", parent.line, parent.column, ())
    base = parent.tokens[0].offset
    first, last = toks[0], toks[-1]
    return Expr(parent.source[first.offset - base:last.end - base], first.line, first.column, toks)


@dataclass(frozen=True, slots=True)
class Pos:
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class KwArg:
    key: str
    value: Expr
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Call:
    """A journey function call such as `text("Hi")` or `buttons(A: "a") do ... end`."""

    name: str
    args: tuple[Expr, ...]
    kwargs: tuple[KwArg, ...]
    block: tuple[Stmt, ...] | None
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0

    def kw(self, key: str) -> Expr | None:
        for k in self.kwargs:
            if k.key == key:
                return k.value
        return None


@dataclass(frozen=True, slots=True)
class Assign:
    target: str
    value: Call | Expr
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class CallStmt:
    call: Call
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class ThenStmt:
    target: str
    condition: Expr | None
    line: int
    column: int
    target_line: int
    target_column: int


@dataclass(frozen=True, slots=True)
class ExprStmt:
    expr: Expr
    line: int
    column: int


Stmt = Assign | CallStmt | ThenStmt | ExprStmt


@dataclass(frozen=True, slots=True)
class CardNode:
    name: str
    label: Expr | None           # the display label (second positional argument)
    condition: Expr | None       # `when <expr>`
    then: str | None             # `then: Next`
    then_pos: Pos | None
    options: tuple[tuple[str, object], ...]   # version:, uuid:, code_generator:, ...
    body: tuple[Stmt, ...]
    line: int
    column: int

    def option(self, key: str) -> object:
        for k, v in self.options:
            if k == key:
                return v
        return None


@dataclass(frozen=True, slots=True)
class TriggerNode:
    call: Call
    condition: Expr | None
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class JourneyNode:
    cards: tuple[CardNode, ...]
    triggers: tuple[TriggerNode, ...]
    settings: tuple[Call, ...]   # interaction_timeout(300), ai_auto_memory(false), ...
    name: str | None = None      # from a `stack Name do ... end` wrapper
