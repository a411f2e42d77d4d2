"""Errors and diagnostics of the Journeys language: every one names a line and a column."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a journey source, for the editor and `sauti journeys check`."""

    severity: str  # "error" | "warning"
    message: str
    line: int
    column: int
    code: str = ""

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"

    def format(self, path: str) -> str:
        """`file:line:col: message` as `sauti journeys check` prints it (warnings say so)."""
        prefix = "warning: " if self.severity == WARNING else ""
        return f"{path}:{self.line}:{self.column}: {prefix}{self.message}"

    def to_dict(self) -> dict:
        return {"severity": self.severity, "message": self.message, "line": self.line,
                "column": self.column, "code": self.code}


class JourneySyntaxError(Exception):
    """A journey that cannot compile. `.line`/`.column` are 1-based and point into the whole source
    (notebook cells keep their position in the Markdown file)."""

    def __init__(self, message: str, line: int, column: int, source: str | None = None,
                 code: str = "syntax") -> None:
        super().__init__(f"line {line}, column {column}: {message}")
        self.message = message
        self.line = line
        self.column = column
        self.source = source
        self.code = code

    # Aliases some tools read (the conformance runner tries these too).
    @property
    def lineno(self) -> int:
        return self.line

    @property
    def colno(self) -> int:
        return self.column

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(ERROR, self.message, self.line, self.column, self.code)

    def caret_view(self) -> str:
        """The offending source line with a caret under the column (for terminals)."""
        if not self.source:
            return str(self)
        lines = self.source.splitlines()
        if not 1 <= self.line <= len(lines):
            return str(self)
        text = lines[self.line - 1]
        return f"{self}\n  {text}\n  {' ' * (self.column - 1)}^"
