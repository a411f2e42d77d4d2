"""V1 context normalisation (prepare_context)."""

from __future__ import annotations

import datetime as dt

import pytest

from sauti.expressions import evaluate, prepare_context

UTC = dt.UTC

COERCED = [
    ("1", 1), ("-12", -12), ("0", 0), ("20.0", 20.0), ("-0.5", -0.5), ("true", True), ("True", True),
    ("FALSE", False), ("'q'", "q"), ("\"q\"", "q"), ("2022-01-31", dt.date(2022, 1, 31)),
    ("31-01-2022", dt.date(2022, 1, 31)), ("10:30", dt.time(10, 30)),
    ("2022-11-10T13:40:05.921378", dt.datetime(2022, 11, 10, 13, 40, 5, 921378, tzinfo=UTC)),
    ("2022-11-10T13:40:05.921378123Z", dt.datetime(2022, 11, 10, 13, 40, 5, 921378, tzinfo=UTC)),
    # stay text
    ("+27821234567", "+27821234567"), ("0821234567", "0821234567"), ("1e3", "1e3"), ("binary", "binary"),
    ("1_000", "1_000"), ("2022-11-10T13:40:05+02:00", "2022-11-10T13:40:05+02:00"), (" 42", " 42"),
    ("", ""), ("truely", "truely"), ("'a'b'", "'a'b'"), ("2022-02-30", "2022-02-30"),
]


@pytest.mark.parametrize(("text", "expected"), COERCED, ids=[c[0] or "empty" for c in COERCED])
def test_strings_that_are_literals_become_values(text, expected):
    value = prepare_context({"v": text})["v"]
    assert value == expected and type(value) is type(expected) or (
        isinstance(expected, dt.datetime) and isinstance(value, dt.datetime) and value == expected)


def test_keys_are_lower_cased_recursively_and_lists_are_walked():
    prepared = prepare_context({"Contact": {"Name": "Ana", "Kids": [{"Age": "3"}]}})
    assert prepared == {"contact": {"name": "Ana", "kids": [{"age": 3}]}}


def test_coerce_false_keeps_strings():
    assert prepare_context({"A": {"B": "42"}}, coerce=False) == {"a": {"b": "42"}}
    assert evaluate("x = \"True\"", {"x": "True"}, coerce=False) is True
    assert evaluate("x", {"x": "True"}) is True


def test_the_input_is_not_modified_and_naive_datetimes_are_utc():
    original = {"When": dt.datetime(2020, 1, 1, 12, 0)}
    prepared = prepare_context(original)
    assert "When" in original and original["When"].tzinfo is None
    assert prepared["when"] == dt.datetime(2020, 1, 1, 12, tzinfo=UTC)


def test_reserved_keys_are_not_coerced():
    prepared = prepare_context({"__NOW__": "2024-01-15T09:30:00Z", "__random__": "7"})
    assert prepared["__now__"] == "2024-01-15T09:30:00Z" and prepared["__random__"] == "7"


def test_coercion_makes_text_fields_comparable():
    assert evaluate("contact.age > 18", {"contact": {"age": "20"}}) is True
    assert evaluate("answer = 1", {"answer": "1"}) is True
    assert evaluate("contact.age = 20", {"contact": {"age": "20.0"}}) is True


def test_python_values_from_the_database_become_plain_values():
    import decimal
    import uuid
    from types import MappingProxyType

    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")
    prepared = prepare_context(MappingProxyType({"Score": decimal.Decimal("4.5"), "N": decimal.Decimal("3"),
                                                 "Id": ident}))
    assert prepared == {"score": 4.5, "n": 3, "id": str(ident)}
    assert type(prepared["n"]) is int
