"""The one seam between the Journeys language and `sauti.expressions`: compile code and
template expressions, turning their errors into JourneySyntaxError at the journey's position."""

from __future__ import annotations

from typing import Any

from sauti.expressions import ExpressionError, compile_expression

from .ast import Expr
from .errors import JourneySyntaxError
from .program import Code, Lit, Tpl, Value


def _error(exc: Exception, line: int, column: int, source: str | None) -> JourneySyntaxError:
    message = getattr(exc, "message", None) or str(exc)
    err_line = getattr(exc, "line", None) or line
    err_col = getattr(exc, "column", None) or column
    return JourneySyntaxError(message, err_line, err_col, source, code="expression")


def compile_code(source: str, line: int, column: int, full_source: str | None = None) -> Any:
    try:
        return compile_expression(source, mode="code", line=line, column=column)
    except ExpressionError as exc:
        raise _error(exc, line, column, full_source) from None


def compile_template(text: str, line: int, column: int, full_source: str | None = None) -> Any:
    try:
        return compile_expression(text, mode="template", line=line, column=column)
    except ExpressionError as exc:
        raise _error(exc, line, column, full_source) from None


def template_value(text: str, line: int, column: int, full_source: str | None = None) -> Value:
    """A string argument: constant when it holds no `@`, else a compiled template."""
    if "@" not in text:
        return Lit(text, text)
    return Tpl(compile_template(text, line, column, full_source), text)


def code_value(expr: Expr, full_source: str | None = None) -> Value:
    """An expression argument: a string literal is a template, simple literals are constants."""
    text = expr.string
    if text is not None:
        # Column + 1: positions inside the template start after the opening quote.
        return template_value(text, expr.line, expr.column + 1, full_source)
    number = expr.number
    if number is not None:
        return Lit(number, expr.source)
    boolean = expr.boolean
    if boolean is not None:
        return Lit(boolean, expr.source)
    if expr.name is not None and expr.name.lower() == "nil":
        return Lit(None, expr.source)
    return Code(compile_code(expr.source, expr.line, expr.column, full_source), expr.source)
