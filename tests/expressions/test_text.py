"""Text functions."""

from __future__ import annotations

import pytest

from .cases import run, same

CASES = [
    ("char(65)", "A"), ("unichar(233)", "é"), ("CHAR(10)", "\n"),
    ("code(\"A\")", 65), ("unicode(\"é\")", 233),
    ("clean(concatenate(\"A\", char(0), \"B\", char(7)))", "AB"),
    ("concatenate(\"a\", 1, true, nil, 1.5)", "a1true1.5"),
    ("concatenate(datevalue(\"2022-01-02\", \"%Y\"), \"!\")", "2022!"),
    ("left(\"foobar\", 4)", "foob"), ("left(\"ab\", 10)", "ab"),
    ("left(\"Умерла Мадлен\", 6)", "Умерла"),
    ("right(\"testing\", 3)", "ing"), ("right(\"abc\", 0)", ""),
    ("mid(\"expression\", 3, 5)", "press"), ("mid(\"abc\", 5, 2)", ""),
    ("len(\"foo\")", 3), ("len(\"zoë\")", 3), ("len(\"zoe\u0308\")", 3), ("len(\"👍🏽\")", 1),
    ("len(\"🇿🇦\")", 1), ("len(1234)", 4), ("len(nil)", 0), ("len([1, 2])", 2),
    ("lower(\"Foo Bar\")", "foo bar"), ("upper(\"ana\")", "ANA"),
    ("proper(\"foo bar\")", "Foo Bar"), ("proper(\"mcDONALD o'neil\")", "Mcdonald O'neil"),
    ("rept(\"ab\", 3)", "ababab"), ("rept(\"ab\", 0)", ""),
    ("substitute(\"I can't\", \"can't\", \"can do\")", "I can do"),
    ("substitute(\"aaa\", \"a\", \"b\")", "bbb"),
    ("first_word(\"foo bar baz\")", "foo"), ("first_word(\"\")", ""),
    ("remove_first_word(\"foo bar baz\")", "bar baz"), ("remove_first_word(\"foo-bar\", \"-\")", "bar"),
    ("remove_first_word(\"foo\")", ""),
    ("remove_last_word(\"foo bar baz\")", "foo bar"), ("remove_last_word(\"a-b-c\", \"-\")", "a-b"),
    ("word(\"hello cow-boy\", 2)", "cow"), ("word(\"hello cow-boy\", 2, true)", "cow-boy"),
    ("word(\"one, two; three!\", 3)", "three"), ("word(\"one two three\", -1)", "three"),
    ("word(\"one\", 5)", None),
    ("word_count(\"hello cow-boy\")", 3), ("word_count(\"hello cow-boy\", true)", 2), ("word_count(\"\")", 0),
    ("word_slice(\"FLOIP expressions are fun\", 2, 4)", "expressions are"),
    ("word_slice(\"FLOIP expressions are fun\", 2)", "expressions are fun"),
    ("word_slice(\"FLOIP expressions are fun\", 1, -1)", "FLOIP expressions are"),
    ("word_slice(\"FLOIP expressions are fun\", -2)", "are fun"),
    ("read_digits(\"+271\")", "plus two seven one"), ("read_digits(\"12 34\")", "one two three four"),
    ("split(\"a,b,,c\", \",\")", ["a", "b", "", "c"]), ("split(\" one  two \")", ["one", "two"]),
    ("split(\"ab\", \"\")", ["a", "b"]),
    ("normalise_whitespace(concatenate(\" a \", char(10), \"  b \"))", "a b"),
    ("normalise_text(\"  Olá,   MUNDO! \")", "ola mundo"),
    ("remove_emojis(\"Hi 👋🏽 there 🇿🇦!\")", "Hi there !"),
    ("remove_numbers(\"Room 101b\")", "Room b"),
    ("remove_punc(\"¡Hola! ¿Qué tal?\")", "Hola Qué tal"),
    ("replace_punc(\"yes,no\")", "yes no"), ("replace_punc(\"a.b\", \"\")", "ab"),
    ("levenshtein_distance(\"kitten\", \"sitting\")", 3), ("levenshtein_distance(\"\", \"abc\")", 3),
    ("levenshtein_distance(\"same\", \"same\")", 0),
    ("get_brief(\"Tell me more about the clinic\")", "Tell me more about…"),
    ("get_brief(\"Tell me more\", 5)", "Tell…"), ("get_brief(\"Supercalifragilistic\", 6)", "Super…"),
    ("html_to_markdown(\"<p>Hi <b>Ana</b></p><p>Read <a href=\\\"https://x.org\\\">this</a></p>\")",
     "Hi *Ana*\nRead this (https://x.org)"),
    ("html_to_markdown(\"<ul><li>one</li><li>two</li></ul>\")", "- one\n- two"),
    ("html_to_markdown(\"a &amp; b<br>c\")", "a & b\nc"),
]


@pytest.mark.parametrize(("source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_text_functions(source, expected):
    assert same(run(source), expected), run(source)


def test_text_functions_accept_rich_values_and_numbers():
    assert run("upper(has_any_word(\"a fox\", \"fox\").match)") == "FOX"
    assert run("len(x)", {"x": 12345}) == 5
    assert run("upper(x)", {"x": {"__value__": "abc", "other": 1}}) == "ABC"
