"""Pathological input ends with ExpressionError quickly, never a hang or a crash."""

from __future__ import annotations

import time

import pytest

from sauti.expressions import ExpressionError, compile_expression, evaluate, prepare_context, render

PATHOLOGICAL = [
    "map(1..100000, &(&1))",
    "map(1..5000, &map(1..5000, &(&1)))",
    "count(map(1..9000, &map(1..9000, &(&1))))",
    "rept(\"x\", 1000000000)",
    "reduce(1..10000, \"\", &(&2 & \"xxxxxxxxxxxxxxxxxxxx\"))",
    "reduce(1..10000, 1, &(&1 * &2))",
    "10 ^ 400",
    "levenshtein_distance(rept(\"a\", 5000), rept(\"b\", 5000))",
    "has_pattern(rept(\"a\", 20000), \"a\")",
    "has_pattern(\"aaaa\", rept(\"a\", 2000))",
    "substitute(rept(\"a\", 90000), \"a\", \"aa\")",
    "append(map(1..9999, &(&1)), [1, 2])",
    "(" * 500 + "1" + ")" * 500,
    "[" * 500 + "]" * 500,
    "-" * 2000 + "1",
    "not " * 2000 + "true",
    " + ".join(["1"] * 5000),
    "&(" * 300 + "&1" + ")" * 300,
    "\"@(\\\"@(\\\\\\\"@(1)\\\\\\\")\\\")\"",
]


@pytest.mark.parametrize("source", PATHOLOGICAL, ids=[p[:40] for p in PATHOLOGICAL])
def test_pathological_expressions_stop_with_an_error(source):
    start = time.perf_counter()
    try:
        evaluate(source)
    except ExpressionError as error:
        assert error.message
    else:
        assert source.startswith(("\"@(", "&(", "-", "[", "not "))  # small enough to be fine
    assert time.perf_counter() - start < 5


def test_deep_template_nesting_is_refused():
    source = "@(" * 300 + "1" + ")" * 300
    assert isinstance(render(source, {}), str)
    with pytest.raises(ExpressionError):
        compile_expression(source, mode="template", strict=True)


def test_deeply_nested_context_is_an_error_not_a_crash():
    deep: dict = {}
    node = deep
    for _ in range(5000):
        node["a"] = {}
        node = node["a"]
    with pytest.raises(ExpressionError, match="nested too deeply"):
        prepare_context(deep)


def test_budget_is_per_evaluation():
    expr = compile_expression("map(1..9000, &(&1 * 2))")
    for _ in range(20):
        assert len(expr.evaluate({})) == 9000
