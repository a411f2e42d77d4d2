"""Compile a journey source (notebook or plain DSL) into a Program.

Errors are collected (the editor and `sauti journeys check` show them all); `compile_journey`
raises the first one. Semantic checks live in checker.py.
"""

from __future__ import annotations

import difflib
import hashlib
import re

from . import checker
from .ast import Assign, CallStmt, CardNode, Expr, ExprStmt, JourneyNode, Stmt, ThenStmt
from .calls import COMPILERS
from .errors import ERROR, WARNING, Diagnostic, JourneySyntaxError
from .exprs import code_value, template_value
from .notebook import normalise_source, split_cells
from .parser import Parser
from .program import (
    DEFAULT_INTERACTION_TIMEOUT,
    CardVariant,
    CellInfo,
    Lit,
    Op,
    Program,
    Value,
)
from .triggers import compile_trigger

_WORD = re.compile(r"[^\W\d]\w*")


class CardCompiler:
    """Compiles the statements of one card variant; handed to the function compilers."""

    def __init__(self, unit: Compilation, card: CardNode) -> None:
        self.unit = unit
        self.card = card
        self.card_then = card.then
        self.code_generator = card.option("code_generator")

    def error(self, message: str, line: int, column: int, code: str = "syntax") -> JourneySyntaxError:
        return JourneySyntaxError(message, line, column, self.unit.source, code)

    def warn(self, message: str, line: int, column: int, code: str = "") -> None:
        self.unit.diagnostics.append(Diagnostic(WARNING, message, line, column, code))

    def value(self, expr: Expr) -> Value:
        return code_value(expr, self.unit.source)

    def is_card(self, name: str) -> bool:
        return name in self.unit.card_names

    def card_ref(self, name: str, line: int, column: int) -> str:
        """A card named in an option or a transition; an unknown one is a compile error."""
        self.unit.check_card(name, line, column)
        return name

    def card_label(self, name: str) -> tuple[Value, str]:
        for node in self.unit.card_nodes.get(name, ()):
            if node.label is not None:
                raw = node.label.string if node.label.string is not None else node.label.source
                return self.value(node.label), raw
        return Lit(name, name), name

    def check_choice(self, call: object, params: dict) -> None:
        checker.check_choice(self, call, params)

    # ------------------------------------------------------------------ statements
    def compile(self) -> tuple[Op, ...]:
        ops: list[Op] = []
        for stmt in self.card.body:
            try:
                op = self.statement(stmt)
            except JourneySyntaxError as exc:
                self.unit.diagnostics.append(exc.diagnostic())
                continue
            if op is None:
                continue
            if op.kind == "then" and ops and ops[-1].kind == "then":
                prev = ops.pop()
                op = Op("then", {"branches": prev.params["branches"] + op.params["branches"]},
                        None, prev.line, prev.column)
            ops.append(op)
        return tuple(_merge_captions(ops))

    def statement(self, stmt: Stmt) -> Op | None:
        if isinstance(stmt, ThenStmt):
            self.card_ref(stmt.target, stmt.target_line, stmt.target_column)
            cond = None
            if stmt.condition is not None:
                cond = self.value(stmt.condition)
            return Op("then", {"branches": ((stmt.target, cond),)}, None, stmt.line, stmt.column)
        if isinstance(stmt, Assign):
            if isinstance(stmt.value, Expr):
                return Op("set", {"value": self.value(stmt.value)}, stmt.target, stmt.line, stmt.column)
            return self.call(stmt.value, stmt.target)
        if isinstance(stmt, CallStmt):
            return self.call(stmt.call, None)
        if isinstance(stmt, ExprStmt):
            return Op("eval", {"value": self.value(stmt.expr)}, None, stmt.line, stmt.column)
        raise AssertionError(f"unknown statement {stmt!r}")

    def call(self, call: object, target: str | None) -> Op | None:
        fn = COMPILERS.get(call.name)  # type: ignore[attr-defined]
        if fn is None:
            raise self.error(f"{call.name}(...) cannot be used here", call.line, call.column)  # type: ignore[attr-defined]
        return fn(self, call, target)  # type: ignore[arg-type]


def _merge_captions(ops: list[Op]) -> list[Op]:
    """`image(url)` directly followed by `text(...)` is sent as one captioned message, as Turn
    does (image, video and document take captions; audio and stickers do not)."""
    out: list[Op] = []
    for op in ops:
        prev = out[-1] if out else None
        if (op.kind == "text" and op.target is None and prev is not None and prev.kind == "media"
                and prev.params["media_type"] in ("image", "video", "document")
                and prev.params.get("caption") is None and prev.target is None):
            params = dict(prev.params)
            params["caption"] = op.params["text"]
            out[-1] = Op("media", params, None, prev.line, prev.column)
            continue
        out.append(op)
    return out


class Compilation:
    def __init__(self, source: str) -> None:
        self.source = normalise_source(source)
        self.diagnostics: list[Diagnostic] = []
        self.card_nodes: dict[str, list[CardNode]] = {}
        self.card_names: set[str] = set()
        self.journeys: list[JourneyNode] = []
        self.cells: list[CellInfo] = []
        self.dictionaries: dict[str, dict] = {}
        # Every word of every code cell, lower-cased: a superset of the names expressions read,
        # so the engine prepares only context roots a journey can reach.
        self.names: set[str] = set()

    def check_card(self, name: str, line: int, column: int) -> None:
        if name in self.card_names:
            return
        close = difflib.get_close_matches(name, sorted(self.card_names), n=1)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        raise JourneySyntaxError(f'unknown card "{name}": no card has that name{hint}', line, column,
                                 self.source, "unknown-card")

    # ------------------------------------------------------------------ parse
    def parse(self) -> None:
        for cell in split_cells(self.source):
            placement = cell.placement
            if cell.kind == "dictionary":
                self.dictionaries[cell.name] = dict(cell.items)
                self.cells.append(CellInfo("dictionary", cell.line, placement and placement.section,
                                           placement and placement.x, placement and placement.y))
                continue
            if cell.kind != "code":
                continue
            self.names.update(w.lower() for w in _WORD.findall(self.source, cell.start, cell.end))
            names: list[str] = []
            start, line = cell.start, cell.line
            while True:
                parser = None
                try:
                    parser = Parser(self.source, start, cell.end, line)
                    node = parser.parse()
                except JourneySyntaxError as exc:
                    self.diagnostics.append(exc.diagnostic())
                    if parser is not None:
                        partial = parser.partial_node()
                        self.journeys.append(partial)
                        names += [c.name for c in partial.cards]
                    resume = self._resync(exc, cell.end)
                    if resume is None:
                        break
                    start, line = resume
                    continue
                self.journeys.append(node)
                names += [c.name for c in node.cards]
                break
            self.cells.append(CellInfo("code", cell.line, placement and placement.section,
                                       placement and placement.x, placement and placement.y,
                                       tuple(dict.fromkeys(names))))
        for node in self.journeys:
            for card in node.cards:
                self.card_nodes.setdefault(card.name, []).append(card)
        self.card_names = set(self.card_nodes)

    def _resync(self, exc: JourneySyntaxError, end: int) -> tuple[int, int] | None:
        """After a syntax error, continue at the next line starting with `card` (collect mode)."""
        lines = self.source[:end].split("\n")
        offset = sum(len(s) + 1 for s in lines[:exc.line])
        for k in range(exc.line, len(lines)):
            if lines[k].startswith("card ") or lines[k].startswith("card\t"):
                return offset, k + 1
            offset += len(lines[k]) + 1
        return None

    # ------------------------------------------------------------------ compile
    def compile(self) -> Program:
        self.parse()
        cards: dict[str, list[CardVariant]] = {}
        order: list[str] = []
        for node in self.journeys:
            for card in node.cards:
                variant = self.card(card, len(cards.get(card.name, ())))
                if variant is None:
                    continue
                if card.name not in cards:
                    order.append(card.name)
                cards.setdefault(card.name, []).append(variant)
        triggers = []
        timeout = DEFAULT_INTERACTION_TIMEOUT
        settings: dict = {}
        for node in self.journeys:
            for trig in node.triggers:
                try:
                    triggers.append(compile_trigger(trig, self.source))
                except JourneySyntaxError as exc:
                    self.diagnostics.append(exc.diagnostic())
            for call in node.settings:
                self.setting(call, settings)
        if "interaction_timeout" in settings:
            timeout = settings["interaction_timeout"]
        checker.check_program(self, cards)
        start = next((n for n in order if not all(v.is_placeholder for v in cards[n])), None)
        name = next((n.name for n in self.journeys if n.name), None)
        return Program(
            cards={k: tuple(v) for k, v in cards.items()}, start=start, triggers=tuple(triggers),
            interaction_timeout=timeout, dictionaries=self.dictionaries, settings=settings,
            warnings=tuple(d for d in self.sorted_diagnostics() if d.severity == WARNING),
            name=name, source_hash=hashlib.sha256(self.source.encode()).hexdigest(),
            cells=tuple(self.cells), names=frozenset(self.names))

    def setting(self, call: object, settings: dict) -> None:
        name = call.name  # type: ignore[attr-defined]
        args = call.args  # type: ignore[attr-defined]
        line, column = call.line, call.column  # type: ignore[attr-defined]
        if name == "interaction_timeout":
            value = args[0].number if args else None
            if not isinstance(value, int) or value <= 0:
                self.diagnostics.append(Diagnostic(
                    ERROR, "interaction_timeout(...) takes a whole number of seconds", line, column,
                    "syntax"))
                return
            settings["interaction_timeout"] = value
        elif name == "ai_auto_memory":
            settings["ai_auto_memory"] = bool(args and args[0].boolean)
        elif name == "cull_data":
            settings["cull_data"] = True
        else:
            self.diagnostics.append(Diagnostic(
                ERROR, f"{name}(...) cannot be used outside a card", line, column, "syntax"))

    def card(self, card: CardNode, index: int) -> CardVariant | None:
        cc = CardCompiler(self, card)
        try:
            label = raw_label = None
            if card.label is not None:
                raw_label = card.label.string if card.label.string is not None else card.label.source
                label = (template_value(raw_label, card.label.line, card.label.column + 1, self.source)
                         if card.label.string is not None else cc.value(card.label))
            condition = cc.value(card.condition) if card.condition is not None else None
            if card.then is not None and card.then_pos is not None:
                try:
                    self.check_card(card.then, card.then_pos.line, card.then_pos.column)
                except JourneySyntaxError as exc:
                    self.diagnostics.append(exc.diagnostic())
        except JourneySyntaxError as exc:
            self.diagnostics.append(exc.diagnostic())
            return None
        ops = cc.compile()
        return CardVariant(
            name=card.name, index=index, label=label, raw_label=raw_label, condition=condition,
            then=card.then, ops=ops, code_generator=_opt(card, "code_generator"),
            uuid=_opt(card, "uuid"), version=_opt(card, "version"), line=card.line, column=card.column)

    def sorted_diagnostics(self) -> list[Diagnostic]:
        seen = set()
        out = []
        for d in sorted(self.diagnostics, key=lambda d: (d.line, d.column, d.severity != ERROR)):
            key = (d.severity, d.message, d.line, d.column)
            if key not in seen:
                seen.add(key)
                out.append(d)
        return out


def _opt(card: CardNode, key: str) -> str | None:
    value = card.option(key)
    return None if value is None else str(value)


def compile_journey(source: str) -> Program:
    """Compile a journey; raise JourneySyntaxError (line, column, message) for the first error."""
    unit = Compilation(source)
    program = unit.compile()
    errors = [d for d in unit.sorted_diagnostics() if d.severity == ERROR]
    if errors:
        first = errors[0]
        raise JourneySyntaxError(first.message, first.line, first.column, unit.source, first.code)
    return program


def check_journey(source: str) -> list[Diagnostic]:
    """Every error and warning of a journey source, sorted by position (editor, CLI check)."""
    unit = Compilation(source)
    try:
        unit.compile()
    except JourneySyntaxError as exc:  # a failure outside the per-card recovery
        unit.diagnostics.append(exc.diagnostic())
    return unit.sorted_diagnostics()
