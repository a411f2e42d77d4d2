"""Broadcasts beyond WhatsApp: SMS through Twilio's API (the fake provider over real HTTP, with
signed delivery reports) and email through Django's mail framework, with the same audience,
personalisation and statistics."""

from __future__ import annotations

import time

import httpx
import pytest
from django.core import mail

from sauti.reminders.channels.fake_sms import FakeSms, sign, start_in_thread
from sauti.reminders.models import ChannelSettings, Recipient
from sauti.reminders.stats import reminder_stats
from tests.reminders.conftest import people, remind, run_all

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sms(ws, live_server, settings):
    settings.SAUTI_PUBLIC_URL = live_server.url
    fake = FakeSms(refuse={"+27820000003"}, undeliverable={"+27820000002"})
    with start_in_thread(fake) as running:
        ChannelSettings.objects.create(workspace=ws, sms_provider="twilio", sms_account=fake.account_sid,
                                       sms_secret=fake.auth_token, sms_sender="+15550001111",
                                       sms_base_url=running.url)
        yield running


def wait_for(check, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_an_sms_broadcast_is_personalised_and_its_delivery_reports_count(ws, sms):
    people(ws, 5)
    people(ws, 1, start=50, opted_in=False)
    reminder = remind(ws, channel="sms", action="text", text="Hi @contact.name, clinic day is Monday.")
    run_all()
    sent = httpx.get(f"{sms.url}/_fake/sent").json()["messages"]
    assert sorted(m["To"] for m in sent) == ["+27820000000", "+27820000001", "+27820000002", "+27820000004"]
    assert {m["Body"] for m in sent if m["To"] == "+27820000001"} == {"Hi Person 1, clinic day is Monday."}
    assert all(m["From"] == "+15550001111" for m in sent)
    wait_for(lambda: len(httpx.get(f"{sms.url}/_fake/sent").json()["callbacks"]) == 8)
    assert {c["answer"] for c in httpx.get(f"{sms.url}/_fake/sent").json()["callbacks"]} == {"200"}
    stats = reminder_stats(reminder)
    assert (stats.total, stats.sent, stats.delivered, stats.failed, stats.skipped) == (6, 3, 3, 2, 1)
    assert dict(stats.failures) == {"The 'To' number +27820000003 is not a valid phone number. (21211)": 1,
                                    "undelivered (30003)": 1}


def test_a_delivery_report_with_a_wrong_signature_changes_nothing(ws, sms, live_server):
    people(ws, 1)
    remind(ws, channel="sms", action="text", text="Hello")
    run_all()
    recipient = Recipient.objects.get()
    url = f"{live_server.url}/reminders/sms/{ws.uuid}/status"
    params = {"MessageSid": recipient.provider_id, "MessageStatus": "failed"}
    forged = httpx.post(url, data=params, headers={"X-Twilio-Signature": sign("not-the-token", url, params)})
    assert forged.status_code == 403
    wait_for(lambda: Recipient.objects.get().state == Recipient.State.DELIVERED)


def test_sms_without_a_provider_fails_with_a_reason_to_act_on(ws):
    people(ws, 2)
    reminder = remind(ws, channel="sms", action="text", text="Hello")
    run_all()
    assert reminder_stats(reminder).failures == [("no SMS provider is set up (Settings → SMS & email)", 2)]


def test_an_email_broadcast_goes_to_each_persons_email_field(ws, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    people(ws, 2, email="x")  # not an address: failed, counted
    for i, contact in enumerate(people(ws, 3, start=10)):
        contact.fields = {"email": f"person{i}@example.org"}
        contact.save()
    ChannelSettings.objects.create(workspace=ws, email_from="Clinic <clinic@example.org>")
    reminder = remind(ws, channel="email", action="text", subject="For @contact.name",
                      text="Dear @contact.name,\nyour visit is on Monday.")
    run_all()
    assert sorted(m.to[0] for m in mail.outbox) == ["person0@example.org", "person1@example.org",
                                                    "person2@example.org"]
    first = next(m for m in mail.outbox if m.to == ["person0@example.org"])
    assert first.subject == "For Person 10"
    assert first.body == "Dear Person 10,\nyour visit is on Monday."
    assert first.from_email == "Clinic <clinic@example.org>"
    stats = reminder_stats(reminder)
    assert (stats.total, stats.sent, stats.failed) == (5, 3, 2)
    assert stats.failures == [("no_email", 2)]


def test_provider_secrets_are_stored_encrypted(ws):
    from django.db import connection

    ChannelSettings.objects.create(workspace=ws, sms_provider="twilio", sms_account="AC1", sms_secret="s3cret-token",
                                   sms_sender="+1555", email_password="smtp-pass")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sms_secret, email_password FROM reminders_channelsettings")
        raw = cursor.fetchone()
    assert "s3cret-token" not in raw[0] and "smtp-pass" not in raw[1]
    assert ChannelSettings.objects.get().sms_secret == "s3cret-token"
