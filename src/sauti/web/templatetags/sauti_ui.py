"""Template helpers of the web UI: the sidebar, WhatsApp-style text formatting, asset URLs."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import template
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext

import sauti
from sauti.web.nav import nav_for
from sauti.web.workspaces import workspaces_for

register = template.Library()

# WhatsApp's own markup: *bold*, _italic_, ~strike~, ```mono```; applied after escaping.
_FORMATS = (
    (re.compile(r"```(.+?)```", re.S), r"<code>\1</code>"),
    (re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])"), r"<strong>\1</strong>"),
    (re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])"), r"<em>\1</em>"),
    (re.compile(r"(?<![\w~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\w~])"), r"<s>\1</s>"),
)


@register.filter
def whatsapp(text: Any) -> SafeString:
    """Message text as WhatsApp shows it: escaped, then its bold/italic/strike/mono markup."""
    html = escape("" if text is None else str(text))
    for pattern, replacement in _FORMATS:
        html = pattern.sub(replacement, html)
    return mark_safe(html)  # noqa: S308 - built from escaped text and fixed tags only


@register.filter
def ago(when: datetime.datetime | None) -> str:
    """"just now", "5 minutes ago", "2 days ago"."""
    if when is None:
        return ""
    if timezone.now() - when < datetime.timedelta(minutes=1):
        return gettext("just now")
    return gettext("%(time)s ago") % {"time": timesince(when, depth=1)}


@register.simple_tag
def asset(path: str) -> str:
    """A static URL with the version, so browsers fetch new assets after an upgrade."""
    return f"{static(path)}?v={sauti.__version__}"


@register.inclusion_tag("web/partials/_sidebar.html", takes_context=True)
def sidebar(context: template.Context, active: str = "") -> dict[str, Any]:
    request = context["request"]
    access = getattr(request, "access", None)
    user = request.user
    return {
        "request": request,
        "access": access,
        "active": active,
        "nav": nav_for(access, active) if access is not None else [],
        "workspaces": workspaces_for(user),
        "user": user,
        "initial": (user.name or user.email or "?")[:1],
    }
