"""A WhatsApp template reminder to a segment, sent now: through the Outbox at bulk priority, each
person's parameters from their fields, opt-outs skipped and counted, statistics that match what
the fake Cloud API received and what the status webhooks said."""

from __future__ import annotations

import pytest

from sauti.contacts.models import Contact
from sauti.contacts.services import create_field, save_segment
from sauti.messaging.channels.whatsapp.webhook import StatusUpdate
from sauti.messaging.models import Message, Outbox
from sauti.messaging.statuses import apply_statuses
from sauti.reminders.models import Recipient, Reminder, Run
from sauti.reminders.stats import reminder_stats
from tests.reminders.conftest import people, remind, run_all, sent_to_fake

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_template_reminder_reaches_a_segment_with_each_persons_name(ws, template, fake):
    create_field(ws, key="district")
    people(ws, 5, opted_in=True, district="north")
    people(ws, 2, start=100, opted_in=True, district="south")
    segment = save_segment(ws, name="North", query='district = "north"')
    reminder = remind(ws, audience="segment", segment=segment, template=template,
                      params={"body": ["@contact.name", "Monday"]})
    assert reminder.status == Reminder.Status.SENDING
    run_all()
    sent = sent_to_fake(fake)
    assert sorted(m["to"] for m in sent) == [f"2782{i:07d}" for i in range(5)]
    by_to = {m["to"]: m["body"]["template"] for m in sent}
    assert by_to["27820000003"]["components"] == [{"type": "body", "parameters": [
        {"type": "text", "text": "Person 3"}, {"type": "text", "text": "Monday"}]}]
    assert set(Outbox.objects.values_list("priority", flat=True)) == {Outbox.BULK}
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    stats = reminder_stats(reminder)
    assert (stats.total, stats.sent, stats.waiting, stats.failed, stats.skipped) == (5, 5, 0, 0, 0)


def test_people_not_opted_in_are_skipped_and_counted(ws, template, fake):
    people(ws, 3, opted_in=True)
    people(ws, 2, start=50, opted_in=False)
    reminder = remind(ws, template=template, params={"body": ["@contact.name", "Friday"]})
    run_all()
    assert len(sent_to_fake(fake)) == 3
    stats = reminder_stats(reminder)
    assert (stats.total, stats.sent, stats.skipped) == (5, 3, 2)
    assert stats.skips == [("not_opted_in", 2)]


def test_someone_who_opts_out_after_the_audience_is_read_is_still_skipped(ws, template, fake):
    from sauti.reminders.dispatch import dispatch_run, resolve

    people(ws, 3)
    reminder = remind(ws, template=template, params={"body": ["@contact.name", "Friday"]})
    run = reminder.runs.get()
    resolve(run)
    Run.objects.filter(id=run.id).update(lease_until=None)  # as if that worker had stopped here
    Contact.objects.filter(wa_id="27820000001").update(opted_in=False)
    dispatch_run(run.id)
    run_all()
    assert sorted(m["to"] for m in sent_to_fake(fake)) == ["27820000000", "27820000002"]
    assert Recipient.objects.get(contact__wa_id="27820000001").state == Recipient.State.SKIPPED


def test_a_person_whose_value_is_empty_fails_with_the_reason_and_the_others_go(ws, template, fake):
    people(ws, 2)
    Contact.objects.create(workspace=ws, wa_id="27829999999", name="", opted_in=True)
    reminder = remind(ws, template=template, params={"body": ["@contact.name", "Friday"]})
    run_all()
    assert len(sent_to_fake(fake)) == 2
    stats = reminder_stats(reminder)
    assert stats.failed == 1
    assert stats.failures == [("body.1: the value is empty for this person", 1)]


def test_statistics_follow_the_status_webhooks_and_match_direct_counts(ws, template, fake):
    from django.utils import timezone

    people(ws, 6)
    reminder = remind(ws, template=template, params={"body": ["@contact.name", "Friday"]})
    run_all()
    messages = list(Message.objects.filter(direction="outbound").order_by("id"))
    now = timezone.now()
    updates = [StatusUpdate(phone_number_id="", waba_id="", id=m.provider_id, status=s, timestamp=now,
                            recipient_id=m.contact.wa_id,
                            errors=[{"code": 131026, "title": "Message undeliverable"}] if s == "failed" else [])
               for m, s in zip(messages, ["delivered", "delivered", "read", "read", "failed"], strict=False)]
    apply_statuses(ws.id, updates)
    # Two people answer: one within 24 hours of the send, and that is what counts.
    Message.objects.create(workspace=ws, chat=messages[0].chat, contact=messages[0].contact, direction="inbound",
                           type="text", status="received", sent_at=now)
    stats = reminder_stats(reminder)
    direct = {s: Message.objects.filter(direction="outbound", status=s).count() for s in ("sent", "delivered", "read",
                                                                                          "failed")}
    assert stats.read == direct["read"] == 2
    assert stats.delivered == direct["delivered"] + direct["read"] == 4
    assert stats.sent == direct["sent"] + direct["delivered"] + direct["read"] == 5
    assert stats.failed == direct["failed"] == 1
    assert stats.replied == 1
    assert stats.percent == 100
