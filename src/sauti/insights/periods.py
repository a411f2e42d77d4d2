"""The date range of an Insights page: quick picks and a custom span, in the workspace's days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

QUICK = {
    "7d": _("Last 7 days"), "30d": _("Last 30 days"), "90d": _("Last 90 days"),
    "this_month": _("This month"), "last_month": _("Last month"), "year": _("Last 12 months"),
    "custom": _("Custom"),
}
DEFAULT = "30d"
MAX_DAYS = 3 * 366
GRAINS = ("day", "week", "month")


@dataclass
class Period:
    first: dt.date
    last: dt.date
    key: str
    grain: str
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def query(self) -> str:
        """The query string that names this period (links and CSV downloads keep it)."""
        if self.key == "custom":
            return f"range=custom&from={self.first.isoformat()}&to={self.last.isoformat()}&by={self.grain}"
        return f"range={self.key}&by={self.grain}"


def _quick(key: str, today: dt.date) -> tuple[dt.date, dt.date]:
    if key == "7d":
        return today - dt.timedelta(days=6), today
    if key == "90d":
        return today - dt.timedelta(days=89), today
    if key == "this_month":
        return today.replace(day=1), today
    if key == "last_month":
        last = today.replace(day=1) - dt.timedelta(days=1)
        return last.replace(day=1), last
    if key == "year":
        return today - dt.timedelta(days=364), today
    return today - dt.timedelta(days=29), today


def parse_period(params: dict[str, str], today: dt.date) -> Period:
    """Read range/from/to/by; a bad custom span keeps its errors (named by field) and falls back to 30 days."""
    key = params.get("range") or DEFAULT
    errors: dict[str, str] = {}
    if key not in QUICK:
        errors["range"] = str(_("Pick one of the listed ranges."))
        key = DEFAULT
    if key == "custom":
        first, last = _date(params.get("from"), "from", errors), _date(params.get("to"), "to", errors)
        if first and last and first > last:
            errors["to"] = str(_("The end date must be on or after the start date."))
        elif first and last and (last - first).days + 1 > MAX_DAYS:
            errors["to"] = str(_("Pick at most three years."))
        if errors or first is None or last is None:
            key = DEFAULT
            first, last = _quick(key, today)
    else:
        first, last = _quick(key, today)
    grain = params.get("by") or ""
    if grain not in GRAINS:
        grain = "day" if (last - first).days < 92 else "week"
    return Period(first, last, key, grain, errors)


def _date(value: str | None, name: str, errors: dict[str, str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        errors[name] = str(_("Enter a date as YYYY-MM-DD."))
        return None


def buckets(first: dt.date, last: dt.date, grain: str) -> list[dt.date]:
    """The first day of every day, week (Monday) or month shown between `first` and `last`."""
    out: list[dt.date] = []
    if grain == "month":
        day = first.replace(day=1)
        while day <= last:
            out.append(day)
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return out
    step = 7 if grain == "week" else 1
    day = first - dt.timedelta(days=first.weekday()) if grain == "week" else first
    while day <= last:
        out.append(day)
        day += dt.timedelta(days=step)
    return out


def bucket_of(day: dt.date, grain: str) -> dt.date:
    if grain == "month":
        return day.replace(day=1)
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    return day
