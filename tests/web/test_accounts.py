"""Signing in and out, password reset by email, and which workspaces a person can open."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from sauti.accounts.models import Role
from tests.web.members import PASSWORD, client_for, make_member, make_user, make_workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic():
    return make_workspace("Clinic line")


def test_anonymous_people_are_sent_to_sign_in(client: Client, clinic) -> None:
    make_user()
    assert client.get("/")["Location"] == "/login/"
    response = client.get(f"/w/{clinic.uuid}/journeys/")
    assert response["Location"] == f"/login/?next=/w/{clinic.uuid}/journeys/"


def test_signing_in_with_email_and_password_leads_to_the_first_workspace(client: Client, clinic) -> None:
    make_member(clinic, Role.EDITOR, email="ana@example.org")
    page = client.get("/login/")
    assert page.status_code == 200 and b"Forgot your password?" in page.content
    wrong = client.post("/login/", {"username": "ana@example.org", "password": "nope"})
    assert wrong.status_code == 200 and b"alert-error" in wrong.content
    response = client.post("/login/", {"username": "ana@example.org", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == f"/w/{clinic.uuid}/journeys/"
    assert b"Clinic line" in response.content


def test_sign_out_is_a_post(clinic) -> None:
    client = client_for(make_member(clinic, Role.VIEWER))
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/")["Location"] == "/login/"
    assert client.get("/")["Location"] == "/login/"


def test_password_reset_sends_a_working_link(client: Client, clinic) -> None:
    make_member(clinic, Role.OPERATOR, email="ana@example.org")
    response = client.post("/password-reset/", {"email": "ana@example.org"})
    assert response["Location"] == "/password-reset/sent/"
    (email,) = mail.outbox
    assert email.to == ["ana@example.org"] and "Sauti" in email.subject
    link = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", email.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and b"Choose a new password" in form.content
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "a-new-long-password",
                                                     "new_password2": "a-new-long-password"})
    assert done["Location"] == "/password-reset/done/"
    assert client.post("/login/", {"username": "ana@example.org", "password": "a-new-long-password"}).status_code == 302


def test_a_person_sees_and_switches_between_their_workspaces_only(clinic) -> None:
    other = make_workspace("Another organisation")
    second = make_workspace("Youth line")
    user = make_member(clinic, Role.EDITOR)
    make_member(second, Role.VIEWER)
    from sauti.accounts.models import Membership

    Membership.objects.create(workspace=second, user=user, role=Role.VIEWER)
    client = client_for(user)
    page = client.get(f"/w/{clinic.uuid}/journeys/").content.decode()
    assert "Clinic line" in page and "Youth line" in page and "Another organisation" not in page
    assert client.get(f"/w/{second.uuid}/journeys/").status_code == 200
    assert client.get(f"/w/{other.uuid}/journeys/").status_code == 404
    assert client.get(f"/w/{other.uuid}/").status_code == 404


def test_site_administrators_open_every_workspace(clinic) -> None:
    client = client_for(make_user(superuser=True))
    assert client.get("/")["Location"] == f"/w/{clinic.uuid}/journeys/"
    page = client.get(f"/w/{clinic.uuid}/journeys/")
    assert page.status_code == 200 and b"New journey" in page.content


def test_a_person_without_a_workspace_is_told_whom_to_ask() -> None:
    make_workspace("Clinic line")
    page = client_for(make_user()).get("/")
    assert page.status_code == 200 and b"Ask an owner or admin" in page.content


def test_a_site_administrator_without_workspaces_can_create_one_or_open_the_demo() -> None:
    client = client_for(make_user(superuser=True))
    page = client.get("/")
    assert b"Open the demo workspace" in page.content and b"Create the workspace" in page.content
    response = client.post("/workspaces/new/", {"workspace_name": "Clinic line"})
    assert response.status_code == 302
    assert client.post("/workspaces/demo/").status_code == 302
    assert client.get("/").status_code == 302


def test_only_site_administrators_create_workspaces(clinic) -> None:
    client = client_for(make_member(clinic, Role.OWNER))
    assert client.post("/workspaces/new/", {"workspace_name": "Mine"}).status_code == 403
    assert client.post("/workspaces/demo/").status_code == 403


def test_unknown_pages_get_a_friendly_404(clinic) -> None:
    response = client_for(make_member(clinic, Role.VIEWER)).get("/no/such/page/")
    assert response.status_code == 404 and b"This page does not exist" in response.content


def test_static_assets_are_served_by_sauti_itself(client: Client) -> None:
    for path in ("/static/sauti/sauti.css", "/static/sauti/htmx.min.js", "/static/sauti/editor.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        b"".join(response.streaming_content if response.streaming else [response.content])
