"""People pages: who may open and change what (every role, another workspace's admin, nobody),
and what each page does: search, sort and pages, the segment box, a person, edit, delete."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from sauti.accounts.models import AuditEntry, Role
from sauti.contacts.models import Contact, ContactExport, ContactField, ContactImport, Segment
from sauti.contacts.services import create_contact, create_field, save_segment, update_contact_fields
from sauti.contacts.services.transfers import start_export, upload_import
from sauti.journeys.models import Session
from sauti.journeys.services import create_journey
from sauti.messaging.models import Chat, Message
from tests.support import drain_tasks
from tests.web.members import client_for, make_member, make_user, make_workspace

pytestmark = pytest.mark.django_db

ROLES = ["viewer", "operator", "editor", "admin", "owner", "superuser"]
EDITORS = ["operator", "editor", "admin", "owner", "superuser"]  # people.edit and people.segments
MANAGERS = ["admin", "owner", "superuser"]


@pytest.fixture
def clinic():
    workspace = make_workspace("Clinic line")
    create_field(workspace, key="district", type="text")
    create_field(workspace, key="age", type="number")
    create_field(workspace, key="hiv_status", type="text", is_private=True)
    return workspace


@pytest.fixture
def ana(clinic):
    return create_contact(clinic, wa_id="27820000001", values={"name": "Ana", "district": "North", "age": 31,
                                                               "hiv_status": "positive", "opted_in": True})


@pytest.fixture
def people(clinic) -> dict[str, Any]:
    elsewhere = make_workspace("Another organisation")
    users = {role: make_member(clinic, role) for role in ("viewer", "operator", "editor", "admin", "owner")}
    users["superuser"] = make_user(superuser=True)
    users["other_admin"] = make_member(elsewhere, Role.ADMIN)
    clients = {name: client_for(user) for name, user in users.items()}
    clients["anon"] = Client()
    return clients


def pages(clinic, ana) -> dict[str, tuple[str, list[str]]]:
    base = f"/w/{clinic.uuid}/people/"
    segment = (Segment.objects.filter(workspace=clinic).first()
               or save_segment(clinic, name="North", query="district = north"))
    job = ContactImport.objects.filter(workspace=clinic).first() or upload_import(
        clinic, filename="people.csv", data=b"phone,name\n27820000003,Cee\n", actor=None)
    export = ContactExport.objects.filter(workspace=clinic).first()
    if export is None:
        export = start_export(clinic, query="", role="admin", actor=None)
        drain_tasks()
    return {
        "list": (base, ROLES), "list_filtered": (f"{base}?query=age+%3E+18&q=an&sort=name", ROLES),
        "detail": (f"{base}{ana.uuid}/", ROLES), "segments": (f"{base}segments/", ROLES),
        "count": (f"{base}segments/count/?segment={segment.uuid}", ROLES),
        "new": (f"{base}new/", EDITORS), "edit": (f"{base}{ana.uuid}/edit/", EDITORS),
        "delete": (f"{base}{ana.uuid}/delete/", MANAGERS), "import": (f"{base}import/", MANAGERS),
        "helper": (f"{base}import/helper.csv", MANAGERS),
        "fields": (f"/w/{clinic.uuid}/settings/people-fields/", MANAGERS),
        "field": (f"/w/{clinic.uuid}/settings/people-fields/district/", MANAGERS),
        "field_delete": (f"/w/{clinic.uuid}/settings/people-fields/district/delete/", MANAGERS),
        "import_detail": (f"{base}import/{job.uuid}/", MANAGERS),
        "export_detail": (f"{base}export/{export.uuid}/", MANAGERS),
        "download": (f"{base}export/{export.uuid}/download/", MANAGERS),
    }


@pytest.mark.parametrize("page", ["list", "list_filtered", "detail", "segments", "count", "new", "edit", "delete",
                                  "import", "helper", "fields", "field", "field_delete", "import_detail",
                                  "export_detail", "download"])
def test_each_page_opens_for_its_roles_only(people, clinic, ana, page: str) -> None:
    url, allowed = pages(clinic, ana)[page]
    for role in ROLES:
        status = people[role].get(url).status_code
        assert status == (200 if role in allowed else 403), (role, status)
    assert people["other_admin"].get(url).status_code == 404
    response = people["anon"].get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


WRITES = {
    "import": (lambda c, a: (f"/w/{c.uuid}/people/import/",
                             {"file": SimpleUploadedFile("p.csv", b"phone,name\n27820000005,Eve\n")}), MANAGERS),
    "new": (lambda c, a: (f"/w/{c.uuid}/people/new/", {"wa_id": "+1 415 555 0100", "opted_in": "false"}), EDITORS),
    "edit": (lambda c, a: (f"/w/{c.uuid}/people/{a.uuid}/edit/", {"name": "Ana B", "opted_in": "true"}), EDITORS),
    "segment": (lambda c, a: (f"/w/{c.uuid}/people/segments/new/", {"name": "Adults", "query": "age >= 18"}), EDITORS),
    "field": (lambda c, a: (f"/w/{c.uuid}/settings/people-fields/", {"key": "clinic", "type": "text"}), MANAGERS),
    "export": (lambda c, a: (f"/w/{c.uuid}/people/export/", {"query": "opted_in"}), MANAGERS),
}


@pytest.mark.parametrize("action", sorted(WRITES))
def test_writes_are_refused_to_roles_without_the_permission(people, clinic, ana, action: str) -> None:
    make, allowed = WRITES[action]
    url = make(clinic, ana)[0]

    def data() -> dict:
        return make(clinic, ana)[1]  # fresh each time: an uploaded file is read once

    for role in ROLES:
        if role not in allowed:
            assert people[role].post(url, data()).status_code == 403, role
    assert people["other_admin"].post(url, data()).status_code == 404
    assert people["anon"].post(url, data()).status_code == 302
    response = people[allowed[0]].post(url, data())
    assert response.status_code == 302, response.content.decode()[:2000]


def test_another_workspaces_person_is_404_under_ones_own_workspace(people, clinic) -> None:
    foreign = create_contact(make_workspace("Elsewhere"), wa_id="27820000099", values={"name": "Zed"})
    for suffix in ("", "edit/", "delete/"):
        assert people["owner"].get(f"/w/{clinic.uuid}/people/{foreign.uuid}/{suffix}").status_code == 404
    assert people["owner"].post(f"/w/{clinic.uuid}/people/{foreign.uuid}/delete/").status_code == 404
    assert Contact.objects.filter(id=foreign.id).exists()


# ---------------------------------------------------------------------------- the list


def test_search_finds_names_numbers_and_any_field(people, clinic, ana) -> None:
    create_contact(clinic, wa_id="27820000002", values={"name": "Ben", "district": "South"})
    client = people["viewer"]
    base = f"/w/{clinic.uuid}/people/"
    for term, names in [("ana", ["Ana"]), ("0000002", ["Ben"]), ("sOuTh", ["Ben"]), ("nobody", [])]:
        body = client.get(base, {"q": term}).content.decode()
        assert all(name in body for name in names) and len(names) == body.count('class="title"'), term


def test_private_values_are_not_searchable_or_shown_when_numbers_are_hidden(people, clinic, ana) -> None:
    clinic.settings = {"hide_numbers": True}
    clinic.save()
    base = f"/w/{clinic.uuid}/people/"
    operator, admin = people["operator"], people["admin"]
    assert "Ana" not in operator.get(base, {"q": "positive"}).content.decode()
    assert "Ana" not in operator.get(base, {"q": "27820000001"}).content.decode()  # nor the hidden number
    assert "Ana" in admin.get(base, {"q": "positive"}).content.decode()
    detail = operator.get(f"{base}{ana.uuid}/").content.decode()
    assert "positive" not in detail and "+27 •••• ••01" in detail and "27820000001" not in detail
    assert "27820000001" in admin.get(f"{base}{ana.uuid}/").content.decode()
    error = operator.get(base, {"query": "hiv_status is set"}).content.decode()
    assert "private field" in error
    form = operator.get(f"{base}{ana.uuid}/edit/").content.decode()
    assert 'name="hiv_status"' not in form and 'name="district"' in form


def test_the_segment_box_filters_counts_and_shows_errors_at_their_column(people, clinic, ana) -> None:
    create_contact(clinic, wa_id="27820000002", values={"name": "Ben", "age": 12})
    client = people["operator"]
    base = f"/w/{clinic.uuid}/people/"
    body = client.get(base, {"query": "age >= 18"}, HTTP_HX_REQUEST="true").content.decode()
    assert "1 person matches" in body and "Ana" in body and "Ben" not in body
    assert '<section id="people-results"' in body and "<html" not in body  # htmx gets the results only
    body = client.get(base, {"query": "age >="}).content.decode()
    assert "error at column 7" in body and "expected a value after “&gt;=”" in body


def test_sorting_and_keyset_pages_walk_everyone_once(people, clinic) -> None:
    now = timezone.now()
    for n in range(7):
        contact = create_contact(clinic, wa_id=f"2782100000{n}", values={"name": f"Person {n}"})
        if n % 2:
            Contact.objects.filter(id=contact.id).update(last_seen_at=now - timezone.timedelta(hours=n))
    from sauti.contacts.queries import list_people

    for sort in ("-last_seen", "last_seen", "name", "-name", "created", "-created"):
        seen, cursor = [], None
        while True:
            page = list_people(clinic, "admin", sort=sort, cursor=cursor, size=3)
            seen += [row["name"] for row in page.rows]
            cursor = page.next_cursor
            if not cursor:
                break
        assert sorted(seen) == [f"Person {n}" for n in range(7)], sort
        if sort == "-last_seen":
            assert seen[:3] == ["Person 1", "Person 3", "Person 5"]  # most recently seen, never-seen last
        if sort == "name":
            assert seen == [f"Person {n}" for n in range(7)]


def test_the_list_is_a_constant_number_of_queries(people, clinic, django_assert_max_num_queries) -> None:
    for n in range(30):
        create_contact(clinic, wa_id=f"2782200000{n:02d}", values={"name": f"P{n}"})
    people["admin"].get(f"/w/{clinic.uuid}/people/")
    with django_assert_max_num_queries(10):
        assert people["admin"].get(f"/w/{clinic.uuid}/people/?query=opted_in+or+age+>+3").status_code == 200


# ---------------------------------------------------------------------------- a person


def test_a_persons_page_shows_profile_consent_chat_and_journeys(people, clinic, ana) -> None:
    chat = Chat.objects.create(workspace=clinic, contact=ana)
    Message.objects.create(workspace=clinic, chat=chat, contact=ana, direction="inbound", type="text",
                           text="Hello *clinic*", status="received", sent_at=timezone.now())
    journey = create_journey(clinic, name="Onboarding", source='card A do\n  text("hi")\nend\n', publish=True)
    Session.objects.create(workspace=clinic, journey=journey, contact=ana, status="ended", end_reason="completed")
    body = people["viewer"].get(f"/w/{clinic.uuid}/people/{ana.uuid}/").content.decode()
    assert "<strong>clinic</strong>" in body and f"/inbox/chats/{chat.uuid}/" in body
    assert "Onboarding" in body and "Completed" in body and "Opted in" in body and "North" in body
    assert "Edit profile" not in body and "Delete…" not in body  # a viewer reads only


def test_editing_a_profile_checks_each_value_at_its_field(people, clinic, ana) -> None:
    url = f"/w/{clinic.uuid}/people/{ana.uuid}/edit/"
    response = people["operator"].post(url, {"name": "Ana", "age": "thirty", "language": "por", "opted_in": "true"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "“thirty” is not a number" in body
    ana.refresh_from_db()
    assert ana.fields["age"] == 31 and ana.language == ""
    response = people["operator"].post(url, {"name": "Ana", "age": "32", "language": "POR", "opted_in": "true",
                                             "district": ""})
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.fields["age"] == 32 and ana.language == "por" and "district" not in ana.fields
    assert ana.fields["hiv_status"] == "positive"  # untouched fields stay


def test_adding_a_person_needs_an_international_number(people, clinic, ana) -> None:
    url = f"/w/{clinic.uuid}/people/new/"
    response = people["operator"].post(url, {"wa_id": "082 000 0001", "opted_in": "false"})
    assert response.status_code == 400 and "not an international number" in response.content.decode()
    response = people["operator"].post(url, {"wa_id": "+27 82 000 0001", "opted_in": "false"})
    assert response.status_code == 400 and "already in this workspace" in response.content.decode()


def test_deleting_a_person_deletes_their_messages_and_sessions_and_is_audited(people, clinic, ana) -> None:
    chat = Chat.objects.create(workspace=clinic, contact=ana)
    Message.objects.create(workspace=clinic, chat=chat, contact=ana, direction="inbound", type="text", text="hi",
                           status="received", sent_at=timezone.now())
    journey = create_journey(clinic, name="J", source='card A do\n  text("hi")\nend\n', publish=True)
    Session.objects.create(workspace=clinic, journey=journey, contact=ana)
    url = f"/w/{clinic.uuid}/people/{ana.uuid}/delete/"
    confirm = people["admin"].get(url).content.decode()
    assert "1 message" in confirm and "1 journey session" in confirm
    assert Contact.objects.filter(id=ana.id).exists()  # the GET only asks
    assert people["admin"].post(url).status_code == 302
    assert not Contact.objects.filter(id=ana.id).exists()
    assert Message.objects.count() == 0 and Chat.objects.count() == 0 and Session.objects.count() == 0
    entry = AuditEntry.objects.get(action="contact_deleted")
    assert entry.target == str(ana.uuid) and entry.details["messages"] == 1 and "27820000001" not in str(entry.details)


# ---------------------------------------------------------------------------- segments and fields pages


def test_segments_save_rename_and_delete(people, clinic, ana) -> None:
    base = f"/w/{clinic.uuid}/people/segments/"
    response = people["operator"].post(f"{base}new/", {"name": "Adults", "query": "age >= 18"})
    segment = Segment.objects.get(name="Adults")
    assert response["Location"].endswith(f"?segment={segment.uuid}")
    assert "1 person" in people["viewer"].get(f"{base}count/", {"segment": segment.uuid}).content.decode()
    assert "error at column" in people["viewer"].get(f"{base}count/", {"query": "age >"}).content.decode()
    response = people["operator"].post(f"{base}{segment.uuid}/",
                                       {"name": "Grown-ups", "query": "age >", "next": "segments"}, follow=True)
    assert "expected a value" in response.content.decode()
    people["operator"].post(f"{base}{segment.uuid}/", {"name": "Grown-ups", "query": "age > 20"})
    segment.refresh_from_db()
    assert (segment.name, segment.query) == ("Grown-ups", "age > 20")
    assert people["viewer"].post(f"{base}{segment.uuid}/delete/").status_code == 403
    assert people["editor"].post(f"{base}{segment.uuid}/delete/").status_code == 302
    assert not Segment.objects.exists()


def test_the_fields_page_adds_fields_and_says_what_is_wrong(people, clinic, ana) -> None:
    url = f"/w/{clinic.uuid}/settings/people-fields/"
    response = people["admin"].post(url, {"key": "Clinic Name", "type": "text"})
    assert response.status_code == 400 and "lower-case letters" in response.content.decode()
    response = people["admin"].post(url, {"key": "gender", "type": "enum", "choices": ""})
    assert response.status_code == 400 and "at least one choice" in response.content.decode()
    people["admin"].post(url, {"key": "gender", "type": "enum", "choices": "FEMALE = Female\nMALE", "is_private": "on"})
    field = ContactField.objects.get(key="gender")
    assert field.choices == [{"value": "FEMALE", "display": "Female"}, {"value": "MALE", "display": "MALE"}]
    assert field.is_private
    page = people["admin"].get(url).content.decode()
    assert "whatsapp_profile_name" in page and "read-only" in page


def test_deleting_a_field_warns_about_segments_and_removes_values(people, clinic, ana) -> None:
    save_segment(clinic, name="North", query="district = north")
    url = f"/w/{clinic.uuid}/settings/people-fields/district/delete/"
    page = people["admin"].get(url).content.decode()
    assert "1 person has a value" in page and "North" in page
    assert people["admin"].post(url).status_code == 302
    ana.refresh_from_db()
    assert "district" not in ana.fields
    assert people["admin"].get(f"/w/{clinic.uuid}/settings/people-fields/name/delete/").status_code == 404


def test_renaming_a_reserved_field_shows_everywhere(people, clinic, ana) -> None:
    people["admin"].post(f"/w/{clinic.uuid}/settings/people-fields/name/", {"display_name": "First name"})
    assert "First name" in people["viewer"].get(f"/w/{clinic.uuid}/people/{ana.uuid}/").content.decode()
    update_contact_fields(ana, {"name": "Ana"})
