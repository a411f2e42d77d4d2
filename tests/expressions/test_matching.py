"""The has_* tests on what people typed."""

from __future__ import annotations

import datetime as dt

import pytest

from sauti.expressions import ExpressionError

from .cases import run, same

CASES = [
    ("has_all_words(\"the quick brown FOX\", \"the fox\")", True),
    ("has_all_words(\"the quick brown fox\", \"red fox\")", False),
    ("has_any_word(\"The Quick Brown Fox\", \"fox quick\")", {"__value__": True, "match": "Quick Fox"}),
    ("has_any_word(\"The Quick Brown Fox\", \"red fox\")", {"__value__": True, "match": "Fox"}),
    ("has_any_word(\"The Quick Brown Fox\", \"red\")", {"__value__": False, "match": None}),
    ("has_any_word(\"Yes, please.\", [\"yes\", \"ok\"])", {"__value__": True, "match": "Yes"}),
    ("has_beginning(\"The Quick Brown\", \"the quick\")", True),
    ("has_beginning(\"The Quick Brown\", \"the    quick\")", False),
    ("has_beginning(12345, 12)", True),
    ("has_any_beginning(\"Yes please\", [\"no\", \"yes\"])", True),
    ("has_any_beginning(\"maybe\", \"no, yes\")", False),
    ("has_end(\"Thank you!\", \"YOU!\")", True), ("has_any_end(\"see you tomorrow\", [\"today\", \"tomorrow\"])", True),
    ("has_phrase(\"the quick brown fox\", \"brown fox\")", True),
    ("has_phrase(\"the quick brown fox\", \"quick fox\")", False),
    ("has_phrase(\"the quick brown fox\", \"\")", True), ("has_phrase(nil, \"bar\")", False),
    ("has_phrase(123456, \"456\")", True),
    ("has_any_phrase(\"I want the BASIC plan\", [\"basic\", \"premium\"])", True),
    ("has_any_phrase(\"I want basic\", \"premium, basic\")", True), ("has_any_phrase(\"hello\", \"hi, hey\")", False),
    ("has_only_phrase(\"Quick Brown\", \"quick brown\")", True), ("has_only_phrase(\"\", \"\")", True),
    ("has_only_phrase(\"the Quick Brown\", \"quick brown\")", False), ("has_only_phrase(nil, \"bar\")", False),
    ("has_any_exact_phrase(\" Hi \", [\"0\", \"hi\"])", True),
    ("has_any_exact_phrase(\"hi there\", [\"0\", \"hi\"])", False),
    ("has_any_exact_phrase(0, [\"0\", \"hi\"])", True),
    ("has_only_text(\"foo\", \"foo\")", True),
    ("has_only_text(\"foo\", \"FOO\")", False),
    ("has_only_text(\"\", \"\")", True),
    ("has_text(\"quick brown\")", True),
    ("has_text(\"\")", False),
    ("has_text(\"  \")", False),
    ("has_text(123)", True),
    ("has_text(nil)", False),
    ("has_pattern(\"Sign up now\", \"sign\\s+up\")", True), ("has_pattern(\" 12 \", \"^\\d+$\")", True),
    ("has_pattern(\"12a\", \"^\\d+$\")", False),
    ("has_number(\"the number is 42 and 5\")", {"__value__": True, "number": 42.0}),
    ("has_number(\"العدد ٤٢\")", {"__value__": True, "number": 42.0}),
    ("has_number(\"pi is 3.14\").number", 3.14), ("has_number(\"none\")", {"__value__": False, "number": None}),
    ("has_number(7)", {"__value__": True, "number": 7.0}),
    ("has_number_eq(\"the number is 42\", 42)", True), ("has_number_eq(\"the number is 42\", \"42\")", True),
    ("has_number_eq(\"the number is 40\", \"foo\")", False), ("has_number_eq(\"four hundred\", \"foo\")", False),
    ("has_number_gt(\"the number is 42\", 40.0)", True), ("has_number_gt(\"the number is 40\", \"40\")", False),
    ("has_number_gte(\"the number is 42\", 42)", True), ("has_number_gte(\"the number is 40\", \"45\")", False),
    ("has_number_lt(\"the number is 42\", 44)", True), ("has_number_lt(\"the number is 40\", \"40\")", False),
    ("has_number_lte(\"the number is 42\", 42)", True), ("has_number_lte(\"the number is 42.0\", \"40\")", False),
    ("has_date(\"the date is 15/01/2017\").date", dt.date(2017, 1, 15)),
    ("has_date(\"on 2017-01-15 please\").date", dt.date(2017, 1, 15)),
    ("has_date(\"The date is 15.01.2017!\").date", dt.date(2017, 1, 15)),
    ("has_date(\"there is no date here, just a year 2017\")", {"__value__": False, "date": None, "datetime": None}),
    ("has_date_eq(\"the date is 15/01/2017\", \"2017-01-15\")", True),
    ("has_date_eq(\"there is no date here, just a year 2017\", \"2017-01-15\")", False),
    ("has_date_gt(\"the date is 15/01/2017\", \"2017-01-01\")", True),
    ("has_date_gt(\"the date is 15/01/2017\", \"2017-03-15\")", False),
    ("has_date_lt(\"the date is 15/01/2017\", \"2017-06-01\")", True),
    ("has_date_lt(\"the date is 15/01/2021\", date(2017, 3, 15))", False),
    ("has_time(\"the time is 10:30\").match", dt.time(10, 30)),
    ("has_time(\"the time is 10:00 pm\").match", dt.time(10, 0)),
    ("has_time(\"the time is 10:30:45\").match", dt.time(10, 30, 45)),
    ("has_time(\"there is no time here, just the number 25\")", False),
    ("has_email(\"my email is foo1@bar.com, please respond\")", {"__value__": True, "email": "foo1@bar.com"}),
    ("has_email(\"i'm not sharing my email\")", {"__value__": False, "email": None}),
    ("has_phone(\"my number is +12067799294 thanks\").phonenumber", "+12067799294"),
    ("has_phone(\"my number is 2067799294 thanks\", \"US\").phonenumber", "+12067799294"),
    ("has_phone(\"my number is 206 779 9294 thanks\", \"US\").phonenumber", "+12067799294"),
    ("has_phone(\"call 082 123 4567\", \"ZA\").phonenumber", "+27821234567"),
    ("has_phone(\"no number\")", {"__value__": False, "phonenumber": None}),
    ("has_group(groups, \"b7cf\")", True), ("has_group(groups, \"0000\")", False), ("has_group(nil, \"x\")", False),
    ("has_member([\"a\", \"b\"], \"b\")", True), ("has_member([1, 2], 3)", False), ("has_member([1, 2], 2.0)", True),
    ("has_member(nil, 1)", False),
    ("has_any_member([\"a\", \"b\"], [\"x\", \"b\"])", True), ("has_any_member([\"a\"], [\"x\"])", False),
    ("has_all_members([\"skip\", \"stop\"], [\"skip\"])", True), ("has_all_members([\"a\"], [\"a\", \"b\"])", False),
]


@pytest.mark.parametrize(("source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_matching_functions(source, expected):
    result = run(source, {"groups": [{"uuid": "b7cf"}]})
    assert same(result, expected), result


def test_rich_results_print_and_compare_as_their_value():
    assert run("has_number(\"42\") == true") is True
    assert run("if(has_number(\"x\"), \"yes\", \"no\")") == "no"


@pytest.mark.parametrize("pattern", ["(a+)+$", "(\\w+\\s?)*x", "(a|aa)*(b+)+", "(x)\\1"])
def test_regular_expressions_that_can_take_exponential_time_are_refused(pattern):
    with pytest.raises(ExpressionError, match="repetition|regular expression"):
        run("has_pattern(\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\", p)", {"p": pattern})


def test_invalid_regular_expression_is_an_error():
    with pytest.raises(ExpressionError, match="invalid regular expression"):
        run("has_pattern(\"a\", \"(\")")


REGEX = [
    ("regex_capture(\"order #1234 shipped\", \"#(\\d+)\")", ["#1234", "1234"]),
    ("regex_capture(\"Order\", \"(?i)order\")", ["Order"]),
    ("regex_capture(\"ab\", \"(a)(x)?\")", ["a", "a", ""]),
    ("regex_capture(\"nothing\", \"\\d+\")", None),
    ("regex_named_capture(\"2024-05-01\", \"(?<year>\\d{4})-(?<Month>\\d{2})\")", {"year": "2024", "month": "05"}),
    ("regex_named_capture(\"x\", \"(?P<y>\\d)\")", None),
]


@pytest.mark.parametrize(("source", "expected"), REGEX, ids=[r[0] for r in REGEX])
def test_regex_captures(source, expected):
    result = run(source)
    assert same(result, expected), result
