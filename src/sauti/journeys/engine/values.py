"""JSON encoding of journey values (variables, results, effect fields).

Journey variables hold dates, datetimes, decimals and HTTP bodies; session state must survive a
JSON round trip, so non-JSON scalars are tagged: {"$dt": iso}, {"$date": iso}, {"$time": iso},
{"$dec": "1.50"}.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

_TAGS = ("$dt", "$date", "$time", "$dec")


def encode(value: Any) -> Any:
    """A JSON-safe copy of `value`; raises TypeError for values that have no JSON form."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dt.datetime):
        precision = getattr(value, "precision", None)
        if precision is not None:
            # The expression language prints a datetime with the precision it was made with
            # (Elixir-style: now() has microseconds, a parsed "…:00Z" has none); keep it.
            return {"$dt": value.isoformat(), "$precision": precision}
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$time": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    raise TypeError(f"a {type(value).__name__} cannot be stored in a journey session")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 2 and "$dt" in value and "$precision" in value:
            return _with_precision(dt.datetime.fromisoformat(value["$dt"]), value["$precision"])
        if len(value) == 1:
            key = next(iter(value))
            if key in _TAGS:
                raw = value[key]
                if key == "$dt":
                    return dt.datetime.fromisoformat(raw)
                if key == "$date":
                    return dt.date.fromisoformat(raw)
                if key == "$time":
                    return dt.time.fromisoformat(raw)
                return Decimal(raw)
        return {k: decode(v) for k, v in value.items()}
    return value


def _with_precision(value: dt.datetime, precision: int) -> dt.datetime:
    try:
        from sauti.expressions.temporal import with_precision
    except ImportError:  # pragma: no cover - the expression language without precision support
        return value
    return with_precision(value, precision)


def plain(value: Any) -> Any:
    """The plain value of a rich answer map (`{"__value__": ..., "index": ...}`)."""
    while isinstance(value, dict) and "__value__" in value:
        value = value["__value__"]
    return value


def as_text(value: Any) -> str:
    """Text of a scalar value the way journeys print it (booleans lower-case, nil empty)."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def truthy(value: Any) -> bool:
    """Conditions hold only for true (a boolean, a rich map whose value is true, or "true")."""
    value = plain(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return False
