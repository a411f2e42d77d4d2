"""The reminders pages: who may see and change what, workspace isolation, the form's errors, the
live count, cancel from the detail page."""

from __future__ import annotations

import pytest

from sauti.reminders.models import Reminder
from tests.reminders.conftest import people, remind
from tests.web.members import client_for, make_member, make_workspace

pytestmark = pytest.mark.django_db(transaction=True)


def url(ws, name: str = "", reminder=None) -> str:
    base = f"/w/{ws.uuid}/reminders/"
    if reminder is not None:
        return f"{base}{reminder.uuid}/{name}"
    return base + name


def form(template, **extra) -> dict:
    data = {"name": "Visit day", "channel": "whatsapp", "action": "template", "template": template.id,
            "param-body-1": "@contact.name", "param-body-2": "Monday", "audience": "query", "query": "",
            "schedule": "now", "intent": "schedule"}
    data.update(extra)
    return data


@pytest.mark.parametrize("role", ["owner", "admin", "editor", "operator", "viewer"])
def test_everyone_in_the_workspace_sees_reminders(ws, template, role):
    reminder = remind(ws, template=template, params={"body": ["x", "y"]}, schedule="once",
                      local_at=__import__("datetime").datetime(2099, 1, 1, 9, 0))
    client = client_for(make_member(ws, role))
    assert client.get(url(ws)).status_code == 200
    page = client.get(url(ws, reminder=reminder))
    assert page.status_code == 200
    assert b"Visit" in page.content


@pytest.mark.parametrize(("role", "allowed"), [("owner", True), ("admin", True), ("editor", True),
                                               ("operator", False), ("viewer", False)])
def test_editors_admins_and_owners_create_reminders(ws, template, role, allowed):
    people(ws, 2)
    client = client_for(make_member(ws, role))
    assert client.get(url(ws, "new/")).status_code == (200 if allowed else 403)
    response = client.post(url(ws, "new/"), form(template))
    assert response.status_code == (302 if allowed else 403)
    assert Reminder.objects.filter(workspace=ws).exists() is allowed


def test_another_workspaces_reminder_is_not_found(ws, template):
    reminder = remind(ws, template=template, params={"body": ["x", "y"]})
    other = make_workspace("Other line")
    outsider = client_for(make_member(other, "owner"))
    assert outsider.get(url(ws, reminder=reminder)).status_code == 404
    assert outsider.get(f"/w/{other.uuid}/reminders/{reminder.uuid}/").status_code == 404
    assert outsider.post(f"/w/{other.uuid}/reminders/{reminder.uuid}/cancel/").status_code == 404


def test_the_form_names_what_is_missing_and_keeps_what_was_typed(ws, template):
    client = client_for(make_member(ws, "editor"))
    response = client.post(url(ws, "new/"), form(template, **{"param-body-1": "", "name": "Keep me"}))
    assert response.status_code == 200
    assert b"Give a value for Body {{1}}" in response.content
    assert b'value="Keep me"' in response.content
    assert not Reminder.objects.exists()


def test_the_live_count_says_how_many_are_opted_in(ws):
    people(ws, 3)
    people(ws, 2, start=10, opted_in=False)
    client = client_for(make_member(ws, "editor"))
    response = client.get(url(ws, "count/"), {"audience": "query", "query": ""})
    assert b"5 people" in response.content and b"3 opted in" in response.content
    response = client.get(url(ws, "count/"), {"audience": "query", "query": "nosuchfield = 1"})
    assert b"no field" in response.content
    response = client.get(url(ws, "count/"), {"audience": "numbers", "numbers": "+27820000000\n27820000010 999"})
    assert b"2 people" in response.content and b"1 opted in" in response.content


def test_a_reminder_made_on_the_page_is_sent_and_its_page_shows_progress(ws, template, fake):
    from tests.reminders.conftest import run_all, sent_to_fake

    people(ws, 4)
    client = client_for(make_member(ws, "editor"))
    response = client.post(url(ws, "new/"), form(template))
    reminder = Reminder.objects.get()
    assert response["Location"] == url(ws, reminder=reminder)
    run_all()
    assert len(sent_to_fake(fake)) == 4
    page = client.get(url(ws, reminder=reminder))
    assert b'data-testid="stat-sent">4<' in page.content
    assert b"100%" in page.content


def test_viewers_cannot_cancel_and_editors_can(ws, template):
    reminder = remind(ws, template=template, params={"body": ["x", "y"]}, schedule="once",
                      local_at=__import__("datetime").datetime(2099, 1, 1, 9, 0))
    assert client_for(make_member(ws, "viewer")).post(url(ws, "cancel/", reminder)).status_code == 403
    assert client_for(make_member(ws, "editor")).post(url(ws, "cancel/", reminder)).status_code == 302
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.CANCELLED


def test_a_csv_upload_lists_the_people_and_bad_cells_are_named(ws, template, fake):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.reminders.conftest import run_all, sent_to_fake

    people(ws, 4)
    client = client_for(make_member(ws, "editor"))
    bad = SimpleUploadedFile("people.csv", b"Name,Phone\nA,+27 82 000 0001\nB,not a number\n", "text/csv")
    response = client.post(url(ws, "new/"), {**form(template, audience="numbers"), "csv": bad})
    assert response.status_code == 200 and b"not a number" in response.content
    good = SimpleUploadedFile("people.csv", b"Name,Phone\nA,+27 82 000 0001\nC,+27 82 000 0003\nD,+27 82 999 9999\n",
                              "text/csv")
    response = client.post(url(ws, "new/"), {**form(template, audience="numbers"), "csv": good})
    assert response.status_code == 302
    assert Reminder.objects.get().numbers == ["27820000001", "27820000003", "27829999999"]
    run_all()
    assert sorted(m["to"] for m in sent_to_fake(fake)) == ["27820000001", "27820000003"]
