"""The public entry points: compile once (cached), evaluate and render many times."""

from __future__ import annotations

import functools
from typing import Any, Literal

from . import ast
from .compiler import State, compile_node, compile_parts, finish, render_parts
from .context import prepare_context
from .errors import ExpressionError, positioned
from .parser import parse_code, parse_template
from .values import Missing, to_str

Mode = Literal["code", "template"]


class Expression:
    """A compiled expression: immutable, cacheable, safe to evaluate from many threads at once.

    ``mode="code"`` is a journey code position (``contact.age > 18``); ``mode="template"`` is text
    with ``@`` expressions (``Hi @contact.name``).
    """

    __slots__ = ("source", "mode", "tree", "line", "column", "_value", "_render")

    def __init__(self, source: str, mode: Mode, tree: ast.Node, line: int, column: int) -> None:
        setter = object.__setattr__
        setter(self, "source", source)
        setter(self, "mode", mode)
        setter(self, "tree", tree)
        setter(self, "line", line)
        setter(self, "column", column)
        if isinstance(tree, ast.Template):
            parts = compile_parts(tree.parts)
            render = render_parts(parts)
            if len(tree.parts) == 1 and isinstance(tree.parts[0], ast.Chunk):
                value = compile_node(tree.parts[0].expr)  # one expression alone: its value
            else:
                value = render
        else:
            value = compile_node(tree)

            def render(s, value=value):
                v = value(s)
                return v if type(v) is str else to_str(None if type(v) is Missing else v)

        setter(self, "_value", value)
        setter(self, "_render", render)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("compiled expressions are immutable")

    def __repr__(self) -> str:
        return f"Expression({self.source!r}, mode={self.mode!r})"

    def evaluate(self, context: Any = None, coerce: bool = True, prepared: bool = False) -> Any:
        """The value: code mode gives the expression's value; a template gives its one
        expression's value when it is nothing else, otherwise the rendered text."""
        state = State(context if prepared else prepare_context(context, coerce))
        try:
            return finish(self._value(state))
        except ExpressionError as error:
            raise positioned(error, self.source, self.line, self.column) from None
        except RecursionError:
            raise ExpressionError("this expression is nested too deeply") from None

    def render(self, context: Any = None, coerce: bool = True, prepared: bool = False) -> str:
        """Always text: unresolved ``@references`` in templates are written back as typed."""
        state = State(context if prepared else prepare_context(context, coerce))
        try:
            return self._render(state)
        except ExpressionError as error:
            raise positioned(error, self.source, self.line, self.column) from None
        except RecursionError:
            raise ExpressionError("this expression is nested too deeply") from None


@functools.lru_cache(maxsize=8192)
def _compile_cached(source: str, mode: Mode, line: int, column: int, strict: bool) -> tuple[Expression, int]:
    return _compile(source, mode, line, column, False, strict)


def _compile(source: str, mode: Mode, line: int, column: int, partial: bool,
             strict: bool) -> tuple[Expression, int]:
    try:
        if mode == "code":
            tree, end = parse_code(source, partial=partial)
            text = source[:end] if partial else source
        elif mode == "template":
            tree, end, text = parse_template(source, strict=strict), len(source), source
        else:
            raise ValueError(f"unknown mode {mode!r}: use 'code' or 'template'")
        return Expression(text, mode, tree, line, column), end
    except ExpressionError as error:
        raise positioned(error, source, line, column) from None
    except RecursionError:
        raise ExpressionError("this expression is nested too deeply", line, column) from None


def compile_expression(source: str, mode: Mode = "code", *, line: int = 1, column: int = 1,
                       partial: bool = False, strict: bool = False):
    """Parse and compile once (LRU-cached by source and mode).

    Raises ExpressionError on a syntax error, positioned relative to ``line``/``column`` (where
    ``source`` starts in the author's file). With ``partial=True`` (code mode) returns
    ``(expression, end)``: the longest valid expression at the start of ``source`` and the
    offset just past it. ``strict=True`` (template mode) reports an ``@`` that starts nothing
    instead of keeping it as text, for editors.
    """
    if not isinstance(source, str):
        source = to_str(source)
    if partial and mode != "code":
        raise ValueError("partial parsing is only for code mode")
    if partial:
        # Not cached: the source is usually the rest of a journey file, not one expression.
        expression, end = _compile(source, mode, line, column, True, strict)
    else:
        expression, end = _compile_cached(source, mode, line, column, strict)
    return (expression, end) if partial else expression


def evaluate(source: str, context: Any = None, coerce: bool = True) -> Any:
    """Evaluate a code-position expression (no ``@`` needed): ``evaluate("contact.age + 1", ctx)``."""
    return compile_expression(source, "code").evaluate(context, coerce)


def render(source: str, context: Any = None, coerce: bool = True) -> str:
    """Render text with ``@`` expressions: ``render("Hi @contact.name!", ctx)`` → ``"Hi Ana!"``."""
    return compile_expression(source, "template").render(context, coerce)


def evaluate_template(source: str, context: Any = None, coerce: bool = True) -> Any:
    """One ``@`` expression alone gives its value (``"@(1 + 2)"`` → 3); otherwise rendered text."""
    return compile_expression(source, "template").evaluate(context, coerce)


__all__ = ["Expression", "compile_expression", "evaluate", "render", "evaluate_template",
           "prepare_context", "ExpressionError"]
