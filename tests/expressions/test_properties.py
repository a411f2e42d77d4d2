"""Properties over arbitrary input: parsing and evaluation never crash, plain text is untouched."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sauti.expressions import ExpressionError, compile_expression, render

SYNTAX = st.text(alphabet="@()[]{}.,&\"'0123456789abcxyz_+-*/^<>=!:#\n \t\\TZ", max_size=60)
ANY_TEXT = st.one_of(st.text(max_size=80), SYNTAX)
CONTEXT = {"a": 1, "b": "text", "c": [1, 2, {"x": "y"}], "x": {"y": {"z": 2.5}}, "t": True}
FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(fn):
    try:
        return fn()
    except ExpressionError as error:
        assert error.message
        return error


@FAST
@given(ANY_TEXT)
def test_code_parsing_and_evaluation_never_crash(source):
    result = outcome(lambda: compile_expression(source, mode="code"))
    if not isinstance(result, ExpressionError):
        outcome(lambda: result.evaluate(CONTEXT))
        outcome(lambda: result.render(CONTEXT))


@FAST
@given(ANY_TEXT)
def test_partial_parsing_never_crashes_and_ends_inside_the_source(source):
    result = outcome(lambda: compile_expression(source, mode="code", partial=True))
    if not isinstance(result, ExpressionError):
        expr, end = result
        assert 0 < end <= len(source)
        assert expr.source == source[:end]


@FAST
@given(ANY_TEXT)
def test_templates_never_crash(source):
    result = outcome(lambda: compile_expression(source, mode="template"))
    assert not isinstance(result, ExpressionError)  # lenient mode keeps what it cannot read as text
    outcome(lambda: result.render(CONTEXT))
    outcome(lambda: result.evaluate(CONTEXT))
    outcome(lambda: compile_expression(source, mode="template", strict=True))


@FAST
@given(st.text(max_size=200).map(lambda s: s.replace("@", "")))
def test_text_without_at_renders_unchanged(text):
    assert render(text, CONTEXT) == text


@FAST
@given(st.text(max_size=80))
def test_double_at_is_a_literal_at(text):
    text = text.replace("@", "")
    assert render(text + "@@" + text, {}) == text + "@" + text
