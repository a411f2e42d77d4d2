"""View-models of the inbox pages: what the templates show, prepared from queries (no writes)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sauti.contacts.privacy import shown_number
from sauti.inbox import queries
from sauti.inbox.panels import rendered_panels, suggestions_for
from sauti.inbox.search import Search, SearchInvalid, parse_search, with_filter
from sauti.inbox.services.notes import handle_of
from sauti.inbox.services.routing import operator_loads
from sauti.messaging.models import Chat
from sauti.messaging.window import window_open
from sauti.web.templatetags.sauti_ui import ago
from sauti.web.workspaces import Access

CLOSE_REASONS = (gettext_lazy("Resolved"), gettext_lazy("No reply from the contact"),
                 gettext_lazy("Referred elsewhere"), gettext_lazy("Spam or abuse"))


def url(access: Access, name: str, **kwargs: Any) -> str:
    return reverse(f"inbox:{name}", kwargs={"workspace": access.workspace.uuid, **kwargs})


def current_search(request: HttpRequest, access: Access) -> tuple[str, str, Search, str]:
    """(collection key, search text, parsed search, error) from the request's `c` and `q`."""
    key = request.GET.get("c") or request.POST.get("c") or ""
    text = (request.GET.get("q") or request.POST.get("q") or "").strip()
    date_from, date_to = request.GET.get("from") or "", request.GET.get("to") or ""
    if date_from:
        text = with_filter(text, "after", date_from)
    if date_to:
        text = with_filter(text, "before", date_to)
    error = ""
    if text:
        try:
            return key, text, parse_search(text, timezone.localdate()), ""
        except SearchInvalid as exc:
            error = exc.message
    if not key:
        key = "mine" if access.can("inbox.reply") and access.role == "operator" else "open"
    return key, text, queries.collection_search(key, access.workspace, access.user), error


def list_context(request: HttpRequest, access: Access) -> dict[str, Any]:
    key, text, search, error = current_search(request, access)
    chats = queries.search_chats(access.workspace, search, user=access.user, role=access.role)
    before = _parse_cursor(request.GET.get("before"))
    rows = queries.chat_rows(chats, before=before)
    workspace, role = access.workspace, access.role
    # One reverse for the page, not three per row: the list is the inbox's hottest template.
    chat_url = url(access, "chat", chat="00000000-0000-0000-0000-000000000000").replace(
        "00000000-0000-0000-0000-000000000000/", "")
    suffix = f"?q={quote(text)}" if text else (f"?c={key}" if key else "")
    for row in rows:
        row.shown_number = shown_number(workspace, role, row.contact.wa_id)
        row.display_name = display_name(row, access)
        row.initial = row.display_name[:1].upper()
        row.url = f"{chat_url}{row.uuid}/"
        row.push_url = row.url + suffix
        row.iso = row.last_message_at.isoformat() if row.last_message_at else ""
        row.ago = ago(row.last_message_at)
        row.preview = (row.last_text or (f"[{row.last_type}]" if row.last_type else ""))[:80]
    more = rows[-1].last_message_at.isoformat() if len(rows) == queries.PAGE and rows[-1].last_message_at else ""
    current = request.resolver_match.kwargs.get("chat") if request.resolver_match else None
    return {"rows": rows, "collection": key if not text else "", "q": text, "search_error": error,
            "can_reply": access.can("inbox.reply"), "current_uuid": _uuid_or_none(current),
            "more": more, "counts": queries.collection_counts(access.workspace, access.user)}


def _uuid_or_none(value: Any) -> Any:
    from sauti.inbox.forms import uuid_or_none

    return uuid_or_none(value) if value else None


def _parse_cursor(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace(" ", "+"))
    except ValueError:
        return None


def display_name(chat: Chat, access: Access) -> str:
    contact = chat.contact
    name = " ".join(filter(None, [contact.name, contact.surname])) or contact.whatsapp_profile_name
    return name or shown_number(access.workspace, access.role, contact.wa_id) or contact.user_id or "?"


def list_extras(access: Access) -> dict[str, Any]:
    """What the list's bulk bar offers: teammates to assign to, labels to add."""
    return {"teammates": [{"membership": m, "handle": handle_of(m.user)} for m in queries.teammates(access.workspace)],
            "labels": queries.labels_of(access.workspace)}


def sidebar_context(access: Access) -> dict[str, Any]:
    workspace, user = access.workspace, access.user
    me = next((row for row in operator_loads(workspace) if row["user"].id == user.id), None) \
        if access.can("inbox.reply") else None
    today = timezone.localdate()
    return {
        "built_in": queries.BUILT_IN,
        "custom": queries.collections_for(workspace, user),
        "teammates": [{"membership": m, "handle": handle_of(m.user)} for m in queries.teammates(workspace)],
        "labels": queries.labels_of(workspace),
        "me": me,
        "quick_picks": [
            ("is:unread", gettext_lazy("Unread")), ("assignee:me", gettext_lazy("Mine")),
            ("is:waiting", gettext_lazy("Waiting")), (f"after:{today.isoformat()}", gettext_lazy("Today")),
            (f"after:{(today - dt.timedelta(days=7)).isoformat()}", gettext_lazy("Last 7 days")),
        ],
    }


def chat_context(access: Access, chat: Chat, *, reply_error: str = "", reply_text: str = "",
                 force_templates: bool = False, profile_errors: dict[str, str] | None = None,
                 template_error: dict[str, str] | None = None, note_error: str = "") -> dict[str, Any]:
    from sauti.inbox import composer

    now = timezone.now()
    workspace, role = access.workspace, access.role
    items = queries.conversation(chat)
    labels = queries.message_labels(chat)
    for item in items:
        if item["kind"] == "message":
            item["labels"] = labels.get(item["message"].id, [])
    in_window = window_open(chat.window_expires_at, now)
    profile = composer.profile_fields(chat.contact, workspace, role)
    return {
        "access": access,
        "chat": chat,
        "name": display_name(chat, access),
        "number": shown_number(workspace, role, chat.contact.wa_id),
        "items": items,
        "chat_labels": queries.chat_label_list(chat),
        "all_labels": queries.labels_of(workspace),
        "assignees": queries.teammates(workspace),
        "mentionable": [{"user": u, "handle": handle_of(u)} for u in queries.members(workspace)],
        "window_open": in_window,
        "window_expires_at": chat.window_expires_at,
        "show_templates": force_templates or not in_window,
        "reply_error": reply_error,
        "reply_text": reply_text,
        "note_error": note_error,
        "templates": composer.templates_for(workspace) if (force_templates or not in_window) else [],
        "template_error": template_error or {},
        "canned": composer.canned_replies(workspace),
        "suggestions": suggestions_for(chat) if in_window and access.can("inbox.reply") else [],
        "panels": rendered_panels(chat, access),
        "profile": profile,
        "profile_errors": profile_errors or {},
        "profile_other_errors": [m for k, m in (profile_errors or {}).items() if k not in {f["key"] for f in profile}],
        "close_reasons": CLOSE_REASONS,
        "journeys": composer.journeys_for(workspace) if access.can("inbox.reply") else [],
        "reactions": ("👍", "❤️", "😂", "🙏", "😮"),
    }
