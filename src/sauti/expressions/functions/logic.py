"""Logic and type tests. ``if``, ``and``, ``or`` and ``is_error`` are evaluated by the compiler
(their argument handling is special); they are registered here for the docs and the editor."""

from __future__ import annotations

import datetime as dt
import re

from ..values import VALUE_KEY, equal, truthy, unwrap
from .registry import function

FAMILY = "logic"


@function("if", args=(2, 3), family=FAMILY, signature="if(condition, yes, [no])")
def if_(condition, yes, no=None):
    """``yes`` when the condition is true, else ``no``. Only false and null are false (0 and ""
    are true). As upstream, every argument is evaluated first, so an error in either branch
    still fails. Journey code may also write ``if c, do: a, else: b`` or ``if c do a else b end``.

    if(true, "Yes", "No") → "Yes"
    if(0, "zero is true", "no") → "zero is true"
    """
    return yes if truthy(condition) else no


@function("and", args=(1, None), family=FAMILY, signature="and(value, …)")
def and_(*values):
    """True when every argument is true. Journey code may write ``a and b``.

    and(true, 1 = 1) → true
    and(true, false) → false
    """
    return all(truthy(v) for v in values)


@function("or", args=(1, None), family=FAMILY, signature="or(value, …)")
def or_(*values):
    """The first true argument, or false when none is. Journey code may write ``a or b``, so
    ``contact.year_of_birth or ""`` gives the year when there is one (as real Turn journeys
    rely on).

    or(false, "foo") → "foo"
    or(nil, "fallback") → "fallback"
    or(false, false) → false
    """
    for value in values:
        if truthy(value):
            return value
    return False


@function("not", args=1, family=FAMILY)
def not_(value):
    """The opposite truth value. Journey code may write ``not x``.

    not(false) → true
    not(0) → false
    """
    return not truthy(value)


@function("is_error", args=1, family=FAMILY)
def is_error(value):
    """True when the argument fails to evaluate or is an ``ERROR: …`` text (as a failed webhook
    body or an unknown function gives).

    is_error(base64_decode("???")) → true
    is_error("fine") → false
    """
    value = unwrap(value)
    return type(value) is str and value.startswith("ERROR")


_LOOSE_NUMBER = re.compile(r"\d+?.?\d+", re.ASCII)


@function("isnumber", args=1, family=FAMILY)
def isnumber(value):
    """True for numbers and for text that looks like one. As upstream, the text test is the
    loose pattern ``\\d+?.?\\d+``: at least two characters, so "5" is not a number but "1.0" is.

    isnumber(1.5) → true
    isnumber("1.0") → true
    isnumber("a") → false
    """
    value = unwrap(value)
    if type(value) in (int, float):
        return True
    return type(value) is str and _LOOSE_NUMBER.fullmatch(value) is not None


@function("isbool", args=1, family=FAMILY)
def isbool(value):
    """True only for real booleans ("true" is text, not a boolean).

    isbool(false) → true
    isbool("true") → false
    """
    return type(unwrap(value)) is bool


@function("isstring", args=1, family=FAMILY)
def isstring(value):
    """True for text.

    isstring("a") → true
    isstring(1) → false
    """
    return type(unwrap(value)) is str


@function("is_nil_or_empty", args=1, family=FAMILY)
def is_nil_or_empty(value):
    """True for null, blank text, an empty list or an empty map.

    is_nil_or_empty("") → true
    is_nil_or_empty("  ") → true
    is_nil_or_empty([]) → true
    is_nil_or_empty(0) → false
    """
    if type(value) is dict and VALUE_KEY in value:
        value = value[VALUE_KEY]
    if value is None:
        return True
    if type(value) is str:
        return value.strip() == ""
    if type(value) in (list, dict, tuple):
        return len(value) == 0
    if isinstance(value, (dt.date, dt.time)):
        return False
    return False


@function("switch", args=(3, None), family=FAMILY, signature="switch(value, case, result, …, [default])")
def switch(value, *pairs):
    """The result paired with the first case equal to ``value``; a last unpaired argument is
    the default (null when there is none).

    switch(2, 1, "one", 2, "two", "many") → "two"
    switch(9, 1, "one", 2, "two", "many") → "many"
    """
    for i in range(0, len(pairs) - 1, 2):
        if equal(value, pairs[i]):
            return pairs[i + 1]
    return pairs[-1] if len(pairs) % 2 else None
