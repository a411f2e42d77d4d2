"""What an API token may do: one scope per resource and access, checked by every operation.

A token created without a choice gets every scope (`sauti token create`, and tokens made before
scopes existed), as on Turn where a token reaches the whole API.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# scope -> what it allows, shown in Settings → API tokens. Order is the order on that page.
SCOPES: dict[str, object] = {
    "messages:read": _("Read chats and message history"),
    "messages:write": _("Send messages, mark them as read, label them"),
    "contacts:read": _("Check numbers, read profiles and the field schema"),
    "contacts:write": _("Change profiles and the field schema, import and delete contacts"),
    "media:read": _("Download media"),
    "media:write": _("Upload and delete media"),
    "templates:read": _("List message templates"),
    "templates:write": _("Create and delete message templates"),
    "journeys:read": _("Read journeys and their logs"),
    "journeys:write": _("Create, edit, publish and start journeys"),
    "data:read": _("Export messages, contacts, statuses and Flow Results"),
}
ALL_SCOPES: tuple[str, ...] = tuple(SCOPES)


def check_scopes(scopes: list[str] | tuple[str, ...]) -> list[str]:
    """The scopes in canonical order; ValueError naming the first unknown one."""
    for scope in scopes:
        if scope not in SCOPES:
            raise ValueError(f"unknown scope {scope!r}; expected some of {', '.join(ALL_SCOPES)}")
    return [s for s in ALL_SCOPES if s in set(scopes)]
