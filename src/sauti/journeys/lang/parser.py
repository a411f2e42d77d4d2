"""Parser of the Journeys DSL: cards, statements and journey-function calls.

Expressions are not parsed here: the parser finds where each one ends (brackets, strings, `if … do
… end`, line continuations) and keeps its source slice for `sauti.expressions`. Spec:
spec/journeys.md §1.2, §1.7-§1.9.
"""

from __future__ import annotations

from .ast import (
    Assign,
    Call,
    CallStmt,
    CardNode,
    Expr,
    ExprStmt,
    JourneyNode,
    KwArg,
    Pos,
    Stmt,
    ThenStmt,
    TriggerNode,
)
from .errors import JourneySyntaxError
from .lexer import Lexer
from .tokens import CLOSERS, CONTINUATION_OPS, CONTINUATION_WORDS, OPENERS, RESERVED, Token, TokenKind

# Calls parsed as journey functions when they start a statement (or the right side of `x =`).
DSL_FUNCTIONS = frozenset({
    "text", "ask", "buttons", "list", "image", "video", "audio", "document", "sticker", "header",
    "footer", "send_content", "send_message_template", "whatsapp_cta", "request_location",
    "whatsapp_flow", "update_contact", "write_result", "add_label", "assign_chat_to",
    "route_to_operator", "handover", "update_dictionary", "run_stack", "schedule_stack",
    "cancel_scheduled_stacks", "wait", "log", "get", "post", "put", "patch", "delete", "head",
    "webhook", "cull_data", "ai_auto_memory", "interaction_timeout", "set_message_property",
})
# Functions whose name is also an expression function: a DSL call only with a string first
# argument or keyword arguments (`delete(url, headers: ...)` vs `delete(map, "key")`).
_AMBIGUOUS = frozenset({"delete"})
TOP_LEVEL_SETTINGS = frozenset({"interaction_timeout", "ai_auto_memory", "cull_data"})
# Card header options besides `then:` (Canvas metadata).
CARD_OPTIONS = ("version", "uuid", "code_generator")

_STMT, _ARG, _HEADER, _THEN = "stmt", "arg", "header", "then"


class Parser:
    """Parses one code cell. `errors` collects problems when `collect=True` (editor mode)."""

    def __init__(self, source: str, start: int = 0, end: int | None = None, line: int = 1) -> None:
        self.src = source
        lexer = Lexer(source, start, end, line)
        self.toks = lexer.tokens()
        self.comments = lexer.comments
        self.i = 0
        self.partial: tuple[list, list, list] = ([], [], [])

    # ------------------------------------------------------------------ helpers
    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def peek(self, k: int = 1) -> Token:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def error(self, message: str, tok: Token | None = None) -> JourneySyntaxError:
        tok = tok or self.tok
        return JourneySyntaxError(message, tok.line, tok.column, self.src)

    def expected(self, what: str, context: str = "", tok: Token | None = None) -> JourneySyntaxError:
        tok = tok or self.tok
        ctx = f" {context}" if context else ""
        return self.error(f"expected {what}{ctx}, found {tok.describe()}", tok)

    def skip_newlines(self) -> None:
        while self.tok.kind is TokenKind.NEWLINE:
            self.i += 1

    def advance(self) -> Token:
        tok = self.tok
        if tok.kind is not TokenKind.EOF:
            self.i += 1
        return tok

    def expect(self, kind: TokenKind, what: str, context: str = "") -> Token:
        if self.tok.kind is not kind:
            raise self.expected(what, context)
        return self.advance()

    # ------------------------------------------------------------------ top level
    def parse(self) -> JourneyNode:
        """The cell's journey; on a syntax error `self.partial` still holds what came before."""
        cards: list[CardNode] = []
        triggers: list[TriggerNode] = []
        settings: list[Call] = []
        self.partial = (cards, triggers, settings)
        name = self._items(cards, triggers, settings, in_stack=None)
        return JourneyNode(tuple(cards), tuple(triggers), tuple(settings), name)

    def partial_node(self) -> JourneyNode:
        cards, triggers, settings = self.partial
        return JourneyNode(tuple(cards), tuple(triggers), tuple(settings))

    def _items(self, cards: list, triggers: list, settings: list, in_stack: Token | None) -> str | None:
        name = None
        while True:
            self.skip_newlines()
            tok = self.tok
            if tok.kind is TokenKind.EOF:
                if in_stack is not None:
                    raise self.expected('"end"', "to close the stack block", tok)
                return name
            if tok.is_name("end") and in_stack is not None:
                self.advance()
                return name
            if tok.is_name("card"):
                cards.append(self.card())
            elif tok.is_name("stack") and in_stack is None and self.peek().kind is TokenKind.NAME:
                self.advance()
                name = self.advance().text
                if not self.tok.is_name("do"):
                    raise self.expected('"do"', f"after stack {name}")
                self.advance()
                self._items(cards, triggers, settings, in_stack=tok)
            elif tok.is_name("trigger") and self.peek().kind is TokenKind.LPAREN:
                triggers.append(self.trigger())
            elif tok.text in TOP_LEVEL_SETTINGS and self.peek().kind is TokenKind.LPAREN:
                call = self.call()
                settings.append(call)
                self.end_of_statement("after " + call.name + "(...)")
            else:
                raise self.expected('a card ("card Name do")', "", tok)

    def trigger(self) -> TriggerNode:
        start = self.tok
        call = self.call()
        # `when` may follow on the same or the next line.
        save = self.i
        self.skip_newlines()
        condition = None
        if self.tok.is_name("when"):
            self.advance()
            self.skip_newlines()
            condition = self.expression(_STMT, "a condition after when")
        else:
            self.i = save
        self.end_of_statement("after the trigger")
        return TriggerNode(call, condition, start.line, start.column)

    def end_of_statement(self, context: str) -> None:
        tok = self.tok
        if tok.kind in (TokenKind.NEWLINE, TokenKind.EOF) or tok.is_name("end"):
            return
        raise self.expected("the end of the line", context, tok)

    # ------------------------------------------------------------------ cards
    def card(self) -> CardNode:
        card_tok = self.advance()
        if self.tok.kind is not TokenKind.NAME or self.tok.text in RESERVED:
            raise self.expected("a card name", 'after "card"')
        name_tok = self.advance()
        name = name_tok.text
        label = condition = None
        then = None
        then_pos = None
        options: list[tuple[str, object]] = []
        while True:
            self.skip_newlines()
            tok = self.tok
            if tok.is_name("do"):
                self.advance()
                break
            if tok.is_name("when"):
                self.advance()
                self.skip_newlines()
                condition = self.expression(_HEADER, f"a condition after when in card {name}")
                continue
            if tok.kind is TokenKind.COMMA:
                self.advance()
                self.skip_newlines()
                tok = self.tok
                if tok.kind is TokenKind.STRING and label is None and not options and then is None:
                    label = self.expression(_HEADER, f"the label of card {name}")
                    continue
                if tok.is_name("when"):
                    continue
                if tok.kind is TokenKind.KEYWORD:
                    key = self.advance().text
                    self.skip_newlines()
                    if key == "then":
                        if self.tok.kind is not TokenKind.NAME:
                            raise self.expected("a card name", f"after then: in card {name}")
                        target = self.advance()
                        then, then_pos = target.text, Pos(target.line, target.column)
                    elif key in CARD_OPTIONS:
                        value = self.expression(_HEADER, f"a value for {key}: in card {name}")
                        options.append((key, value.string if value.string is not None else value.source))
                    else:
                        known = ", ".join(f"{k}:" for k in ("then",) + CARD_OPTIONS)
                        raise self.error(f'unknown card option "{key}:" in card {name} (known: {known})',
                                         tok)
                    continue
                raise self.expected('a label, "then:" or another option', f"in the header of card {name}")
            raise self.expected('"do"', f"after the header of card {name}", tok)
        body = self.statements(f"card {name}", card_tok)
        return CardNode(name, label, condition, then, then_pos, tuple(options), tuple(body),
                        card_tok.line, card_tok.column)

    def statements(self, owner: str, opener: Token) -> list[Stmt]:
        out: list[Stmt] = []
        while True:
            self.skip_newlines()
            tok = self.tok
            if tok.is_name("end"):
                self.advance()
                return out
            if tok.kind is TokenKind.EOF:
                raise self.expected('"end"', f"to close {owner}")
            if tok.is_name("card"):
                raise self.expected('"end"', f"to close {owner}")
            out.append(self.statement())
            self.end_of_statement("after the statement")

    def statement(self) -> Stmt:
        tok = self.tok
        nxt = self.peek()
        if tok.is_name("then") and nxt.kind is TokenKind.LPAREN:
            return self.then_stmt()
        if tok.kind is TokenKind.NAME and nxt.is_op("="):
            self.advance()
            self.advance()
            self.skip_newlines()
            if self.is_dsl_call():
                return Assign(tok.text, self.call(), tok.line, tok.column)
            return Assign(tok.text, self.expression(_STMT, f"a value for {tok.text}"), tok.line, tok.column)
        if self.is_dsl_call():
            call = self.call()
            return CallStmt(call, tok.line, tok.column)
        if tok.kind is TokenKind.KEYWORD:
            raise self.error(f'unexpected keyword "{tok.text}:" at the start of a statement', tok)
        return ExprStmt(self.expression(_STMT, "a statement"), tok.line, tok.column)

    def is_dsl_call(self) -> bool:
        tok = self.tok
        if tok.kind is not TokenKind.NAME or self.peek().kind is not TokenKind.LPAREN:
            return False
        if tok.text in _AMBIGUOUS:
            first = self.peek(2)
            return first.kind is TokenKind.STRING
        return tok.text in DSL_FUNCTIONS

    def then_stmt(self) -> ThenStmt:
        tok = self.advance()
        self.advance()  # (
        self.skip_newlines()
        if self.tok.kind is not TokenKind.NAME:
            raise self.expected("a card name", "in then(...)")
        target = self.advance()
        self.skip_newlines()
        condition = None
        if self.tok.is_name("when"):
            self.advance()
            self.skip_newlines()
            condition = self.expression(_THEN, f"a condition after when in then({target.text} ...)")
        self.skip_newlines()
        if self.tok.kind is not TokenKind.RPAREN:
            raise self.expected('")"', f"to close then({target.text}")
        self.advance()
        return ThenStmt(target.text, condition, tok.line, tok.column, target.line, target.column)

    def call(self) -> Call:
        name_tok = self.advance()
        open_tok = self.advance()  # (
        args: list[Expr] = []
        kwargs: list[KwArg] = []
        while True:
            self.skip_newlines()
            tok = self.tok
            if tok.kind is TokenKind.RPAREN:
                self.advance()
                break
            if tok.kind is TokenKind.EOF:
                raise self.expected('")"', f'to close "(" opened at line {open_tok.line}, '
                                    f"column {open_tok.column} in {name_tok.text}(...)")
            if tok.kind is TokenKind.KEYWORD:
                self.advance()
                self.skip_newlines()
                value = self.expression(_ARG, f"a value for {tok.text}: in {name_tok.text}(...)")
                kwargs.append(KwArg(tok.text, value, tok.line, tok.column))
            else:
                if kwargs:
                    raise self.error(f"positional argument after keyword arguments in {name_tok.text}(...)")
                args.append(self.expression(_ARG, f"an argument of {name_tok.text}(...)"))
            self.skip_newlines()
            if self.tok.kind is TokenKind.COMMA:
                self.advance()
            elif self.tok.kind is not TokenKind.RPAREN:
                raise self.expected('"," or ")"', f"in the arguments of {name_tok.text}(...)")
        block = None
        if self.tok.is_name("do"):
            do_tok = self.advance()
            block = tuple(self.statements(f"the {name_tok.text} block", do_tok))
        end = self.toks[self.i - 1]
        return Call(name_tok.text, tuple(args), tuple(kwargs), block, name_tok.line, name_tok.column,
                    end.line, end.column)

    # ------------------------------------------------------------------ expressions
    def expression(self, mode: str, what: str) -> Expr:
        """Consume one expression and return its source slice (see the module docstring)."""
        start = self.i
        end, breaks = self._scan(mode)
        if end == start:
            raise self.expected(what)
        toks = [t for t in self.toks[start:end] if t.kind is not TokenKind.NEWLINE]
        self.i = end
        first, last = toks[0], toks[-1]
        chars = list(self.src[first.offset:last.end])
        base = first.offset
        # Line continuations at the top level become blanks; newlines inside brackets stay.
        for k in breaks:
            t = self.toks[k]
            if base <= t.offset < last.end:
                chars[t.offset - base] = " "
        for c_start, c_end in self.comments:
            if c_start >= base and c_end <= last.end:
                for k in range(c_start - base, c_end - base):
                    chars[k] = " "
        return Expr("".join(chars), first.line, first.column, tuple(toks))

    def _scan(self, mode: str) -> tuple[int, list[int]]:
        toks = self.toks
        i = self.i
        breaks: list[int] = []
        stack: list[tuple[object, Token]] = []   # expected closer kind (or "end"), opener
        pending_if: list[int] = []               # depths of `if` still waiting for do / do:
        keyword_if: list[int] = []               # depths of `if c, do: a` forms
        prev: Token | None = None
        while True:
            tok = toks[i]
            kind = tok.kind
            depth = len(stack)
            if kind is TokenKind.EOF:
                if stack:
                    closer, opener = stack[-1]
                    want = '"end"' if closer == "end" else f'"{closer.value}"'
                    # Reported at the bracket left open: that is where the author must look.
                    raise self.error(f'expected {want} to close "{opener.text}" opened at line '
                                     f"{opener.line}, column {opener.column}, found end of text", opener)
                return i, breaks
            if kind in OPENERS:
                stack.append((OPENERS[kind], tok))
            elif kind in CLOSERS:
                if not stack:
                    return i, breaks
                closer, opener = stack[-1]
                if closer != kind:
                    want = '"end"' if closer == "end" else f'"{closer.value}"'
                    raise self.error(f'expected {want} to close "{opener.text}" opened at line '
                                     f"{opener.line}, column {opener.column}, found \"{tok.text}\"", tok)
                stack.pop()
            elif kind is TokenKind.NAME:
                text = tok.text
                if text == "if" and toks[i + 1].kind is not TokenKind.LPAREN:
                    pending_if.append(depth)
                elif text == "do":
                    if pending_if and pending_if[-1] == depth:
                        pending_if.pop()
                        stack.append(("end", tok))
                    elif depth == 0:
                        return i, breaks
                elif text == "end":
                    if stack and stack[-1][0] == "end":
                        stack.pop()
                    elif depth == 0:
                        return i, breaks
                elif text in ("card", "when") and depth == 0 and prev is not None:
                    return i, breaks
            elif kind is TokenKind.KEYWORD:
                if tok.text == "do" and pending_if and pending_if[-1] == depth:
                    pending_if.pop()
                    keyword_if.append(depth)
                elif depth == 0 and tok.text == "then" and mode == _HEADER:
                    return i, breaks
            elif kind is TokenKind.COMMA and depth == 0:
                j = i + 1
                while toks[j].kind is TokenKind.NEWLINE:
                    j += 1
                nxt = toks[j]
                if not (nxt.kind is TokenKind.KEYWORD and nxt.text in ("do", "else")
                        and (pending_if or keyword_if)):
                    return i, breaks
            elif kind is TokenKind.NEWLINE and depth == 0:
                if mode == _STMT and not self._continues(prev, toks[i + 1]):
                    return i, breaks
                breaks.append(i)
            if kind is not TokenKind.NEWLINE:
                prev = tok
            i += 1

    @staticmethod
    def _continues(prev: Token | None, nxt: Token) -> bool:
        if prev is None:
            return True
        if prev.kind is TokenKind.OP and prev.text in CONTINUATION_OPS:
            return True
        if prev.kind is TokenKind.NAME and prev.text in CONTINUATION_WORDS:
            return True
        if prev.kind is TokenKind.KEYWORD:
            return True
        if nxt.kind is TokenKind.NAME and nxt.text in ("and", "or"):
            return True
        if nxt.kind is TokenKind.OP and nxt.text in ("|>", "==", "!=", "&&", "||", "<>", ">=", "<="):
            return True
        return False


def parse_cell(source: str, start: int = 0, end: int | None = None, line: int = 1) -> JourneyNode:
    """Parse one code cell of `source` (positions stay those of the whole source)."""
    return Parser(source, start, end, line).parse()
