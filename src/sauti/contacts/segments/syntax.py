"""The segment language's lexer, parser and syntax tree (docs/segments.md). Pure Python.

    opted_in and last_seen_at > -30d and (district = "North" or not age < 18)

Precedence, loosest first: `or`, `and`, `not`. Errors name the column (1-based) where the
problem starts, so the editor can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

KEYWORDS = frozenset({"and", "or", "not", "is", "set", "contains", "starts_with", "true", "false", "now", "today"})
COMPARISONS = {"=": "=", "==": "=", "!=": "!=", "<>": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">="}
WORD_OPERATORS = ("contains", "starts_with")
UNITS = {"min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes", "h": "hours",
         "hour": "hours", "hours": "hours", "d": "days", "day": "days", "days": "days", "w": "weeks",
         "week": "weeks", "weeks": "weeks", "mo": "months", "month": "months", "months": "months", "y": "years",
         "year": "years", "years": "years"}

_DATE = r"\d{4}-\d{2}-\d{2}"
_MOMENT = re.compile(rf"{_DATE}(?:T\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)")
_RELATIVE = re.compile(r"([+-])(\d+)([a-z]+)", re.I)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


class SegmentSyntaxError(ValueError):
    """A query that cannot be read or does not fit the workspace's fields; `.column` is 1-based."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"column {column}: {message}")
        self.message = message
        self.column = column


# ---------------------------------------------------------------------------- tokens


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # ident string number date datetime relative op lparen rparen end
    text: str
    column: int
    value: Any = None


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        col = i + 1
        if ch.isspace():
            i += 1
            continue
        if ch in "()":
            tokens.append(Token("lparen" if ch == "(" else "rparen", ch, col))
            i += 1
            continue
        if ch in "\"'“”‘’":
            i, token = _string(text, i)
            tokens.append(token)
            continue
        two = text[i:i + 2]
        if two in COMPARISONS:
            tokens.append(Token("op", COMPARISONS[two], col))
            i += 2
            continue
        if ch in COMPARISONS:
            tokens.append(Token("op", COMPARISONS[ch], col))
            i += 1
            continue
        if ch == "!":
            raise SegmentSyntaxError(_("“!” on its own means nothing here: write != or not"), col)
        relative = _RELATIVE.match(text, i)
        if relative:
            sign, amount, unit = relative.groups()
            if unit.lower() not in UNITS:
                raise SegmentSyntaxError(_("“%(unit)s” is not a unit of time: use min, h, d, w, mo or y (as in -30d)")
                                         % {"unit": unit}, col + 1 + len(amount))
            tokens.append(Token("relative", relative.group(), col,
                                (int(amount) * (-1 if sign == "-" else 1), UNITS[unit.lower()])))
            i = relative.end()
            continue
        moment = _MOMENT.match(text, i)
        if moment:
            kind = "date" if len(moment.group()) == 10 else "datetime"
            tokens.append(Token(kind, moment.group(), col, moment.group()))
            i = moment.end()
            continue
        number = _NUMBER.match(text, i)
        if number:
            end = number.end()
            if end < n and (text[end].isalpha() or text[end] == "_"):
                word = _IDENT.match(text, end)
                unit = word.group() if word else text[end]
                if unit.lower() in UNITS and text[i] not in "+-":
                    raise SegmentSyntaxError(
                        _("write -%(text)s for %(text)s ago, or +%(text)s for %(text)s from now")
                        % {"text": text[i:end] + unit}, col)
                raise SegmentSyntaxError(_("“%(text)s” is neither a number nor a name") % {"text": text[i:end] + unit},
                                         col)
            literal = number.group()
            tokens.append(Token("number", literal, col, float(literal) if "." in literal else int(literal)))
            i = end
            continue
        ident = _IDENT.match(text, i)
        if ident:
            word = ident.group()
            tokens.append(Token("ident", word, col, word))
            i = ident.end()
            continue
        raise SegmentSyntaxError(_("unexpected “%(char)s”") % {"char": ch}, col)
    tokens.append(Token("end", "", n + 1))
    return tokens


_CLOSING = {'"': '"', "'": "'", "“": "”", "”": "”", "‘": "’", "’": "’"}


def _string(text: str, start: int) -> tuple[int, Token]:
    """A quoted string; curly quotes (what phones and word processors type) work as well."""
    closing = _CLOSING[text[start]]
    out: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if ch == closing or (closing in "\"”" and ch in "\"”") or (closing in "'’" and ch in "'’"):
            return i + 1, Token("string", text[start:i + 1], start + 1, "".join(out))
        out.append(ch)
        i += 1
    raise SegmentSyntaxError(_("this text is not closed: add a closing quote"), start + 1)


# ---------------------------------------------------------------------------- the tree


@dataclass(frozen=True, slots=True)
class Value:
    kind: str  # string word number boolean date datetime relative now today
    value: Any
    column: int
    text: str


@dataclass(frozen=True, slots=True)
class Compare:
    field: str
    column: int
    op: str  # = != < > <= >= contains starts_with
    value: Value


@dataclass(frozen=True, slots=True)
class IsSet:
    field: str
    column: int
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Truthy:
    """A field on its own (`opted_in`): true for a yes/no field that is yes."""

    field: str
    column: int


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Everyone:
    """The empty query."""


Node = Compare | IsSet | Truthy | Not | And | Or | Everyone


# ---------------------------------------------------------------------------- the parser


def _describe(token: Token) -> str:
    return _("the end of the query") if token.kind == "end" else f"“{token.text}”"


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.token
        return token.kind == "ident" and token.text.lower() == word

    def query(self) -> Node:
        node = self.disjunction()
        token = self.token
        if token.kind == "rparen":
            raise SegmentSyntaxError(_("this “)” closes nothing"), token.column)
        if token.kind != "end":
            hint = ""
            previous = self.tokens[self.pos - 1]
            if previous.kind == "ident" and token.kind == "ident":
                hint = " " + _("(put text with spaces in quotes: \"New York\")")
            raise SegmentSyntaxError(_("expected and, or, or the end of the query, found %(found)s")
                                     % {"found": _describe(token)} + hint, token.column)
        return node

    def disjunction(self) -> Node:
        items = [self.conjunction()]
        while self.keyword("or"):
            self.advance()
            items.append(self.conjunction())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def conjunction(self) -> Node:
        items = [self.negation()]
        while self.keyword("and"):
            self.advance()
            items.append(self.negation())
        return items[0] if len(items) == 1 else And(tuple(items))

    def negation(self) -> Node:
        if self.keyword("not"):
            self.advance()
            return Not(self.negation())
        return self.atom()

    def atom(self) -> Node:
        token = self.token
        if token.kind == "lparen":
            self.advance()
            node = self.disjunction()
            if self.token.kind != "rparen":
                raise SegmentSyntaxError(_("expected “)” to close the “(” at column %(column)s, found %(found)s")
                                         % {"column": token.column, "found": _describe(self.token)},
                                         self.token.column)
            self.advance()
            return node
        if token.kind != "ident" or token.text.lower() in KEYWORDS:
            raise SegmentSyntaxError(_("expected a field name, found %(found)s") % {"found": _describe(token)},
                                     token.column)
        return self.condition()

    def condition(self) -> Node:
        field_token = self.advance()
        name = field_token.text.lower().removeprefix("contact.")
        token = self.token
        if token.kind == "op" or (token.kind == "ident" and token.text.lower() in WORD_OPERATORS):
            op = self.advance().text.lower()
            return Compare(name, field_token.column, op, self.value(op))
        if self.keyword("is"):
            self.advance()
            negated = False
            if self.keyword("not"):
                self.advance()
                negated = True
            if not self.keyword("set"):
                raise SegmentSyntaxError(_("expected “set” (as in “%(field)s is set”), found %(found)s")
                                         % {"field": name, "found": _describe(self.token)}, self.token.column)
            self.advance()
            return IsSet(name, field_token.column, negated)
        if token.kind in ("end", "rparen") or self.keyword("and") or self.keyword("or"):
            return Truthy(name, field_token.column)
        raise SegmentSyntaxError(_("expected =, !=, <, >, <=, >=, contains, starts_with or “is set” after "
                                   "%(field)s, found %(found)s") % {"field": name, "found": _describe(token)},
                                 token.column)

    def value(self, op: str) -> Value:
        token = self.token
        if token.kind in ("string", "number", "date", "datetime", "relative"):
            self.advance()
            return Value(token.kind, token.value, token.column, token.text)
        if token.kind == "ident" and token.text.lower() not in ("and", "or", "not", "is", "set"):
            self.advance()
            word = token.text.lower()
            if word in ("true", "false"):
                return Value("boolean", word == "true", token.column, token.text)
            if word in ("now", "today"):
                return Value(word, None, token.column, token.text)
            return Value("word", token.text, token.column, token.text)
        raise SegmentSyntaxError(_("expected a value after “%(op)s”, found %(found)s")
                                 % {"op": op, "found": _describe(token)}, token.column)


def parse_segment(text: str) -> Node:
    """The query's syntax tree (`Everyone()` for an empty query); SegmentSyntaxError otherwise."""
    if len(text) > 5000:
        raise SegmentSyntaxError(_("the query is longer than 5,000 characters"), 5001)
    tokens = tokenize(text)
    if tokens[0].kind == "end":
        return Everyone()
    return _Parser(tokens).query()


def fields_of(node: Node) -> set[str]:
    """The field names a query mentions (to tell which segments a deleted field breaks)."""
    if isinstance(node, (Compare, IsSet, Truthy)):
        return {node.field}
    if isinstance(node, Not):
        return fields_of(node.item)
    if isinstance(node, (And, Or)):
        return set().union(*(fields_of(item) for item in node.items))
    return set()
