"""The parser: every card form and statement; error messages with line and column."""

from __future__ import annotations

import pytest

from sauti.journeys.lang import ast
from sauti.journeys.lang.errors import JourneySyntaxError
from sauti.journeys.lang.parser import parse_cell


def cards(src: str) -> tuple[ast.CardNode, ...]:
    return parse_cell(src).cards


@pytest.mark.parametrize(("src", "name", "label", "condition", "then", "options"), [
    ("card A do\nend", "A", None, None, None, ()),
    ("card A, then: B do\nend", "A", None, None, "B", ()),
    ("card A when x > 1 do\nend", "A", None, "x > 1", None, ()),
    ("card A when x > 1, then: B do\nend", "A", None, "x > 1", "B", ()),
    ('card A, "Shown", then: B do\nend', "A", '"Shown"', None, "B", ()),
    ('card A, "@datevalue(m, \\"%B\\")", then: B do\nend', "A", '"@datevalue(m, \\"%B\\")"', None, "B", ()),
    ('card A, "A", version: "1", uuid: "u-1", code_generator: "TEXT_MESSAGE" do\nend', "A", '"A"',
     None, None, (("version", "1"), ("uuid", "u-1"), ("code_generator", "TEXT_MESSAGE"))),
    ("card A\n     when a == 1 and\n            b == 2,\n     then: B do\nend", "A", None,
     "a == 1 and\n            b == 2", "B", ()),
    ('card RESERVED_DEFAULT_CARD, "RESERVED_DEFAULT_CARD", code_generator: "RESERVED_DEFAULT_CARD" do\n'
     "  # RESERVED_DEFAULT_CARD\nend", "RESERVED_DEFAULT_CARD", '"RESERVED_DEFAULT_CARD"', None, None,
     (("code_generator", "RESERVED_DEFAULT_CARD"),)),
], ids=lambda v: v if isinstance(v, str) and v.startswith("card") else None)
def test_card_headers(src: str, name: str, label: str | None, condition: str | None, then: str | None,
                      options: tuple) -> None:
    (card,) = cards(src)
    assert card.name == name
    assert (card.label.source if card.label else None) == label
    # Line continuations are blanked in the slice handed to the expression language.
    assert (card.condition.source if card.condition else None) == (
        condition.replace("\n", " ") if condition else None)
    assert card.then == then
    assert card.options == options


def test_statements() -> None:
    src = """card A do
  x = 1
  name = ask("Name?")
  page =
    get(
      "https://x.org/",
      query: [["a", "b"]]
    )
  text("Hi @name")
  y = if is_nil_or_empty(x) do
    1
  else
    2
  end
  buttons(B: "Yes", C: "No") do
    text("Pick")
  end
  then(B when x == 1)
  then(C)
  substitute(a, "b", "c")
end
card B do
end
card C do
end
"""
    body = cards(src)[0].body
    kinds = [type(s).__name__ for s in body]
    assert kinds == ["Assign", "Assign", "Assign", "CallStmt", "Assign", "CallStmt", "ThenStmt",
                     "ThenStmt", "ExprStmt"]
    page = body[2]
    assert isinstance(page, ast.Assign) and isinstance(page.value, ast.Call)
    assert page.value.name == "get"
    assert [k.key for k in page.value.kwargs] == ["query"]
    y = body[4]
    assert isinstance(y, ast.Assign) and isinstance(y.value, ast.Expr)
    assert y.value.source.startswith("if is_nil_or_empty(x) do") and y.value.source.endswith("end")
    block = body[5].call.block
    assert block is not None and block[0].call.name == "text"
    then = body[6]
    assert (then.target, then.condition.source) == ("B", "x == 1")


@pytest.mark.parametrize(("src", "expected"), [
    ("x = if c, do: 1, else: 2\n", "if c, do: 1, else: 2"),
    ("x = if(c, do: 1, else: 2)\n", "if(c, do: 1, else: 2)"),
    ("x = a and\n  b\n", "a and   b"),
    ("x = [\n  1, # one\n  2\n]\n", "[\n  1,      \n  2\n]"),
    ("x = filter(xs, &(&1.title == t))[0].id\n", "filter(xs, &(&1.title == t))[0].id"),
    ("labels = map(message.buttons, & &1.value.title)\n", "map(message.buttons, & &1.value.title)"),
])
def test_expression_extents(src: str, expected: str) -> None:
    (card,) = cards("card A do\n" + src + "end\n")
    assert card.body[0].value.source == expected


def test_triggers_and_settings() -> None:
    src = """trigger(on: "MESSAGE RECEIVED") when has_only_phrase(event.message.text.body, "hi")
trigger(interval: "+3m", relative_to: "contact.registration_started")
when contact.registration_status != "completed"
interaction_timeout(300)
"""
    node = parse_cell(src)
    assert len(node.triggers) == 2
    assert node.triggers[0].condition.source == 'has_only_phrase(event.message.text.body, "hi")'
    assert node.triggers[1].condition.source == 'contact.registration_status != "completed"'
    assert [s.name for s in node.settings] == ["interaction_timeout"]


def test_stack_wrapper() -> None:
    node = parse_cell("stack Onboarding do\n  card A do\n    text(\"x\")\n  end\nend\n")
    assert node.name == "Onboarding"
    assert [c.name for c in node.cards] == ["A"]


@pytest.mark.parametrize(("src", "line", "column", "message"), [
    ("card Menu do\n  text(\"hi\")\n", 3, 1, 'expected "end" to close card Menu, found end of text'),
    ("card Menu do\n  text(\"hi\")\ncard Other do\nend\n", 3, 1,
     'expected "end" to close card Menu, found "card"'),
    ("card Menu do\n  text(\"hi\"\nend\n", 3, 1,
     'expected "," or ")" in the arguments of text(...), found "end"'),
    ("card Menu do\n  x = len(\"a\"\nend\n", 2, 10,
     'expected ")" to close "(" opened at line 2, column 10, found end of text'),
    ("card Menu do\n  text(\"hi)\nend\n", 2, 8, 'unclosed string: expected a closing " before end of text'),
    ("card Menu\n  text(\"hi\")\nend\n", 2, 3, 'expected "do" after the header of card Menu, found "text"'),
    ("card Menu, thn: Next do\nend\n", 1, 12,
     'unknown card option "thn:" in card Menu (known: then:, version:, uuid:, code_generator:)'),
    ("card do\nend\n", 1, 6, 'expected a card name after "card", found "do"'),
    ("text(\"hi\")\n", 1, 1, 'expected a card ("card Name do"), found "text"'),
    ("card A do\n  then(B when)\nend\n", 2, 14, 'expected a condition after when in then(B ...), found ")"'),
])
def test_syntax_errors(src: str, line: int, column: int, message: str) -> None:
    with pytest.raises(JourneySyntaxError) as exc:
        parse_cell(src)
    assert (exc.value.line, exc.value.column, exc.value.message) == (line, column, message)
    assert str(exc.value) == f"line {line}, column {column}: {message}"
