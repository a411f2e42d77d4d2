"""What the API remembers of a sent message for the `turn` subscription: the body as posted."""

from __future__ import annotations

from typing import Any

from sauti.accounts.models import Workspace
from sauti.integrations.interest import interests
from sauti.integrations.models import TURN, ApiBody
from sauti.messaging.models import Message


def remember_api_body(workspace: Workspace, message: Message, body: dict[str, Any]) -> None:
    """Keep the posted body when a `turn` webhook will want it; nothing otherwise."""
    if TURN in interests(workspace.id):
        ApiBody.objects.create(message=message, body=body)
