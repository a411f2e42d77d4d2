"""Errors a journey author reads: the message, and the line and column it points at."""

from __future__ import annotations

import pytest

from sauti.expressions import ExpressionError, compile_expression, evaluate, render

SYNTAX = [
    # (code, message, line, column)
    ("upper(x", 'expected ")" after the arguments to upper, found end of text', 1, 8),
    ("upper(\"a\" \"b\")", 'expected ")" after the arguments to upper, found a text in quotes', 1, 11),
    ("(1 + 2", 'expected ")" to close "(", found end of text', 1, 7),
    ("[1, 2", 'expected "]" to close the list, found end of text', 1, 6),
    ("xs[1", 'expected "]" after the index, found end of text', 1, 5),
    ("1 +", "expected a value, found end of text", 1, 4),
    ("1 + )", 'expected a value, found ")"', 1, 5),
    ("a b", 'expected the end of the expression, found "b"', 1, 3),
    ("a.", 'expected an attribute name after ".", found end of text', 1, 3),
    ("\"open", "this text has no closing \"", 1, 1),
    ("if x then 1", 'expected "do" or ", do:" after the condition of if, found "then"', 1, 6),
    ("if x do\n  1\nelse\n  2", 'expected "end" to close "if … do", found end of text', 4, 4),
    ("max(1,\n  2,\n  )", 'expected a value, found ")"', 3, 3),
    ("{\"a\" 1}", 'expected ":" after the key, found "1"', 1, 6),
    ("2020-01-01T00:00:00+02:00", "datetimes must be written in UTC (end them with Z); offsets like +02:00 "
     "are not supported", 1, 20),
    ("#", "expected a value, found end of text", 1, 2),
    # A character Python calls a digit but that is no number is an error, not a crash.
    ("&²", 'expected a value, found "²"', 1, 2),
]


@pytest.mark.parametrize(("source", "message", "line", "column"), SYNTAX, ids=[s[0] for s in SYNTAX])
def test_syntax_errors(source, message, line, column):
    with pytest.raises(ExpressionError) as info:
        compile_expression(source)
    error = info.value
    assert (error.message, error.line, error.column) == (message, line, column)
    assert str(error) == f"line {line}, column {column}: {message}"


RUNTIME = [
    # (code, context, message, column)
    ("block.value > 0", {"block": {"value": "not a number"}}, 'expression is not a number: `"not a number"`', 13),
    ("block.value > 0", {}, "attribute is not found: `block.value`", 13),
    ("block.value > 0", {"block": {}}, "attribute is not found: `value`", 13),
    ("2 > 1 + 1", {}, "expression is not a number: `true`", 7),
    ("1 / 0", {}, "division by zero", 3),
    ("if(true, 1, 1 / 0)", {}, "division by zero", 15),
    ("missing + 1", {}, "attribute is not found: `missing`", 9),
    ("-name", {"name": "x"}, 'expression is not a number: `"x"`', 1),
    ("\"5\" + 1", {}, 'expression is not a number: `"5"`', 5),
    ("[1] + 1", {}, "expression is not a number: `[1]`", 5),
    ("nil < 1", {"x": None}, "expression is not a number: `nil`", 5),
    ("append(\"A\", \"B\")", {}, 'append needs a list, got: "A" (Enumerable not implemented for "A")', 1),
    ("delete(xs, \"key\")", {"xs": ["A"]}, 'expected a map, got: ["A"]', 1),
    ("date(2022, 13, 1)", {}, "date: month must be in 1..12", 1),
    ("map(xs, 1)", {"xs": [1]}, "map needs a function written with &, like &(&1 * 2), got: 1", 1),
    ("datetime_add(now(), 1, \"fortnight\")", {},
     'datetime_add: unknown unit "fortnight" (use "Y", "M", "W", "D", "h", "m" or "s")', 1),
    ("  upper(x) & (1 / 0)", {"x": "a"}, "division by zero", 17),
]


@pytest.mark.parametrize(("source", "context", "message", "column"), RUNTIME, ids=[r[0] for r in RUNTIME])
def test_runtime_errors(source, context, message, column):
    with pytest.raises(ExpressionError) as info:
        evaluate(source, context)
    assert info.value.message == message
    assert (info.value.line, info.value.column) == (1, column)


def test_positions_inside_a_template_count_from_the_template_start():
    with pytest.raises(ExpressionError) as info:
        render("Line one\nand @(x / 0) here", {"x": 1})
    assert (info.value.line, info.value.column) == (2, 9)  # the "/"


def test_positions_are_offset_to_where_the_expression_sits_in_the_journey():
    with pytest.raises(ExpressionError) as info:
        compile_expression("count(x) >\n  ", line=12, column=9)
    assert (info.value.line, info.value.column) == (13, 3)
    with pytest.raises(ExpressionError) as info:
        compile_expression("a +", line=3, column=20).evaluate({"a": 1})
    assert (info.value.line, info.value.column) == (3, 23)


def test_error_caret_view_shows_the_line():
    with pytest.raises(ExpressionError) as info:
        compile_expression("upper(x")
    assert info.value.caret().splitlines()[1:] == ["  upper(x", "         ^"]


def test_strict_template_mode_reports_what_lenient_mode_keeps_as_text():
    assert compile_expression("a @ b", mode="template").render({}) == "a  b"
    with pytest.raises(ExpressionError, match="must be followed by a name"):
        compile_expression("a @ b", mode="template", strict=True)
    with pytest.raises(ExpressionError, match='expected "\\)"'):
        compile_expression("@(1 + 2", mode="template", strict=True)


def test_errors_survive_pickling():
    import pickle

    with pytest.raises(ExpressionError) as info:
        compile_expression("(")
    copy = pickle.loads(pickle.dumps(info.value))  # noqa: S301 - our own object
    assert (copy.message, copy.line, copy.column) == (info.value.message, 1, 2)
