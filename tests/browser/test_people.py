"""People in a real browser, as an admin meets them: import a CSV with mistakes, read the dry run,
fix the file and import it with its progress; build a segment in the segment box, from an error to
a saved segment with its live count; then a person, the fields settings and an export."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sauti.accounts.models import Role
from sauti.contacts.models import Contact, Segment
from sauti.contacts.services import create_contact, create_field
from sauti.journeys.models import Session
from sauti.journeys.services import create_journey
from sauti.messaging.models import Chat, Message
from tests.browser.test_editor_pages import sign_in
from tests.browser.test_first_minute import expect
from tests.support import drain_tasks
from tests.web.members import make_member, make_workspace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WITH_MISTAKES = """Phone,Name,Surname,District,Age,Consent
+27 82 555 0101,Thandi,Nkosi,North,29,yes
+27 82 555 0102,Lerato,Dlamini,South,thirty-one,yes
,Sipho,Mokoena,North,40,no
+27 82 555 0104,Naledi,Khumalo,East,35,maybe
+27 82 555 0105,Ayanda,Zulu,North,22,yes
"""
FIXED = """Phone,Name,Surname,District,Age,Consent
+27 82 555 0101,Thandi,Nkosi,North,29,yes
+27 82 555 0102,Lerato,Dlamini,South,31,yes
+27 82 555 0103,Sipho,Mokoena,North,40,no
+27 82 555 0104,Naledi,Khumalo,East,35,no
+27 82 555 0105,Ayanda,Zulu,North,22,yes
"""


def _clinic() -> Any:
    clinic = make_workspace("Clinic line")
    make_member(clinic, Role.ADMIN, email="admin@example.org")
    create_field(clinic, key="district", type="text", display_name="District")
    create_field(clinic, key="age", type="number", display_name="Age")
    create_field(clinic, key="hiv_status", type="enum", display_name="HIV status", is_private=True,
                 choices=[{"value": "POSITIVE", "display": "Positive"}, {"value": "NEGATIVE", "display": "Negative"},
                          {"value": "UNKNOWN", "display": "Unknown"}])
    now = timezone.now()
    for n, (name, district, age) in enumerate([("Amahle", "North", 19), ("Bongani", "South", 44),
                                               ("Zanele", "North", 33)]):
        person = create_contact(clinic, wa_id=f"2782555020{n}", values={"name": name, "district": district,
                                                                         "age": age, "opted_in": n != 1})
        Contact.objects.filter(id=person.id).update(last_seen_at=now - dt.timedelta(days=n * 20 + 1),
                                                    first_message_at=now - dt.timedelta(days=90),
                                                    whatsapp_profile_name=name)
    return clinic


def _upload(page: Any, name: str, text: str) -> None:
    page.get_by_label("CSV file").set_input_files({"name": name, "mimeType": "text/csv", "buffer": text.encode()})
    page.get_by_test_id("upload").click()


def test_import_a_csv_with_mistakes_fix_it_then_build_a_segment(live_server: Any, page: Any, shot: Any) -> None:
    clinic = _clinic()
    sign_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server.url}/w/{clinic.uuid}/people/")
    expect(page.get_by_test_id("people-count")).to_have_text("3 people")
    shot("people-01-list")

    # The import: upload a file with mistakes, see each bad row, fix the file, import it.
    page.get_by_test_id("import-people").click()
    expect(page.get_by_role("heading", name="Import people")).to_be_visible()
    shot("people-02-import")
    _upload(page, "clinic-people.csv", WITH_MISTAKES)
    expect(page.get_by_role("heading", name="Match the columns to fields")).to_be_visible()
    expect(page.get_by_label("Import Phone into")).to_have_value("whatsapp_id")
    expect(page.get_by_label("Import District into")).to_have_value("district")
    page.get_by_label("Import Consent into").select_option("opted_in")
    shot("people-03-import-columns")
    page.get_by_test_id("check-file").click()
    expect(page.get_by_role("heading", name="Checking every row…")).to_be_visible()
    drain_tasks()
    expect(page.get_by_test_id("invalid-rows")).to_have_text("3")
    expect(page.get_by_test_id("would-create")).to_have_text("2")
    problems = page.get_by_test_id("problems")
    expect(problems).to_contain_text("“thirty-one” is not a number")
    expect(problems).to_contain_text("The WhatsApp number is missing.")
    expect(problems).to_contain_text("“maybe” is not true or false")
    shot("people-04-import-dry-run-errors")
    assert Contact.objects.filter(workspace=clinic).count() == 3  # a dry run changes nobody

    page.get_by_test_id("upload-again").click()
    _upload(page, "clinic-people-fixed.csv", FIXED)
    page.get_by_label("Import Consent into").select_option("opted_in")
    page.get_by_test_id("check-file").click()
    drain_tasks()
    expect(page.get_by_test_id("invalid-rows")).to_have_text("0")
    expect(page.get_by_test_id("run-import")).to_have_text("Import 5 rows")
    page.get_by_test_id("run-import").click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    shot("people-05-import-progress")
    drain_tasks()
    expect(page.get_by_test_id("created")).to_have_text("5")
    expect(page.get_by_test_id("skipped")).to_have_text("0")
    shot("people-06-import-done")
    assert Contact.objects.get(wa_id="27825550102").fields["age"] == 31

    # The segment box: a mistake shown at its column, then a query with its live count, saved.
    page.get_by_role("link", name="See the people").click()
    expect(page.get_by_test_id("people-count")).to_have_text("8 people")
    query = page.get_by_label("Segment query")
    query.fill("opted_in and district = North and age >")
    expect(page.get_by_test_id("query-error")).to_contain_text("column 40")
    expect(page.get_by_test_id("query-error")).to_contain_text("expected a value after “>”")
    shot("people-07-segment-error")
    query.fill("opted_in and district = North and age >= 20")
    expect(page.get_by_test_id("people-count")).to_have_text("3 people match")
    expect(page.locator(".people-table")).to_contain_text("Zanele")
    expect(page.locator(".people-table")).not_to_contain_text("Amahle")  # 19
    page.locator(".save-segment summary").click()
    page.get_by_label("Segment name").fill("Consenting adults in the North")
    shot("people-08-segment-save")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("Segment “Consenting adults in the North” saved.")
    expect(page.locator(".segment-tabs [aria-current=page]")).to_have_text("Consenting adults in the North")
    expect(page.get_by_test_id("people-count")).to_have_text("3 people match")
    shot("people-09-segment-saved")
    assert Segment.objects.get().query == "opted_in and district = North and age >= 20"

    page.get_by_role("link", name="Segments", exact=True).click()
    expect(page.locator(".segments-table")).to_contain_text("3 people")
    shot("people-10-segments")

    # Search and sort.
    page.goto(f"{live_server.url}/w/{clinic.uuid}/people/")
    page.get_by_label("Search").fill("dlamini")
    expect(page.get_by_test_id("people-count")).to_have_text("1 person matches")
    page.get_by_label("Search").fill("")
    expect(page.get_by_test_id("people-count")).to_have_text("8 people")
    page.get_by_role("link", name="Name").click()
    expect(page.locator(".people-table tbody tr").first).to_contain_text("Amahle")


def test_a_person_their_profile_the_fields_and_an_export(live_server: Any, page: Any, shot: Any) -> None:
    clinic = _clinic()
    zanele = Contact.objects.get(name="Zanele")
    chat = Chat.objects.create(workspace=clinic, contact=zanele)
    now = timezone.now()
    for n, (direction, text) in enumerate([("inbound", "Hi, when is my next clinic visit?"),
                                           ("outbound", "Hello Zanele! Your next visit is on *Tuesday at 10:00*."),
                                           ("inbound", "Thank you 🙏")]):
        Message.objects.create(workspace=clinic, chat=chat, contact=zanele, direction=direction, type="text",
                               text=text, status="received" if direction == "inbound" else "read",
                               sent_at=now - dt.timedelta(minutes=30 - n), author_name="Visits journey")
    journey = create_journey(clinic, name="Visit reminders", source='card A do\n  text("hi")\nend\n', publish=True)
    Session.objects.create(workspace=clinic, journey=journey, contact=zanele, status="ended", end_reason="completed")
    sign_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server.url}/w/{clinic.uuid}/people/")
    page.get_by_role("link", name="Zanele").click()
    expect(page.get_by_role("heading", name="Zanele")).to_be_visible()
    expect(page.locator(".chat-preview")).to_contain_text("Tuesday at 10:00")
    expect(page.get_by_test_id("opt-in")).to_have_text("Opted in")
    shot("people-11-person")

    page.get_by_role("link", name="Edit profile").click()
    page.get_by_label("Age", exact=True).fill("thirty")
    page.get_by_label("Language").fill("isiZulu")
    page.get_by_label("HIV status").select_option("UNKNOWN")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".field-error")).to_have_count(2)
    expect(page.get_by_text("“thirty” is not a number")).to_be_visible()
    shot("people-12-edit-errors")
    page.get_by_label("Age", exact=True).fill("34")
    page.get_by_label("Language").fill("zul")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".alert-success")).to_have_text("Profile saved.")
    expect(page.locator('[data-field="age"] dd')).to_have_text("34")
    zanele.refresh_from_db()
    assert zanele.fields["hiv_status"] == "UNKNOWN" and zanele.language == "zul"

    page.goto(f"{live_server.url}/w/{clinic.uuid}/settings/people-fields/")
    page.get_by_label("Key").fill("next_visit")
    page.get_by_label("Type").select_option("datetime")
    page.get_by_label("Display name").fill("Next clinic visit")
    page.get_by_test_id("add-field").click()
    expect(page.locator(".alert-success")).to_contain_text("Field “next_visit” added.")
    shot("people-13-fields")

    page.goto(f"{live_server.url}/w/{clinic.uuid}/people/?query=district+%3D+North")
    page.get_by_test_id("export-people").click()
    drain_tasks()
    expect(page.get_by_test_id("download-export")).to_be_visible()
    shot("people-14-export-ready")
    with page.expect_download() as download:
        page.get_by_test_id("download-export").click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.splitlines()[0].startswith("whatsapp_id,name,surname") and "Zanele" in text and "Bongani" not in text

    page.goto(f"{live_server.url}/w/{clinic.uuid}/people/{zanele.uuid}/")
    page.get_by_role("link", name="Delete…").click()
    expect(page.get_by_text("the chat and its 3 messages")).to_be_visible()
    shot("people-15-delete-confirm")
    page.get_by_test_id("confirm-delete").click()
    expect(page.locator(".alert-success")).to_contain_text("Zanele was deleted")
    assert not Contact.objects.filter(id=zanele.id).exists() and not Message.objects.exists()
