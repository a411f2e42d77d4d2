"""Lists and maps, and the functions that take a lambda (``&(&1 * 2)``, ``& &1.title``)."""

from __future__ import annotations

import datetime as dt
from functools import cmp_to_key

from ..budget import check_items
from ..errors import ExpressionError
from ..values import VALUE_KEY, Missing, strict_equal, to_json, truthy, unwrap
from .coerce import function_arg, graphemes, inspect, integer, items, text
from .registry import function

FAMILY = "collections"


@function("map", args=2, family=FAMILY)
def map_(values, fn):
    """Apply a function to every item.

    map(1..3, &(&1 * &1)) → [1, 4, 9]
    map([{"title": "A"}, {"title": "B"}], & &1.title) → ["A", "B"]
    """
    fn = function_arg(fn, "map")
    return [fn(v) for v in items(values, "map")]


@function("filter", args=2, family=FAMILY)
def filter_(values, fn):
    """The items for which the function is true.

    filter([1, 2, 3, 4], &(&1 > 2)) → [3, 4]
    """
    fn = function_arg(fn, "filter")
    return [v for v in items(values, "filter") if truthy(fn(v))]


@function("reject", args=2, family=FAMILY)
def reject(values, fn):
    """The items for which the function is false.

    reject([1, 2, 3, 4], &(&1 > 2)) → [1, 2]
    """
    fn = function_arg(fn, "reject")
    return [v for v in items(values, "reject") if not truthy(fn(v))]


@function("find", args=2, family=FAMILY)
def find(values, fn):
    """The first item for which the function is true, or null.

    find([["a", 1], ["b", 2]], &(&1[0] == "b"))[1] → 2
    find([1, 2], &(&1 > 5)) → null
    """
    fn = function_arg(fn, "find")
    for v in items(values, "find"):
        if truthy(fn(v)):
            return v
    return None


@function("reduce", args=3, family=FAMILY)
def reduce(values, acc, fn):
    """Fold the items into one value: the function gets the item (&1) and the result so far (&2).

    reduce([1, 2, 3], 0, &(&1 + &2)) → 6
    reduce(["a", "b"], "", &concatenate(&2, &1)) → "ab"
    """
    fn = function_arg(fn, "reduce")
    for v in items(values, "reduce"):
        acc = fn(v, acc)
    return acc


_RANK = {type(None): 1, bool: 1, int: 0, float: 0, str: 5, list: 4, dict: 3}


def _term_compare(a, b) -> int:
    """Elixir's term order: numbers < atoms (nil, booleans) < maps < lists < text."""
    a, b = unwrap(a), unwrap(b)
    ra = 2 if isinstance(a, (dt.date, dt.time)) else _RANK.get(type(a), 6)
    rb = 2 if isinstance(b, (dt.date, dt.time)) else _RANK.get(type(b), 6)
    if ra != rb:
        return ra - rb
    if ra == 1:
        order = {False: 0, None: 1, True: 2}  # Elixir orders atoms alphabetically
        return order[a] - order[b]
    if ra == 2:
        key_a = (type(a).__name__, a.isoformat())
        key_b = (type(b).__name__, b.isoformat())
        return (key_a > key_b) - (key_a < key_b)
    if ra == 4:
        for x, y in zip(a, b, strict=False):
            c = _term_compare(x, y)
            if c:
                return c
        return len(a) - len(b)
    if ra == 3:
        return _term_compare(to_json(a, sort_keys=True), to_json(b, sort_keys=True))
    try:
        return (a > b) - (a < b)
    except TypeError:
        return 0


@function("sort_by", args=2, family=FAMILY)
def sort_by(values, fn):
    """The items sorted by the value the function gives for each.

    sort_by([3, 1, 2], &(&1)) → [1, 2, 3]
    sort_by([{"n": "b"}, {"n": "a"}], & &1.n) → [{"n": "a"}, {"n": "b"}]
    """
    fn = function_arg(fn, "sort_by")
    keyed = [(fn(v), v) for v in items(values, "sort_by")]
    keyed.sort(key=cmp_to_key(lambda x, y: _term_compare(x[0], y[0])))
    return [v for _, v in keyed]


def _key(value):
    t = type(value)
    if t in (str, int, float, bool) or value is None or isinstance(value, (dt.date, dt.time)):
        return (t.__name__, value)
    return ("json", to_json(value, sort_keys=True))


@function("uniq", args=1, family=FAMILY)
def uniq(values):
    """The items without repeats, in first-seen order.

    uniq([1, 2, 1, 3]) → [1, 2, 3]
    """
    seen = set()
    out = []
    for v in items(values, "uniq"):
        k = _key(v)
        if k not in seen:
            seen.add(k)
            out.append(v)
    return out


@function("chunk_every", args=2, family=FAMILY)
def chunk_every(values, size):
    """The items in lists of ``size`` (the last may be shorter).

    chunk_every([1, 2, 3, 4, 5], 2) → [[1, 2], [3, 4], [5]]
    """
    size = integer(size)
    if size < 1:
        raise ExpressionError("chunk_every needs a size of 1 or more")
    values = list(items(values, "chunk_every"))
    return [values[i: i + size] for i in range(0, len(values), size)]


@function("with_index", args=(1, 2), family=FAMILY)
def with_index(values, offset=0):
    """Each item paired with its position: ``[item, index]``, counting from 0 (or ``offset``).

    with_index(["a", "b"]) → [["a", 0], ["b", 1]]
    """
    offset = integer(offset)
    return [[v, i + offset] for i, v in enumerate(items(values, "with_index"))]


@function("count", args=1, family=FAMILY)
def count(value):
    """Number of items in a list or map, or of characters in a text (0 for null).

    count([1, 2, 3]) → 3
    count("héllo") → 5
    """
    if type(value) is dict and VALUE_KEY in value:
        value = value[VALUE_KEY]
    if value is None:
        return 0
    if type(value) in (list, tuple, range, dict):
        return len(value)
    return len(graphemes(text(value)))


@function("keys", args=1, family=FAMILY)
def keys(value):
    """The keys of a map, in order.

    keys({"a": 1, "b": 2}) → ["a", "b"]
    """
    value = _map(value, "keys")
    return [k for k in value if k != VALUE_KEY]


@function("values", args=1, family=FAMILY)
def values(value):
    """The values of a map, in order.

    values({"a": 1, "b": 2}) → [1, 2]
    """
    value = _map(value, "values")
    return [v for k, v in value.items() if k != VALUE_KEY]


def _map(value, name):
    if value is None:
        return {}
    if type(value) is not dict:
        raise ExpressionError(f"{name} needs a map, got: {inspect(value)}")
    return value


@function("append", args=2, family=FAMILY)
def append(values, item):
    """A list with the item added at the end (or every item, when given a list).

    append(["A", "B"], "C") → ["A", "B", "C"]
    append(["A"], ["B", "C"]) → ["A", "B", "C"]
    """
    base = unwrap(values) if type(values) is dict and VALUE_KEY in values else values
    if type(base) not in (list, tuple, range):
        raise ExpressionError(f"append needs a list, got: {inspect(base)} "
                              f"(Enumerable not implemented for {inspect(base)})")
    out = list(base)
    out.extend(item if type(item) in (list, tuple) else [item])
    check_items(len(out))
    return out


@function("delete", args=2, family=FAMILY)
def delete(value, key):
    """The map without ``key``.

    delete({"age": 32, "gender": "?"}, "gender") → {"age": 32}
    """
    if type(value) is not dict:
        raise ExpressionError(f"expected a map, got: {inspect(value)}")
    wanted = text(key)
    return {k: v for k, v in value.items() if k != wanted and k != wanted.lower()}


__all__ = ["Missing", "strict_equal"]
