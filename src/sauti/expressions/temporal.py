"""Date, time and datetime values as the original library models them (UTC, Elixir precision).

Datetimes carry the sub-second *precision* Elixir stores, because it decides how they print:
``2020-12-13T23:35:55.0Z`` (literal without a fraction), ``….000000Z`` (a date widened by
``datetime_add``), ``…:00Z`` (built from whole components).
"""

from __future__ import annotations

import datetime as dt
import re

UTC = dt.UTC


class DateTime(dt.datetime):
    """A UTC datetime that remembers its printed sub-second precision (0–6 digits)."""

    __slots__ = ("precision",)


def make_datetime(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0,
                  microsecond: int = 0, precision: int = 0) -> DateTime:
    value = DateTime(year, month, day, hour, minute, second, microsecond, tzinfo=UTC)
    value.precision = precision
    return value


def with_precision(value: dt.datetime, precision: int | None = None) -> DateTime:
    """Normalise any datetime to an aware UTC ``DateTime`` (naive ones are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    elif value.utcoffset() != dt.timedelta(0):
        value = value.astimezone(UTC)
    if precision is None:
        precision = precision_of(value)
    return make_datetime(value.year, value.month, value.day, value.hour, value.minute, value.second,
                         value.microsecond, precision)


def precision_of(value: dt.datetime) -> int:
    precision = getattr(value, "precision", None)
    if precision is None:
        return 6 if value.microsecond else 0
    return precision


def format_datetime(value: dt.datetime) -> str:
    """ISO 8601 the way Elixir's ``DateTime.to_iso8601`` prints a UTC datetime."""
    if value.tzinfo is not None and value.utcoffset() != dt.timedelta(0):
        value = value.astimezone(UTC)
    text = (f"{value.year:04d}-{value.month:02d}-{value.day:02d}T"
            f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}")
    precision = precision_of(value)
    if precision:
        text += "." + f"{value.microsecond:06d}"[:precision]
    return text + "Z"


def format_time(value: dt.time) -> str:
    text = f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    if value.microsecond:
        text += "." + f"{value.microsecond:06d}"
    return text


# Unquoted literals, tried in this order (the first that matches wins).
ISO_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z)?")
DMY_DATETIME = re.compile(r"(\d{2})-(\d{2})-(\d{4}) (\d{2}):(\d{2})(?::(\d{2}))?")
YMD_DATE = re.compile(r"(\d{4})([-/])(\d{2})\2(\d{2})")
DMY_DATE = re.compile(r"(\d{2})([-/])(\d{2})\2(\d{4})")
TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def _fraction(text: str | None) -> tuple[int, int]:
    """The original reads the fraction as an integer: leading zeros vanish (``.05`` → 5 µs)."""
    if not text:
        return 0, 1
    micro = int(text[:6])
    return micro, len(str(micro))


def match_temporal(text: str, pos: int = 0):
    """Match a date/time literal at ``pos``; return (value, end) or None. Invalid dates are no match."""
    try:
        m = ISO_DATETIME.match(text, pos)
        if m:
            micro, precision = _fraction(m.group(7))
            value = make_datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4)),
                                  int(m.group(5)), int(m.group(6) or 0), micro, precision)
            return value, m.end()
        m = DMY_DATETIME.match(text, pos)
        if m:
            value = make_datetime(int(m.group(3)), int(m.group(2)), int(m.group(1)), int(m.group(4)),
                                  int(m.group(5)), int(m.group(6) or 0))
            return value, m.end()
        m = YMD_DATE.match(text, pos)
        if m:
            return dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4))), m.end()
        m = DMY_DATE.match(text, pos)
        if m:
            return dt.date(int(m.group(4)), int(m.group(3)), int(m.group(1))), m.end()
        m = TIME.match(text, pos)
        if m:
            return dt.time(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)), m.end()
    except ValueError:
        return None
    return None


def parse_temporal(text: str):
    """A whole string that is exactly one date/time literal → its value, else None."""
    found = match_temporal(text)
    if found is not None and found[1] == len(text):
        return found[0]
    return None


def to_datetime(value, widen_precision: int = 6) -> DateTime | None:
    """Date, datetime or ISO text → DateTime (a date becomes midnight), else None."""
    if isinstance(value, str):
        value = parse_temporal(value.strip())
    if isinstance(value, dt.datetime):
        return with_precision(value)
    if isinstance(value, dt.date):
        return make_datetime(value.year, value.month, value.day, precision=widen_precision)
    return None


def to_date(value) -> dt.date | None:
    if isinstance(value, str):
        value = parse_temporal(value.strip())
    if isinstance(value, dt.datetime):
        return value.astimezone(UTC).date() if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    return None


def add_months(value: dt.date, months: int):
    """Shift by whole months, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29)."""
    index = value.year * 12 + (value.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise ValueError("date out of range")
    day = min(value.day, _days_in_month(year, month))
    return value.replace(year=year, month=month, day=day)


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (dt.date(year, month + 1, 1) - dt.timedelta(days=1)).day
