"""Any text either compiles or raises JourneySyntaxError with a position: never another error."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sauti.journeys import JourneySyntaxError, check_journey, compile_journey

PIECES = ["card ", "A", "B", " do", "\n", "end", "text(", '"hi @x"', ")", "(", "[", "]", ",", " when ",
          "x > 1", " then: ", "B", "buttons(", "A: ", '"Yes"', "list(", "then(", "x = ", "get(", "query: ",
          '"""', "#", "@", "&", "&1", "if ", " do: ", " else: ", "trigger(", "on: ", '"MESSAGE RECEIVED"',
          "```stack\n", "```\n", "<!-- { section: \"s\", x: 1, y: 2} -->\n", "stack ", "interaction_timeout(",
          "300", ":", "'", "\\", "end\n", "  ", "é"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_compiling_never_crashes(pieces: list[str]) -> None:
    src = "".join(pieces)
    try:
        compile_journey(src)
    except JourneySyntaxError as exc:
        assert exc.line >= 1 and exc.column >= 1 and exc.message
    for d in check_journey(src):
        assert d.line >= 1 and d.column >= 1
