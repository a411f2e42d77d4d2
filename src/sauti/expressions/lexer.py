"""One-pass lexer for the code inside expressions; tokens are produced on demand.

The parser asks for one token at a time so that a partial parse can stop at the first token that
cannot continue the expression, and the template scanner can lex from any offset.
"""

from __future__ import annotations

import re

from .errors import ExpressionError
from .temporal import match_temporal
from .tokens import OPERATORS, PUNCTUATION, Token, TokenKind

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
NUMBER = re.compile(r"\d+(?:_\d+)*(?:\.\d+)?")
DIGITS = re.compile(r"[0-9]+")
OFFSET = re.compile(r"[+-]\d{2}:?\d{2}")
DIGIT_NAME = re.compile(r"[0-9A-Za-z_][A-Za-z0-9_-]*")
NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
SPACE = frozenset(" \t\r\f\v\u00a0")


def read_integer(text: str) -> int:
    """Integer literal; underscore groups are read one by one, so ``1_000`` is 10 (as upstream)."""
    groups = text.split("_")
    if len(groups) == 1:
        return int(text)
    return int("".join(str(int(g)) for g in groups))


class Lexer:
    """Lex ``src``; ``code`` enables ``#`` comments (journey code positions)."""

    __slots__ = ("src", "code", "length")

    def __init__(self, src: str, code: bool = False) -> None:
        self.src = src
        self.code = code
        self.length = len(src)

    def skip(self, pos: int) -> tuple[int, bool]:
        """Skip spaces, newlines and comments; report whether a newline was crossed."""
        src, n, newline = self.src, self.length, False
        while pos < n:
            c = src[pos]
            if c in SPACE:
                pos += 1
            elif c == "\n":
                newline = True
                pos += 1
            elif c == "#" and self.code:
                end = src.find("\n", pos)
                pos = n if end < 0 else end
            else:
                break
        return pos, newline

    def next(self, pos: int) -> Token:
        """The token after any whitespace at ``pos``."""
        start, newline = self.skip(pos)
        return self.lex(start, newline)

    def lex(self, pos: int, newline: bool = False) -> Token:
        src = self.src
        if pos >= self.length:
            return Token(TokenKind.EOF, "", pos, pos, newline)
        c = src[pos]
        if c.isdigit() and c.isascii():
            return self._number(pos, newline)
        if c in NAME_CHARS:
            m = NAME.match(src, pos)
            end = m.end()
            text = m.group()
            if end < self.length and src[end] == ":" and src[end + 1: end + 2] != ":":
                return Token(TokenKind.KEYWORD, text.lower() + ":", pos, end + 1, newline)
            return Token(TokenKind.NAME, text, pos, end, newline, text.lower())
        if c == '"' or c == "'":
            return self._string(pos, newline)
        # `&1`: a capture argument. ASCII digits only: "²" is a digit to str.isdigit(), not to int().
        arg = DIGITS.match(src, pos + 1) if c == "&" else None
        if arg is not None:
            end = arg.end()
            return Token(TokenKind.ARG, src[pos:end], pos, end, newline, int(src[pos + 1:end]))
        kind = PUNCTUATION.get(c)
        if kind is not None:
            return Token(kind, c, pos, pos + 1, newline)
        for op in OPERATORS:
            if src.startswith(op, pos):
                return Token(TokenKind.OP, op, pos, pos + len(op), newline)
        if c == ".":
            return Token(TokenKind.DOT, c, pos, pos + 1, newline)
        return Token(TokenKind.ERROR, c, pos, pos + 1, newline)

    def segment(self, pos: int) -> Token | None:
        """An attribute name right after a dot: letters, digits, ``_`` and ``-`` (``a.123.b``)."""
        m = SEGMENT.match(self.src, pos)
        if m is None:
            return None
        return Token(TokenKind.NAME, m.group(), pos, m.end(), False, m.group().lower())

    def _number(self, pos: int, newline: bool) -> Token:
        src = self.src
        found = match_temporal(src, pos)
        if found is not None:
            value, end = found
            if OFFSET.match(src, end) and "T" in src[pos:end]:
                # Upstream cannot read offsets; the @ expression falls back to plain text.
                raise ExpressionError("datetimes must be written in UTC (end them with Z); "
                                      "offsets like +02:00 are not supported", offset=end)
            return Token(TokenKind.TEMPORAL, src[pos:end], pos, end, newline, value)
        m = NUMBER.match(src, pos)
        end = m.end()
        if end < self.length and (src[end].isalpha() or src[end] == "_"):
            # Names may start with a digit (`2nd_visit`), as upstream allows.
            m = DIGIT_NAME.match(src, pos)
            text = m.group()
            return Token(TokenKind.NAME, text, pos, m.end(), newline, text.lower())
        text = m.group()
        if "." in text:
            value = float(text.replace("_", ""))
        else:
            value = read_integer(text)
        return Token(TokenKind.NUMBER, text, pos, end, newline, value)

    def _string(self, pos: int, newline: bool) -> Token:
        src = self.src
        quote = src[pos]
        if src.startswith('"""', pos):
            close = src.find('"""', pos + 3)
            if close < 0:
                raise ExpressionError("this text has no closing \"\"\"", offset=pos)
            raw = src[pos + 3: close]
            content_start = pos + 3
            body, shift = heredoc(raw)
            return Token(TokenKind.STRING, src[pos: close + 3], pos, close + 3, newline,
                         (unescape(body), content_start + shift))
        i = pos + 1
        n = self.length
        while i < n:
            ch = src[i]
            if ch == "\\" and i + 1 < n and src[i + 1] in "\"'":
                i += 2
                continue
            if ch == quote:
                return Token(TokenKind.STRING, src[pos: i + 1], pos, i + 1, newline,
                             (unescape(src[pos + 1: i]), pos + 1))
            i += 1
        raise ExpressionError(f"this text has no closing {quote}", offset=pos)


def unescape(text: str) -> str:
    """Only ``\\"`` and ``\\'`` are escapes; every other backslash stays as written."""
    if "\\" not in text:
        return text
    return text.replace("\\\"", "\"").replace("\\'", "'")


def heredoc(raw: str) -> tuple[str, int]:
    """Triple-quoted text: drop the first newline and the closing line's indentation (Elixir)."""
    if raw.startswith("\r\n"):
        raw, shift = raw[2:], 2
    elif raw.startswith("\n"):
        raw, shift = raw[1:], 1
    else:
        return raw, 0
    last_newline = raw.rfind("\n")
    tail = raw[last_newline + 1:]
    if tail.strip(" \t"):
        return raw, shift
    indent = len(tail)
    lines = raw[: last_newline + 1].split("\n") if last_newline >= 0 else [""]
    out = []
    for line in lines:
        strip = 0
        while strip < indent and strip < len(line) and line[strip] in " \t":
            strip += 1
        out.append(line[strip:])
    return "\n".join(out), shift + min(indent, len(lines[0]) - len(lines[0].lstrip(" \t")))
