"""The DSL lexer: tokens, strings and their escapes, heredocs, positions."""

from __future__ import annotations

import pytest

from sauti.journeys.lang.errors import JourneySyntaxError
from sauti.journeys.lang.lexer import tokenize, unescape
from sauti.journeys.lang.tokens import TokenKind as K


def kinds(src: str) -> list[tuple[K, str]]:
    return [(t.kind, t.text) for t in tokenize(src) if t.kind is not K.EOF]


@pytest.mark.parametrize(("src", "expected"), [
    ("card Start do", [(K.NAME, "card"), (K.NAME, "Start"), (K.NAME, "do")]),
    ("then: Next", [(K.KEYWORD, "then"), (K.NAME, "Next")]),
    ("a::b", [(K.NAME, "a"), (K.OP, "::"), (K.NAME, "b")]),
    ("then:Next", [(K.KEYWORD, "then"), (K.NAME, "Next")]),
    ("timeout: 5_000", [(K.KEYWORD, "timeout"), (K.NUMBER, "5_000")]),
    ("& &1.title", [(K.OP, "&"), (K.CAPTURE, "&1"), (K.OP, "."), (K.NAME, "title")]),
    ("x == 1 and y != 2", [(K.NAME, "x"), (K.OP, "=="), (K.NUMBER, "1"), (K.NAME, "and"),
                           (K.NAME, "y"), (K.OP, "!="), (K.NUMBER, "2")]),
    ("1..10", [(K.NUMBER, "1"), (K.OP, ".."), (K.NUMBER, "10")]),
    ("f(x) # a comment", [(K.NAME, "f"), (K.LPAREN, "("), (K.NAME, "x"), (K.RPAREN, ")")]),
    ("a\n\n\nb", [(K.NAME, "a"), (K.NEWLINE, "\n"), (K.NAME, "b")]),
    ("@contact.name", [(K.OP, "@"), (K.NAME, "contact"), (K.OP, "."), (K.NAME, "name")]),
    ("año = 1", [(K.NAME, "año"), (K.OP, "="), (K.NUMBER, "1")]),
], ids=lambda v: v if isinstance(v, str) else None)
def test_tokens(src: str, expected: list) -> None:
    assert kinds(src) == expected


@pytest.mark.parametrize(("src", "value"), [
    ('"plain"', "plain"),
    ('"say \\"hi\\""', 'say "hi"'),
    ('"^\\d+$"', "^\\d+$"),
    ('"a\\nb"', "a\nb"),
    ("'single'", "single"),
    ('"two\nlines"', "two\nlines"),
    ('"""{"q": "@x"}"""', '{"q": "@x"}'),
    ('"""\n    line one\n      indented\n    """', "line one\n  indented\n"),
    ('"""\n  a\n\n  b\n  """', "a\n\nb\n"),
], ids=lambda v: v)
def test_string_values(src: str, value: str) -> None:
    tok = tokenize(src)[0]
    assert tok.kind is K.STRING
    assert tok.value == value


def test_positions_are_those_of_the_whole_source() -> None:
    src = "# notes\n\ncard A do\n  text(\"hi\")\nend\n"
    toks = tokenize(src, src.index("card"), None, 3)
    text_tok = next(t for t in toks if t.text == "text")
    assert (text_tok.line, text_tok.column) == (4, 3)


def test_token_after_a_multiline_string_has_the_right_line() -> None:
    toks = tokenize('text("a\nb\nc")\nlog("x")')
    log_tok = next(t for t in toks if t.text == "log")
    assert (log_tok.line, log_tok.column) == (4, 1)


@pytest.mark.parametrize(("src", "line", "column", "message"), [
    ('text("hello)\n', 1, 6, 'unclosed string: expected a closing " before end of text'),
    ('x = 1\ny = """abc', 2, 5, 'unclosed string: expected a closing """ before end of text'),
    ("x = 1 $ 2", 1, 7, "unexpected character '$'"),
])
def test_lexer_errors(src: str, line: int, column: int, message: str) -> None:
    with pytest.raises(JourneySyntaxError) as exc:
        tokenize(src)
    assert (exc.value.line, exc.value.column, exc.value.message) == (line, column, message)


def test_unescape_keeps_unknown_escapes() -> None:
    assert unescape(r"a\qb\\c") == "a\\qb\\c"
