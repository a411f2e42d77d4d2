"""Where the inbox meets the pipeline: the last inbound handler, which keeps every message no
journey took for the team (the chat waits for a person and routing may assign it)."""

from __future__ import annotations

from sauti.messaging.models import Message


def inbox(message: Message) -> bool:
    """Registered last with messaging.routing (so `route_inbound` still reports "inbox")."""
    from sauti.inbox.services.chats import request_human

    if message.type in ("reaction", "edit", "revoke", "unsupported"):
        return True  # a reaction or an edit is no reason to call a person
    request_human(message.chat, workspace=message.contact.workspace)
    return True
