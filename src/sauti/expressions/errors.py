"""Errors raised by the expression language; messages are written for journey authors."""

from __future__ import annotations


class ExpressionError(Exception):
    """A syntax or evaluation problem, with its 1-based position when known.

    ``message`` is the bare text, ``line``/``column`` locate it in the source the author wrote, and
    ``str(error)`` joins them: ``line 1, column 9: expected ")" after the arguments to upper, found
    end of text``.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 *, offset: int | None = None, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
        self.source = source

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"line {self.line}, column {self.column}: {self.message}"

    def __reduce__(self):  # keep the position when pickled (errors cross process boundaries in logs)
        return (_rebuild, (self.message, self.line, self.column, self.offset, self.source))

    def caret(self) -> str:
        """The offending source line with a caret under the column, for editors and CLI output."""
        if self.source is None or self.offset is None:
            return str(self)
        start = self.source.rfind("\n", 0, self.offset) + 1
        end = self.source.find("\n", self.offset)
        text = self.source[start: end if end >= 0 else len(self.source)]
        return f"{self}\n  {text}\n  {' ' * (self.offset - start)}^"


def _rebuild(message, line, column, offset, source):
    return ExpressionError(message, line, column, offset=offset, source=source)


def locate(source: str, offset: int, line: int = 1, column: int = 1) -> tuple[int, int]:
    """Turn an offset into (line, column), given where ``source`` starts in the author's file."""
    offset = max(0, min(offset, len(source)))
    newlines = source.count("\n", 0, offset)
    if newlines == 0:
        return line, column + offset
    return line + newlines, offset - source.rfind("\n", 0, offset)


def positioned(error: ExpressionError, source: str, line: int = 1, column: int = 1) -> ExpressionError:
    """Fill in line and column of an error raised with only an offset (idempotent)."""
    if error.line is None and error.offset is not None:
        error.line, error.column = locate(source, error.offset, line, column)
        error.source = source
    return error
