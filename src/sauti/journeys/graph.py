"""The editor's graph: cards and their connections laid out in layers, ready to draw as SVG.

Pure layout over a compiled Program (no Django): layers are the shortest distance from the start
card, cards no path reaches sit below in their own group, dimmed. The template draws the result.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from .lang.program import Program

NODE_W, NODE_H = 160, 48
GAP_X, GAP_Y = 40, 64
MARGIN = 20
LOOP_OUT = 26          # how far a back edge swings out to the right: inside the gap between cards
GROUP_GAP = 46         # extra room above the "not reachable" group
MAX_LABEL = 22
# Card items worth naming under a card's title, in the words authors use.
ITEM_WORDS = {"text": "text", "ask": "ask", "media": "media", "template": "template", "cta": "link",
              "location_request": "location", "whatsapp_flow": "flow", "send_content": "content", "http": "HTTP",
              "update_contact": "contact", "write_result": "result", "log": "log", "add_label": "label",
              "run_stack": "run journey", "schedule_stack": "schedule", "wait": "wait", "handover": "handover",
              "assign_chat": "assign", "update_dictionary": "dictionary"}


@dataclass
class Node:
    name: str
    line: int
    label: str
    sub: str
    start: bool
    reachable: bool
    loops: bool = False   # the card can lead back to itself (typically: re-ask on an unknown reply)
    layer: int = 0
    x: int = 0
    y: int = 0
    w: int = NODE_W
    h: int = NODE_H

    @property
    def cx(self) -> int:
        return self.x + self.w // 2


@dataclass
class Edge:
    source: str
    target: str
    kind: str          # "then" | "option"
    path: str = ""
    back: bool = False


@dataclass
class Graph:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    width: int = 0
    height: int = 0
    unreachable_top: int | None = None   # y of the "not reachable" group label

    @property
    def unreachable_count(self) -> int:
        return sum(1 for n in self.nodes if not n.reachable)


def layout(program: Program) -> Graph:
    names = list(program.cards)
    if not names:
        return Graph(width=2 * MARGIN, height=2 * MARGIN)
    edges = _edges(program, set(names))
    loops = {e.source for e in edges if e.source == e.target}
    edges = [e for e in edges if e.source != e.target]
    children: dict[str, list[str]] = {n: [] for n in names}
    for e in edges:
        if e.target not in children[e.source]:
            children[e.source].append(e.target)

    depth = _depths(program.start, children) if program.start in children else {}
    nodes = {n: _node(program, n, start=n == program.start, reachable=n in depth) for n in names}
    for name in loops:
        nodes[name].loops = True
    for name, d in depth.items():
        nodes[name].layer = d
    # Cards nothing reaches: layered among themselves from their own roots, below the rest.
    rest = [n for n in names if n not in depth]
    if rest:
        base = (max(depth.values()) + 1) if depth else 0
        targets = {t for n in rest for t in children[n] if t in rest and t != n}
        roots = [n for n in rest if n not in targets] or rest[:1]
        own: dict[str, int] = {}
        for root in roots:
            for name, d in _depths(root, children, within=set(rest)).items():
                own[name] = min(own.get(name, d), d)
        for name in rest:
            nodes[name].layer = base + own.get(name, 0)

    layers: dict[int, list[str]] = {}
    for name in names:                      # source order inside a layer, then parents' positions
        layers.setdefault(nodes[name].layer, []).append(name)
    order: dict[str, float] = {}
    graph = Graph()
    widest = max(len(v) for v in layers.values())
    total_w = widest * NODE_W + (widest - 1) * GAP_X
    parents: dict[str, list[str]] = {n: [] for n in names}
    for e in edges:
        if e.source != e.target:
            parents[e.target].append(e.source)
    y = MARGIN
    first_unreachable_layer = min((nodes[n].layer for n in rest), default=None)
    for index in sorted(layers):
        row = layers[index]
        if index == first_unreachable_layer:
            y += GROUP_GAP
            graph.unreachable_top = y - 16
        row.sort(key=lambda n: (_barycentre(n, parents, order, nodes), names.index(n)))
        row_w = len(row) * NODE_W + (len(row) - 1) * GAP_X
        x = MARGIN + (total_w - row_w) // 2
        for position, name in enumerate(row):
            node = nodes[name]
            node.x, node.y = x + position * (NODE_W + GAP_X), y
            order[name] = node.cx
        y += NODE_H + GAP_Y
    graph.nodes = [nodes[n] for n in names]
    graph.width = total_w + 2 * MARGIN + LOOP_OUT + 10
    graph.height = y - GAP_Y + MARGIN
    _route(edges, nodes)
    graph.edges = edges
    return graph


def _edges(program: Program, known: set[str]) -> list[Edge]:
    """One edge per (source, target): an option wins over a plain `then` between the same cards."""
    found: dict[tuple[str, str], Edge] = {}
    for source, target, how in [*program.edges(), *_template_edges(program)]:
        if target not in known:
            continue
        kind = "option" if how == "option" else "then"
        edge = found.get((source, target))
        if edge is None:
            found[(source, target)] = Edge(source, target, kind)
        elif kind == "option":
            edge.kind = "option"
    return list(found.values())


def _template_edges(program: Program) -> list[tuple[str, str, str]]:
    """Quick-reply buttons of send_message_template(..., buttons: [A, B]) lead to cards too
    (Program.edges() leaves them out)."""
    out = []
    for name, variants in program.cards.items():
        for variant in variants:
            for op in variant.ops:
                if op.kind != "template":
                    continue
                buttons = op.params.get("buttons") or ()
                out += [(name, b.card, "option") for b in buttons if getattr(b, "card", None)]
    return out


def _depths(start: str, children: dict[str, list[str]], within: set[str] | None = None) -> dict[str, int]:
    depth = {start: 0}
    queue = deque([start])
    while queue:
        name = queue.popleft()
        for child in children[name]:
            if child not in depth and (within is None or child in within):
                depth[child] = depth[name] + 1
                queue.append(child)
    return depth


def _barycentre(name: str, parents: dict[str, list[str]], order: dict[str, float], nodes: dict[str, Node]) -> float:
    placed = [order[p] for p in parents[name] if p in order and nodes[p].layer < nodes[name].layer]
    return sum(placed) / len(placed) if placed else float("inf")


def _node(program: Program, name: str, *, start: bool, reachable: bool) -> Node:
    variants = program.cards[name]
    label = name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "…"
    words: list[str] = []
    for variant in variants:
        for op in variant.ops:
            word = op.get("style") if op.kind == "choice" else ITEM_WORDS.get(op.kind)
            if word and word not in words:
                words.append(word)
    sub = ", ".join(words[:3]) or "—"
    if len(variants) > 1:
        sub = f"{len(variants)}× · {sub}"
    return Node(name=name, line=variants[0].line, label=label, sub=sub, start=start, reachable=reachable)


def _route(edges: list[Edge], nodes: dict[str, Node]) -> None:
    """SVG paths: forward edges leave the bottom and enter the top; back edges swing out to the
    right, so they never cut through the cards between. (A card's loop to itself is a badge.)"""
    outgoing: dict[str, list[Edge]] = {}
    for e in edges:
        if e.source != e.target and nodes[e.target].layer > nodes[e.source].layer:
            outgoing.setdefault(e.source, []).append(e)
    for source, group in outgoing.items():
        group.sort(key=lambda e: nodes[e.target].cx)
        node = nodes[source]
        for i, e in enumerate(group):
            target = nodes[e.target]
            x1 = node.x + node.w * (i + 1) // (len(group) + 1)
            y1 = node.y + node.h
            x2, y2 = target.cx, target.y - 2
            bend = max(24, (y2 - y1) // 2)
            e.path = f"M{x1},{y1} C{x1},{y1 + bend} {x2},{y2 - bend} {x2},{y2}"
    for e in edges:
        if e.path:
            continue
        e.back = True
        a, b = nodes[e.source], nodes[e.target]
        x1, y1 = a.x + a.w, a.y + a.h // 2 - 6
        x2, y2 = b.x + b.w + 3, b.y + b.h // 2 + 6
        out = max(x1, x2) + LOOP_OUT
        e.path = f"M{x1},{y1} C{out},{y1} {out},{y2} {x2},{y2}"
