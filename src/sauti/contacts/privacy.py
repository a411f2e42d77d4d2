"""Hidden numbers: who sees a person's phone number and private fields, and the masked form.

A workspace setting (`hide_numbers`) hides numbers and `is_private` fields from roles below
admin, everywhere people appear (inbox, People, exports, the API for such tokens).
"""

from __future__ import annotations

from sauti.accounts import permissions
from sauti.accounts.models import Workspace


def numbers_hidden(workspace: Workspace, role: str | None) -> bool:
    """True when `role` must see masked numbers in `workspace`."""
    if not workspace.settings.get("hide_numbers"):
        return False
    return not permissions.can(role, "people.see_numbers")


def mask_number(number: str | None) -> str:
    """"27820001234" → "+27 •••• ••34": enough to tell two people apart, not to call them."""
    digits = "".join(ch for ch in (number or "") if ch.isdigit())
    if len(digits) < 5:
        return "•" * max(len(digits), 4)
    return f"+{digits[:2]} •••• ••{digits[-2:]}"


def shown_number(workspace: Workspace, role: str | None, number: str | None) -> str:
    """The number as `role` may see it: "+27820001234", or masked when the workspace hides numbers."""
    if not number:
        return ""
    if numbers_hidden(workspace, role):
        return mask_number(number)
    return number if number.startswith("+") or not number.isdigit() else f"+{number}"
