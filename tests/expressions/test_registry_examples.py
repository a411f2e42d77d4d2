"""Every example line in a function's docstring (``upper("ana") → "ANA"``) holds."""

from __future__ import annotations

import json

import pytest

from sauti.expressions import evaluate, registry
from sauti.expressions.values import strict_equal, to_json, to_str, unwrap

# The clock and the randomness the examples assume (see docs/expressions.md).
EXAMPLE_CONTEXT = {"__now__": "2024-01-15T09:30:00Z", "__random__": 1}

EXAMPLES = [(spec.name, expr, expected) for spec in registry.list_functions()
            for expr, expected in spec.examples]


def matches(actual, expected_text: str) -> bool:
    try:
        expected = json.loads(expected_text)
    except ValueError:
        return to_str(actual) == expected_text
    if isinstance(expected, (dict, list)):
        return json.loads(to_json(actual)) == expected
    actual = unwrap(actual)
    return strict_equal(actual, expected) and type(actual) is type(expected)


@pytest.mark.parametrize(("name", "expr", "expected"), EXAMPLES, ids=[e[1] for e in EXAMPLES])
def test_docstring_example(name, expr, expected):
    actual = evaluate(expr, EXAMPLE_CONTEXT)
    assert matches(actual, expected), f"{expr} gave {actual!r}, the docs say {expected}"


def test_every_function_has_a_summary_and_an_example():
    missing = [s.name for s in registry.list_functions() if not s.summary or not s.examples]
    assert missing == []
