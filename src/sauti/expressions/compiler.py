"""AST → tree of Python closures. No source text is ever executed: each node becomes a small
function of the evaluation ``State``, built once per (source, mode) and cached by the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import ast
from .budget import MAX_INT_BITS, check_items, check_text
from .errors import ExpressionError
from .functions.registry import registry
from .runtime import Function, State, finish, not_implemented
from .values import (
    VALUE_KEY,
    Missing,
    NotANumber,
    equal,
    inspect,
    order,
    to_str,
    truthy,
    unwrap,
)

_MISS = object()
Closure = Callable[[State], Any]


# ---------------------------------------------------------------------------------------------


def compile_node(node: ast.Node) -> Closure:
    """A closure that may return ``Missing`` for unresolved references (see ``compile_value``)."""
    method = _COMPILERS[type(node)]
    return method(node)


def compile_value(node: ast.Node) -> Closure:
    """A closure whose result is never ``Missing`` (null instead), for arguments and items."""
    fn = compile_node(node)
    if not isinstance(node, ast.LOOKUPS):
        return fn

    def value(s):
        v = fn(s)
        return None if type(v) is Missing else v

    return value


def _literal(node: ast.Literal) -> Closure:
    value = node.value
    return lambda s: value


def _var(node: ast.Var) -> Closure:
    name = node.name
    path = (name,)

    def var(s):
        v = s.vars.get(name, _MISS)
        return Missing(path) if v is _MISS else v

    return var


def _chain(node: ast.Node) -> tuple[str, ...] | None:
    names: list[str] = []
    while isinstance(node, ast.Attr):
        names.append(node.name)
        node = node.obj
    if isinstance(node, ast.Var):
        names.append(node.name)
        return tuple(reversed(names))
    return None


def _attr(node: ast.Attr) -> Closure:
    names = _chain(node)
    if names is not None and len(names) == 2:
        first, second = names
        full, rest = names, (second,)

        def attr2(s):
            a = s.vars.get(first, _MISS)
            if a is _MISS:
                return Missing(full)
            if type(a) is not dict:
                return None
            b = a.get(second, _MISS)
            return Missing(rest) if b is _MISS else b

        return attr2
    if names is not None:
        count = len(names)

        def chain(s):
            cur = s.vars
            for i in range(count):
                if type(cur) is not dict:
                    return None
                cur = cur.get(names[i], _MISS)
                if cur is _MISS:
                    return Missing(names[i:])
            return cur

        return chain
    obj = compile_node(node.obj)
    name = node.name

    def attr(s):
        o = obj(s)
        t = type(o)
        if t is dict:
            v = o.get(name, _MISS)
            return Missing((name,)) if v is _MISS else v
        if t is Missing:
            return Missing((*o.path, name))
        return None

    return attr


def _index(node: ast.Index) -> Closure:
    obj = compile_node(node.obj)
    index = compile_value(node.index)

    def at(s):
        o = obj(s)
        if type(o) is Missing:
            return o
        return index_into(o, index(s))

    return at


def index_into(container: Any, key: Any) -> Any:
    """``a[i]``: list position (negative from the end), range slice, or map key; else null."""
    key = unwrap(key)
    if type(container) is dict and VALUE_KEY in container and type(key) is not str:
        container = container[VALUE_KEY]
    tk = type(key)
    if tk is float and key.is_integer():
        key, tk = int(key), int
    tc = type(container)
    if tk is int:
        if tc is list or tc is tuple or tc is range:
            n = len(container)
            return container[key] if -n <= key < n else None
        if tc is dict:
            return container.get(str(key))
        return None
    if tk is str:
        if tc is dict:
            v = container.get(key, _MISS)
            if v is _MISS:
                v = container.get(key.lower())
            return v
        return None
    if tk is range and (tc is list or tc is tuple):
        n = len(container)
        start = key.start + n if key.start < 0 else key.start
        last = key.stop - (1 if key.step > 0 else -1)
        last = last + n if last < 0 else last
        step = abs(key.step)
        if start > last or start >= n:
            return []
        return list(container[start: last + 1: step])
    return None


# -- operators ----------------------------------------------------------------------------------


def _operand_error(value: Any) -> ExpressionError:
    if type(value) is Missing:
        return ExpressionError(f"attribute is not found: `{value.dotted()}`")
    return NotANumber(f"expression is not a number: `{inspect(unwrap(value))}`")


def _numbers(a: Any, b: Any) -> tuple[Any, Any]:
    if type(a) is Missing:
        raise _operand_error(a)
    if type(b) is Missing:
        raise _operand_error(b)
    a, b = unwrap(a), unwrap(b)
    ta, tb = type(a), type(b)
    if not (ta is int or ta is float):
        raise _operand_error(a)
    if not (tb is int or tb is float):
        raise _operand_error(b)
    return a, b


def _arith(op: str, a: Any, b: Any) -> Any:
    a, b = _numbers(a, b)
    try:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            result = a * b
            if type(result) is int and result.bit_length() > MAX_INT_BITS:
                raise ExpressionError("this number is too large")
            return result
        if op == "/":
            if b == 0:
                raise ExpressionError("division by zero")
            return a / b
        # ^ always gives a float, as upstream
        result = float(a) ** float(b)
        if isinstance(result, complex):
            raise ExpressionError(f"cannot raise {inspect(a)} to the power {inspect(b)}")
        return result
    except OverflowError:
        raise ExpressionError("this number is too large") from None
    except ZeroDivisionError:
        raise ExpressionError("division by zero") from None


def _compare(op: str, a: Any, b: Any) -> bool:
    if type(a) is Missing:
        raise _operand_error(a)
    if type(b) is Missing:
        raise _operand_error(b)
    result = order(a, b)
    if op == "<":
        return result < 0
    if op == "<=":
        return result <= 0
    if op == ">":
        return result > 0
    return result >= 0


def _binary(node: ast.Binary) -> Closure:
    op = node.op
    pos = node.pos
    left = compile_node(node.left)
    right = compile_node(node.right)
    if op in ("=", "=="):
        return lambda s: equal(left(s), right(s))
    if op in ("!=", "<>"):
        return lambda s: not equal(left(s), right(s))
    if op == "+":
        def add(s):
            a, b = left(s), right(s)
            if type(a) is int and type(b) is int:
                return a + b
            try:
                return _arith("+", a, b)
            except ExpressionError as error:
                raise _positioned(error, pos) from None
        return add
    if op in ("-", "*", "/", "^"):
        def arith(s):
            a, b = left(s), right(s)
            try:
                return _arith(op, a, b)
            except ExpressionError as error:
                raise _positioned(error, pos) from None
        return arith
    if op == "&":
        def concat(s):
            a, b = left(s), right(s)
            a = "" if type(a) is Missing else a
            b = "" if type(b) is Missing else b
            try:
                return check_text(to_str(a) + to_str(b))
            except ExpressionError as error:
                raise _positioned(error, pos) from None
        return concat

    def compare(s):
        a, b = left(s), right(s)
        try:
            return _compare(op, a, b)
        except ExpressionError as error:
            raise _positioned(error, pos) from None
    return compare


def _negate(node: ast.Negate) -> Closure:
    operand = compile_node(node.operand)

    def negate(s):
        v = operand(s)
        u = unwrap(v)
        if type(v) is Missing or type(u) not in (int, float):
            raise _positioned(_operand_error(v), node.pos)
        return -u

    return negate


def _list(node: ast.ListLit) -> Closure:
    items = tuple(compile_value(item) for item in node.items)
    return lambda s: [item(s) for item in items]


def _map(node: ast.MapLit) -> Closure:
    pairs = tuple(zip(node.keys, (compile_value(v) for v in node.values), strict=True))
    return lambda s: {key: value(s) for key, value in pairs}


def _range(node: ast.RangeLit) -> Closure:
    start = compile_node(node.start)
    stop = compile_node(node.stop)
    step = compile_node(node.step) if node.step is not None else None

    def make(s):
        try:
            return _make_range(s)
        except ExpressionError as error:
            raise _positioned(error, node.pos) from None

    def _make_range(s):
        a = _range_bound(start(s))
        b = _range_bound(stop(s))
        if step is None:
            k = 1 if a <= b else -1
        else:
            k = _range_bound(step(s))
            if k == 0:
                raise ExpressionError("a range step cannot be 0")
        values = range(a, b + (1 if k > 0 else -1), k)
        check_items(len(values))
        return values

    return make


def _range_bound(value: Any) -> int:
    if type(value) is Missing:
        raise _operand_error(value)
    value = unwrap(value)
    if type(value) is float and value.is_integer():
        return int(value)
    if type(value) is not int:
        raise NotANumber(f"a range needs whole numbers, got `{inspect(value)}`")
    return value


def _lambda(node: ast.Lambda) -> Closure:
    body = compile_node(node.body)
    arity = node.arity
    return lambda s: Function(body, arity, s)


def _arg(node: ast.Arg) -> Closure:
    index = node.number - 1

    def arg(s):
        args = s.args
        return args[index] if index < len(args) else None

    return arg


# -- calls --------------------------------------------------------------------------------------


def _positioned(error: ExpressionError, pos: int) -> ExpressionError:
    if error.offset is None:
        error.offset = pos
    return error


def _call(node: ast.Call) -> Closure:
    name = node.name
    special = _SPECIAL.get(name)
    if special is not None:
        return special(node)
    spec = registry.get(name)
    args = tuple(compile_value(a) for a in node.args)
    pos = node.pos
    if spec is None or not spec.accepts(len(args)):
        message = not_implemented(name)

        def unknown(s):
            for a in args:
                a(s)  # arguments are still evaluated (and may fail) before the call
            return message

        return unknown
    impl = spec.impl
    needs_state = spec.needs_state

    def call(s):
        values = [a(s) for a in args]
        try:
            if needs_state:
                return impl(s, *values)
            return impl(*values)
        except ExpressionError as error:
            raise _positioned(error, pos) from None
        except RecursionError:
            raise ExpressionError("this expression is nested too deeply", offset=pos) from None
        except Exception as error:  # a function must never crash an evaluation
            raise ExpressionError(f"{name} could not be computed: {error}", offset=pos) from None

    if len(args) == 1:
        only = args[0]

        def call1(s):
            value = only(s)
            try:
                return impl(s, value) if needs_state else impl(value)
            except ExpressionError as error:
                raise _positioned(error, pos) from None
            except RecursionError:
                raise ExpressionError("this expression is nested too deeply", offset=pos) from None
            except Exception as error:  # a function must never crash an evaluation
                raise ExpressionError(f"{name} could not be computed: {error}", offset=pos) from None

        return call1
    return call


def _if(node: ast.Call) -> Closure:
    """``if(c, a, b)``: upstream evaluates every argument first, so both branches may fail."""
    if not 2 <= len(node.args) <= 3:
        message = not_implemented("if")
        return lambda s: message
    cond = compile_value(node.args[0])
    yes = compile_value(node.args[1])
    no = compile_value(node.args[2]) if len(node.args) == 3 else (lambda s: None)

    def choose(s):
        c, a, b = cond(s), yes(s), no(s)
        return a if truthy(c) else b

    return choose


def _or(node: ast.Call) -> Closure:
    """``or(…)``: the first truthy argument, else false. Every argument that is a call or an
    operator is evaluated first (and may fail), unless one before it gave exactly ``true``."""
    args = tuple((compile_value(a), isinstance(a, ast.EAGER)) for a in node.args)
    if not args:
        return lambda s: False

    def either(s):
        values = []
        for fn, eager in args:
            v = fn(s)
            if eager and v is True:
                return True
            values.append(v)
        for v in values:
            if truthy(v):
                return v
        return False

    return either


def _and(node: ast.Call) -> Closure:
    args = tuple(compile_value(a) for a in node.args)

    def both(s):
        values = [a(s) for a in args]
        return all(truthy(v) for v in values)

    return both


def _is_error(node: ast.Call) -> Closure:
    """``is_error(x)``: true when x fails to evaluate or is an ``ERROR: …`` text."""
    if len(node.args) != 1:
        message = not_implemented("is_error")
        return lambda s: message
    inner = compile_value(node.args[0])

    def check(s):
        try:
            v = unwrap(inner(s))
        except ExpressionError:
            return True
        return type(v) is str and v.startswith("ERROR")

    return check


_SPECIAL = {"if": _if, "or": _or, "and": _and, "is_error": _is_error}


# -- templates ----------------------------------------------------------------------------------


def compile_parts(parts: tuple[str | ast.Chunk, ...]) -> tuple[Any, ...]:
    """Template parts → str constants and chunk closures returning text (unresolved: write back)."""
    out: list[Any] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        fn = compile_node(part.expr)
        text = part.text

        def chunk(s, fn=fn, text=text):
            v = fn(s)
            t = type(v)
            if t is str:
                return v
            if t is Missing:
                return text
            return to_str(v)

        out.append(chunk)
    return tuple(out)


def render_parts(parts: tuple[Any, ...]) -> Closure:
    if len(parts) == 1 and not isinstance(parts[0], str):
        return parts[0]
    if all(isinstance(p, str) for p in parts):
        text = "".join(parts)
        return lambda s: text
    str_type = str

    def render(s):
        out = [p if type(p) is str_type else p(s) for p in parts]
        return check_text("".join(out))

    return render


def _template(node: ast.Template) -> Closure:
    return render_parts(compile_parts(node.parts))


def _chunk(node: ast.Chunk) -> Closure:
    return compile_node(node.expr)


_COMPILERS: dict[type, Callable[[Any], Closure]] = {
    ast.Literal: _literal,
    ast.Var: _var,
    ast.Attr: _attr,
    ast.Index: _index,
    ast.Call: _call,
    ast.Binary: _binary,
    ast.Negate: _negate,
    ast.ListLit: _list,
    ast.MapLit: _map,
    ast.RangeLit: _range,
    ast.Lambda: _lambda,
    ast.Arg: _arg,
    ast.Template: _template,
    ast.Chunk: _chunk,
}

__all__ = ["State", "Function", "compile_node", "compile_value", "compile_parts", "render_parts",
           "finish", "index_into", "check_items"]
