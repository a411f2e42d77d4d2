"""Shared helper for the table-driven function tests."""

from __future__ import annotations

from sauti.expressions import evaluate

NOW = "2024-01-15T09:30:00Z"  # a Monday


def run(source: str, context: dict | None = None):
    ctx = {"__now__": NOW, "__random__": 7}
    ctx.update(context or {})
    return evaluate(source, ctx)


def same(actual, expected) -> bool:
    """Equality that also checks the type (1 is not 1.0, True is not 1)."""
    if type(expected) is float:
        return type(actual) is float and abs(actual - expected) < 1e-9
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(
            same(a, e) for a, e in zip(actual, expected, strict=True))
    if isinstance(expected, dict):
        return isinstance(actual, dict) and actual.keys() == expected.keys() and all(
            same(actual[k], expected[k]) for k in expected)
    return type(actual) is type(expected) and actual == expected
