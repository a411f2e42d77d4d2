"""Logic and type tests, including the upstream evaluation-order rules."""

from __future__ import annotations

import pytest

from sauti.expressions import ExpressionError

from .cases import run, same

CASES = [
    ("if(true, \"Yes\", \"No\")", "Yes"), ("if(false, \"Yes\", \"No\")", "No"), ("if(0, 1, 2)", 1),
    ("if(\"\", 1, 2)", 1), ("if(nil, 1, 2)", 2), ("if(missing, 1, 2)", 2), ("if(true, 1)", 1),
    ("if(false, 1)", None),
    ("if(has_any_word(\"no\", \"yes\"), 1, 2)", 2),  # a rich false is false
    ("and(true, 1 = 1)", True), ("and(true, false)", False), ("and(1, \"\")", True), ("and(missing)", False),
    ("or(true, false)", True), ("or(false, \"foo\")", "foo"), ("or('a', 'b')", "a"), ("or(false, nil)", False),
    ("or(nil, false)", False), ("or(missing, \"x\")", "x"),
    ("or(1 = 1, 1 / 0)", True),  # an evaluated call giving true stops it
    ("not(false)", True), ("not(0)", False), ("not(nil)", True), ("not missing", True),
    ("true and false", False), ("true or false", True), ("false or \"x\"", "x"),
    ("not true or true", True), ("not (true or true)", False), ("1 == 1 and 2 == 2", True),
    ("is_error(1 / 0)", True), ("is_error(parse_json(\"{\"))", True), ("is_error(\"ERROR: nope\")", True),
    ("is_error(foo())", True), ("is_error(\"fine\")", False), ("is_error(nil)", False),
    ("isnumber(1)", True), ("isnumber(1.0)", True), ("isnumber(\"1.0\")", True), ("isnumber(\"12\")", True),
    ("isnumber(\"5\")", False), ("isnumber(\"1a2\")", True), ("isnumber(\"a\")", False),
    ("isnumber(true)", False), ("isnumber(nil)", False),
    ("isbool(true)", True), ("isbool(false)", True), ("isbool(\"true\")", False), ("isbool(0)", False),
    ("isstring(\"a\")", True), ("isstring(1)", False), ("isstring(false)", False),
    ("is_nil_or_empty(nil)", True), ("is_nil_or_empty(missing)", True), ("is_nil_or_empty(\"\")", True),
    ("is_nil_or_empty(\" \")", True), ("is_nil_or_empty([])", True), ("is_nil_or_empty({})", True),
    ("is_nil_or_empty(0)", False), ("is_nil_or_empty(\"a\")", False), ("is_nil_or_empty(false)", False),
    ("switch(2, 1, \"one\", 2, \"two\", \"many\")", "two"), ("switch(9, 1, \"one\", 2, \"two\", \"many\")", "many"),
    ("switch(9, 1, \"one\", 2, \"two\")", None), ("switch(\"b\", \"a\", 1, \"b\", 2)", 2),
]


@pytest.mark.parametrize(("source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_logic_functions(source, expected):
    assert same(run(source), expected), run(source)


def test_if_evaluates_both_branches_like_upstream():
    with pytest.raises(ExpressionError, match="division by zero"):
        run("if(max_score = 0, 0, score / max_score)", {"max_score": 0, "score": 3})
    with pytest.raises(ExpressionError, match="division by zero"):
        run("if true, do: 1, else: 1 / 0")


def test_and_evaluates_every_argument():
    with pytest.raises(ExpressionError):
        run("and(false, 1 / 0)")
