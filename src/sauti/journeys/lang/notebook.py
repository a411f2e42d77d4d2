"""Split a journey notebook (Markdown with ```stack cells) into cells; plain DSL is one cell.

Spec: spec/journeys.md §1.3. Cells keep their offsets in the original text so every error and
warning points at the line an author sees in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})[ \t]*stack[ \t]*$")
_COMMENT = re.compile(r"<!--(?P<body>.*?)-->", re.S)
_PLACEMENT = re.compile(r"^\s*\{(?P<body>.*)\}\s*$", re.S)
_PAIR = re.compile(r'(\w+)\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|\[[^\]]*\]|\w+)')


@dataclass(frozen=True, slots=True)
class Placement:
    """Where the canvas draws a cell: `<!-- { section: "<uuid>", x: 500, y: 48} -->`."""

    section: str
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Cell:
    kind: str                 # "code" | "dictionary" | "note"
    start: int                # offset of the cell's first character in the source
    end: int
    line: int                 # 1-based line of `start`
    placement: Placement | None = None
    name: str = ""            # dictionary name
    items: dict = field(default_factory=dict)   # dictionary key/values (strings)
    meta: dict = field(default_factory=dict)    # dictionary comment metadata (version, ...)


def normalise_source(source: str) -> str:
    """One newline convention, so offsets, lines and heredocs behave the same for CRLF files."""
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    return source


def is_notebook(source: str) -> bool:
    return any(_FENCE.match(line) for line in source.split("\n"))


def _comment_pairs(body: str) -> dict:
    out: dict = {}
    for key, raw in _PAIR.findall(body):
        if raw.startswith('"'):
            value: object = raw[1:-1].replace('\\"', '"')
        elif re.fullmatch(r"-?\d+", raw):
            value = int(raw)
        elif re.fullmatch(r"-?\d+\.\d+", raw):
            value = float(raw)
        else:
            value = raw
        out[key] = value
    return out


def _table(lines: list[str]) -> dict[str, str]:
    """Key/value rows of a Markdown table (first row = header, second = separator)."""
    rows = [ln.strip() for ln in lines]
    items: dict[str, str] = {}
    for k, row in enumerate(rows):
        if k < 2:
            continue
        cells = [c.strip() for c in row.strip("|").split("|")]
        if len(cells) >= 2 and cells[0]:
            items[cells[0]] = cells[1]
    return items


def _closes(line: str, fence: str) -> bool:
    text = line.strip()
    return len(text) >= len(fence) and set(text) == {fence[0]}


def split_cells(source: str) -> list[Cell]:
    """Cells of a (normalised) source. Without any ```stack fence the whole text is one code cell."""
    if not is_notebook(source):
        return [Cell("code", 0, len(source), 1)]
    cells: list[Cell] = []
    lines = source.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    placement: Placement | None = None
    note_start: int | None = None
    i = 0
    n = len(lines)

    def flush_note(upto: int) -> None:
        nonlocal note_start
        if note_start is not None and source[offsets[note_start]:upto].strip():
            cells.append(Cell("note", offsets[note_start], upto, note_start + 1))
        note_start = None

    while i < n:
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:
            flush_note(offsets[i])
            closer = fence.group("fence")
            j = i + 1
            while j < n and not _closes(lines[j], closer):
                j += 1
            start = offsets[i + 1] if i + 1 < n else len(source)
            end = offsets[j] if j < n else len(source)
            cells.append(Cell("code", start, end, i + 2, placement))
            placement = None
            i = j + 1
            continue
        if line.lstrip().startswith("<!--"):
            start_off = offsets[i] + line.index("<!--")
            m = _COMMENT.match(source, start_off)
            if m:
                body = m.group("body")
                last = source.count("\n", 0, m.end())
                if re.search(r"\bdictionary\s*:", body):
                    flush_note(offsets[i])
                    meta = _comment_pairs(body)
                    name = str(meta.pop("dictionary", ""))
                    k = last + 1
                    while k < n and not lines[k].strip():
                        k += 1
                    table = []
                    while k < n and lines[k].lstrip().startswith("|"):
                        table.append(lines[k])
                        k += 1
                    end = offsets[k] if k < n else len(source)
                    cells.append(Cell("dictionary", offsets[i], end, i + 1, placement, name,
                                      _table(table), meta))
                    placement = None
                    i = k
                    continue
                pm = _PLACEMENT.match(body)
                if pm:
                    flush_note(offsets[i])
                    pairs = _comment_pairs(pm.group("body"))
                    placement = Placement(str(pairs.get("section", "")), pairs.get("x", 0) or 0,
                                          pairs.get("y", 0) or 0)
                    i = last + 1
                    continue
        if note_start is None and line.strip():
            note_start = i
        i += 1
    flush_note(len(source))
    return cells
