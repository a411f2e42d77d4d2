"""The sidebar's sections and the settings hub's pages, registered by each app at start-up.

Apps add their own entries in `AppConfig.ready()`, so the shell never imports them and a new
area is one `register_*` call. Each entry names the permission that shows it; the registries are
filled at import time and read-only afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe

from sauti.accounts import permissions

if TYPE_CHECKING:
    from sauti.web.workspaces import Access


@dataclass(frozen=True)
class Entry:
    key: str
    label: Any  # a lazy translation
    url_name: str  # reversed with workspace=<uuid>
    perm: str
    order: int
    icon: str = ""  # inner markup of a 24×24 stroke icon (trusted: written in code)
    description: Any = ""


_NAV: dict[str, Entry] = {}
_SETTINGS: dict[str, Entry] = {}


def register_nav(key: str, label: Any, url_name: str, *, perm: str, order: int, icon: str = "") -> None:
    """A sidebar section (Inbox, People, Journeys…); lower order shows higher."""
    permissions.roles_with(perm)
    _NAV[key] = Entry(key, label, url_name, perm, order, icon)


def register_settings(key: str, label: Any, url_name: str, *, perm: str, order: int,
                      description: Any = "") -> None:
    """A page of the workspace settings hub (Team, Inbox & routing, API tokens…)."""
    permissions.roles_with(perm)
    _SETTINGS[key] = Entry(key, label, url_name, perm, order, "", description)


def _visible(entries: dict[str, Entry], access: Access, active: str) -> list[dict[str, Any]]:
    items = []
    for entry in sorted(entries.values(), key=lambda e: (e.order, e.key)):
        if not access.can(entry.perm):
            continue
        try:
            url = reverse(entry.url_name, kwargs={"workspace": access.workspace.uuid})
        except NoReverseMatch:
            continue
        items.append({"key": entry.key, "label": entry.label, "url": url, "active": entry.key == active,
                      "icon": mark_safe(entry.icon), "description": entry.description})  # noqa: S308
    return items


def nav_for(access: Access, active: str = "") -> list[dict[str, Any]]:
    return _visible(_NAV, access, active)


def settings_for(access: Access, active: str = "") -> list[dict[str, Any]]:
    return _visible(_SETTINGS, access, active)
