"""Profile values by field type: what each type accepts, how it is stored, how it reads back.

Pure functions, no database. Stored forms are JSON-friendly and sort as text where it matters:
dates "YYYY-MM-DD", date-times "YYYY-MM-DDTHH:MM:SSZ" in UTC (so segments compare them as
strings on both databases), numbers as JSON numbers, booleans as JSON booleans.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

TEXT, NUMBER, BOOLEAN, DATE, DATETIME, ENUM, LOCATION = (
    "text", "number", "boolean", "date", "datetime", "enum", "location")
TYPES = (TEXT, NUMBER, BOOLEAN, DATE, DATETIME, ENUM, LOCATION)
TEXT_MAX = 10_000
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "on"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "off"})
DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:[_-][a-z0-9]{2,8})*$", re.I)
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


class ValueInvalid(ValueError):
    """A value the field's type does not accept; the message is for the person who typed it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Choice:
    value: str
    display: str


def _shown(raw: Any) -> str:
    text = raw if isinstance(raw, str) else json.dumps(raw, default=str)
    return text if len(text) <= 40 else text[:39] + "…"


def normalise(kind: str, raw: Any, *, choices: Sequence[Choice] = (), tz: dt.tzinfo = dt.UTC) -> Any:
    """`raw` in the stored form of `kind`, None for "no value"; ValueInvalid when it does not fit.

    Empty text means "no value" for every type. Naive date-times are read in `tz` (the
    workspace's timezone), as a person typing "2025-03-01 09:00" means their own clock.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return _NORMALISERS[kind](raw, choices, tz)


def _text(raw: Any, choices: Sequence[Choice], tz: dt.tzinfo) -> str:
    if isinstance(raw, bool):
        text = "true" if raw else "false"
    elif isinstance(raw, (dict, list)):
        text = json.dumps(raw, ensure_ascii=False, default=str)
    elif isinstance(raw, dt.datetime):
        text = _datetime(raw, choices, tz)
    elif isinstance(raw, dt.date):
        text = raw.isoformat()
    else:
        text = str(raw)
    if len(text) > TEXT_MAX:
        raise ValueInvalid(_("is longer than %(max)s characters") % {"max": f"{TEXT_MAX:,}"})
    return text


def _number(raw: Any, choices: Sequence[Choice], tz: dt.tzinfo) -> int | float:
    if isinstance(raw, bool) or isinstance(raw, (dict, list)):
        raise ValueInvalid(_("“%(value)s” is not a number") % {"value": _shown(raw)})
    if isinstance(raw, int):
        return raw
    if isinstance(raw, (float, Decimal)):
        number = float(raw)
    else:
        text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
        if not _NUMBER.match(text):
            raise ValueInvalid(_("“%(value)s” is not a number (write it like 42 or 3.5, without thousands "
                                 "separators)") % {"value": _shown(raw)})
        try:
            number = float(Decimal(text))
        except InvalidOperation as exc:  # pragma: no cover - the pattern above already refused it
            raise ValueInvalid(_("“%(value)s” is not a number") % {"value": _shown(raw)}) from exc
    if math.isnan(number) or math.isinf(number):
        raise ValueInvalid(_("“%(value)s” is not a number") % {"value": _shown(raw)})
    if number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def _boolean(raw: Any, choices: Sequence[Choice], tz: dt.tzinfo) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    word = str(raw).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueInvalid(_("“%(value)s” is not true or false (yes/no and 1/0 work too)") % {"value": _shown(raw)})


def _parse_moment(raw: Any, tz: dt.tzinfo) -> dt.datetime | dt.date:
    if isinstance(raw, (dt.datetime, dt.date)):
        return raw
    text = str(raw).strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueInvalid(_("“%(value)s” is not a date: write it as YYYY-MM-DD (a date-time as "
                             "YYYY-MM-DDTHH:MM, with Z or +02:00 for its timezone)") % {"value": _shown(raw)}) from None


def _date(raw: Any, choices: Sequence[Choice], tz: dt.tzinfo) -> str:
    moment = _parse_moment(raw, tz)
    if isinstance(moment, dt.datetime):
        moment = (moment.astimezone(tz) if moment.tzinfo else moment).date()
    return moment.isoformat()


def _datetime(raw: Any, choices: Sequence[Choice], tz: dt.tzinfo) -> str:
    return to_datetime(raw, tz).strftime(DATETIME_FORMAT)


def to_datetime(raw: Any, tz: dt.tzinfo = dt.UTC) -> dt.datetime:
    """An aware UTC datetime from a date, a datetime or ISO text (naive ones read in `tz`)."""
    moment = _parse_moment(raw, tz)
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def _enum(raw: Any, choices: Sequence[Choice], tz: dt.tzinfo) -> str:
    text = str(raw).strip()
    for choice in choices:
        if text == choice.value:
            return choice.value
    folded = text.casefold()
    for choice in choices:
        if folded in (choice.value.casefold(), choice.display.casefold()):
            return choice.value
    listed = ", ".join(c.value for c in choices[:12]) + (", …" if len(choices) > 12 else "")
    raise ValueInvalid(_("“%(value)s” is not one of the choices (%(choices)s)") % {"value": _shown(raw),
                                                                                  "choices": listed})


def _location(raw: Any, choices: Sequence[Choice], tz: dt.tzinfo) -> dict[str, Any]:
    extra: dict[str, str] = {}
    if isinstance(raw, dict):
        lat = raw.get("latitude", raw.get("lat"))
        lng = raw.get("longitude", raw.get("lng", raw.get("long")))
        extra = {k: str(raw[k]) for k in ("name", "address") if raw.get(k)}
    else:
        text = str(raw).strip().removeprefix("geo:")
        parts = [p.strip() for p in text.split(",")]
        lat, lng = (parts[0], parts[1]) if len(parts) == 2 else (None, None)
    try:
        latitude, longitude = float(lat), float(lng)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueInvalid(_("“%(value)s” is not a location: write latitude,longitude (like -33.92,18.42)")
                           % {"value": _shown(raw)}) from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueInvalid(_("“%(value)s” is outside the globe: latitude goes from -90 to 90, longitude from "
                             "-180 to 180") % {"value": _shown(raw)})
    return {"latitude": latitude, "longitude": longitude, **extra}


_NORMALISERS = {TEXT: _text, NUMBER: _number, BOOLEAN: _boolean, DATE: _date, DATETIME: _datetime, ENUM: _enum,
                LOCATION: _location}


def language_code(raw: Any) -> str:
    """A language as an ISO 639 code ("eng", "por", "en", "pt_BR"); ValueInvalid otherwise."""
    text = str(raw).strip()
    if not _LANGUAGE.match(text):
        raise ValueInvalid(_("“%(value)s” is not a language code: use an ISO 639 code such as eng, por or en")
                           % {"value": _shown(raw)})
    head, *rest = re.split(r"([_-])", text)
    return head.lower() + "".join(rest)


def as_text(kind: str, stored: Any, *, choices: Sequence[Choice] = ()) -> str:
    """The stored value as a cell of a CSV file (what an import of that file reads back the same)."""
    if stored is None:
        return ""
    if kind == BOOLEAN:
        return "true" if stored else "false"
    if kind == LOCATION and isinstance(stored, dict):
        return f"{stored.get('latitude')},{stored.get('longitude')}"
    if kind == DATETIME and isinstance(stored, dt.datetime):
        return stored.astimezone(dt.UTC).strftime(DATETIME_FORMAT)
    if kind == DATE and isinstance(stored, dt.date):
        return stored.isoformat()
    if isinstance(stored, (dict, list)):
        return json.dumps(stored, ensure_ascii=False)
    return str(stored)


def display(kind: str, stored: Any, *, choices: Sequence[Choice] = (), tz: dt.tzinfo = dt.UTC) -> str:
    """The stored value as a person reads it on a page (date-times in the workspace's timezone)."""
    if stored is None or stored == "":
        return ""
    if kind == BOOLEAN:
        return _("Yes") if stored is True else _("No") if stored is False else str(stored)
    if kind == ENUM:
        for choice in choices:
            if choice.value == stored:
                return choice.display or choice.value
    if kind == DATETIME:
        try:
            moment = to_datetime(stored).astimezone(tz)
        except ValueInvalid:
            return str(stored)
        return moment.strftime("%Y-%m-%d %H:%M")
    if kind == LOCATION and isinstance(stored, dict):
        label = stored.get("name") or stored.get("address") or ""
        where = f"{stored.get('latitude')}, {stored.get('longitude')}"
        return f"{label} ({where})" if label else where
    return as_text(kind, stored, choices=choices)


def example(kind: str, choices: Sequence[Choice] = ()) -> str:
    """A sample cell for the helper CSV file: shows the accepted format of each type."""
    return {TEXT: "Some text", NUMBER: "42", BOOLEAN: "true", DATE: "2025-03-01", DATETIME: "2025-03-01T09:30:00Z",
            ENUM: choices[0].value if choices else "", LOCATION: "-33.9249,18.4241"}[kind]


def timezone_named(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC
