"""Extension points of the conversation view, for integrations (sauti.integrations) and others.

    register_panel("crm", _("CRM"), lambda chat, access: "<dl>…</dl>")       # a right-hand panel
    register_suggestions(lambda chat: [{"text": "…", "confidence": 0.9, "source": "FAQ bot"}])

Register from `AppConfig.ready()`. A panel's `render` returns trusted HTML (escape what you put
in it); a suggestion source returns replies for the reply box. A source or panel that raises is
skipped (and logged): an integration never breaks the inbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)
MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class Panel:
    key: str
    title: Any
    render: Callable[[Any, Any], str]
    order: int = 100


_panels: dict[str, Panel] = {}
_suggestion_sources: list[Callable[[Any], list[dict[str, Any]]]] = []


def register_panel(key: str, title: Any, render: Callable[[Any, Any], str], *, order: int = 100) -> None:
    """A panel under the contact's profile: `render(chat, access) -> html`."""
    _panels[key] = Panel(key, title, render, order)


def register_suggestions(source: Callable[[Any], list[dict[str, Any]]]) -> None:
    """A source of suggested replies: `source(chat) -> [{"text", "confidence", "source"}]`."""
    if source not in _suggestion_sources:
        _suggestion_sources.append(source)


def rendered_panels(chat: Any, access: Any) -> list[dict[str, Any]]:
    out = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        try:
            html = panel.render(chat, access)
        except Exception:
            logger.warning("inbox panel %s failed", panel.key, exc_info=True)
            continue
        if html:
            out.append({"key": panel.key, "title": panel.title, "html": SafeString(mark_safe(html))})  # noqa: S308
    return out


def suggestions_for(chat: Any) -> list[dict[str, Any]]:
    """Every source's suggestions, most confident first, at most MAX_SUGGESTIONS."""
    found: list[dict[str, Any]] = []
    for source in _suggestion_sources:
        try:
            for item in source(chat) or []:
                text = str(item.get("text") or "").strip()
                if text:
                    found.append({"text": text, "confidence": float(item.get("confidence") or 0),
                                  "source": str(item.get("source") or "")})
        except Exception:
            logger.warning("suggested replies from %r failed", source, exc_info=True)
    found.sort(key=lambda s: -s["confidence"])
    return found[:MAX_SUGGESTIONS]
