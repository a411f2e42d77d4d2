"""The inbox search language: free text plus `key:value` filters (docs/inbox.md#search).

    label:urgent assignee:me state:open after:2026-01-31 before:today is:unread "sore throat"

Parsing is pure (no database): `parse_search` returns a `Search` or raises SearchInvalid naming
the filter at fault. sauti.inbox.queries turns a Search into a workspace-scoped queryset.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from dataclasses import dataclass, field, replace

KEYS = ("label", "assignee", "state", "contact", "after", "before", "is")
ALIASES = {"from": "contact", "tag": "label", "assigned": "assignee", "since": "after", "until": "before"}
FLAGS = ("unread", "waiting", "bot", "mentioned", "assigned", "unassigned")
STATES = ("open", "closed", "all")
RELATIVE = re.compile(r"^(\d{1,3})d$")


@dataclass
class SearchInvalid(ValueError):
    field: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Search:
    text: str = ""
    labels: tuple[str, ...] = ()
    assignee: str | None = None  # "me", "none", or a teammate's handle or email
    state: str | None = None  # None: open and closed alike
    contact: str = ""
    after: dt.date | None = None
    before: dt.date | None = None
    flags: frozenset[str] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return self == Search()


def parse_date(value: str, today: dt.date) -> dt.date:
    """An ISO date, `today`, `yesterday`, or `Nd` (N days ago)."""
    word = value.lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - dt.timedelta(days=1)
    match = RELATIVE.match(word)
    if match:
        return today - dt.timedelta(days=int(match.group(1)))
    return dt.date.fromisoformat(value)


def parse_search(query: str, today: dt.date | None = None) -> Search:
    """Read a search box's text; unknown `key:` words are plain text (people type "re: test")."""
    today = today or dt.date.today()
    try:
        words = shlex.split(query or "")
    except ValueError:
        words = (query or "").replace('"', " ").split()
    text: list[str] = []
    found: dict = {"labels": [], "flags": set()}
    for word in words:
        key, sep, value = word.partition(":")
        key = ALIASES.get(key.lower(), key.lower())
        if not sep or key not in KEYS:
            text.append(word)
            continue
        if not value:
            raise SearchInvalid(key, f"“{key}:” needs a value, e.g. {key}:{_example(key)}")
        if key == "label":
            found["labels"].append(value)
        elif key == "assignee":
            found["assignee"] = value.lower()
        elif key == "state":
            if value.lower() not in STATES:
                raise SearchInvalid("state", "state: is open, closed or all")
            found["state"] = None if value.lower() == "all" else value.lower()
        elif key == "contact":
            found["contact"] = value
        elif key in ("after", "before"):
            try:
                found[key] = parse_date(value, today)
            except ValueError:
                raise SearchInvalid(key, f"{key}: takes a date like 2026-01-31, today, yesterday or 7d") from None
        elif key == "is":
            if value.lower() not in FLAGS:
                raise SearchInvalid("is", "is: is one of " + ", ".join(FLAGS))
            found["flags"].add(value.lower())
    search = Search(text=" ".join(text), labels=tuple(found.pop("labels")), flags=frozenset(found.pop("flags")))
    search = replace(search, **found)
    if search.after and search.before and search.after > search.before:
        raise SearchInvalid("before", "the end of the date range comes before its start")
    return search


def _example(key: str) -> str:
    return {"label": "urgent", "assignee": "me", "state": "open", "contact": "Ana", "after": "2026-01-31",
            "before": "today", "is": "unread"}[key]


def with_filter(query: str, key: str, value: str) -> str:
    """The search text with one `key:value` set (replacing that key), for quick picks."""
    kept = [w for w in (query or "").split() if not w.lower().startswith(key + ":")]
    token = f'{key}:"{value}"' if " " in value else f"{key}:{value}"
    return " ".join([*kept, token]).strip()
