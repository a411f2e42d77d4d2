"""Argument conversions shared by the function families (text, numbers, lists, lambdas)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..budget import MAX_PATTERN, check_items, too_much
from ..errors import ExpressionError
from ..values import VALUE_KEY, inspect, to_int, to_number, to_str, truthy, unwrap

__all__ = ["text", "number", "integer", "flag", "items", "function_arg", "graphemes", "word_list",
           "safe_regex", "to_number", "to_int", "truthy", "unwrap", "inspect", "rich"]


def text(value: Any) -> str:
    """Text form of an argument: null is "", a rich map its ``__value__``, a number its digits."""
    return to_str(unwrap(value))


def number(value: Any):
    return to_number(value)


def integer(value: Any) -> int:
    return to_int(value)


def flag(value: Any) -> bool:
    return truthy(value)


def rich(value: Any, **extras: Any) -> dict:
    """A rich result: behaves as ``value`` in operators and text, extras reachable as attributes."""
    return {VALUE_KEY: value, **extras}


def items(value: Any, function: str) -> list | range:
    """A list-like argument: list, range, or a map's [key, value] pairs; null is empty."""
    value = unwrap(value) if type(value) is dict and VALUE_KEY in value else value
    if value is None:
        return []
    t = type(value)
    if t is list:
        return value
    if t is tuple:
        return list(value)
    if t is range:
        check_items(len(value))
        return value
    if t is dict:
        return [[k, v] for k, v in value.items()]
    raise ExpressionError(f"{function} needs a list, got: {inspect(value)}")


def function_arg(value: Any, function: str):
    if not callable(value):
        raise ExpressionError(f"{function} needs a function written with &, like &(&1 * 2), "
                              f"got: {inspect(value)}")
    return value


# -- graphemes ----------------------------------------------------------------------------------

_ZWJ = "\u200d"


def _extends(ch: str) -> bool:
    code = ord(ch)
    if 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F:
        return True
    if 0xE0100 <= code <= 0xE01EF:
        return True
    return unicodedata.category(ch) in ("Mn", "Me", "Mc")


def graphemes(value: str) -> list[str]:
    """User-perceived characters (``"zoë"`` is 3 even when ë is e + combining diaeresis)."""
    if value.isascii():
        return list(value)
    out: list[str] = []
    i, n = 0, len(value)
    while i < n:
        j = i + 1
        ch = value[i]
        if ch == "\r" and j < n and value[j] == "\n":
            j += 1
        elif 0x1F1E6 <= ord(ch) <= 0x1F1FF and j < n and 0x1F1E6 <= ord(value[j]) <= 0x1F1FF:
            j += 1  # a flag is a pair of regional indicators
        while j < n:
            c = value[j]
            if _extends(c):
                j += 1
            elif c == _ZWJ:
                j += 2 if j + 1 < n else 1
            else:
                break
        out.append(value[i:j])
        i = j
    return out


# -- words --------------------------------------------------------------------------------------

WORD_SEPARATORS = re.compile(r"[\s,:;!?.\-]+")


def word_list(value: str, by_spaces: bool) -> list[str]:
    """Words split on spaces, and on ``, : ; ! ? . -`` unless ``by_spaces``."""
    if by_spaces:
        return value.split()
    return [w for w in WORD_SEPARATORS.split(value) if w]


# -- regular expressions ------------------------------------------------------------------------

_NAMED_GROUP = re.compile(r"\(\?<(?![=!])")


def safe_regex(pattern: str, flags: int = 0) -> re.Pattern:
    """Compile an author's regular expression, refusing ones that can take exponential time."""
    if len(pattern) > MAX_PATTERN:
        raise too_much(f"a regular expression longer than {MAX_PATTERN} characters")
    pattern = _NAMED_GROUP.sub("(?P<", pattern)  # PCRE's (?<name>…) as Python spells it
    try:
        compiled = re.compile(pattern, flags)
    except re.error as error:
        raise ExpressionError(f"invalid regular expression {inspect(pattern)}: {error}") from None
    try:
        from re import _parser as sre_parse  # the stdlib's own parser, to inspect the structure
        tree = sre_parse.parse(pattern, flags)
    except Exception:  # noqa: BLE001 - compile already succeeded; inspection is best effort
        return compiled
    if _dangerous(tree.data if hasattr(tree, "data") else tree, False):
        raise ExpressionError(f"regular expression {inspect(pattern)} has a repetition inside a "
                              "repetition, which can take too long; simplify it")
    return compiled


def _dangerous(items_: Any, inside_repeat: bool) -> bool:
    from re import _constants as c
    for op, av in items_:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, high, sub = av
            unbounded = high == c.MAXREPEAT or high > 100
            if inside_repeat and unbounded:
                return True
            if _dangerous(sub.data if hasattr(sub, "data") else sub, inside_repeat or unbounded):
                return True
        elif op is c.GROUPREF or op is c.GROUPREF_EXISTS:
            return True
        elif op is c.SUBPATTERN:
            sub = av[-1]
            if _dangerous(sub.data if hasattr(sub, "data") else sub, inside_repeat):
                return True
        elif op is c.BRANCH:
            for alt in av[1]:
                if _dangerous(alt.data if hasattr(alt, "data") else alt, inside_repeat):
                    return True
        elif op in (c.ASSERT, c.ASSERT_NOT):
            sub = av[1]
            if _dangerous(sub.data if hasattr(sub, "data") else sub, inside_repeat):
                return True
    return False
