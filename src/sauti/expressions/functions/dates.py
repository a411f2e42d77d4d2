"""Dates and times. All datetimes are UTC; ``now()``/``today()`` read the evaluation clock
(context key ``__now__``), so journeys can freeze time."""

from __future__ import annotations

import datetime as dt
import re

from ..errors import ExpressionError
from ..temporal import (
    UTC,
    add_months,
    make_datetime,
    parse_temporal,
    precision_of,
    to_date,
    with_precision,
)
from ..values import inspect, unwrap
from .coerce import integer, number, rich, text
from .registry import function

FAMILY = "dates"

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SPACED = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?Z?")


def _temporal(value, name: str):
    """A Date, DateTime or Time from a value or ISO text (also ``YYYY-MM-DD HH:MM:SS``)."""
    value = unwrap(value)
    if isinstance(value, (dt.date, dt.time)):
        return with_precision(value) if isinstance(value, dt.datetime) else value
    if type(value) is str:
        source = value.strip()
        parsed = parse_temporal(source)
        if parsed is not None:
            return parsed
        m = SPACED.fullmatch(source)
        if m:
            fraction = m.group(7) or ""
            micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
            try:
                return make_datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4)),
                                     int(m.group(5)), int(m.group(6) or 0), micro, 6 if fraction else 0)
            except ValueError:
                pass
    raise ExpressionError(f"{name}: {inspect(value)} is not a date")


def _datetime(value, name: str, widen: int = 6) -> dt.datetime:
    value = _temporal(value, name)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return make_datetime(value.year, value.month, value.day, precision=widen)
    raise ExpressionError(f"{name}: {inspect(value)} is not a date")


def _date(value, name: str) -> dt.date:
    value = _temporal(value, name)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise ExpressionError(f"{name}: {inspect(value)} is not a date")


# -- formatting ---------------------------------------------------------------------------------

_DIRECTIVE = re.compile(r"%([-_0]?)(\d*)(:?[a-zA-Z%])")


def strftime(value, fmt: str) -> str:
    """Elixir ``Calendar.strftime`` directives with English names, independent of the locale."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day, tzinfo=UTC)
    else:
        moment = dt.datetime(1970, 1, 1, value.hour, value.minute, value.second, value.microsecond,
                             tzinfo=UTC)

    numeric: dict | None = None
    words: dict | None = None

    def field(m: re.Match) -> str:
        nonlocal numeric, words
        pad, width, code = m.group(1), m.group(2), m.group(3)
        if numeric is None:
            numeric = {"d": (moment.day, 2), "e": (moment.day, 2), "H": (moment.hour, 2),
                       "I": ((moment.hour % 12) or 12, 2), "j": (moment.timetuple().tm_yday, 3),
                       "m": (moment.month, 2), "M": (moment.minute, 2), "S": (moment.second, 2),
                       "y": (moment.year % 100, 2), "Y": (moment.year, 4), "u": (moment.isoweekday(), 1),
                       "w": (moment.isoweekday() % 7, 1), "q": ((moment.month - 1) // 3 + 1, 1),
                       "f": (moment.microsecond, 6)}
        if code in numeric:
            n, default = numeric[code]
            size = int(width) if width else default
            if pad == "-":
                return str(n)
            fill = " " if pad == "_" or (code == "e" and not pad) else "0"
            return str(n).rjust(size, fill)
        if words is None:
            words = _words(moment)
        if code in words:
            return words[code].rjust(int(width), " " if pad != "0" else "0") if width else words[code]
        return m.group(0)

    return _DIRECTIVE.sub(field, fmt)


def _words(moment: dt.datetime) -> dict[str, str]:
    date = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
    clock = f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    short = f"{moment.month:02d}/{moment.day:02d}/{moment.year % 100:02d}"
    return {"a": DAYS[moment.weekday()][:3], "A": DAYS[moment.weekday()],
            "b": MONTHS[moment.month - 1][:3], "B": MONTHS[moment.month - 1],
            "p": "AM" if moment.hour < 12 else "PM", "P": "am" if moment.hour < 12 else "pm",
            "z": "+0000", ":z": "+00:00", "Z": "UTC", "%": "%", "F": date, "T": clock,
            "R": clock[:5], "D": short, "c": f"{date} {clock}", "x": short, "X": clock}


_PARSE_PARTS = {
    "Y": r"(?P<Y>\d{4})", "y": r"(?P<y>\d{2})", "m": r"(?P<m>\d{1,2})", "d": r"(?P<d>\d{1,2})",
    "e": r"\s?(?P<d>\d{1,2})", "H": r"(?P<H>\d{1,2})", "I": r"(?P<I>\d{1,2})", "M": r"(?P<M>\d{1,2})",
    "S": r"(?P<S>\d{1,2})", "f": r"(?P<f>\d{1,6})", "p": r"(?P<p>[AaPp][Mm])", "P": r"(?P<p>[AaPp][Mm])",
    "b": r"(?P<b>[A-Za-z]{3})", "B": r"(?P<B>[A-Za-z]+)", "a": r"[A-Za-z]{3}", "A": r"[A-Za-z]+",
    "z": r"(?P<z>[+-]\d{4}|Z)", ":z": r"(?P<z>[+-]\d{2}:\d{2}|Z)", "Z": r"(?:UTC|GMT|Z)",
    "j": r"\d{1,3}", "%": "%",
}


def _parse_pattern(fmt: str) -> re.Pattern:
    fmt = fmt.replace("%F", "%Y-%m-%d").replace("%T", "%H:%M:%S").replace("%R", "%H:%M")
    out, used = [], set()
    i = 0
    while i < len(fmt):
        m = _DIRECTIVE.match(fmt, i)
        if m:
            code = m.group(3)
            part = _PARSE_PARTS.get(code)
            if part is None:
                raise ExpressionError(f"parse_datevalue does not understand %{code}")
            group = re.search(r"\?P<(\w+)>", part)
            if group and group.group(1) in used:
                part = re.sub(r"\?P<\w+>", "?:", part)
            elif group:
                used.add(group.group(1))
            out.append(part)
            i = m.end()
        else:
            out.append(re.escape(fmt[i]))
            i += 1
    return re.compile("".join(out), re.IGNORECASE)


def strptime(source: str, fmt: str) -> dt.datetime | None:
    m = _parse_pattern(fmt).fullmatch(source.strip())
    if m is None:
        return None
    g = m.groupdict()
    try:
        year = int(g["Y"]) if g.get("Y") else (2000 + int(g["y"]) if g.get("y") else 1970)
        if g.get("B") or g.get("b"):
            name = (g.get("B") or g.get("b")).lower()
            month = next(i for i, mname in enumerate(MONTHS, 1)
                         if mname.lower() == name or mname[:3].lower() == name)
        else:
            month = int(g["m"]) if g.get("m") else 1
        day = int(g["d"]) if g.get("d") else 1
        hour = int(g["H"]) if g.get("H") else 0
        if g.get("I"):
            hour = int(g["I"]) % 12 + (12 if (g.get("p") or "").lower() == "pm" else 0)
        minute = int(g["M"]) if g.get("M") else 0
        second = int(g["S"]) if g.get("S") else 0
        micro = int(g["f"].ljust(6, "0")) if g.get("f") else 0
        value = dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
    except (ValueError, StopIteration):
        return None
    zone = g.get("z")
    if zone and zone.upper() != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        value -= sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return with_precision(value, 6 if g.get("f") else 0)


# -- functions ----------------------------------------------------------------------------------


@function("date", args=3, family=FAMILY)
def date(year, month, day):
    """A date from year, month and day. As on Turn, an impossible day of a real month
    (29 February 2023) is not an error: it is kept as the text "2023-02-29".

    date(2022, 1, 31) → 2022-01-31
    date(2023, 2, 29) → "2023-02-29"
    """
    y, m, d = integer(year), integer(month), integer(day)
    try:
        return dt.date(y, m, d)
    except ValueError as error:
        if 1 <= y <= 9999 and 1 <= m <= 12 and 1 <= d <= 31:
            # Turn builds the date without checking it: 29 February 2023 is kept as written.
            return f"{y:04d}-{m:02d}-{d:02d}"
        raise ExpressionError(f"date: {error}") from None


@function("time", args=3, family=FAMILY)
def time(hour, minute, second):
    """A time of day from hours, minutes and seconds.

    time(12, 13, 14) → 12:13:14
    """
    try:
        return dt.time(integer(hour), integer(minute), integer(second))
    except ValueError as error:
        raise ExpressionError(f"time: {error}") from None


_TIME_TEXT = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?")


@function("timevalue", args=1, family=FAMILY)
def timevalue(value):
    """A time of day from text like "2:30", "14:30:55" or "2:30 pm".

    timevalue("2:30:55") → 02:30:55
    """
    value = unwrap(value)
    if isinstance(value, dt.datetime):
        return value.time().replace(tzinfo=None)
    if isinstance(value, dt.time):
        return value
    m = _TIME_TEXT.fullmatch(text(value).strip())
    if m is None:
        raise ExpressionError(f"timevalue: {inspect(value)} is not a time")
    hour = int(m.group(1))
    if m.group(4):
        hour = hour % 12 + (12 if m.group(4).lower() == "pm" else 0)
    try:
        return dt.time(hour, int(m.group(2)), int(m.group(3) or 0))
    except ValueError as error:
        raise ExpressionError(f"timevalue: {error}") from None


@function("now", args=0, family=FAMILY, state=True, aliases=("right_now",))
def now(state):
    """The current date and time (UTC). In journeys this is the session's clock.

    now() → 2024-01-15T09:30:00Z
    """
    return state.now()


@function("today", args=0, family=FAMILY, state=True)
def today(state):
    """Today's date (UTC).

    today() → 2024-01-15
    """
    return state.now().date()


_UNITS = {"y": "Y", "year": "Y", "years": "Y", "mo": "M", "month": "M", "months": "M",
          "w": "W", "week": "W", "weeks": "W", "d": "D", "day": "D", "days": "D",
          "h": "h", "hour": "h", "hours": "h", "minute": "m", "minutes": "m", "min": "m",
          "s": "s", "second": "s", "seconds": "s"}


@function("datetime_add", args=3, family=FAMILY)
def datetime_add(value, offset, unit):
    """Shift a date/time by ``offset`` units: "Y" years, "M" months, "W" weeks, "D" days,
    "h" hours, "m" minutes, "s" seconds (negative goes back). Months clamp to the month's end.
    A date becomes a datetime at midnight.

    datetime_add(date(2020, 2, 28), 1, "D") → 2020-02-29T00:00:00.000000Z
    datetime_add("2022-01-31T10:00:00Z", 1, "M") → 2022-02-28T10:00:00.0Z
    """
    moment = _datetime(value, "datetime_add")
    code = text(unit).strip()
    if code not in ("Y", "M", "W", "D", "h", "m", "s"):
        code = _UNITS.get(code.lower(), "")
        if not code:
            raise ExpressionError(f'datetime_add: unknown unit {inspect(text(unit))} '
                                  '(use "Y", "M", "W", "D", "h", "m" or "s")')
    amount = number(offset)
    precision = precision_of(moment)
    try:
        if code in ("Y", "M"):
            shifted = add_months(moment, int(amount) * (12 if code == "Y" else 1))
        else:
            seconds = {"W": 604800, "D": 86400, "h": 3600, "m": 60, "s": 1}[code]
            shifted = moment + dt.timedelta(seconds=amount * seconds)
    except (OverflowError, ValueError):
        raise ExpressionError("datetime_add: the result is out of range") from None
    return with_precision(shifted, precision)


@function("edate", args=2, family=FAMILY)
def edate(value, months):
    """Move a date by whole months (clamping to the month's end); a datetime stays a datetime.

    edate("2022-10-10", 1) → 2022-11-10
    edate(date(2022, 1, 31), 1) → 2022-02-28
    """
    moment = _temporal(value, "edate")
    if isinstance(moment, dt.time) and not isinstance(moment, dt.datetime):
        raise ExpressionError(f"edate: {inspect(value)} is not a date")
    try:
        shifted = add_months(moment, integer(months))
    except ValueError:
        raise ExpressionError("edate: the result is out of range") from None
    if isinstance(moment, dt.datetime):
        return with_precision(shifted, precision_of(moment))
    return shifted


@function("datevalue", args=(1, 2), family=FAMILY)
def datevalue(value, fmt="%Y-%m-%d %H:%M:%S"):
    """Format a date with strftime directives (%Y %m %d %H %M %S %B %A %p …). The result is
    the text, with ``.date`` and ``.datetime`` also available.

    datevalue("2022-01-05T10:00:00Z", "%d %B %Y") → "05 January 2022"
    datevalue(date(2022, 1, 5)).date → 2022-01-05
    """
    loose = _loose_date(value)
    if loose is not None:
        return rich(_format_fields(loose, text(fmt)), date=None, datetime=None)
    moment = _temporal(value, "datevalue")
    if isinstance(moment, dt.datetime):
        day, when = moment.date(), moment
    elif isinstance(moment, dt.date):
        day, when = moment, make_datetime(moment.year, moment.month, moment.day)
    else:
        raise ExpressionError(f"datevalue: {inspect(value)} is not a date")
    return rich(strftime(when, text(fmt)), date=day, datetime=when)


_LOOSE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _loose_date(value) -> tuple[int, int, int] | None:
    """An impossible date kept as text by ``date()`` (e.g. "2023-02-29"), as its fields."""
    value = unwrap(value)
    if type(value) is not str:
        return None
    m = _LOOSE.fullmatch(value.strip())
    if m is None or parse_temporal(value.strip()) is not None:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    return (y, mo, d) if 1 <= mo <= 12 and 1 <= d <= 31 else None


def _format_fields(fields: tuple[int, int, int], fmt: str) -> str:
    """Format an impossible date from its fields; only numeric date directives make sense."""
    y, m, d = fields
    values = {"Y": f"{y:04d}", "m": f"{m:02d}", "d": f"{d:02d}", "y": f"{y % 100:02d}",
              "e": f"{d:2d}", "F": f"{y:04d}-{m:02d}-{d:02d}", "B": MONTHS[m - 1], "b": MONTHS[m - 1][:3],
              "H": "00", "M": "00", "S": "00", "T": "00:00:00", "%": "%"}

    def field(match: re.Match) -> str:
        code = match.group(3)
        if code not in values:
            raise ExpressionError(f"datevalue: {y:04d}-{m:02d}-{d:02d} is not a real date")
        if match.group(1) == "-":
            return values[code].lstrip("0") or "0"
        return values[code]

    return _DIRECTIVE.sub(field, fmt)


@function("parse_datevalue", args=2, family=FAMILY)
def parse_datevalue(value, fmt):
    """Read a datetime from text using strftime directives; null when it does not match.

    parse_datevalue("05/01/2022 10:30", "%d/%m/%Y %H:%M") → 2022-01-05T10:30:00Z
    parse_datevalue("👻", "%Y") → null
    """
    return strptime(text(value), text(fmt))


def _part(value, name, getter):
    moment = _temporal(value, name)
    return getter(moment)


@function("year", args=1, family=FAMILY)
def year(value):
    """The year of a date.

    year("2022-05-24") → 2022
    """
    return _date(value, "year").year


@function("month", args=1, family=FAMILY)
def month(value):
    """The month of a date (1–12).

    month("2022-05-24") → 5
    """
    return _date(value, "month").month


@function("day", args=1, family=FAMILY)
def day(value):
    """The day of the month.

    day("2022-05-24") → 24
    """
    return _date(value, "day").day


def _clock(value, name):
    moment = _temporal(value, name)
    if isinstance(moment, (dt.datetime, dt.time)):
        return moment
    return dt.time(0, 0, 0)


@function("hour", args=1, family=FAMILY)
def hour(value):
    """The hour of a datetime or time (0 for a date).

    hour("2022-05-24T10:30:15Z") → 10
    """
    return _clock(value, "hour").hour


@function("minute", args=1, family=FAMILY)
def minute(value):
    """The minute of a datetime or time.

    minute("2022-05-24T10:30:15Z") → 30
    """
    return _clock(value, "minute").minute


@function("second", args=1, family=FAMILY)
def second(value):
    """The second of a datetime or time.

    second("2022-05-24T10:30:15Z") → 15
    """
    return _clock(value, "second").second


@function("weekday", args=1, family=FAMILY)
def weekday(value):
    """Day of the week: 1 is Sunday … 7 is Saturday.

    weekday("2022-11-06") → 1
    """
    return _date(value, "weekday").isoweekday() % 7 + 1


_DAY_NAMES = {name.lower(): i for i, name in enumerate(DAYS)}
_DAY_NAMES.update({name[:3].lower(): i for i, name in enumerate(DAYS)})


@function("datetime_next", args=(2, 3), family=FAMILY, state=True)
def datetime_next(state, day_name, at, base=None):
    """The next time it is ``day_name`` at "HH:MM" (UTC), strictly after ``base`` (now by
    default), for scheduling.

    datetime_next("monday", "09:00", "2024-01-10T12:00:00Z") → 2024-01-15T09:00:00Z
    datetime_next("wed", "13:00", date(2024, 1, 10)) → 2024-01-10T13:00:00Z
    """
    key = text(day_name).strip().lower()
    if key not in _DAY_NAMES:
        raise ExpressionError(f"datetime_next: {inspect(text(day_name))} is not a day of the week")
    clock = timevalue(at)
    start = state.now() if base is None else _datetime(base, "datetime_next", 0)
    candidate = make_datetime(start.year, start.month, start.day, clock.hour, clock.minute, clock.second)
    for _ in range(8):
        if candidate.weekday() == _DAY_NAMES[key] and candidate > start:
            return with_precision(candidate, 0)
        candidate = candidate + dt.timedelta(days=1)
    raise ExpressionError("datetime_next: no such day")  # pragma: no cover - a week always has one


_UNIX_UNITS = {"second": (1, 0), "seconds": (1, 0), "s": (1, 0), "millisecond": (1_000, 3),
               "milliseconds": (1_000, 3), "ms": (1_000, 3), "microsecond": (1_000_000, 6),
               "microseconds": (1_000_000, 6), "nanosecond": (1_000_000_000, 6),
               "nanoseconds": (1_000_000_000, 6)}


@function("datetime_from_unix", args=(1, 2), family=FAMILY)
def datetime_from_unix(value, unit="second"):
    """The UTC datetime of a Unix timestamp, in "second" (default), "millisecond",
    "microsecond" or "nanosecond".

    datetime_from_unix(1700000000) → 2023-11-14T22:13:20Z
    datetime_from_unix(1700000000123, "millisecond") → 2023-11-14T22:13:20.123Z
    """
    key = text(unit).strip().lower()
    if key not in _UNIX_UNITS:
        raise ExpressionError(f"datetime_from_unix: unknown unit {inspect(text(unit))}")
    per_second, precision = _UNIX_UNITS[key]
    amount = integer(value)
    seconds, rest = divmod(amount, per_second)
    try:
        moment = dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(
            seconds=seconds, microseconds=rest * 1_000_000 // per_second)
    except OverflowError:
        raise ExpressionError("datetime_from_unix: the timestamp is out of range") from None
    return with_precision(moment, precision)


__all__ = ["strftime", "strptime", "to_date"]
