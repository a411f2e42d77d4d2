"""Value rules shared by operators and functions: string forms, truthiness, equality, ordering.

Values are plain Python data (int, float, str, bool, None, list, dict, date, datetime, time).
A dict with a ``__value__`` key is a *rich* value: it stands for its ``__value__`` as an operand
and when printed, while its other keys stay reachable as attributes.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re

from .errors import ExpressionError
from .temporal import format_datetime, format_time, parse_temporal, to_date, to_datetime

VALUE_KEY = "__value__"


class Missing:
    """A reference that did not resolve; ``path`` is the part from the first missing segment on.

    It only exists between a lookup and its consumer: functions receive None for it, the numeric
    operators report "attribute is not found", and a template writes the reference back verbatim.
    """

    __slots__ = ("path",)

    def __init__(self, path: tuple[str, ...]) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"Missing({'.'.join(self.path)})"

    def dotted(self) -> str:
        return ".".join(self.path)


def unwrap(value):
    """A rich map stands for its ``__value__``; a missing reference for null."""
    if type(value) is dict and VALUE_KEY in value:
        return value[VALUE_KEY]
    if type(value) is Missing:
        return None
    return value


def truthy(value) -> bool:
    """Only false and null (and a missing reference) are falsy: 0 and "" are true, as in Elixir."""
    if value is None or value is False:
        return False
    t = type(value)
    if t is dict and VALUE_KEY in value:
        return truthy(value[VALUE_KEY])
    return t is not Missing


def is_number(value) -> bool:
    t = type(value)
    return t is int or t is float


# ---------------------------------------------------------------------------------------------
# String forms


def format_float(value: float) -> str:
    """Elixir's shortest round-trip float text: ``1.23``, ``3.0``, ``1.0e-5``, ``1.0e3``."""
    if math.isnan(value) or math.isinf(value):
        return "NaN" if math.isnan(value) else ("-Infinity" if value < 0 else "Infinity")
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    sign = "-" if value < 0 else ""
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    place = len(whole) + (int(exponent) if exponent else 0)
    stripped = digits.lstrip("0")
    place -= len(digits) - len(stripped)
    digits = stripped.rstrip("0") or "0"
    return sign + _insert_decimal(place, digits)


def _insert_decimal(place: int, digits: str) -> str:
    # value = 0.<digits> × 10^place; pick the shorter of fixed and exponent notation, as Erlang does.
    length = len(digits)
    if place == 0:
        return "0." + digits
    if 0 < place < length:
        return digits[:place] + "." + digits[place:]
    exponent = str(place - 1)
    cost = len(exponent) + 1 + (2 if length == 1 else 1)
    if place < 0:
        if 2 - place <= cost:
            return "0." + "0" * (-place) + digits
    elif place - length + 2 <= cost:
        return digits + "0" * (place - length) + ".0"
    if length == 1:
        return digits + ".0e" + exponent
    return digits[0] + "." + digits[1:] + "e" + exponent


def to_str(value) -> str:
    """The text form used by templates, ``&`` and text functions."""
    t = type(value)
    if t is str:
        return value
    if t is int:
        return str(value)
    if value is None:
        return ""
    if t is bool:
        return "true" if value else "false"
    if t is float:
        return format_float(value)
    if t is dict:
        if VALUE_KEY in value:
            return to_str(value[VALUE_KEY])
        return to_json(value)
    if t is list or t is tuple:
        return "".join(to_str(item) for item in value)
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return format_time(value)
    if t is range:
        return to_str(list(value))
    if t is Missing:
        return ""
    if isinstance(value, (int, float)):
        return to_str(float(value) if isinstance(value, float) else int(value))
    return ""


def _json_default(value):
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, range):
        return list(value)
    if isinstance(value, Missing):
        return None
    return None


def to_json(value, sort_keys: bool = False) -> str:
    """Compact JSON, keys in the map's own order (sorted for canonical comparison keys)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys,
                      default=_json_default)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def inspect(value) -> str:
    """Elixir-style ``inspect`` of a value, as the original prints it inside error messages."""
    if value is None or type(value) is Missing:
        return "nil"
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is str:
        return '"' + "".join(_ESCAPES.get(c, c) for c in value) + '"'
    if type(value) is float:
        return format_float(value)
    if type(value) is int:
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(inspect(v) for v in value) + "]"
    if type(value) is range:
        step = f"//{value.step}" if value.step not in (1, -1) else ""
        return f"{value.start}..{value.stop - (1 if value.step > 0 else -1)}{step}"
    if isinstance(value, dict):
        return "%{" + ", ".join(f"{inspect(k)} => {inspect(v)}" for k, v in value.items()) + "}"
    if isinstance(value, dt.datetime):
        return "~U[" + format_datetime(value).replace("T", " ") + "]"
    if isinstance(value, dt.date):
        return f"~D[{value.isoformat()}]"
    if isinstance(value, dt.time):
        return f"~T[{format_time(value)}]"
    return "#Function<>"


# ---------------------------------------------------------------------------------------------
# Equality and ordering


def _temporal(value):
    if isinstance(value, (dt.date, dt.time)):
        return value
    if type(value) is str:
        return parse_temporal(value.strip())
    return None


def equal(a, b) -> bool:
    """``==``: date-aware for dates and ISO text, numeric across int/float, else structural."""
    a = unwrap(a)
    b = unwrap(b)
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return a == b
    if isinstance(a, (dt.date, dt.time)) or isinstance(b, (dt.date, dt.time)):
        order = _temporal_order(a, b)
        if order is not None:
            return order == 0
    return strict_equal(a, b)


def strict_equal(a, b) -> bool:
    """Structural equality that keeps booleans apart from numbers (``true != 1``)."""
    ta, tb = type(a), type(b)
    if ta is bool or tb is bool:
        return ta is tb and a == b
    if (ta is int or ta is float) and (tb is int or tb is float):
        return a == b
    if ta is list and tb is list:
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b, strict=True))
    if ta is dict and tb is dict:
        return a.keys() == b.keys() and all(strict_equal(a[k], b[k]) for k in a)
    if isinstance(a, dt.datetime) != isinstance(b, dt.datetime):
        return False
    if ta is not tb and not (isinstance(a, type(b)) or isinstance(b, type(a))):
        return False
    return a == b


def _temporal_order(a, b) -> int | None:
    """Compare two dates/datetimes (or one with ISO text): by date if either is a date."""
    ta, tb = _temporal(a), _temporal(b)
    if ta is None or tb is None:
        return None
    if isinstance(ta, dt.time) or isinstance(tb, dt.time):
        if isinstance(ta, dt.time) and isinstance(tb, dt.time) and not isinstance(ta, dt.datetime):
            return (ta > tb) - (ta < tb)
        return None
    if isinstance(ta, dt.datetime) and isinstance(tb, dt.datetime):
        x, y = to_datetime(ta), to_datetime(tb)
    else:
        x, y = to_date(ta), to_date(tb)
    return (x > y) - (x < y)


class NotANumber(ExpressionError):
    """Raised for ordering or arithmetic on something that is not a number."""


def not_a_number(value) -> NotANumber:
    return NotANumber(f"expression is not a number: `{inspect(unwrap(value))}`")


def order(a, b) -> int:
    """-1/0/1 for ``< <= > >=``: numbers, or dates/datetimes (also against ISO text)."""
    a = unwrap(a)
    b = unwrap(b)
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return (a > b) - (a < b)
    if isinstance(a, (dt.date, dt.time)) or isinstance(b, (dt.date, dt.time)):
        result = _temporal_order(a, b)
        if result is not None:
            return result
    raise not_a_number(b if ta is int or ta is float else a)


NUMBER_TEXT = re.compile(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*")


def to_number(value):
    """A number, or numeric text; anything else is "not a number"."""
    value = unwrap(value)
    t = type(value)
    if t is int or t is float:
        return value
    if t is str and NUMBER_TEXT.fullmatch(value):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            return float(text)
    raise not_a_number(value)


def to_int(value) -> int:
    number = to_number(value)
    if type(number) is float:
        if not math.isfinite(number):
            raise not_a_number(number)
        return int(number)
    return number
