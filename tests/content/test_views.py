"""The Templates area's pages: who may read and change what (every role, another workspace's
admin, nobody), and the editor, media and canned reply pages doing their work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sauti.accounts.models import Role
from sauti.contacts.models import Contact
from sauti.content.models import CannedReply, Media, MessageTemplate
from sauti.content.services import create_canned_reply, create_template, upload_media
from sauti.messaging.models import Message
from tests.web.members import client_for, make_member, make_user, make_workspace

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
READERS = ["viewer", "operator", "editor", "admin", "owner", "superuser"]
EDITORS = ["editor", "admin", "owner", "superuser"]


@pytest.fixture
def clinic():
    return make_workspace("Clinic line")


@pytest.fixture
def people(clinic) -> dict[str, Any]:
    elsewhere = make_workspace("Another organisation")
    users = {role: make_member(clinic, role) for role in ("viewer", "operator", "editor", "admin", "owner")}
    users["superuser"] = make_user(superuser=True)
    users["other_admin"] = make_member(elsewhere, Role.ADMIN)
    clients = {name: client_for(user) for name, user in users.items()}
    clients["anon"] = Client()
    return clients


def draft(workspace, name: str = "visit_reminder") -> MessageTemplate:
    return create_template(workspace, {"name": name, "language": "en", "category": "UTILITY", "components": [
        {"type": "BODY", "text": "Hello {{1}}, see you on {{2}}.", "example": {"body_text": [["Ana", "Monday"]]}}]})


@pytest.fixture
def things(clinic) -> dict[str, Any]:
    media = upload_media(clinic, PNG, "image/png", "poster.png")
    return {"template": draft(clinic), "media": media,
            "reply": create_canned_reply(clinic, title="Hours", text="8–17", shortcut="hours")}


def urls(clinic, things) -> dict[str, str]:
    base = f"/w/{clinic.uuid}/content/"
    template = f"{base}templates/{things['template'].uuid}/"
    media = f"{base}media/{things['media'].uuid}/"
    reply = f"{base}canned-replies/{things['reply'].uuid}/"
    return {"list": f"{base}templates/", "new": f"{base}templates/new/", "sync": f"{base}templates/sync/",
            "detail": template, "status": f"{template}status/", "submit": f"{template}submit/",
            "copy": f"{template}copy/", "delete": f"{template}delete/", "media": f"{base}media/",
            "file": f"{media}file/", "media-delete": f"{media}delete/", "canned": f"{base}canned-replies/",
            "canned-new": f"{base}canned-replies/new/", "canned-edit": reply, "canned-delete": f"{reply}delete/",
            "settings": f"{base}settings/"}


READ_PAGES = ["list", "detail", "status", "media", "file", "canned"]
BODY = {"name": "second_one", "language": "en", "category": "UTILITY", "body_text": "Hi there"}
_names = iter(f"new_template_{n}" for n in range(1000))
WRITES: dict[str, Callable[[], dict]] = {
    "new": lambda: {**BODY, "name": next(_names)},
    "detail": lambda: {**BODY, "name": "visit_reminder", "action": "save"},
    "copy": lambda: {"name": "visit_reminder", "language": "pt_BR"},
    "sync": lambda: {},
    "media": lambda: {"file": SimpleUploadedFile("a.png", PNG, content_type="image/png")},
    "canned-new": lambda: {"title": "Directions", "text": "Take the 5 bus"},
    "canned-edit": lambda: {"title": "Hours", "text": "8–18", "shortcut": "hours"},
}


@pytest.mark.parametrize("page", READ_PAGES)
def test_every_member_reads_the_templates_area_and_nobody_else(people, clinic, things, page: str) -> None:
    url = urls(clinic, things)[page]
    for role in READERS:
        assert people[role].get(url).status_code == 200, role
    assert people["other_admin"].get(url).status_code == 404
    response = people["anon"].get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("action", sorted(WRITES))
def test_only_editors_admins_and_owners_change_content(people, clinic, things, action: str) -> None:
    url = urls(clinic, things)[action]
    for role in ("viewer", "operator"):
        assert people[role].post(url, WRITES[action]()).status_code == 403, role
    assert people["other_admin"].post(url, WRITES[action]()).status_code == 404
    assert people["anon"].post(url, WRITES[action]()).status_code == 302
    for role in EDITORS:
        response = people[role].post(url, WRITES[action]())
        assert response.status_code in (200, 302), (role, response.status_code, response.content[:300])


@pytest.mark.parametrize("action", ["delete", "media-delete", "canned-delete", "submit"])
def test_deletions_and_submission_are_for_editors(people, clinic, things, action: str) -> None:
    url = urls(clinic, things)[action]
    for role in ("viewer", "operator"):
        assert people[role].post(url).status_code == 403, role
    assert people["other_admin"].post(url).status_code == 404
    assert people["anon"].post(url).status_code == 302
    assert people["editor"].post(url).status_code == 302
    if action != "submit":
        assert people["admin"].post(url).status_code == 404  # already gone


def test_new_pages_are_editors_and_settings_are_managers(people, clinic, things) -> None:
    for page in ("new", "canned-new"):
        url = urls(clinic, things)[page]
        assert people["viewer"].get(url).status_code == 403
        assert people["editor"].get(url).status_code == 200
    url = urls(clinic, things)["settings"]
    for role in ("viewer", "operator", "editor"):
        assert people[role].get(url).status_code == 403, role
    assert people["admin"].get(url).status_code == 200
    assert people["other_admin"].get(url).status_code == 404
    assert people["admin"].post(url, {"meta_app_id": "12ab"}).status_code == 400
    assert people["admin"].post(url, {"meta_app_id": "1234567890"}).status_code == 302
    clinic.refresh_from_db()
    assert clinic.settings["meta_app_id"] == "1234567890"


def test_another_workspaces_things_are_404_under_ones_own(people, clinic) -> None:
    elsewhere = make_workspace("Elsewhere")
    foreign = draft(elsewhere, "foreign_one")
    media = upload_media(elsewhere, PNG, "image/png", "x.png")
    base = f"/w/{clinic.uuid}/content/"
    assert people["owner"].get(f"{base}templates/{foreign.uuid}/").status_code == 404
    assert people["owner"].post(f"{base}templates/{foreign.uuid}/delete/").status_code == 404
    assert people["owner"].get(f"{base}media/{media.uuid}/file/").status_code == 404
    assert MessageTemplate.objects.filter(id=foreign.id).exists()


def test_the_list_filters_by_text_status_category_and_language(people, clinic) -> None:
    draft(clinic, "visit_reminder")
    approved = draft(clinic, "lesson_weekly")
    MessageTemplate.objects.filter(id=approved.id).update(status="APPROVED", category="MARKETING", language="sw")
    viewer = people["viewer"]
    base = f"/w/{clinic.uuid}/content/templates/"
    page = viewer.get(base).content.decode()
    assert "visit_reminder" in page and "lesson_weekly" in page and "Approved" in page and "Draft" in page
    assert "visit_reminder" not in viewer.get(base, {"status": "approved"}).content.decode()
    assert "lesson_weekly" not in viewer.get(base, {"q": "visit"}).content.decode()
    assert "visit_reminder" not in viewer.get(base, {"language": "sw", "category": "MARKETING"}).content.decode()
    assert "No template matches" in viewer.get(base, {"q": "nothing like it"}).content.decode()


def test_the_editor_shows_each_broken_rule_at_its_field_and_keeps_what_was_typed(people, clinic) -> None:
    url = f"/w/{clinic.uuid}/content/templates/new/"
    response = people["editor"].post(url, {
        "name": "Visit Reminder", "language": "en", "category": "UTILITY", "header_format": "TEXT",
        "header_text": "", "body_text": "Hello {{1}}, see you on {{2}}.", "body_example": ["Ana", ""],
        "footer_text": "f" * 61, "button_type": ["QUICK_REPLY", "URL"], "button_text": ["Yes", "Site"],
        "button_url": ["", "https://example.org/{{1}}"], "button_example": ["", ""], "button_phone": ["", ""]})
    assert response.status_code == 400
    page = response.content.decode()
    for message in ("Use only lower-case letters", "This cannot be empty.", "Give an example for {{2}}",
                    "At most 60 characters", "Give an example for {{1}}"):
        assert message in page, message
    assert 'value="Visit Reminder"' in page and 'value="Ana"' in page
    assert not MessageTemplate.objects.filter(workspace=clinic).exists()


def test_the_editor_saves_a_draft_with_buttons_and_an_image_header(people, clinic) -> None:
    url = f"/w/{clinic.uuid}/content/templates/new/"
    response = people["editor"].post(url, {
        "name": "clinic_poster", "language": "en", "category": "MARKETING", "header_format": "IMAGE",
        "header_upload": SimpleUploadedFile("poster.png", PNG, content_type="image/png"),
        "body_text": "Hello {{1}}, our clinic opens on Saturdays.", "body_example": ["Ana"], "action": "save",
        "button_type": ["QUICK_REPLY", "PHONE_NUMBER"], "button_text": ["Tell me more", "Call us"],
        "button_url": ["", ""], "button_example": ["", ""], "button_phone": ["", "+27215550123"]})
    assert response.status_code == 302, response.content.decode()[:2000]
    template = MessageTemplate.objects.get(workspace=clinic, name="clinic_poster")
    assert template.header_media == Media.objects.get(workspace=clinic, filename="poster.png")
    assert template.components == [
        {"type": "HEADER", "format": "IMAGE"},
        {"type": "BODY", "text": "Hello {{1}}, our clinic opens on Saturdays.", "example": {"body_text": [["Ana"]]}},
        {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Tell me more"},
                                        {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+27215550123"}]}]
    page = people["editor"].get(response["Location"]).content.decode()
    assert 'value="Tell me more"' in page and 'value="+27215550123"' in page


def test_submitting_without_a_business_account_says_what_is_missing(people, clinic) -> None:
    template = draft(clinic)
    response = people["editor"].post(f"/w/{clinic.uuid}/content/templates/{template.uuid}/",
                                     {**BODY, "name": "visit_reminder", "action": "submit"})
    assert response.status_code == 400
    assert "Connect a WhatsApp business account" in response.content.decode()
    template.refresh_from_db()
    assert template.status == "DRAFT"


def test_a_media_upload_whatsapp_would_refuse_is_explained(people, clinic) -> None:
    response = people["editor"].post(f"/w/{clinic.uuid}/content/media/",
                                     {"file": SimpleUploadedFile("a.gif", b"GIF89a", content_type="image/gif")})
    assert response.status_code == 400
    assert "WhatsApp does not take image/gif files" in response.content.decode()
    assert not Media.objects.exists()


def test_the_media_file_is_served_with_its_type(people, clinic, things) -> None:
    response = people["viewer"].get(urls(clinic, things)["file"])
    assert response["Content-Type"] == "image/png" and b"".join(response.streaming_content) == PNG


def test_a_canned_reply_with_a_taken_shortcut_is_refused_at_the_field(people, clinic, things) -> None:
    response = people["editor"].post(f"/w/{clinic.uuid}/content/canned-replies/new/",
                                     {"title": "Hours 2", "text": "x", "shortcut": "/hours"})
    assert response.status_code == 400
    assert "Another reply already uses /hours." in response.content.decode()
    assert CannedReply.objects.filter(workspace=clinic).count() == 1


def test_send_a_test_of_an_approved_template(people, clinic) -> None:
    template = draft(clinic)
    MessageTemplate.objects.filter(id=template.id).update(status="APPROVED")
    url = f"/w/{clinic.uuid}/content/templates/{template.uuid}/test/"
    assert people["viewer"].post(url, {"to": "+27825550123"}).status_code == 403
    page = people["editor"].get(f"/w/{clinic.uuid}/content/templates/{template.uuid}/").content.decode()
    assert 'data-testid="send-test"' in page and 'value="Monday"' in page
    response = people["editor"].post(url, {"to": "not a number", "body-1": "Ana", "body-2": "Monday"})
    assert response.status_code == 400 and "international form" in response.content.decode()
    response = people["editor"].post(url, {"to": "+27 82 555 0123", "body-1": "Ana", "body-2": ""})
    assert response.status_code == 400 and "This value is empty" in response.content.decode()
    assert not Message.objects.exists() and not Contact.objects.exists()
    response = people["editor"].post(url, {"to": "+27 82 555 0123", "body-1": "Ana", "body-2": "Friday"})
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.contact.wa_id, message.text) == ("27825550123", "Hello Ana, see you on Friday.")
