"""V1 context normalisation: lower-cased keys, and strings that are literals become typed values.

Done once per context (``prepare_context``) so that many evaluations can share the result.
Reserved keys, read by evaluation and never coerced: ``__now__`` (the clock, a tz-aware datetime
or ISO text) and ``__random__`` (an int seed or a ``random.Random``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
import uuid
from collections.abc import Mapping
from typing import Any

from .errors import ExpressionError
from .lexer import unescape
from .temporal import parse_temporal, with_precision

# Whole-string literals. Unlike expression literals, leading-zero codes ("0123") and underscore
# groups stay text: they are identifiers and phone numbers far more often than numbers.
INTEGER = re.compile(r"-?(?:0|[1-9]\d*)")
FLOAT = re.compile(r"-?(?:0|[1-9]\d*)\.\d+")
RESERVED = frozenset({"__now__", "__random__"})


def coerce_literal(text: str) -> Any:
    """``"42"`` → 42, ``"1.5"`` → 1.5, ``"True"`` → true, ISO dates/times → values, ``"'q'"`` → q."""
    if not text:
        return text
    first = text[0]
    if first.isdigit() or first == "-":
        if INTEGER.fullmatch(text):
            return int(text)
        if FLOAT.fullmatch(text):
            return float(text)
        if first != "-" and first.isascii():
            value = parse_temporal(text)
            if value is not None:
                return value
        return text
    if first in "tTfF":
        lowered = text.lower()
        if lowered == "true":
            return True
        if lowered == "false":
            return False
        return text
    if first in "'\"" and len(text) >= 2 and text[-1] == first:
        inner = text[1:-1]
        if re.search(r"(?<!\\)" + first, inner) is None:
            return unescape(inner)
    return text


def prepare_context(context: Any, coerce: bool = True) -> dict:
    """Normalise a context once; pass the result with ``prepared=True`` to evaluate many times.

    Keys are lower-cased recursively (lookups ignore case end to end); with ``coerce`` every
    string value that is exactly a literal becomes that value (spec: "Context normalisation").
    Naive datetimes are taken as UTC. The input is not modified.
    """
    if context is None:
        return {}
    if not isinstance(context, Mapping):
        raise ExpressionError("the context must be a mapping of names to values")
    try:
        return _map(context, coerce)
    except RecursionError:
        raise ExpressionError("the context is nested too deeply") from None


def _map(mapping: Mapping, coerce: bool) -> dict:
    out = {}
    for key, value in mapping.items():
        key = key.lower() if type(key) is str else str(key).lower()
        if key in RESERVED:
            out[key] = value
        else:
            out[key] = _value(value, coerce)
    return out


def _value(value: Any, coerce: bool) -> Any:
    t = type(value)
    if t is str:
        return coerce_literal(value) if coerce else value
    if t is dict:
        return _map(value, coerce)
    if t is list or t is tuple:
        return [_value(v, coerce) for v in value]
    if t is int or t is float or t is bool or value is None:
        return value
    if isinstance(value, dt.datetime):
        return with_precision(value)
    if isinstance(value, Mapping):
        return _map(value, coerce)
    if isinstance(value, decimal.Decimal):  # database numbers
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 \
            else float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return [_value(v, coerce) for v in value]
    return value
