"""One-pass lexer for the Journeys DSL; positions are those of the whole source file."""

from __future__ import annotations

from .errors import JourneySyntaxError
from .tokens import Token, TokenKind

_PUNCT = {"(": TokenKind.LPAREN, ")": TokenKind.RPAREN, "[": TokenKind.LBRACKET,
          "]": TokenKind.RBRACKET, "{": TokenKind.LBRACE, "}": TokenKind.RBRACE,
          ",": TokenKind.COMMA}
# Longest first: the lexer tries three-, then two-, then one-character operators.
_OPS3 = frozenset({"===", "!==", "<<<", ">>>", "..."})
_OPS2 = frozenset({"==", "!=", "<>", ">=", "<=", "=>", "->", "|>", "..", "//", "&&", "||", "++",
                   "<-", "::"})
_OPS1 = frozenset("=<>+-*/^&|!.%~@:?;\\")
_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "t": "\t", "r": "\r"}


def unescape(text: str) -> str:
    """Resolve the escapes the DSL knows (\\" \\' \\\\ \\n \\t \\r); keep any other backslash as
    written, because authors write regexes such as "^\\d+$" in plain strings."""
    if "\\" not in text:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in _ESCAPES:
            out.append(_ESCAPES[text[i + 1]])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _is_name_start(ch: str) -> bool:
    return ch == "_" or ch.isalpha()


def _is_name_char(ch: str) -> bool:
    return ch == "_" or ch.isalnum()


class Lexer:
    """Tokenises `source[start:end]`; `line` is the line number of `source[start]`."""

    def __init__(self, source: str, start: int = 0, end: int | None = None, line: int = 1) -> None:
        self.src = source
        self.pos = start
        self.stop = len(source) if end is None else end
        self.line = line
        # Offset of the first character of the current line (columns are counted from it).
        self.line_start = source.rfind("\n", 0, start) + 1
        self.comments: list[tuple[int, int]] = []   # (start, end) of each `#` comment

    def error(self, message: str, offset: int | None = None) -> JourneySyntaxError:
        offset = self.pos if offset is None else offset
        line = self.src.count("\n", 0, offset) + 1
        column = offset - (self.src.rfind("\n", 0, offset) + 1) + 1
        return JourneySyntaxError(message, line, column, self.src)

    def _tok(self, kind: TokenKind, start: int, value: object = None, line: int | None = None,
             column: int | None = None) -> Token:
        if line is None:
            line, column = self.line, start - self.line_start + 1
        return Token(kind, self.src[start:self.pos], line, column, start, self.pos, value)

    def tokens(self) -> list[Token]:
        out: list[Token] = []
        src, stop = self.src, self.stop
        while True:
            # Skip blanks and comments.
            while self.pos < stop:
                ch = src[self.pos]
                if ch in " \t\r\f\v\ufeff":
                    self.pos += 1
                elif ch == "#":
                    nl = src.find("\n", self.pos, stop)
                    end = stop if nl < 0 else nl
                    self.comments.append((self.pos, end))
                    self.pos = end
                else:
                    break
            if self.pos >= stop:
                out.append(Token(TokenKind.EOF, "", self.line, self.pos - self.line_start + 1,
                                 self.pos, self.pos))
                return out
            start = self.pos
            ch = src[start]
            if ch == "\n":
                self.pos += 1
                if not out or out[-1].kind is not TokenKind.NEWLINE:
                    out.append(self._tok(TokenKind.NEWLINE, start))
                self.line += 1
                self.line_start = self.pos
            elif ch == '"' or ch == "'":
                out.append(self._string(ch))
            elif "0" <= ch <= "9":  # not str.isdigit(): "²" is a digit to Python, not a number to int()
                out.append(self._number())
            elif _is_name_start(ch):
                self.pos += 1
                while self.pos < stop and _is_name_char(src[self.pos]):
                    self.pos += 1
                if self.pos < stop and src[self.pos] in "?!" and not src.startswith("!=", self.pos):
                    self.pos += 1
                # `name:` is a keyword argument (`then: X`, also written `then:X`), but `a::b` is not.
                if (self.pos < stop and src[self.pos] == ":"
                        and (self.pos + 1 >= stop or src[self.pos + 1] != ":")):
                    tok = self._tok(TokenKind.KEYWORD, start)
                    self.pos += 1
                    out.append(Token(TokenKind.KEYWORD, tok.text, tok.line, tok.column, start, self.pos))
                else:
                    out.append(self._tok(TokenKind.NAME, start))
            elif ch == "&" and self.pos + 1 < stop and "0" <= src[self.pos + 1] <= "9":
                self.pos += 1
                while self.pos < stop and "0" <= src[self.pos] <= "9":
                    self.pos += 1
                out.append(self._tok(TokenKind.CAPTURE, start))
            elif ch in _PUNCT:
                self.pos += 1
                out.append(self._tok(_PUNCT[ch], start))
            elif src[start:start + 3] in _OPS3:
                self.pos += 3
                out.append(self._tok(TokenKind.OP, start))
            elif src[start:start + 2] in _OPS2:
                self.pos += 2
                out.append(self._tok(TokenKind.OP, start))
            elif ch in _OPS1:
                self.pos += 1
                out.append(self._tok(TokenKind.OP, start))
            else:
                raise self.error(f"unexpected character {ch!r}")

    def _number(self) -> Token:
        src, stop, start = self.src, self.stop, self.pos
        while self.pos < stop and ("0" <= src[self.pos] <= "9" or src[self.pos] == "_"):
            self.pos += 1
        is_float = False
        if (self.pos + 1 < stop and src[self.pos] == "." and "0" <= src[self.pos + 1] <= "9"):
            is_float = True
            self.pos += 1
            while self.pos < stop and ("0" <= src[self.pos] <= "9" or src[self.pos] == "_"):
                self.pos += 1
        text = src[start:self.pos].replace("_", "")
        return self._tok(TokenKind.NUMBER, start, float(text) if is_float else int(text))

    def _string(self, quote: str) -> Token:
        src, stop, start = self.src, self.stop, self.pos
        line, column = self.line, start - self.line_start + 1
        if quote == '"' and src.startswith('"""', start):
            return self._triple(start, line, column)
        i = start + 1
        while i < stop:
            ch = src[i]
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                break
            if ch == "\n":
                self.line += 1
                self.line_start = i + 1
            i += 1
        else:
            self.pos = start
            raise self.error(f"unclosed string: expected a closing {quote} before end of text", start)
        self.pos = i + 1
        return self._tok(TokenKind.STRING, start, unescape(src[start + 1:i]), line, column)

    def _triple(self, start: int, line: int, column: int) -> Token:
        src, stop = self.src, self.stop
        close = src.find('"""', start + 3, stop)
        if close < 0:
            raise self.error('unclosed string: expected a closing """ before end of text', start)
        body = src[start + 3:close]
        first_nl = body.find("\n")
        if first_nl >= 0 and not body[:first_nl].strip():
            # Heredoc: the text starts on the next line and is dedented by the indentation of
            # the closing quotes; the newline before them is kept (as Elixir heredocs do).
            last_nl = body.rfind("\n")
            indent = body[last_nl + 1:]
            if indent.strip():
                indent = ""
                content_lines = body[first_nl + 1:].split("\n")
            else:
                content_lines = body[first_nl + 1:last_nl + 1].split("\n")
            width = len(indent)
            out = []
            for text in content_lines:
                k = 0
                while k < width and k < len(text) and text[k] in " \t":
                    k += 1
                out.append(text[k:])
            value = "\n".join(out)
        else:
            value = body
        for k in range(start, close):
            if src[k] == "\n":
                self.line += 1
                self.line_start = k + 1
        self.pos = close + 3
        return self._tok(TokenKind.STRING, start, unescape(value), line, column)


def tokenize(source: str, start: int = 0, end: int | None = None, line: int = 1) -> list[Token]:
    """Tokens of `source[start:end]` ending with an EOF token; raises JourneySyntaxError."""
    return Lexer(source, start, end, line).tokens()
