"""The editor for other people and other messages: a viewer's read-only editor, and the simulator
drawing lists, documents, templates and the notes about effects it does not carry out."""

from __future__ import annotations

from typing import Any

import pytest

from sauti.accounts.models import Role
from sauti.journeys.services import create_journey
from sauti.web.demo import sample_source
from tests.browser.test_first_minute import expect
from tests.web.members import PASSWORD, make_member, make_workspace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RICH = '''# Antenatal check-in

```stack
card Start do
  document("https://example.org/antenatal-guide.pdf", filename: "Antenatal guide.pdf")
  month = list("Choose a month", Jan: "January", Feb: "February", Mar: "March") do
    text("Hello @contact.name! When is your baby due?")
  end
end

card Jan do
  r = get("https://api.example.org/clinics?month=1")
  text("Thanks! The clinic service answered with status @r.status.")
  send_message_template("visit_reminder", "en", ["@contact.name"], buttons: [Yes, No])
end

card Yes do
  update_contact(reminders: "yes")
  text("Great, we will remind you a day before each visit.")
end

card No do
  text("No problem.")
end

card Feb do
  text("February")
end

card Mar do
  text("March")
end

card Unused do
  text("Nothing leads here")
end
```
'''


def sign_in(page: Any, live_server: Any, email: str) -> None:
    page.goto(live_server.url + "/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_simulator_draws_lists_documents_templates_and_notes(live_server: Any, page: Any, shot: Any) -> None:
    clinic = make_workspace("Clinic line")
    make_member(clinic, Role.EDITOR, email="editor@example.org")
    journey = create_journey(clinic, name="Antenatal check-in", source=RICH, publish=False)
    sign_in(page, live_server, "editor@example.org")
    page.goto(f"{live_server.url}/w/{clinic.uuid}/journeys/{journey.uuid}/?tab=graph")
    expect(page.locator(".graph-svg .node.unreachable")).to_contain_text("Unused")
    shot("15-graph-unreachable")

    page.get_by_role("tab", name="Simulator").click()
    page.get_by_test_id("sim-text").fill("hi")
    page.get_by_test_id("sim-send").click()
    expect(page.locator("#sim .media-file")).to_contain_text("Antenatal guide.pdf")
    expect(page.locator("#sim .list-rows summary")).to_contain_text("Choose a month")
    page.locator("#sim .row-btn", has_text="January").click()
    expect(page.locator("#sim .note.http")).to_contain_text("was not called")
    expect(page.locator("#sim .bubble", has_text="status 599")).to_be_visible()
    expect(page.locator("#sim .bubble .tag")).to_contain_text("Template visit_reminder")
    shot("16-simulator-list-http-template")
    page.locator("#sim .reply-btn:not([disabled])", has_text="yes").click()
    expect(page.locator("#sim .note.contact")).to_contain_text("reminders = yes")
    page.locator("#sim summary", has_text="Contact fields").click()
    expect(page.locator("#sim textarea[name=fields_text]")).to_have_value("name: Ana\nwhatsapp_id: 27820001234\n"
                                                                          "reminders: yes")
    shot("17-simulator-contact-fields")


def test_a_viewer_reads_the_editor_but_cannot_change_it(live_server: Any, page: Any, shot: Any) -> None:
    clinic = make_workspace("Clinic line")
    make_member(clinic, Role.VIEWER, email="viewer@example.org")
    journey = create_journey(clinic, name="Sequential lessons", source=sample_source(), publish=True)
    sign_in(page, live_server, "viewer@example.org")
    expect(page.locator("table.table")).to_contain_text("Sequential lessons")
    expect(page.get_by_test_id("new-journey")).to_have_count(0)
    shot("18-list-as-viewer")
    page.get_by_role("link", name="Sequential lessons").click()
    expect(page.locator("#source")).to_have_attribute("readonly", "")
    expect(page.get_by_test_id("publish")).to_have_count(0)
    expect(page.get_by_text("Read only (Viewer)")).to_be_visible()
    assert page.locator("#source").input_value() == journey.draft_source
    shot("19-editor-as-viewer")
