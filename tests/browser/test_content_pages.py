"""Templates in a real browser against the fake Cloud API: write a template with mistakes, fix them
with the live preview, submit it and watch WhatsApp approve it (its status webhook comes back to
Sauti); copy it and see a rejection with its reason; the media library and canned replies."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from sauti.accounts.models import Role
from sauti.accounts.services import create_workspace
from sauti.content.models import Media, MessageTemplate
from sauti.messaging import ingest
from sauti.messaging.channels.fake_cloud_api.server import FakeCloudAPIConfig, start_in_thread
from sauti.messaging.models import Message
from tests.browser.test_editor_pages import sign_in
from tests.browser.test_first_minute import expect
from tests.messaging.test_sender import rounds
from tests.support import drain_tasks
from tests.web.members import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
APP_SECRET = "browser-app-secret"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x02\x08\x02\x00\x00\x00\xfd\xd4\x9as"
       b"\x00\x00\x00\x16IDATx\x9cc\xf8\xcf\xc0\xf0\x9f\x81\x81\xe1?\x03\x03\x03\x00\x1d\xf6\x03\xfd\xa6\xdb\xa1"
       b"\xe8\x00\x00\x00\x00IEND\xaeB`\x82")


def working(until: Callable[[], bool], timeout: float = 15.0) -> None:
    """Be the worker (run queued tasks) until `until()` holds."""
    deadline = time.monotonic() + timeout
    while not until():
        assert time.monotonic() < deadline, "the background work did not finish in time"
        drain_tasks()
        time.sleep(0.2)


def status_of(name: str) -> str:
    template = MessageTemplate.objects.filter(name=name).first()
    return template.status if template else ""


def test_write_submit_and_see_a_template_approved(live_server: Any, page: Any, shot: Any, tmp_path: Any) -> None:
    config = FakeCloudAPIConfig(port=0, webhook_url=live_server.url + "/webhooks/whatsapp", app_secret=APP_SECRET,
                                template_approval_delay_s=1.0)
    with start_in_thread(config) as fake:
        ingest.forget_cached_workspaces()
        clinic = create_workspace(name="Clinic line", phone_number_id=config.phone_number_id,
                                  waba_id=config.waba_id, access_token="token", app_secret=APP_SECRET,
                                  graph_url=f"{fake.url}/v23.0")
        make_member(clinic, Role.EDITOR, email="editor@example.org")
        sign_in(page, live_server, "editor@example.org")
        page.get_by_role("link", name="Templates").first.click()
        expect(page.get_by_role("heading", name="No templates yet")).to_be_visible()
        shot("40-templates-empty")

        # A first attempt with Meta's usual mistakes: each is explained at its field.
        page.get_by_test_id("new-template").click()
        page.get_by_label("Name", exact=True).fill("Clinic Visit")
        page.get_by_label("Message").fill("Hello {{1}}, your visit at {{2}} is confirmed.")
        page.get_by_role("button", name="+ Website").click()
        page.locator('[data-button-row] input[name="button_text"]').last.fill("Directions")
        page.locator('[data-button-row] input[name="button_url"]').last.fill("maps.example.org/clinic")
        page.get_by_test_id("submit-template").click()
        expect(page.get_by_text("Use only lower-case letters")).to_be_visible()
        expect(page.get_by_text("Give an example for {{1}}")).to_be_visible()
        expect(page.get_by_text("A web address starting with https://")).to_be_visible()
        shot("41-template-editor-errors")

        # Fixed, with a header variable, buttons and the preview following along.
        page.get_by_label("Name", exact=True).fill("clinic_visit_reminder")
        page.get_by_role("button", name="Remove this button").click()  # the website button, redone below
        page.get_by_label("Header type").select_option("TEXT")
        page.get_by_label("Header text").fill("Visit on {{1}}")
        page.locator("#id_header_example").fill("Monday 3 March")
        page.locator("#id_body_example_1").fill("Thandi")
        page.locator("#id_body_example_2").fill("Khayelitsha clinic")
        page.get_by_label("Footer text").fill("Reply STOP to stop these messages")
        page.get_by_role("button", name="+ Quick reply").click()
        page.locator('[data-button-row] input[name="button_text"]').last.fill("Confirm")
        page.get_by_role("button", name="+ Quick reply").click()
        page.locator('[data-button-row] input[name="button_text"]').last.fill("Change the day")
        page.get_by_role("button", name="+ Website").click()
        page.locator('[data-button-row] input[name="button_text"]').last.fill("Directions")
        page.locator('[data-button-row] input[name="button_url"]').last.fill("https://maps.example.org/{{1}}")
        page.locator('[data-button-row] input[name="button_example"]').last.fill("khayelitsha")
        preview = page.get_by_test_id("preview")
        expect(preview).to_contain_text("Hello Thandi, your visit at Khayelitsha clinic is confirmed.")
        expect(preview).to_contain_text("Visit on Monday 3 March")
        expect(preview.locator(".tpl-button")).to_have_text(["Confirm", "Change the day", "Directions"])
        shot("42-template-editor-preview")

        page.get_by_test_id("submit-template").click()
        expect(page.locator(".alert-success")).to_contain_text("Submitted to WhatsApp for review")
        working(lambda: status_of("clinic_visit_reminder") == "APPROVED")  # submission, review, webhook
        expect(page.get_by_test_id("template-status")).to_have_text("Approved", timeout=10_000)
        expect(page.locator("#template-status-card")).to_contain_text("Ready to send")
        shot("43-template-approved")

        # Try it on a phone: the values start as the examples; the fake Cloud API accepts the send.
        page.get_by_label("WhatsApp number").fill("+27 82 555 0199")
        page.get_by_label("Body {{1}}").fill("Ana")
        page.get_by_test_id("send-test").click()
        expect(page.locator(".alert-success")).to_contain_text("Sent to +27825550199")
        with ThreadPoolExecutor(1) as pool:  # the sender's own event loop, beside Playwright's
            assert pool.submit(rounds).result() == 1
        sent = httpx.get(f"{fake.url}/_fake/sent", params={"to": "27825550199"}).json()["messages"]
        assert sent[0]["body"]["template"]["name"] == "clinic_visit_reminder"
        assert Message.objects.get(contact__wa_id="27825550199").status == "sent"

        # Copy it under a name the fake's reviewer rejects: the reason is shown with the editor.
        page.get_by_text("Copy…").click()
        page.get_by_test_id("copy-form").get_by_label("Name").fill("clinic_visit_reject_test")
        page.get_by_role("button", name="Copy as a draft").click()
        expect(page.locator(".alert-success")).to_contain_text("Copied as a new draft")
        page.get_by_test_id("submit-template").click()
        working(lambda: status_of("clinic_visit_reject_test") == "REJECTED")
        page.reload()
        expect(page.get_by_test_id("rejected")).to_contain_text("INVALID_FORMAT")
        shot("44-template-rejected")

        page.get_by_role("link", name="Templates", exact=True).last.click()
        expect(page.locator("#template-rows tbody tr")).to_have_count(2)
        shot("45-templates-list")
        page.get_by_placeholder("Search by name or text").fill("reject")
        expect(page.locator("#template-rows tbody tr")).to_have_count(1)

        # The media library: upload once, see the thumbnail, copy the id.
        page.get_by_role("link", name="Media", exact=True).click()
        poster = tmp_path / "clinic-poster.png"
        poster.write_bytes(PNG)
        page.get_by_label("File", exact=True).set_input_files(str(poster))
        page.get_by_test_id("upload-media").click()
        expect(page.locator(".alert-success")).to_contain_text("clinic-poster.png is in the library")
        working(lambda: Media.objects.exclude(meta_id="").exists())
        page.reload()
        expect(page.get_by_text("On WhatsApp")).to_be_visible()
        expect(page.get_by_test_id("media-card")).to_have_count(1)
        shot("46-media-library")

        # Canned replies, with a shortcut.
        page.get_by_role("link", name="Canned replies").click()
        page.get_by_test_id("new-canned").click()
        page.get_by_label("Title").fill("Opening hours")
        page.get_by_label("Shortcut").fill("/hours")
        page.get_by_label("Text").fill("We are open *Monday to Friday, 8:00–17:00*. Bring your clinic card.")
        page.get_by_label("Attachment").select_option(label="clinic-poster.png (Image)")
        page.get_by_test_id("save-canned").click()
        expect(page.locator("table")).to_contain_text("/hours")
        shot("47-canned-replies")
