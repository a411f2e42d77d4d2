"""A newcomer's first minute in a real browser: first run → demo → chat through lesson 1 → break
the code, see the error at its line → fix it → publish. Screenshots of each page go to
var/screenshots/."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sauti.journeys.models import Journey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL, PASSWORD = "newcomer@example.org", "a-long-password"
BROKEN_CARD = '\n```stack\ncard Broken do\n  text("Oops"\nend\n```\n'


def expect(locator: Any):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def test_first_run_demo_simulator_error_fix_publish(live_server: Any, page: Any, shot: Any) -> None:
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/setup/$"))
    expect(page.get_by_role("heading", name="Welcome to Sauti")).to_be_visible()
    shot("01-first-run")

    page.get_by_label("Your email address").fill(EMAIL)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type it again").fill(PASSWORD)
    expect(page.locator("input[name=mode][value=demo]")).to_be_checked()
    page.get_by_test_id("setup-submit").click()

    # The editor of the demo journey, simulator open.
    expect(page.get_by_role("heading", name="Sequential lessons")).to_be_visible()
    expect(page.locator("#panel-simulator")).to_be_visible()
    expect(page.locator(".sim-hint")).to_contain_text("START")
    shot("02-demo-editor-simulator")

    page.get_by_test_id("sim-text").fill("START")
    page.get_by_test_id("sim-send").click()
    expect(page.locator("#sim .bubble").last).to_contain_text("Lesson 1: Washing hands")
    page.locator("#sim .reply-btn:not([disabled])", has_text="Next").click()
    expect(page.locator("#sim .bubble").last).to_contain_text("scrub for 20 seconds")
    shot("03-simulator-lesson-1")
    page.locator("#sim .reply-btn:not([disabled])", has_text="Next").click()
    expect(page.locator("#sim .bubble").last).to_contain_text("You've completed lesson 1")
    expect(page.locator("#sim .note.contact")).to_contain_text("lesson_1_complete = Next")
    expect(page.locator("#sim .note.end")).to_be_visible()
    shot("04-simulator-lesson-1-done")

    # START again: the contact remembers lesson 1, so lesson 2 begins.
    page.get_by_test_id("sim-text").fill("START")
    page.get_by_test_id("sim-send").click()
    expect(page.locator("#sim .bubble").last).to_contain_text("Lesson 2")

    page.get_by_role("tab", name="Graph").click()
    expect(page.locator(".graph-svg .node.start")).to_contain_text("Start")
    expect(page.locator(".graph-svg .node")).to_have_count(10)
    shot("05-editor-graph")

    # Break the code: the error shows at its line, publishing is blocked with the reason.
    source = page.locator("#source")
    original = source.input_value()
    source.fill(original + BROKEN_CARD)
    expect(page.locator("#save-status")).to_contain_text("Unsaved")
    source.press("Control+s")
    expect(page.locator("#save-status")).to_contain_text("with errors")
    lines = (original + BROKEN_CARD).split("\n")
    error_line = len(lines) - 2  # the broken card's `end`, where the missing ")" is noticed
    expect(page.locator("#gutter .err")).to_have_text(str(error_line))
    expect(page.locator("#code-marks .err")).to_have_count(1)
    expect(page.get_by_test_id("publish")).to_be_disabled()
    expect(page.locator("#publish-reason")).to_contain_text(f"line {error_line}")
    expect(page.locator("#problem-count")).to_have_text("1")
    page.get_by_role("tab", name="Problems").click()
    problem = page.locator(".problem.error")
    expect(problem).to_contain_text(f"line {error_line}:")
    shot("06-editor-error")
    problem.click()
    caret_line = page.evaluate("() => { const t = document.getElementById('source');"
                               " return t.value.slice(0, t.selectionStart).split('\\n').length; }")
    assert caret_line == error_line

    # Fix it, save, publish.
    source.fill(original.replace("Reply START tomorrow for lesson 2.", "Send START tomorrow for lesson 2."))
    source.press("Control+s")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    expect(page.locator("#problem-count")).to_have_text("0")
    expect(page.locator("#gutter .err")).to_have_count(0)
    expect(page.get_by_test_id("publish")).to_be_enabled()
    page.get_by_test_id("publish").click()
    expect(page.locator(".alert-success")).to_contain_text("Published version 2")
    expect(page.locator("#status-chip")).to_contain_text("Published · v2")
    shot("07-published")
    journey = Journey.objects.get(name="Sequential lessons")
    assert "Send START tomorrow" in journey.published_version.source

    # The other pages a newcomer meets next.
    page.get_by_role("link", name="Versions").click()
    expect(page.get_by_role("heading", name="Versions")).to_be_visible()
    shot("08-versions")
    page.locator(".sidebar .nav").get_by_role("link", name="Journeys").click()
    expect(page.locator("table.table")).to_contain_text("Sequential lessons")
    expect(page.locator("table.table")).to_contain_text("Message is START")
    shot("09-journeys-list")
    page.get_by_test_id("new-journey").click()
    shot("10-new-journey")
    page.get_by_label("Name").fill("Welcome")
    page.get_by_role("button", name="Create and open the editor").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    shot("11-new-journey-editor")

    page.locator(".sidebar-foot summary").click()
    shot("12-user-menu", page.locator(".sidebar"))
    page.get_by_test_id("sign-out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    shot("13-sign-in")
    page.get_by_role("link", name="Forgot your password?").click()
    shot("14-password-reset")
    page.goto(live_server.url + "/login/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("table.table")).to_contain_text("Sequential lessons")
