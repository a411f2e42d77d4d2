"""People writing in, for inbox tests: real signed webhooks through the real pipeline."""

from __future__ import annotations

import itertools
import time
from typing import Any

from django.test import Client

from sauti.messaging.models import Chat, Message
from tests.conftest import APP_SECRET, PHONE_NUMBER_ID
from tests.support import drain_tasks, post_webhook, text_webhook

_ids = itertools.count(1)


def write_in(wa_id: str, text: str, *, name: str = "Ana", at: int | None = None) -> Chat:
    """`wa_id` sends `text` to the test workspace's number; returns their chat once handled."""
    body = text_webhook(PHONE_NUMBER_ID, wa_id, text, wamid=f"wamid.inbox.{next(_ids)}.{wa_id}", name=name,
                        timestamp=at or int(time.time()))
    response = post_webhook(Client(), body, APP_SECRET)
    assert response.status_code == 200, response.content
    drain_tasks()
    return Chat.objects.select_related("contact", "workspace", "assigned_to").get(contact__wa_id=wa_id)


def last_message(chat: Chat) -> Message:
    return Message.objects.filter(chat=chat).order_by("-id").first()


def available(workspace: Any, user: Any, capacity: int | None = None) -> None:
    from sauti.accounts.models import Membership
    from sauti.inbox.services import set_availability

    if capacity is not None:
        Membership.objects.filter(workspace=workspace, user=user).update(capacity=capacity)
    set_availability(workspace, user, True, actor=user)
