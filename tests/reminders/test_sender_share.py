"""Bulk sends leave a share of the number's rate to replies: during a broadcast, a person who
writes in gets their answer in the next round, and bulk never takes the whole second."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.db import connection
from django.utils import timezone

from sauti.accounts.models import Workspace
from sauti.messaging.models import Chat, Outbox
from sauti.messaging.ratelimit import TokenBucket
from sauti.messaging.sender import Sender
from sauti.messaging.services import chat_for, queue_message
from tests.reminders.conftest import people, remind
from tests.support import drain_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def one_round(sender: Sender) -> int:
    async def go() -> int:
        sent = await sender.run_once()
        await sender.close()
        await sync_to_async(lambda: connection.close(), thread_sensitive=True)()
        return sent

    return asyncio.run(go())


def test_a_reply_goes_first_and_bulk_keeps_to_its_share(ws, template, fake):
    Workspace.objects.filter(id=ws.id).update(send_rate=20)
    ws.refresh_from_db()
    people(ws, 40)
    remind(ws, template=template, params={"body": ["@contact.name", "Monday"]})
    drain_tasks()
    # Someone outside the broadcast writes in while it is queued; their answer is queued after it.
    now = timezone.now()
    replier = people(ws, 1, start=500)[0]
    Chat.objects.filter(id=chat_for(replier).id).update(window_expires_at=now + dt.timedelta(hours=1))
    replier.refresh_from_db()
    queue_message(ws, replier, {"type": "text", "text": {"body": "We got your question."}})
    sender = Sender(limiter=TokenBucket(), reply_share=0.25)
    assert one_round(sender) == 16  # the reply and 15 bulk (75% of 20)
    sent = httpx.get(f"{fake.url}/_fake/sent").json()["messages"]
    assert any(m["to"] == replier.wa_id for m in sent)
    assert sum(1 for m in sent if m["body"]["type"] == "template") == 15
    assert Outbox.objects.filter(priority=Outbox.BULK, state="queued").count() == 25
