"""Number functions."""

from __future__ import annotations

import pytest

from sauti.expressions import ExpressionError

from .cases import run, same

CASES = [
    ("abs(-1)", 1), ("abs(-1.5)", 1.5), ("abs(\"-3\")", 3),
    ("max(1, 2, 3)", 3), ("max([4, 9, 2])", 9), ("max(1, 2.5)", 2.5), ("min(1, 2, 3)", 1),
    ("min(xs)", -1),
    ("sum(1, 2, 3)", 6), ("sum([1.5, 2])", 3.5), ("sum(1..4)", 10),
    ("power(2, 3)", 8.0), ("power(4, 0.5)", 2.0),
    ("rem(4, 2)", 0), ("rem(85, 3)", 1), ("rem(-7, 2)", -1), ("rem(7.5, 2)", 1.5),
    ("fixed(3.7979, 2)", "3.80"), ("fixed(4.209922, 2, false)", "4.21"),
    ("fixed(4000.424242, 4, true)", "4,000.4242"), ("fixed(1234.5, 1, false)", "1,234.5"),
    ("fixed(2.5, 0)", "3"), ("fixed(1234567, 0)", "1,234,567"), ("fixed(0.125, 2)", "0.13"),
    ("fixed(-1234.5, 1)", "-1,234.5"), ("fixed(3)", "3.00"),
    ("percent(0.2)", "20%"), ("percent(d)", "20%"), ("percent(0.126)", "13%"), ("percent(1)", "100%"),
    ("parse_float(\"3.25\")", 3.25), ("parse_float(\" 7 \")", 7.0), ("parse_float(\"abc\")", None),
    ("parse_float(2)", 2.0),
    ("round(2.5)", 3), ("round(-2.5)", -3), ("round(2.4)", 2), ("round(3.14159, 2)", 3.14),
    ("round(1.005, 2)", 1.01), ("round(66.7)", 67), ("round(1234, -2)", 1200),
    ("rand_between(5, 5)", 5),
]


@pytest.mark.parametrize(("source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_number_functions(source, expected):
    assert same(run(source, {"d": "0.2", "xs": [3, -1, 2]}), expected), run(source, {"d": "0.2", "xs": [3, -1, 2]})


def test_rand_between_is_seeded_by_the_context():
    first = [run("rand_between(1, 1000)", {"__random__": 42}) for _ in range(3)]
    assert len(set(first)) == 1
    assert 1 <= first[0] <= 1000
    values = run("map(1..50, &rand_between(1, 3))")
    assert set(values) <= {1, 2, 3} and len(set(values)) > 1


@pytest.mark.parametrize("source", ["abs(\"x\")", "max()", "rem(1, 0)", "power(-8, 0.5)", "max(\"a\", 1)"])
def test_number_function_errors(source):
    with pytest.raises(ExpressionError):
        result = run(source)
        if isinstance(result, str) and result.startswith("ERROR"):
            raise ExpressionError(result)
