"""When a reminder's runs are due: wall-clock times in a timezone, recurrence. Pure: no Django,
no clock (the caller passes `now`)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The easternmost timezone is UTC+14 (Kiribati): a contact-local run starts resolving people when
# the wall time first arrives anywhere, and each person is then due at their own local moment.
EARLIEST_OFFSET = dt.timedelta(hours=14)
DAILY, WEEKLY, MONTHLY = "daily", "weekly", "monthly"


def zone(name: str | None, fallback: dt.tzinfo = dt.UTC) -> dt.tzinfo:
    """The timezone called `name` (IANA, e.g. "Africa/Nairobi"), or `fallback` when unknown."""
    if not name or not isinstance(name, str):
        return fallback
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return fallback


def is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def at_local(wall: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """The UTC moment when clocks in `tz` show `wall` (naive). In a DST gap the later side is
    taken (fold=0 maps a skipped 02:30 to 03:30), so a reminder is never lost to a clock change."""
    return wall.replace(tzinfo=tz, fold=0).astimezone(dt.UTC)


def earliest(wall: dt.datetime) -> dt.datetime:
    """The first UTC moment at which `wall` is the local time somewhere on Earth."""
    return wall.replace(tzinfo=dt.UTC) - EARLIEST_OFFSET


@dataclass(frozen=True)
class Recurrence:
    """Daily, weekly (on `weekdays`, 0 = Monday) or monthly (on the start date's day, or the
    month's last day when shorter) at `time_of_day`, from `start_date`, until `end_date`
    (inclusive) or `max_runs` occurrences."""

    frequency: str
    start_date: dt.date
    time_of_day: dt.time
    weekdays: tuple[int, ...] = field(default=())
    end_date: dt.date | None = None
    max_runs: int | None = None

    def _dates_from(self, day: dt.date):  # noqa: ANN202 - a generator of dates
        if self.frequency == MONTHLY:
            year, month = day.year, day.month
            while True:
                last = calendar.monthrange(year, month)[1]
                candidate = dt.date(year, month, min(self.start_date.day, last))
                if candidate >= day:
                    yield candidate
                month += 1
                if month > 12:
                    year, month = year + 1, 1
        weekdays = set(self.weekdays or (self.start_date.weekday(),))
        while True:
            if self.frequency == DAILY or day.weekday() in weekdays:
                yield day
            day += dt.timedelta(days=1)

    def next_after(self, after: dt.datetime | None, runs_so_far: int = 0) -> dt.datetime | None:
        """The first wall-clock occurrence strictly after `after` (naive; None: from the start),
        or None when the recurrence has ended."""
        if self.max_runs is not None and runs_so_far >= self.max_runs:
            return None
        first_day = self.start_date if after is None else max(self.start_date, after.date())
        for day in self._dates_from(first_day):
            if self.end_date is not None and day > self.end_date:
                return None
            wall = dt.datetime.combine(day, self.time_of_day)
            if after is None or wall > after:
                return wall
            if day > first_day + dt.timedelta(days=400):  # pragma: no cover - a guard, never reached
                return None
        return None  # pragma: no cover
