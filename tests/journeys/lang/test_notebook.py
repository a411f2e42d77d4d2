"""Notebook cells: ```stack code, canvas placement, dictionaries, notes; plain DSL."""

from __future__ import annotations

from sauti.journeys.lang.notebook import normalise_source, split_cells

NOTEBOOK = """# My journey

Some notes for the canvas.

<!-- { section: "5717187d-7351-498d-a008-73fa6b29183d", x: 500, y: -48} -->

```stack
card Start do
  text("Hi")
end
```

<!--
 dictionary: "config"
version: "0.1.0"
columns: []
-->

| Key            | Value    |
| -------------- | -------- |
| assessment_tag | dma_form |
| token          | abc      |

````stack
card Other do
  text("Type ```menu```")
end
````
"""


def test_cells_kinds_and_positions() -> None:
    cells = split_cells(NOTEBOOK)
    assert [c.kind for c in cells] == ["note", "code", "dictionary", "code"]
    code = cells[1]
    assert NOTEBOOK[code.start:code.end].startswith("card Start do")
    assert code.line == 8
    assert code.placement is not None
    assert (code.placement.section, code.placement.x, code.placement.y) == (
        "5717187d-7351-498d-a008-73fa6b29183d", 500, -48)


def test_dictionary_cell() -> None:
    dictionary = split_cells(NOTEBOOK)[2]
    assert dictionary.name == "config"
    assert dictionary.items == {"assessment_tag": "dma_form", "token": "abc"}
    assert dictionary.meta["version"] == "0.1.0"


def test_four_backtick_fence_keeps_inner_backticks() -> None:
    last = split_cells(NOTEBOOK)[-1]
    assert "```menu```" in NOTEBOOK[last.start:last.end]
    assert NOTEBOOK[last.start:last.end].rstrip().endswith("end")


def test_plain_dsl_is_one_cell() -> None:
    src = "card Start do\n  text(\"hi\")\nend\n"
    cells = split_cells(src)
    assert len(cells) == 1
    assert (cells[0].kind, cells[0].start, cells[0].end, cells[0].line) == ("code", 0, len(src), 1)


def test_crlf_sources_are_normalised() -> None:
    assert normalise_source("a\r\nb\rc") == "a\nb\nc"
