"""Token kinds and the token record produced by the lexer."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class TokenKind(enum.Enum):
    NUMBER = "number"
    TEMPORAL = "date or time"
    STRING = "text"
    NAME = "name"
    KEYWORD = "keyword"  # `do:`, `else:` — a name glued to a colon
    ARG = "lambda argument"
    OP = "operator"
    LPAREN = "("
    RPAREN = ")"
    LBRACKET = "["
    RBRACKET = "]"
    LBRACE = "{"
    RBRACE = "}"
    COLON = ":"
    COMMA = ","
    DOT = "."
    AT = "@"
    EOF = "end of text"
    ERROR = "character"


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str  # the source text of the token
    start: int
    end: int
    nl_before: bool = False  # a newline separates it from the previous token
    value: Any = None

    def describe(self) -> str:
        if self.kind is TokenKind.EOF:
            return "end of text"
        if self.kind is TokenKind.STRING:
            return "a text in quotes"
        return f'"{self.text}"'


# Operators, longest first so that `<=` wins over `<`.
OPERATORS = ("==", "!=", "<>", "<=", ">=", "..", "//", "=", "<", ">", "+", "-", "*", "/", "^", "&")
PUNCTUATION = {"(": TokenKind.LPAREN, ")": TokenKind.RPAREN, "[": TokenKind.LBRACKET,
               "]": TokenKind.RBRACKET, ",": TokenKind.COMMA, "@": TokenKind.AT,
               "{": TokenKind.LBRACE, "}": TokenKind.RBRACE, ":": TokenKind.COLON}
