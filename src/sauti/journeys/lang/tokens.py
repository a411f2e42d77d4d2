"""Tokens of the Journeys DSL (the structural layer around expressions)."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class TokenKind(enum.Enum):
    NAME = "name"            # identifiers and reserved words (card, do, end, when, if, ...)
    KEYWORD = "keyword"      # `name:` — a keyword argument or card option
    STRING = "string"        # "...", '...', """..."""; .value holds the unescaped text
    NUMBER = "number"
    CAPTURE = "capture"      # &1, &2 (lambda arguments)
    OP = "op"                # operators and other punctuation (=, ==, &, @, ., ...)
    LPAREN = "("
    RPAREN = ")"
    LBRACKET = "["
    RBRACKET = "]"
    LBRACE = "{"
    RBRACE = "}"
    COMMA = ","
    NEWLINE = "newline"
    EOF = "end of text"


OPENERS = {TokenKind.LPAREN: TokenKind.RPAREN, TokenKind.LBRACKET: TokenKind.RBRACKET,
           TokenKind.LBRACE: TokenKind.RBRACE}
CLOSERS = frozenset(OPENERS.values())

# Operators after which an expression continues on the next line.
CONTINUATION_OPS = frozenset({
    "=", "==", "!=", "<>", ">", ">=", "<", "<=", "+", "-", "*", "/", "^", "&", "&&", "||", "|>",
    "..", "//", ".", "=>", "++", "|", "@",
})
# Words that continue an expression when they end a line or start the next one.
CONTINUATION_WORDS = frozenset({"and", "or", "not", "in"})
# Reserved words of the structural layer.
RESERVED = frozenset({"card", "do", "end", "when", "stack", "else"})


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str          # the source text of the token
    line: int          # 1-based
    column: int        # 1-based
    offset: int        # index of the first character in the whole source
    end: int           # index after the last character
    value: object = None  # unescaped string value, or the number

    def is_name(self, *names: str) -> bool:
        return self.kind is TokenKind.NAME and self.text in names

    def is_op(self, *ops: str) -> bool:
        return self.kind is TokenKind.OP and self.text in ops

    def describe(self) -> str:
        """How an error message names this token."""
        if self.kind is TokenKind.EOF:
            return "end of text"
        if self.kind is TokenKind.NEWLINE:
            return "end of line"
        if self.kind is TokenKind.STRING:
            text = self.text if len(self.text) <= 30 else self.text[:27] + "..."
            return f"string {text}"
        if self.kind is TokenKind.KEYWORD:
            return f'"{self.text}:"'
        return f'"{self.text}"'
