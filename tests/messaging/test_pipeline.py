"""Per-contact handling: order, the lease, the window, reopening, edits and revocations, routing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sauti.messaging import pipeline, routing
from sauti.messaging.models import Chat, Message
from tests.conftest import APP_SECRET, PHONE_NUMBER_ID
from tests.support import drain_tasks, post_webhook, text_webhook

pytestmark = pytest.mark.django_db


def inbound(client, wa_id: str, body: str, wamid: str, ts: int = 1_800_000_000, **message: object) -> None:
    payload = text_webhook(PHONE_NUMBER_ID, wa_id, body, wamid=wamid, timestamp=ts)
    if message:
        payload["entry"][0]["changes"][0]["value"]["messages"][0] = {
            "from": wa_id, "id": wamid, "timestamp": str(ts), **message}
    assert post_webhook(client, payload, APP_SECRET).status_code == 200


@pytest.fixture
def seen():
    """A handler that records the order in which messages reach it (and takes none)."""
    order: list[str] = []

    def record(message: Message) -> bool:
        order.append(message.text)
        return False

    routing.register_inbound_handler(record, order=0)
    yield order
    routing._handlers[:] = [(o, h) for o, h in routing._handlers if h is not record]


def test_a_contacts_messages_are_handled_in_arrival_order(client, workspace, seen):
    for i in range(5):
        inbound(client, "27820000001", f"m{i}", f"wamid.{i}", ts=1_800_000_000 + i)
    drain_tasks()
    assert seen == [f"m{i}" for i in range(5)]
    assert not Message.objects.filter(handled_at__isnull=True).exists()


def test_a_message_waits_while_another_worker_holds_the_contact(client, workspace, seen):
    from sauti.contacts.models import Contact

    contact = Contact.objects.create(workspace=workspace, wa_id="27820000001")
    token = pipeline.acquire_contact(contact.id, timezone.now())  # another worker is busy with Ana
    inbound(client, "27820000001", "first", "wamid.a")
    drain_tasks()
    assert seen == []
    assert Message.objects.get().handled_at is None
    pipeline.release_contact(contact.id, token)
    assert pipeline.handle_contact(contact.id) == 1  # what the holder does once it lets go
    assert seen == ["first"]


def test_an_expired_lease_is_taken_over(workspace):
    from sauti.contacts.models import Contact

    contact = Contact.objects.create(workspace=workspace, wa_id="1")
    now = timezone.now()
    assert pipeline.acquire_contact(contact.id, now)
    assert pipeline.acquire_contact(contact.id, now) is None
    assert pipeline.acquire_contact(contact.id, now + dt.timedelta(minutes=5)) is not None


def test_inbound_opens_the_window_for_24_hours_from_its_timestamp(client, workspace):
    inbound(client, "27820000001", "hi", "wamid.w", ts=1_800_000_000)
    drain_tasks()
    chat = Chat.objects.get()
    sent = dt.datetime.fromtimestamp(1_800_000_000, tz=dt.UTC)
    assert chat.last_inbound_at == sent
    assert chat.window_expires_at == sent + dt.timedelta(hours=24)
    assert chat.unread_count == 1


def test_an_inbound_message_reopens_a_closed_chat(client, workspace):
    inbound(client, "27820000001", "hi", "wamid.1")
    drain_tasks()
    Chat.objects.update(state="closed", state_reason="Resolved")
    inbound(client, "27820000001", "again", "wamid.2", ts=1_800_000_100)
    drain_tasks()
    chat = Chat.objects.get()
    assert chat.state == "open" and chat.state_reason == "Re-opened by inbound message."


def test_edits_and_revocations_change_the_original_message(client, workspace):
    inbound(client, "27820000001", "helo", "wamid.orig")
    inbound(client, "27820000001", "", "wamid.edit", ts=1_800_000_001, type="edit",
            edit={"original_message_id": "wamid.orig", "message": {"type": "text", "text": {"body": "hello"}}})
    drain_tasks()
    original = Message.objects.get(provider_id="wamid.orig")
    assert original.text == "hello"
    assert original.payload["_vnd"]["edited_from"]["text"]["body"] == "helo"
    inbound(client, "27820000001", "", "wamid.revoke", ts=1_800_000_002, type="revoke",
            revoke={"original_message_id": "wamid.orig"})
    drain_tasks()
    original.refresh_from_db()
    assert original.payload["_vnd"]["revoked"] is True and original.text == ""


def test_with_no_handler_a_message_waits_in_its_chat(client, workspace):
    inbound(client, "27820000001", "is anyone there?", "wamid.q")
    drain_tasks()
    message = Message.objects.get()
    assert message.handled_at is not None
    assert message.chat.state == "open" and message.chat.unread_count == 1


def test_the_sweeper_recovers_people_whose_task_was_lost(client, workspace, seen):
    from django_tasks_db.models import DBTaskResult

    from sauti.contacts.models import Contact
    from sauti.messaging.sweeper import sweep

    contact = Contact.objects.create(workspace=workspace, wa_id="27820000001")
    token = pipeline.acquire_contact(contact.id, timezone.now())  # a worker holds Ana, then dies
    inbound(client, "27820000001", "lost", "wamid.lost")
    drain_tasks()
    assert Message.objects.get().handled_at is None
    pipeline.release_contact(contact.id, token)
    DBTaskResult.objects.all().delete()
    assert sweep()["contacts"] == 0  # too recent to call lost
    later = timezone.now() + dt.timedelta(minutes=2)
    assert sweep(later)["contacts"] == 1
    drain_tasks()
    assert Message.objects.get().handled_at is not None
    assert seen == ["lost"]


def test_a_failing_event_is_tried_again_later_and_set_aside_after_its_attempts(client, workspace, seen):
    from sauti.messaging.models import WebhookEvent

    inbound(client, "27820000001", "hi", "wamid.ok")
    event = WebhookEvent.objects.get()
    WebhookEvent.objects.filter(id=event.id).update(body='{"object": "whatsapp_business_account", "entry": 7}')
    drain_tasks()
    event.refresh_from_db()
    assert event.processed_at is not None and event.error.startswith("unreadable")


def test_one_bad_event_does_not_hold_back_the_others_in_its_batch(client, workspace, seen, monkeypatch):
    from sauti.messaging import inbound as inbound_module
    from sauti.messaging.models import WebhookEvent

    inbound(client, "27820000001", "first", "wamid.1")
    inbound(client, "27820000002", "poison", "wamid.2")
    inbound(client, "27820000003", "third", "wamid.3")
    real = inbound_module.store_inbound_batch

    def fragile(workspace, entries):
        if any(item.message.get("text", {}).get("body") == "poison" for item, _ in entries):
            raise RuntimeError("cannot store this one")
        return real(workspace, entries)

    monkeypatch.setattr("sauti.messaging.pipeline.store_inbound_batch", fragile)
    assert pipeline.process_pending_events() == 3
    assert sorted(seen) == ["first", "third"]
    poisoned = WebhookEvent.objects.get(senders__contains=" 27820000002 ")
    assert poisoned.processed_at is None and poisoned.attempts == 1 and "cannot store" in poisoned.error
    assert poisoned.retry_at > timezone.now()
    assert pipeline.process_pending_events() == 0  # not due again yet
