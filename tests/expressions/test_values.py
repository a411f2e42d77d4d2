"""How values print, compare and count as true (spec: "Types and string conversion")."""

from __future__ import annotations

import datetime as dt

import pytest

from sauti.expressions.values import equal, format_float, inspect, strict_equal, to_str, truthy

FLOATS = [
    (1.23, "1.23"), (3.0, "3.0"), (0.1 + 0.2, "0.30000000000000004"), (100.0, "100.0"), (1000.0, "1.0e3"),
    (1500.0, "1.5e3"), (123456789.0, "123456789.0"), (0.001, "0.001"), (0.0001, "0.0001"),
    (0.00001, "1.0e-5"), (-2e-05, "-2.0e-5"), (1e16, "1.0e16"), (0.0, "0.0"), (-0.0, "-0.0"),
    (4.9, "4.9"), (42.0, "42.0"), (-1.5, "-1.5"), (2.5e-10, "2.5e-10"),
]


@pytest.mark.parametrize(("value", "text"), FLOATS, ids=[f[1] for f in FLOATS])
def test_floats_print_in_elixir_shortest_form(value, text):
    assert format_float(value) == text


STRINGS = [
    (None, ""), (True, "true"), (False, "false"), (42, "42"), ([1, 2, 3], "123"), (["a", [1, None]], "a1"),
    ({"__value__": 5, "x": 1}, "5"), ({"a": 1, "b": [True]}, '{"a":1,"b":[true]}'),
    (dt.date(2022, 5, 24), "2022-05-24"), (dt.time(12, 13, 14), "12:13:14"),
    (dt.datetime(2022, 8, 31, tzinfo=dt.UTC), "2022-08-31T00:00:00Z"),
    (dt.datetime(2022, 8, 31, 1, 2, 3, 450000, tzinfo=dt.UTC), "2022-08-31T01:02:03.450000Z"),
]


@pytest.mark.parametrize(("value", "text"), STRINGS, ids=[s[1] or "null" for s in STRINGS])
def test_string_forms(value, text):
    assert to_str(value) == text


def test_inspect_matches_elixir_for_error_messages():
    assert inspect("a\"b") == '"a\\"b"'
    assert inspect(None) == "nil"
    assert inspect([1, "a", True]) == '[1, "a", true]'
    assert inspect({"age": 32}) == '%{"age" => 32}'
    assert inspect(dt.date(2020, 1, 2)) == "~D[2020-01-02]"


def test_truthiness():
    assert [truthy(v) for v in (0, "", [], {}, "false", None, False, {"__value__": False})] == [
        True, True, True, True, True, False, False, False]


def test_equality_keeps_booleans_apart_from_numbers():
    assert equal(1, 1.0) and not equal(True, 1) and not strict_equal([True], [1])
    assert equal({"__value__": "2"}, "2")
    assert equal(dt.date(2024, 1, 1), "2024-01-01")
