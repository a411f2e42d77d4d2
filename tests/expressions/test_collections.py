"""Lists, maps, lambdas and encodings."""

from __future__ import annotations

import pytest

from sauti.expressions import ExpressionError

from .cases import run, same

CASES = [
    ("map(1..3, &(&1 * &1))", [1, 4, 9]), ("map(1..3, &date(2022, 1, &1)).1", None),
    ("map([], &(&1))", []), ("map(nil, &(&1))", []), ("map({\"a\": 1}, &(&1[0] & &1[1]))", ["a1"]),
    ("filter([1, 2, 3, 4], &(&1 > 2))", [3, 4]), ("filter(xs, &(&1.ok))", [{"ok": True}]),
    ("reject([1, 2, 3, 4], &(&1 > 2))", [1, 2]),
    ("find([1, 2, 3], &(&1 > 1))", 2), ("find([1, 2], &(&1 > 5))", None),
    ("reduce([1, 2, 3], 0, &(&1 + &2))", 6), ("reduce([], 5, &(&1 + &2))", 5),
    ("reduce([\"a\", \"b\"], \"\", &concatenate(&2, &1))", "ab"),
    ("sort_by([3, 1, 2], &(&1))", [1, 2, 3]), ("sort_by([\"b\", \"A\", \"a\"], &lower(&1))", ["A", "a", "b"]),
    ("sort_by([{\"n\": 2}, {\"n\": 1}], & &1.n)", [{"n": 1}, {"n": 2}]),
    ("sort_by([\"x\", 1, nil, true], &(&1))", [1, None, True, "x"]),
    ("uniq([1, 2, 1, 3, 1.0])", [1, 2, 3, 1.0]), ("uniq([[1], [1], {\"a\": 1}, {\"a\": 1}])", [[1], {"a": 1}]),
    ("chunk_every([1, 2, 3, 4, 5], 2)", [[1, 2], [3, 4], [5]]),
    ("with_index([\"a\", \"b\"])", [["a", 0], ["b", 1]]), ("with_index([\"a\"], 1)", [["a", 1]]),
    ("count([1, 2, 3])", 3), ("count(\"héllo\")", 5), ("count(nil)", 0), ("count({\"a\": 1})", 1),
    ("count(1..10)", 10),
    ("keys({\"a\": 1, \"b\": 2})", ["a", "b"]), ("values({\"a\": 1, \"b\": 2})", [1, 2]),
    ("keys(has_any_word(\"a\", \"a\"))", ["match"]),
    ("append([\"A\", \"B\"], \"C\")", ["A", "B", "C"]), ("append([\"A\"], [\"B\", \"C\"])", ["A", "B", "C"]),
    ("append([], nil)", [None]),
    ("delete({\"age\": 32, \"gender\": \"?\"}, \"gender\")", {"age": 32}),
    ("delete({\"age\": 32}, \"unknown\")", {"age": 32}),
    ("json([1, \"a\", true, nil])", "[1,\"a\",true,null]"),
    ("json({\"b\": 1, \"a\": [date(2022, 1, 2)]})", "{\"b\":1,\"a\":[\"2022-01-02\"]}"),
    ("parse_json(\"{\\\"Score\\\": 3, \\\"items\\\": [1, 2.5]}\")", {"score": 3, "items": [1, 2.5]}),
    ("parse_json(\"\")", None), ("parse_json(\"[1, 2]\")[1]", 2),
    ("base64_encode(\"hello\")", "aGVsbG8="), ("base64_decode(\"aGVsbG8=\")", "hello"),
    ("base64_decode(base64_encode(\"olá 👋\"))", "olá 👋"),
    ("url_encode(\"a b&c/d\")", "a%20b%26c%2Fd"), ("url_decode(\"a%20b%26c+d\")", "a b&c+d"),
]


@pytest.mark.parametrize(("source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_collection_functions(source, expected):
    result = run(source, {"xs": [{"ok": True}, {"ok": False}]})
    assert same(result, expected), result


@pytest.mark.parametrize("source", [
    "append(\"A\", \"B\")", "delete([\"A\"], \"key\")", "map(\"text\", &(&1))", "map([1], \"not a function\")",
    "chunk_every([1], 0)", "parse_json(\"{oops\")", "base64_decode(\"ERROR: Unknown button type\")",
    "keys([1])",
])
def test_collection_errors(source):
    with pytest.raises(ExpressionError):
        run(source)
