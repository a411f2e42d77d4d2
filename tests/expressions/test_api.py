"""The public entry points: evaluate, render, evaluate_template, compile_expression, prepare_context."""

from __future__ import annotations

import pytest

from sauti.expressions import (
    ExpressionError,
    compile_expression,
    evaluate,
    evaluate_template,
    prepare_context,
    registry,
    render,
)


def test_evaluate_code_position_coerces_context_strings():
    assert evaluate("contact.age + 1", {"contact": {"age": "41"}}) == 42


def test_render_template():
    assert render("Hi @contact.name!", {"contact": {"name": "Ana"}}) == "Hi Ana!"


def test_evaluate_template_one_expression_gives_its_value():
    assert evaluate_template("@(1 + 2)", {}) == 3
    assert evaluate_template("n = @(1 + 2)", {}) == "n = 3"


def test_coerce_false_keeps_strings_but_lowercases_keys():
    assert evaluate("Contact.Age", {"CONTACT": {"AGE": "41"}}, coerce=False) == "41"


def test_compiled_expression_is_cached_and_immutable():
    first = compile_expression("a + 1")
    assert compile_expression("a + 1") is first
    with pytest.raises(AttributeError):
        first.source = "b"


def test_prepared_context_is_reused():
    expr = compile_expression("Hi @contact.name", mode="template")
    ctx = prepare_context({"Contact": {"Name": "Ana"}})
    assert expr.render(ctx, prepared=True) == "Hi Ana"
    assert expr.evaluate(ctx, prepared=True) == "Hi Ana"


def test_code_expression_renders_its_string_form():
    assert compile_expression("1 + 1.5").render({}) == "2.5"


def test_partial_parse_returns_longest_prefix_and_end():
    source = 'has_phrase(x, "a"), then: Next do'
    expr, end = compile_expression(source, partial=True)
    assert source[:end] == 'has_phrase(x, "a")'
    assert expr.evaluate({"x": "a"}) is True


def test_error_positions_are_offset_to_the_origin():
    with pytest.raises(ExpressionError) as info:
        compile_expression("upper(x", line=12, column=9)
    assert (info.value.line, info.value.column) == (12, 16)
    assert str(info.value) == 'line 12, column 16: expected ")" after the arguments to upper, found end of text'


def test_registry_lists_functions_for_autocomplete():
    names = {f.name for f in registry.list_functions()}
    assert {"upper", "has_any_word", "map", "datetime_add"} <= names
    upper = registry.get("UPPER")
    assert upper.summary and upper.examples and upper.to_dict()["arity"] == "1"


def test_evaluation_is_reentrant_across_threads():
    from concurrent.futures import ThreadPoolExecutor

    expr = compile_expression("reduce(map(xs, &(&1 * k)), 0, &(&1 + &2))")

    def work(k: int) -> int:
        return expr.evaluate({"xs": list(range(100)), "k": k})

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(200)))
    assert results == [4950 * k for k in range(200)]


def test_lambdas_do_not_leak_out_of_an_evaluation():
    assert evaluate("&(&1 + 1)") is None
    assert evaluate("[&(&1), {\"f\": &(&1)}, 1..2]") == [None, {"f": None}, [1, 2]]
