"""The inbox in a real browser against a whole running Sauti (`sauti serve`: web, worker, sender,
live updates) and the fake Cloud API: a message arrives live, an operator assigns it, replies,
labels, notes with a mention (the admin's browser hears it), closes it; then a free-form reply
after the window closed turns into the template picker. Screenshots go to var/screenshots/."""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sauti.devstack import WABA_ID, Stack, fresh_database

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a-long-password-1"
OLGA, BEN = "olga@example.org", "ben@example.org"


def expect(locator: Any):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def _port(start: int) -> int:
    """A free port in this project's range for hand-run servers (8100-8199)."""
    for port in range(start, 8200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8100-8199")


@pytest.fixture(scope="module")
def stack(browser: Any) -> Iterator[Stack]:
    base = os.environ.get("DATABASE_URL") if os.environ.get("SAUTI_TEST_DB") == "postgres" else None
    url, drop = fresh_database(base)
    web = _port(8150)
    stack = Stack(database_url=url, web_port=web, fake_port=_port(web + 1),
                  fake_args=["--status-delay-ms", "20"])
    try:
        stack.setup()
        for email, role, name in ((OLGA, "operator", "Olga"), (BEN, "admin", "Ben")):
            stack.sauti("member", "add", "--workspace", stack.workspace_id, "--email", email, "--role", role,
                        "--password", PASSWORD, "--name", name)
        stack.start("fake", "serve")
        yield stack
    finally:
        stack.stop()
        drop()


def sign_in(page: Any, stack: Stack, email: str) -> None:
    page.goto(stack.web_url + "/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def write_in(stack: Stack, wa_id: str, text: str, name: str) -> None:
    response = httpx.post(f"{stack.fake_url}/_fake/inbound", json={"from": wa_id, "text": text, "name": name},
                          timeout=10)
    assert response.json()["webhook_status"] == 200, response.text


def test_operator_takes_a_live_chat_replies_labels_notes_closes_and_meets_the_window(
        stack: Stack, browser: Any, page: Any, shot: Any) -> None:
    sign_in(page, stack, OLGA)
    expect(page).to_have_url(re.compile(r"/inbox/"))  # operators land in the inbox
    page.get_by_role("link", name="Unassigned").click()
    expect(page.locator(".ib-none")).to_be_visible()
    expect(page.locator("#inbox")).to_have_attribute("data-live", "on")
    shot("inbox-01-empty")

    # The admin watches All open in a second browser.
    admin = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB").new_page()
    admin.set_default_timeout(10_000)
    sign_in(admin, stack, BEN)
    admin.goto(page.url.split("/inbox/")[0] + "/inbox/?c=open")
    expect(admin.locator("#inbox")).to_have_attribute("data-live", "on")

    # A person writes on WhatsApp: the chat appears in both browsers without a reload.
    started = time.monotonic()
    write_in(stack, "27820001111", "Hello, my baby has a fever since yesterday", "Thandi")
    row = page.locator(".ib-row", has_text="Thandi")
    expect(row).to_contain_text("fever", timeout=5_000)
    arrived = time.monotonic() - started
    expect(admin.locator(".ib-row", has_text="Thandi")).to_be_visible()
    expect(row).to_contain_text("Waiting")
    shot("inbox-02-message-arrived")
    assert arrived < 5, arrived

    page.wait_for_load_state("networkidle")
    row.locator("a").click()
    expect(page.get_by_test_id("chat-name")).to_have_text("Thandi")
    expect(page.locator("[data-testid=message]").first).to_contain_text("fever")
    page.get_by_test_id("take").click()
    expect(page.get_by_test_id("chat-state")).to_contain_text("Assigned to Olga")
    expect(admin.locator(".ib-row", has_text="Thandi")).to_contain_text("Olga")  # live in the other browser

    # Reply; the fake Cloud API accepts it and its statuses come back.
    page.get_by_test_id("reply-text").fill("Hi Thandi, I'm Olga, a nurse. How high is the fever?")
    page.get_by_test_id("send").click()
    outbound = page.locator(".ib-msg.outbound", has_text="How high is the fever")
    expect(outbound).to_be_visible()
    expect(outbound.locator(".ib-status")).to_have_text(re.compile("Delivered|Read"), timeout=10_000)

    # The contact answers: it appears in the open conversation live.
    write_in(stack, "27820001111", "39.5 degrees", "Thandi")
    expect(page.locator(".ib-msg.inbound", has_text="39.5 degrees")).to_be_visible(timeout=5_000)

    # Label the chat; add a note mentioning the admin, who is told in their browser.
    page.get_by_test_id("label-input").fill("Urgent")
    page.get_by_test_id("add-label").click()
    expect(page.get_by_test_id("chat-labels")).to_contain_text("Urgent")
    page.get_by_role("tab", name="Internal note").click()
    page.get_by_test_id("note-text").fill("@ben please call her back today")
    page.get_by_test_id("add-note").click()
    expect(page.get_by_test_id("note")).to_contain_text("please call her back today")
    expect(admin.locator(".ib-toast")).to_contain_text("mentioned you", timeout=5_000)
    shot("inbox-03-conversation")
    shot("inbox-03b-admin-told-of-the-mention", admin)

    # Close with a reason.
    page.get_by_test_id("close-menu").click()
    page.get_by_label("Resolved").check()
    page.get_by_test_id("close").click()
    expect(page.get_by_test_id("chat-state")).to_have_text("Closed")
    expect(page.get_by_test_id("reopen")).to_be_visible()
    shot("inbox-04-closed")

    # Another person; while Olga types, their 24-hour window runs out. The reply is refused and
    # the reply box offers approved templates instead, one of which she sends.
    template = httpx.post(f"{stack.web_url}/graph/v23.0/{WABA_ID}/message_templates",
                          headers={"Authorization": f"Bearer {stack.token}"}, timeout=30,
                          json={"name": "clinic_hours", "category": "UTILITY", "language": "en", "components": [
                              {"type": "BODY", "text": "Hello {{1}}, the clinic is open on Saturday from 8 to 12.",
                               "example": {"body_text": [["Sipho"]]}}]})
    assert template.status_code == 201, template.text
    deadline = time.monotonic() + 30
    while stack.query("SELECT status FROM content_messagetemplate WHERE name = 'clinic_hours'") != [("APPROVED",)]:
        assert time.monotonic() < deadline, "the fake Cloud API never approved the template"
        time.sleep(0.3)
    write_in(stack, "27820002222", "Is the clinic open on Saturday?", "Sipho")
    page.get_by_role("link", name="Unassigned").click()
    expect(page.locator(".ib-row", has_text="Sipho")).to_be_visible()
    page.wait_for_load_state("networkidle")  # the list's refresh after the socket opens is done
    page.locator(".ib-row", has_text="Sipho").locator("a").click()
    expect(page.get_by_test_id("chat-name")).to_have_text("Sipho")
    page.get_by_test_id("reply-text").fill("Yes, from 8 to 12.")
    expired = stack.execute("UPDATE messaging_chat SET window_expires_at = %s WHERE contact_id IN "
                            "(SELECT id FROM contacts_contact WHERE wa_id = %s)",
                            (dt.datetime(2000, 1, 1), "27820002222"))
    assert expired == 1
    page.get_by_test_id("send").click()
    picker = page.get_by_test_id("template-picker")
    expect(picker).to_be_visible()
    expect(picker).to_contain_text("24-hour window is closed")
    expect(page.locator(".ib-msg.outbound")).to_have_count(0)
    picker.get_by_text("clinic_hours").click()
    picker.locator("input[name=body_1]").fill("Sipho")
    shot("inbox-05-window-closed-template-picker")
    picker.get_by_role("button", name="Send template").click()
    expect(page.locator(".ib-msg.outbound")).to_contain_text("Hello Sipho, the clinic is open on Saturday")
    shot("inbox-05b-template-sent")
    admin.context.close()


def test_inbox_settings_and_search_pages(stack: Stack, page: Any, shot: Any) -> None:
    sign_in(page, stack, BEN)
    base = page.url.split("/journeys/")[0]
    page.goto(base + "/inbox/settings/")
    expect(page.get_by_role("heading", name="Inbox & routing")).to_be_visible()
    page.get_by_label("Close chats inactive for (hours)").fill("48")
    page.get_by_test_id("save-inbox-settings").click()
    expect(page.locator(".alert-success")).to_contain_text("saved")
    shot("inbox-06-settings")
    page.goto(base + "/inbox/?q=label:urgent")
    expect(page.locator(".ib-row", has_text="Thandi")).to_be_visible()
    page.get_by_placeholder("Name this search").fill("Urgent cases")
    page.get_by_test_id("save-collection").click()
    expect(page.locator(".ib-coll a[aria-current=true]")).to_contain_text("Urgent cases")
    shot("inbox-07-saved-search")


def test_team_invitation_and_audit_log_pages(stack: Stack, browser: Any, page: Any, shot: Any) -> None:
    sign_in(page, stack, BEN)
    base = page.url.split("/journeys/")[0]
    page.goto(base + "/settings/team/")
    expect(page.get_by_role("heading", name="Team", exact=True)).to_be_visible()
    expect(page.get_by_test_id("members")).to_contain_text(OLGA)
    page.get_by_label("Email address").fill("nomsa@example.org")
    page.get_by_label("Role", exact=True).select_option("operator")
    page.get_by_test_id("invite").click()
    notice = page.locator(".alert-success")
    expect(notice).to_contain_text("Invitation sent to nomsa@example.org")
    link = re.search(r"(http\S+/invitations/\S+/)", notice.inner_text()).group(1)
    shot("team-01-members-and-invitation")

    newcomer = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB").new_page()
    newcomer.goto(link)
    expect(newcomer.get_by_role("heading", name="Join Stack")).to_be_visible()
    newcomer.get_by_label("Your name").fill("Nomsa")
    newcomer.get_by_label("Choose a password").fill(PASSWORD)
    newcomer.get_by_label("Type it again").fill(PASSWORD)
    shot("team-02-invitation", newcomer)
    newcomer.get_by_test_id("accept").click()
    expect(newcomer).to_have_url(re.compile(r"/inbox/"))  # an operator, straight to the inbox
    newcomer.context.close()

    page.goto(base + "/settings/audit/")
    expect(page.get_by_test_id("audit")).to_contain_text("invitation_accepted")
    expect(page.get_by_test_id("audit")).to_contain_text("member_invited")
    shot("team-03-audit-log")
