"""Reminders in a real browser, as an editor meets them: choose a template and fill its variables
with people's fields, pick a segment and see who it finds, schedule it for later; when its time
comes, watch the progress bar and the statistics fill in as the sender works and WhatsApp's
statuses come back; then a person answers."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from django.utils import timezone

from sauti.accounts.models import Role, Workspace
from sauti.accounts.services import create_workspace
from sauti.contacts.models import Contact
from sauti.contacts.services import create_field, save_segment
from sauti.content.models import MessageTemplate
from sauti.messaging import ingest
from sauti.messaging.channels.fake_cloud_api.server import FakeCloudAPIConfig, start_in_thread
from sauti.reminders.models import Reminder, Run
from sauti.timers.models import Timer
from sauti.timers.services import fire_due
from tests.browser.test_editor_pages import sign_in
from tests.browser.test_first_minute import expect
from tests.support import drain_tasks
from tests.web.members import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
APP_SECRET = "browser-secret"
BODY = "Hello {{1}}, your clinic visit is on {{2}}. Reply if you need to change it."


def send_rounds(n: int) -> int:
    """Sender rounds in a thread of their own (Playwright keeps this thread's event loop)."""
    from sauti.messaging.ratelimit import TokenBucket
    from sauti.messaging.sender import Sender

    def go() -> int:
        sender = Sender(limiter=TokenBucket())

        async def rounds() -> int:
            from asgiref.sync import sync_to_async

            from sauti.messaging.models import Outbox

            total = 0
            for _ in range(n):
                total += await sender.run_once()
                if not await sync_to_async(Outbox.objects.filter(state="queued").exists)():
                    break
                await asyncio.sleep(0.4)
            await sender.close()
            return total

        return asyncio.run(rounds())

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(go).result()


def settle(until: Any, timeout: float = 15.0) -> None:
    """Process what the fake Cloud API's webhooks brought, until `until()` holds."""
    deadline = time.monotonic() + timeout
    while True:
        drain_tasks()
        if until():
            return
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_schedule_a_reminder_and_watch_its_progress_and_statistics(live_server: Any, page: Any, shot: Any) -> None:
    config = FakeCloudAPIConfig(port=0, webhook_url=live_server.url + "/webhooks/whatsapp", app_secret=APP_SECRET,
                                status_delay_ms=300)
    with start_in_thread(config) as fake:
        ingest.forget_cached_workspaces()
        clinic = create_workspace(name="Clinic line", phone_number_id=config.phone_number_id, waba_id=config.waba_id,
                                  access_token="token", app_secret=APP_SECRET, graph_url=f"{fake.url}/v23.0")
        Workspace.objects.filter(id=clinic.id).update(timezone="Africa/Johannesburg", send_rate=3)
        make_member(clinic, Role.EDITOR, email="editor@example.org")
        components = [{"type": "BODY", "text": BODY, "example": {"body_text": [["Thandi", "Monday"]]}}]
        httpx.post(f"{fake.url}/_fake/templates", json={"name": "clinic_visit", "language": "en",
                                                        "category": "UTILITY", "components": components})
        MessageTemplate.objects.create(workspace=clinic, name="clinic_visit", language="en", category="UTILITY",
                                       components=components, status="APPROVED", meta_id="1")
        create_field(clinic, key="district", display_name="District")
        names = ["Thandi", "Lerato", "Sipho", "Naledi", "Ayanda", "Zanele", "Bongani", "Amahle"]
        for i, name in enumerate(names):
            Contact.objects.create(workspace=clinic, wa_id=f"278255501{i:02d}", name=name, opted_in=i != 5,
                                   fields={"district": "North" if i < 7 else "South"})
        save_segment(clinic, name="North district", query='district = "North"')

        sign_in(page, live_server, "editor@example.org")
        page.get_by_role("link", name="Reminders").first.click()
        expect(page.get_by_role("heading", name="No reminders yet")).to_be_visible()
        shot("60-reminders-empty")

        page.get_by_test_id("new-reminder").click()
        page.get_by_label("Name").fill("Clinic visit reminder")
        page.get_by_label("Template", exact=True).select_option(label="clinic_visit (en)")
        expect(page.get_by_test_id("template-preview")).to_contain_text("your clinic visit is on")
        page.get_by_label("Body {{1}}").fill("@contact.name")
        page.get_by_label("Body {{2}}").fill("Monday 10:00")
        page.locator("#id_segment").select_option(label="North district")
        expect(page.get_by_test_id("audience-count")).to_have_text("7 people")
        expect(page.locator("#audience-count")).to_contain_text("6 opted in")
        page.get_by_text("At a date and time").click()
        expect(page.locator("#id_local_at")).to_be_visible()
        later = (timezone.now().astimezone(dt.timezone(dt.timedelta(hours=2))) + dt.timedelta(hours=1))
        page.locator("#id_local_at").fill(later.strftime("%Y-%m-%dT%H:%M"))
        shot("61-reminder-form")
        page.get_by_test_id("save-reminder").click()
        expect(page.locator(".alert-success")).to_contain_text("is scheduled")
        expect(page.get_by_test_id("reminder-status").first).to_have_text("Scheduled")
        shot("62-reminder-scheduled")

        # An hour later (the test moves the clock of the run instead of waiting).
        reminder = Reminder.objects.get()
        now = timezone.now()
        Run.objects.filter(reminder=reminder).update(due_at=now)
        Timer.objects.filter(kind="reminder_run").update(due_at=now)
        fire_due()
        drain_tasks()
        page.reload()
        expect(page.get_by_test_id("stat-total")).to_have_text("7")
        expect(page.get_by_test_id("stat-skipped")).to_have_text("1")
        expect(page.get_by_test_id("stat-waiting")).to_have_text("6")
        assert send_rounds(1) == 2  # the number's tier is 3 a second; bulk leaves a share to replies
        expect(page.get_by_test_id("stat-sent")).to_have_text("2", timeout=10_000)
        expect(page.get_by_test_id("progress")).to_have_attribute("aria-valuenow", "43")
        expect(page.get_by_test_id("reminder-status").first).to_have_text("Sending")
        shot("63-reminder-sending")

        send_rounds(20)
        settle(lambda: Contact.objects.filter(messages__status="read").count() == 6)
        httpx.post(f"{fake.url}/_fake/inbound", json={"from": "27825550101", "text": "Can I come on Tuesday?"})
        settle(lambda: Contact.objects.filter(messages__direction="inbound").exists())
        expect(page.get_by_test_id("stat-read")).to_have_text("6", timeout=10_000)
        expect(page.get_by_test_id("stat-replied")).to_have_text("1", timeout=10_000)
        expect(page.get_by_test_id("reminder-status").first).to_have_text("Sent")
        expect(page.get_by_test_id("progress")).to_have_attribute("aria-valuenow", "100")
        expect(page.locator(".reasons")).to_contain_text("Not opted in")
        shot("64-reminder-done")
        sent = httpx.get(f"{fake.url}/_fake/sent").json()["messages"]
        assert sorted(m["body"]["template"]["components"][0]["parameters"][0]["text"] for m in sent) == sorted(
            n for i, n in enumerate(names[:7]) if i != 5)

        page.get_by_role("link", name="Reminders").first.click()
        expect(page.locator(".reminders-table")).to_contain_text("Clinic visit reminder")
        shot("65-reminders-list")
