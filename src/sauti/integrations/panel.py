"""What the inbox shows from context integrations: the side panel (context objects and actions)
and suggested replies. Reads snapshots only (context.py), so a conversation never waits on an
outside service; registered with the inbox's extension points in IntegrationsConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from sauti.integrations.context import context_for_chat
from sauti.integrations.interest import CONTEXT, interests
from sauti.messaging.models import Chat


def render_panel(chat: Chat, access: Any) -> str:
    """The HTML of the integrations' panel for a chat; empty for a workspace without integrations."""
    if CONTEXT not in interests(chat.workspace_id):
        return ""
    panels = context_for_chat(chat)
    if not panels:
        return ""
    can_act = access.can("inbox.reply") if access is not None else False
    return render_to_string("integrations/partials/_context_panel.html",
                            {"panels": panels, "chat": chat, "can_act": can_act,
                             "workspace_uuid": chat.workspace.uuid})


def suggestions(chat: Chat) -> list[dict[str, Any]]:
    """Suggested replies of every integration, in the inbox's shape, most confident first."""
    if CONTEXT not in interests(chat.workspace_id):
        return []
    found = []
    for panel in context_for_chat(chat):
        for item in panel["suggested_responses"]:
            found.append({"text": item["body"], "title": item["title"], "confidence": item["confidence"],
                          "source": panel["integration"]["name"]})
    return sorted(found, key=lambda s: -(s["confidence"] or 0))
