"""The outbox sender against the fake Cloud API over real HTTP: order, priority, retries, failures."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.db import connection
from django.utils import timezone

from sauti.accounts.models import Workspace
from sauti.contacts.models import Contact
from sauti.messaging import sender as sender_module
from sauti.messaging.channels.fake_cloud_api.server import FakeCloudAPIConfig, start_in_thread
from sauti.messaging.channels.whatsapp.webhook import StatusUpdate
from sauti.messaging.models import Chat, Message, Outbox
from sauti.messaging.ratelimit import TokenBucket
from sauti.messaging.sender import Sender, claim, release_expired_claims
from sauti.messaging.services import SendRefused, chat_for, queue_message
from sauti.messaging.statuses import apply_statuses

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def fake():
    with start_in_thread(FakeCloudAPIConfig(port=0, webhook_url=None)) as running:
        yield running


@pytest.fixture
def ws(workspace, fake):
    httpx.delete(f"{fake.url}/_fake/sent")
    Workspace.objects.filter(id=workspace.id).update(graph_url=f"{fake.url}/v23.0")
    workspace.refresh_from_db()
    return workspace


def person(workspace, wa_id: str, *, window_open: bool = True) -> Contact:
    contact = Contact.objects.create(workspace=workspace, wa_id=wa_id)
    chat = chat_for(contact)
    if window_open:
        now = timezone.now()
        Chat.objects.filter(id=chat.id).update(last_inbound_at=now, window_expires_at=now + dt.timedelta(hours=24))
        contact.refresh_from_db()
    return contact


def text(body: str) -> dict:
    return {"type": "text", "text": {"body": body}}


def rounds(n: int = 10) -> int:
    """Run sender rounds until nothing is left to send (or n rounds)."""
    sender = Sender(limiter=TokenBucket())

    async def go() -> int:
        total = 0
        async with httpx.AsyncClient() as http:
            for _ in range(n):
                sent = await sender.run_once(http)
                total += sent
                if not sent:
                    break
        # The sender's database work runs in asgiref's worker thread: let its connection go.
        await sync_to_async(lambda: connection.close(), thread_sensitive=True)()
        return total

    return asyncio.run(go())


def sent_to(fake, wa_id: str) -> list[str]:
    data = httpx.get(f"{fake.url}/_fake/sent", params={"to": wa_id}).json()["messages"]
    return [m["body"]["text"]["body"] for m in data if m["body"].get("type") == "text"]


def fault(fake, code: int, count: int = 1) -> None:
    httpx.post(f"{fake.url}/_fake/faults", json={"code": code, "count": count}).raise_for_status()


def test_each_message_goes_out_once_in_order_per_contact(ws, fake):
    ana, ben = person(ws, "27820000001"), person(ws, "27820000002")
    for i in range(4):
        queue_message(ws, ana, text(f"ana {i}"))
        queue_message(ws, ben, text(f"ben {i}"))
    rounds()
    assert sent_to(fake, "27820000001") == [f"ana {i}" for i in range(4)]
    assert sent_to(fake, "27820000002") == [f"ben {i}" for i in range(4)]
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
    assert Message.objects.filter(provider_id__startswith="wamid.").count() == 8
    assert set(Outbox.objects.values_list("state", flat=True)) == {"sent"}


def test_one_message_in_flight_per_contact(ws):
    ana, ben = person(ws, "27820000001"), person(ws, "27820000002")
    for i in range(3):
        queue_message(ws, ana, text(f"ana {i}"))
    queue_message(ws, ben, text("ben"))
    first = claim(ws.id, 100, timezone.now())
    assert sorted(c.to for c in first) == ["27820000001", "27820000002"]
    assert claim(ws.id, 100, timezone.now()) == []  # ana's next waits for the one in flight


def test_replies_go_before_bulk(ws):
    contacts = [person(ws, f"2782000010{i}") for i in range(3)]
    queue_message(ws, contacts[0], text("bulk"), priority=Outbox.BULK)
    queue_message(ws, contacts[1], text("bulk"), priority=Outbox.BULK)
    queue_message(ws, contacts[2], text("reply"), priority=Outbox.REPLY)
    (only,) = claim(ws.id, 1, timezone.now())
    assert only.to == contacts[2].wa_id


@pytest.mark.parametrize("code", [130429, 131056, 500, 503])
def test_rate_limits_and_server_errors_are_retried_with_backoff(ws, fake, code):
    ana = person(ws, "27820000001")
    queue_message(ws, ana, text("hello"))
    fault(fake, code)
    rounds(1)
    outbox = Outbox.objects.get()
    assert outbox.state == "queued" and outbox.attempts == 1 and outbox.not_before > timezone.now()
    assert str(code) in outbox.last_error or code >= 500
    Outbox.objects.update(not_before=timezone.now())
    rounds()
    assert sent_to(fake, "27820000001") == ["hello"]
    assert Message.objects.get().status == "sent"


def test_closed_window_reported_by_meta_fails_the_message_with_its_reason(ws, fake):
    ana = person(ws, "27820000001")
    queue_message(ws, ana, text("too late"))
    fault(fake, 131047)
    rounds()
    message = Message.objects.get()
    assert message.status == "failed"
    assert message.error["code"] == 131047
    assert Outbox.objects.get().state == "failed"
    assert sent_to(fake, "27820000001") == []


def test_an_invalid_token_stops_the_channel_without_retrying(ws, fake):
    ana = person(ws, "27820000001")
    queue_message(ws, ana, text("one"))
    fault(fake, 190)
    rounds()
    ws.refresh_from_db()
    assert ws.channel_healthy is False and "190" in ws.channel_error
    assert Message.objects.get().status == "failed"
    queue_message(ws, ana, text("two"))
    rounds()
    assert sent_to(fake, "27820000001") == []  # nothing more goes out until someone fixes the channel


def test_free_form_outside_the_window_is_refused_before_queueing(ws):
    stranger = person(ws, "27820000009", window_open=False)
    with pytest.raises(SendRefused) as refused:
        queue_message(ws, stranger, text("hi"))
    assert refused.value.code == "window_closed"
    assert Message.objects.count() == 0
    template = {"type": "template", "template": {"name": "hello_world", "language": {"code": "en_US"}}}
    assert queue_message(ws, stranger, template).status == "queued"


def test_a_claim_settled_by_a_status_webhook_is_never_sent_again(ws, fake):
    """The sender died after Meta accepted the message: the status webhook settles it, no resend."""
    ana = person(ws, "27820000001")
    message = queue_message(ws, ana, text("once"))
    (claimed,) = claim(ws.id, 10, timezone.now())
    apply_statuses(ws.id, [StatusUpdate(ws.phone_number_id, ws.waba_id, "wamid.accepted", "sent", timezone.now(),
                                        ana.wa_id, callback_data=str(message.uuid))])
    Outbox.objects.update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    assert release_expired_claims(timezone.now()) == 0
    rounds()
    message.refresh_from_db()
    assert message.provider_id == "wamid.accepted" and message.status == "sent"
    assert sent_to(fake, "27820000001") == []


def test_an_expired_claim_without_news_is_sent_again(ws, fake):
    ana = person(ws, "27820000001")
    queue_message(ws, ana, text("retry me"))
    claim(ws.id, 10, timezone.now())
    Outbox.objects.update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    assert release_expired_claims(timezone.now()) == 1
    rounds()
    assert sent_to(fake, "27820000001") == ["retry me"]


def test_an_expired_claim_waits_for_webhooks_from_before_its_expiry_but_not_for_newer_ones(ws, fake):
    """Unread webhooks from before the claim expired may hold its status: the claim waits for
    them. Webhooks that came later do not hold it back, or a busy number would never resend."""
    from sauti.messaging.models import WebhookEvent

    ana = person(ws, "27820000001")
    queue_message(ws, ana, text("retry me"))
    claim(ws.id, 10, timezone.now())
    expired_at = timezone.now() - dt.timedelta(seconds=10)
    Outbox.objects.update(claimed_until=expired_at)
    older = WebhookEvent.objects.create(workspace_id=ws.id, body="{}")
    WebhookEvent.objects.filter(id=older.id).update(received_at=expired_at - dt.timedelta(seconds=5))
    newer = WebhookEvent.objects.create(workspace_id=ws.id, body="{}")
    assert release_expired_claims(timezone.now()) == 0
    WebhookEvent.objects.filter(id=older.id).update(processed_at=timezone.now())
    assert WebhookEvent.objects.filter(id=newer.id, processed_at__isnull=True).exists()
    assert release_expired_claims(timezone.now()) == 1


def test_statuses_only_move_forward(ws):
    ana = person(ws, "27820000001")
    message = queue_message(ws, ana, text("hi"))
    Message.objects.filter(id=message.id).update(provider_id="wamid.x", status="sent")
    now = timezone.now()

    def status(name: str, seconds: int, errors: list | None = None) -> StatusUpdate:
        return StatusUpdate(ws.phone_number_id, ws.waba_id, "wamid.x", name, now + dt.timedelta(seconds=seconds),
                            ana.wa_id, errors=errors or [])

    apply_statuses(ws.id, [status("read", 2), status("delivered", 1)])
    message.refresh_from_db()
    assert message.status == "read"
    assert [s["status"] for s in message.statuses] == ["delivered", "read"]
    apply_statuses(ws.id, [status("failed", 3, [{"code": 131026, "title": "undeliverable"}])])
    message.refresh_from_db()
    assert message.status == "read"  # a message already read stays read


def test_token_bucket_grants_at_most_the_rate_per_second():
    bucket = TokenBucket()
    assert bucket.take(1, 80, 200) == 80
    assert bucket.take(1, 80, 200) == 0
    bucket.refund(1, 30)
    assert bucket.take(1, 80, 200) == 30


def test_backoff_grows_and_is_capped():
    delays = [sender_module.backoff(n).total_seconds() for n in range(1, 12)]
    assert delays[:4] == [1, 2, 4, 8] and max(delays) == 300
