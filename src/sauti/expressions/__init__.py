"""Sauti's expression language (Turn/FLOIP "v1" dialect): pure Python, no Django, no I/O.

    evaluate("contact.age + 1", ctx)          # a journey code position
    render("Hi @contact.name!", ctx)          # text with @ expressions
    evaluate_template("@(1 + 2)", ctx)        # one expression alone → its value

Spec: ../shared/spec/expressions.md; reference for authors: docs/expressions.md.
"""

from . import functions as _functions  # noqa: F401  (fills the registry)
from .api import Expression, compile_expression, evaluate, evaluate_template, render
from .context import prepare_context
from .errors import ExpressionError
from .functions.registry import FunctionSpec, registry

registry.freeze()

__all__ = ["evaluate", "render", "evaluate_template", "compile_expression", "prepare_context",
           "Expression", "ExpressionError", "FunctionSpec", "registry"]
