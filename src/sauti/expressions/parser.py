"""Recursive-descent parser: code (journey conditions, assignments) and templates (text with @).

Precedence is data (``LEVELS``); one loop parses every left-associative binary level. The V1
quirk that comparisons share a level with ``+ - &`` is kept on purpose (spec: "Operators and
precedence"). ``and``/``or``/``not`` and the ``if … do … end`` forms of journey code become the
same calls as ``and()``, ``or()``, ``not()`` and ``if()``, as Turn compiled them.
"""

from __future__ import annotations

from . import ast
from .errors import ExpressionError
from .lexer import NAME_CHARS, SEGMENT, Lexer
from .tokens import Token, TokenKind

# Binary levels, loosest first (after or/and/not/range). Every level is left-associative.
LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"+", "-", "&", "=", "==", "!=", "<>", "<", "<=", ">", ">="}),
    frozenset({"*", "/"}),
    frozenset({"^"}),
)
MAX_NESTING = 40  # brackets, calls, prefixes and string templates inside each other
MAX_DEPTH = 250  # depth of the finished tree (long operator chains nest to the left)
NAME_START = NAME_CHARS


class Parser:
    """Parse one expression from ``src`` starting at ``start``.

    ``base`` is where ``src`` begins in the author's text (string templates are parsed from
    their unescaped content). ``partial`` stops cleanly at the first token that cannot continue
    the expression; at the top level a newline ends it, as in journey code.
    """

    def __init__(self, src: str, start: int = 0, *, code: bool = True, partial: bool = False,
                 base: int = 0, depth: int = 0, scopes: list[list[int]] | None = None,
                 nesting: int = 0) -> None:
        self.src = src
        self.lexer = Lexer(src, code)
        self.code = code
        self.partial = partial
        self.base = base
        self.depth = depth
        self.scopes = scopes if scopes is not None else []
        self.nesting = nesting
        self.last_end = start
        self.tok = self.lexer.next(start)

    # -- token helpers -------------------------------------------------------------------------

    def advance(self) -> Token:
        tok = self.tok
        self.last_end = tok.end
        self.tok = self.lexer.next(tok.end)
        return tok

    def peek(self) -> Token:
        return self.lexer.next(self.tok.end)

    def error(self, message: str, tok: Token | None = None) -> ExpressionError:
        tok = tok or self.tok
        return ExpressionError(message, offset=self.base + tok.start)

    def found(self) -> str:
        return self.tok.describe()

    def expect(self, kind: TokenKind, message: str) -> Token:
        if self.tok.kind is not kind:
            raise self.error(f"{message}, found {self.found()}")
        return self.advance()

    def is_name(self, word: str) -> bool:
        return self.tok.kind is TokenKind.NAME and self.tok.value == word

    def stop_here(self) -> bool:
        """At the top level of partial journey code, a newline ends the expression."""
        return self.partial and self.depth == 0 and self.tok.nl_before

    def glued(self, kind: TokenKind) -> bool:
        """The next token follows the current one with no space (``name(`` is a call)."""
        nxt = self.peek()
        return nxt.kind is kind and nxt.start == self.tok.end

    def enter(self) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise self.error("this expression is nested too deeply")

    def leave(self) -> None:
        self.nesting -= 1

    # -- grammar -------------------------------------------------------------------------------

    def parse_expression(self) -> ast.Node:
        return self.parse_or()

    def parse_or(self) -> ast.Node:
        left = self.parse_and()
        while self.is_name("or") and not self.stop_here():
            tok = self.advance()
            left = ast.Call(self.base + tok.start, "or", (left, self.parse_and()))
        return left

    def parse_and(self) -> ast.Node:
        left = self.parse_not()
        while self.is_name("and") and not self.stop_here():
            tok = self.advance()
            left = ast.Call(self.base + tok.start, "and", (left, self.parse_not()))
        return left

    def parse_not(self) -> ast.Node:
        if self.is_name("not") and not self.glued(TokenKind.LPAREN):
            tok = self.advance()
            self.enter()
            operand = self.parse_not()
            self.leave()
            return ast.Call(self.base + tok.start, "not", (operand,))
        return self.parse_range()

    def parse_range(self) -> ast.Node:
        left = self.parse_level(0)
        if self.tok.kind is TokenKind.OP and self.tok.text == ".." and not self.stop_here():
            tok = self.advance()
            stop = self.parse_level(0)
            step = None
            if self.tok.kind is TokenKind.OP and self.tok.text == "//" and not self.stop_here():
                self.advance()
                step = self.parse_level(0)
            return ast.RangeLit(self.base + tok.start, left, stop, step)
        return left

    def parse_level(self, level: int) -> ast.Node:
        if level == len(LEVELS):
            return self.parse_unary()
        ops = LEVELS[level]
        left = self.parse_level(level + 1)
        while self.tok.kind is TokenKind.OP and self.tok.text in ops and not self.stop_here():
            tok = self.advance()
            right = self.parse_level(level + 1)
            left = ast.Binary(self.base + tok.start, tok.text, left, right)
        return left

    def parse_unary(self) -> ast.Node:
        tok = self.tok
        if tok.kind is TokenKind.OP and tok.text == "-":
            self.advance()
            if self.tok.kind is TokenKind.NUMBER and self.tok.start == tok.end:
                number = self.advance()
                return self.parse_postfix(ast.Literal(self.base + tok.start, -number.value))
            self.enter()
            operand = self.parse_unary()
            self.leave()
            return ast.Negate(self.base + tok.start, operand)
        if tok.kind is TokenKind.OP and tok.text == "&":
            return self.parse_lambda()
        return self.parse_postfix(self.parse_primary())

    def parse_lambda(self) -> ast.Node:
        tok = self.advance()
        self.enter()
        self.scopes.append([0])
        self.depth += 1  # a lambda body reads like a bracketed expression
        try:
            body = self.parse_expression()
        finally:
            self.depth -= 1
            arity = self.scopes.pop()[0]
            self.leave()
        return ast.Lambda(self.base + tok.start, body, arity)

    def parse_postfix(self, node: ast.Node) -> ast.Node:
        while not self.stop_here():
            tok = self.tok
            if tok.kind is TokenKind.DOT:
                segment = self.lexer.segment(tok.end)
                if segment is None:
                    raise self.error(f"expected an attribute name after \".\", found {self.peek().describe()}",
                                     self.peek())
                node = ast.Attr(self.base + tok.start, node, segment.value)
                self.last_end = segment.end
                self.tok = self.lexer.next(segment.end)
            elif tok.kind is TokenKind.LBRACKET and not tok.nl_before:
                self.advance()
                self.depth += 1
                self.enter()
                index = self.parse_expression()
                self.leave()
                self.depth -= 1
                self.expect(TokenKind.RBRACKET, 'expected "]" after the index')
                node = ast.Index(self.base + tok.start, node, index)
            else:
                break
        return node

    def parse_primary(self) -> ast.Node:
        tok = self.tok
        kind = tok.kind
        pos = self.base + tok.start
        if kind is TokenKind.NUMBER or kind is TokenKind.TEMPORAL:
            self.advance()
            return ast.Literal(pos, tok.value)
        if kind is TokenKind.STRING:
            self.advance()
            text, content_start = tok.value
            return self.string_node(text, pos, self.base + content_start)
        if kind is TokenKind.NAME:
            return self.parse_name()
        if kind is TokenKind.LPAREN:
            self.advance()
            self.depth += 1
            self.enter()
            inner = self.parse_expression()
            self.leave()
            self.depth -= 1
            self.expect(TokenKind.RPAREN, 'expected ")" to close "("')
            return inner
        if kind is TokenKind.LBRACKET:
            return self.parse_list()
        if kind is TokenKind.LBRACE:
            return self.parse_map()
        if kind is TokenKind.ARG:
            self.advance()
            if not self.scopes:
                raise ExpressionError(f"{tok.text} can only be used inside a function written with &",
                                      offset=pos)
            scope = self.scopes[-1]
            scope[0] = max(scope[0], tok.value)
            return ast.Arg(pos, tok.value)
        if kind is TokenKind.AT:
            # `@name` and `@(expr)` in code mean the same as without the @ (seen in real journeys).
            nxt = self.peek()
            if nxt.start == tok.end and nxt.kind in (TokenKind.NAME, TokenKind.LPAREN, TokenKind.NUMBER):
                self.advance()
                if self.tok.kind is TokenKind.NUMBER:  # `@2nd` style names starting with a digit
                    number = self.advance()
                    return ast.Var(pos, number.text.lower())
                return self.parse_primary()
        if kind is TokenKind.EOF:
            raise self.error("expected a value, found end of text")
        raise self.error(f"expected a value, found {self.found()}")

    def parse_name(self) -> ast.Node:
        tok = self.tok
        name = tok.value
        pos = self.base + tok.start
        if self.glued(TokenKind.LPAREN):
            return self.parse_call()
        if name == "true" or name == "false":
            self.advance()
            return ast.Literal(pos, name == "true")
        if name == "nil" or name == "null":
            self.advance()
            return ast.Literal(pos, None)
        if name == "if":
            return self.parse_if()
        self.advance()
        return ast.Var(pos, name)

    def parse_call(self) -> ast.Node:
        tok = self.advance()
        name = tok.value
        self.advance()  # (
        self.depth += 1
        self.enter()
        args: list[ast.Node] = []
        if self.tok.kind is not TokenKind.RPAREN:
            while True:
                if name == "if" and self.tok.kind is TokenKind.KEYWORD and self.tok.text in ("do:", "else:"):
                    self.advance()  # `if(c, do: a, else: b)`, the Elixir keyword form in brackets
                args.append(self.parse_expression())
                if self.tok.kind is not TokenKind.COMMA:
                    break
                self.advance()
        self.leave()
        self.depth -= 1
        self.expect(TokenKind.RPAREN, f'expected ")" after the arguments to {name}')
        return ast.Call(self.base + tok.start, name, tuple(args))

    def parse_list(self) -> ast.Node:
        tok = self.advance()
        self.depth += 1
        self.enter()
        items: list[ast.Node] = []
        while self.tok.kind is not TokenKind.RBRACKET:
            items.append(self.parse_expression())
            if self.tok.kind is not TokenKind.COMMA:
                break
            self.advance()
        self.leave()
        self.depth -= 1
        self.expect(TokenKind.RBRACKET, 'expected "]" to close the list')
        return ast.ListLit(self.base + tok.start, tuple(items))

    def parse_map(self) -> ast.Node:
        tok = self.advance()
        self.depth += 1
        self.enter()
        keys: list[str] = []
        values: list[ast.Node] = []
        while self.tok.kind is not TokenKind.RBRACE:
            if self.tok.kind is TokenKind.KEYWORD:
                keys.append(self.advance().text[:-1])
            elif self.tok.kind is TokenKind.STRING:
                keys.append(self.advance().value[0].lower())
                self.expect(TokenKind.COLON, 'expected ":" after the key')
            else:
                raise self.error(f"expected a key in quotes, found {self.found()}")
            values.append(self.parse_expression())
            if self.tok.kind is not TokenKind.COMMA:
                break
            self.advance()
        self.leave()
        self.depth -= 1
        self.expect(TokenKind.RBRACE, 'expected "}" to close the map')
        return ast.MapLit(self.base + tok.start, tuple(keys), tuple(values))

    def parse_if(self) -> ast.Node:
        """``if c, do: a, else: b`` and ``if c do a else b end`` (journey code) → ``if(c, a, b)``."""
        tok = self.advance()
        pos = self.base + tok.start
        self.enter()
        cond = self.parse_expression()
        otherwise: ast.Node = ast.Literal(pos, None)
        if self.tok.kind is TokenKind.COMMA and self.peek().kind is TokenKind.KEYWORD \
                and self.peek().text == "do:":
            self.advance()
            self.advance()
            then = self.parse_expression()
            if self.tok.kind is TokenKind.COMMA and self.peek().kind is TokenKind.KEYWORD \
                    and self.peek().text == "else:":
                self.advance()
                self.advance()
                otherwise = self.parse_expression()
        elif self.is_name("do"):
            self.advance()
            self.depth += 1
            then = self.parse_expression()
            if self.is_name("else"):
                self.advance()
                otherwise = self.parse_expression()
            self.depth -= 1
            if not self.is_name("end"):
                raise self.error(f'expected "end" to close "if … do", found {self.found()}')
            self.advance()
        else:
            raise self.error(f'expected "do" or ", do:" after the condition of if, found {self.found()}')
        self.leave()
        return ast.Call(pos, "if", (cond, then, otherwise))

    def string_node(self, text: str, pos: int, content_base: int) -> ast.Node:
        """V1 string literals are templates: ``"was @confirm"`` is rendered before use."""
        if "@" not in text:
            return ast.Literal(pos, text)
        template = parse_template(text, base=content_base, scopes=self.scopes, nesting=self.nesting + 1)
        if len(template.parts) == 1 and isinstance(template.parts[0], str):
            return ast.Literal(pos, template.parts[0])
        if not template.parts:
            return ast.Literal(pos, "")
        return ast.Template(pos, template.parts)


# ---------------------------------------------------------------------------------------------
# Entry points


def parse_code(src: str, *, partial: bool = False) -> tuple[ast.Node, int]:
    """Parse journey code; with ``partial`` return the longest expression prefix and its end."""
    parser = Parser(src, 0, code=True, partial=partial)
    node = parser.parse_expression()
    if not partial and parser.tok.kind is not TokenKind.EOF:
        raise parser.error(f"expected the end of the expression, found {parser.found()}")
    check_depth(node, src)
    return node, parser.last_end


def parse_template(src: str, *, base: int = 0, scopes: list[list[int]] | None = None,
                   strict: bool = False, nesting: int = 0) -> ast.Template:
    """Split text into plain parts and ``@`` chunks, with the V1 rules for what ``@`` starts.

    Anything that does not parse after ``@`` stays text and the ``@`` itself disappears, as
    upstream does (``foo @ bar`` → ``foo  bar``); ``strict`` reports it instead (editor checks).
    """
    if nesting > MAX_NESTING:
        raise ExpressionError("this expression is nested too deeply", offset=base)
    scopes = scopes if scopes is not None else []
    parts: list[str | ast.Chunk] = []
    text: list[str] = []
    n = len(src)
    i = 0
    while i < n:
        at = src.find("@", i)
        if at < 0:
            text.append(src[i:])
            break
        text.append(src[i:at])
        nxt = src[at + 1] if at + 1 < n else ""
        if nxt == "@":
            text.append("@")
            i = at + 2
            continue
        found = None
        try:
            if nxt == "(":
                found = _full_form(src, at, base, scopes, nesting)
            elif nxt in NAME_START or nxt == "[":
                found = _short_form(src, at, base, scopes, nesting, strict)
            elif strict:
                raise ExpressionError('"@" must be followed by a name or "(" (write @@ for a plain @)',
                                      offset=base + at)
        except ExpressionError:
            if strict:
                raise
            found = None
        if found is None:
            i = at + 1  # V1 drops an @ that starts nothing
            continue
        node, end = found
        if text:
            joined = "".join(text)
            if joined:
                parts.append(joined)
            text = []
        parts.append(ast.Chunk(base + at, node, src[at:end]))
        i = end
    if text:
        joined = "".join(text)
        if joined:
            parts.append(joined)
    template = ast.Template(base, tuple(parts))
    for part in template.parts:
        if isinstance(part, ast.Chunk):
            check_depth(part.expr, src)
    return template


def _full_form(src, at, base, scopes, nesting):
    parser = Parser(src, at + 2, code=False, base=base, depth=1, scopes=scopes, nesting=nesting + 1)
    node = parser.parse_expression()
    parser.expect(TokenKind.RPAREN, 'expected ")" to close "@("')
    return node, parser.last_end


def _short_form(src, at, base, scopes, nesting, strict):
    """``@name``, ``@name.attr``, ``@name[expr]``, ``@func(args).attr``: no spaces, no operators."""
    pos = at + 1
    node: ast.Node
    if src[pos] == "[":
        parser = Parser(src, pos, code=False, base=base, depth=1, scopes=scopes, nesting=nesting + 1)
        node = parser.parse_list()
        end = parser.last_end
    else:
        m = SEGMENT.match(src, pos)
        name = m.group().lower()
        end = m.end()
        node = ast.Var(base + pos, name)
        if end < len(src) and src[end] == "(":
            try:
                parser = Parser(src, pos, code=False, base=base, depth=1, scopes=scopes,
                                nesting=nesting + 1)
                node = parser.parse_call()
                end = parser.last_end
            except ExpressionError:
                if strict:
                    raise
    n = len(src)
    while end < n:
        c = src[end]
        if c == "." and end + 1 < n and src[end + 1] in NAME_START:
            m = SEGMENT.match(src, end + 1)
            node = ast.Attr(base + end, node, m.group().lower())
            end = m.end()
        elif c == "[":
            try:
                parser = Parser(src, end + 1, code=False, base=base, depth=1, scopes=scopes,
                                nesting=nesting + 1)
                index = parser.parse_expression()
                parser.expect(TokenKind.RBRACKET, 'expected "]" after the index')
            except ExpressionError:
                if strict:
                    raise
                break
            node = ast.Index(base + end, node, index)
            end = parser.last_end
        else:
            break
    return node, end


def children(node: ast.Node):
    if isinstance(node, (ast.Literal, ast.Var, ast.Arg)):
        return ()
    if isinstance(node, ast.Attr):
        return (node.obj,)
    if isinstance(node, ast.Index):
        return (node.obj, node.index)
    if isinstance(node, ast.Call):
        return node.args
    if isinstance(node, ast.Binary):
        return (node.left, node.right)
    if isinstance(node, ast.Negate):
        return (node.operand,)
    if isinstance(node, ast.ListLit):
        return node.items
    if isinstance(node, ast.MapLit):
        return node.values
    if isinstance(node, ast.RangeLit):
        return tuple(x for x in (node.start, node.stop, node.step) if x is not None)
    if isinstance(node, ast.Lambda):
        return (node.body,)
    if isinstance(node, ast.Chunk):
        return (node.expr,)
    if isinstance(node, ast.Template):
        return tuple(p for p in node.parts if not isinstance(p, str))
    return ()


def check_depth(root: ast.Node, src: str) -> None:
    """Refuse trees too deep to compile and evaluate with bounded recursion."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError("this expression is too long or nested too deeply", offset=node.pos)
        for child in children(node):
            stack.append((child, depth + 1))
