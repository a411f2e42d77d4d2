"""Numbers: arithmetic helpers, rounding and formatting."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..errors import ExpressionError
from ..values import NUMBER_TEXT, inspect, is_number, unwrap
from .coerce import integer, number, text
from .registry import function

FAMILY = "maths"


def _numbers(values, name):
    if len(values) == 1 and type(unwrap(values[0])) in (list, range):
        values = list(unwrap(values[0]))
    if not values:
        raise ExpressionError(f"{name} needs at least one number")
    return [number(v) for v in values]


@function("abs", args=1, family=FAMILY)
def abs_(value):
    """The absolute value.

    abs(-1) → 1
    """
    return abs(number(value))


@function("max", args=(1, None), family=FAMILY, signature="max(number, …)")
def max_(*values):
    """The largest number (of the arguments, or of one list).

    max(1, 2, 3) → 3
    max([4, 9, 2]) → 9
    """
    return max(_numbers(values, "max"))


@function("min", args=(1, None), family=FAMILY, signature="min(number, …)")
def min_(*values):
    """The smallest number (of the arguments, or of one list).

    min(1, 2, 3) → 1
    """
    return min(_numbers(values, "min"))


@function("sum", args=(1, None), family=FAMILY, signature="sum(number, …)")
def sum_(*values):
    """The total (of the arguments, or of one list).

    sum(1, 2, 3) → 6
    sum([1.5, 2]) → 3.5
    """
    return sum(_numbers(values, "sum"))


@function("power", args=2, family=FAMILY)
def power(base, exponent):
    """``base`` raised to ``exponent``, always a decimal number.

    power(2, 3) → 8.0
    """
    try:
        result = float(number(base)) ** float(number(exponent))
    except OverflowError:
        raise ExpressionError("this number is too large") from None
    except ZeroDivisionError:
        raise ExpressionError("division by zero") from None
    if isinstance(result, complex):
        raise ExpressionError("power has no real result for these numbers")
    return result


@function("rem", args=2, family=FAMILY)
def rem(dividend, divisor):
    """The remainder of a division (it has the sign of the dividend).

    rem(85, 3) → 1
    rem(-7, 2) → -1
    """
    a, b = number(dividend), number(divisor)
    if b == 0:
        raise ExpressionError("division by zero")
    if type(a) is int and type(b) is int:
        magnitude = abs(a) % abs(b)
        return magnitude if a >= 0 else -magnitude
    return math.fmod(a, b)


def _decimal(value) -> Decimal:
    value = number(value)
    if type(value) is float:
        if not math.isfinite(value):
            raise ExpressionError(f"{inspect(value)} is not a finite number")
        return Decimal(repr(value))
    return Decimal(value)


def _round(value: Decimal, places: int) -> Decimal:
    try:
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ExpressionError("this number is too large to round") from None


@function("fixed", args=(1, 3), family=FAMILY)
def fixed(value, places=2, commas=True):
    """Text of a number rounded to ``places`` decimals with "," between thousands. As upstream,
    the third argument does not remove the commas.

    fixed(3.7979, 2) → "3.80"
    fixed(4000.424242, 4, true) → "4,000.4242"
    fixed(1234.5, 1, false) → "1,234.5"
    """
    places = integer(places)
    if not -20 <= places <= 20:
        raise ExpressionError("fixed needs between -20 and 20 decimal places")
    rounded = _round(_decimal(value), places)
    return format(rounded, f",.{max(places, 0)}f")


@function("percent", args=1, family=FAMILY)
def percent(value):
    """A fraction as a whole percentage.

    percent(0.2) → "20%"
    percent("0.126") → "13%"
    """
    return f"{_round(_decimal(value) * 100, 0):f}%"


@function("parse_float", args=1, family=FAMILY)
def parse_float(value):
    """The decimal number in a text, or null when it is not one.

    parse_float("3.25") → 3.25
    parse_float("abc") → null
    """
    value = unwrap(value)
    if is_number(value):
        return float(value)
    source = text(value)
    if NUMBER_TEXT.fullmatch(source):
        return float(source.strip())
    return None


@function("round", args=(1, 2), family=FAMILY)
def round_(value, places=None):
    """Round half away from zero: to a whole number, or to ``places`` decimals.

    round(2.5) → 3
    round(3.14159, 2) → 3.14
    """
    if places is None:
        return int(_round(_decimal(value), 0))
    places = integer(places)
    if not -20 <= places <= 20:
        raise ExpressionError("round needs between -20 and 20 decimal places")
    result = _round(_decimal(value), places)
    return float(result) if places > 0 else float(result) if type(number(value)) is float else int(result)


@function("rand_between", args=2, family=FAMILY, state=True)
def rand_between(state, low, high):
    """A random whole number between ``low`` and ``high``, both included. Journeys seed it
    (context key ``__random__``) so runs can be replayed.

    rand_between(1, 1) → 1
    """
    low, high = integer(low), integer(high)
    if low > high:
        low, high = high, low
    return state.random().randint(low, high)
