"""The first run: with no users every page leads to /setup/, which creates the first
administrator with the demo or their own workspace, once."""

from __future__ import annotations

import pytest
from django.test import Client

from sauti.accounts.models import Membership, Role, User, Workspace
from sauti.journeys.models import Journey
from tests.web.members import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SETUP = {"email": "Admin@Example.org", "password1": PASSWORD, "password2": PASSWORD}
CHANNEL = {"phone_number_id": "123456789012345", "waba_id": "987654321", "access_token": "EAAG-token",
           "app_secret": "meta-secret"}


@pytest.mark.parametrize("path", ["/", "/login/", "/password-reset/",
                                  "/w/6a2f1c1e-8a53-4a4e-9a43-2b1d1c7c9d10/journeys/",
                                  "/w/6a2f1c1e-8a53-4a4e-9a43-2b1d1c7c9d10/"])
def test_every_page_leads_to_setup_while_nobody_can_sign_in(client: Client, path: str) -> None:
    response = client.get(path, follow=True)
    assert response.redirect_chain[-1][0] == "/setup/"
    assert response.status_code == 200
    assert b"Welcome to Sauti" in response.content


def test_the_api_and_health_check_are_not_redirected(client: Client) -> None:
    assert client.get("/health").status_code == 200
    assert client.get("/v1/contacts/27820000001/messages").status_code == 401


def test_choosing_the_demo_creates_the_admin_and_opens_the_simulator(client: Client) -> None:
    response = client.post("/setup/", {**SETUP, "mode": "demo"})
    admin = User.objects.get()
    assert admin.email == "admin@example.org"
    assert admin.is_superuser and admin.check_password(PASSWORD)
    workspace = Workspace.objects.get()
    assert workspace.settings == {"demo": True, "channel": "simulator"}
    assert Membership.objects.get(workspace=workspace, user=admin).role == Role.OWNER
    journey = Journey.objects.get(workspace=workspace)
    assert journey.published_version is not None and not journey.has_unpublished_changes
    assert response.status_code == 302
    assert response["Location"] == f"/w/{workspace.uuid}/journeys/{journey.uuid}/?tab=simulator"
    page = client.get(response["Location"])
    assert page.status_code == 200, "the newcomer is signed in"
    assert b"Type START in the simulator" in page.content


def test_an_organisation_workspace_can_connect_whatsapp_later(client: Client) -> None:
    response = client.post("/setup/", {**SETUP, "mode": "organisation", "workspace_name": "Clinic helpline"})
    workspace = Workspace.objects.get()
    assert (workspace.name, workspace.phone_number_id, workspace.verify_token) == ("Clinic helpline", None, "")
    assert response["Location"] == f"/w/{workspace.uuid}/journeys/"
    assert b"connect a WhatsApp number when you have one" in client.get(response["Location"]).content


def test_an_organisation_workspace_connected_now_gets_a_verify_token(client: Client) -> None:
    response = client.post("/setup/", {**SETUP, **CHANNEL, "mode": "organisation", "workspace_name": "Clinic"})
    workspace = Workspace.objects.get()
    assert workspace.phone_number_id == CHANNEL["phone_number_id"]
    assert workspace.access_token == CHANNEL["access_token"] and workspace.app_secret == CHANNEL["app_secret"]
    assert len(workspace.verify_token) >= 20
    page = client.get(response["Location"]).content.decode()
    assert workspace.verify_token in page and "/webhooks/whatsapp" in page


def test_half_typed_credentials_are_refused_with_the_missing_fields_named(client: Client) -> None:
    response = client.post("/setup/", {**SETUP, "mode": "organisation", "workspace_name": "Clinic",
                                       "phone_number_id": "123"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"waba_id", "access_token", "app_secret"}
    assert not User.objects.exists() and not Workspace.objects.exists()


def test_an_organisation_needs_a_name_but_the_demo_does_not(client: Client) -> None:
    response = client.post("/setup/", {**SETUP, "mode": "organisation"})
    assert "workspace_name" in response.context["form"].errors
    response = client.post("/setup/", {**SETUP, "mode": "demo", "phone_number_id": "half typed"})
    assert response.status_code == 302


@pytest.mark.parametrize(("password2", "field"), [("different-password", "password2"), ("short", "password2")])
def test_passwords_must_match_and_be_long_enough(client: Client, password2: str, field: str) -> None:
    response = client.post("/setup/", {**SETUP, "password1": password2 if password2 == "short" else PASSWORD,
                                       "password2": password2, "mode": "demo"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.exists()


def test_the_first_run_happens_once(client: Client) -> None:
    make_user(email="first@example.org")
    assert client.get("/setup/")["Location"] == "/"
    response = client.post("/setup/", {**SETUP, "mode": "demo"})
    assert response.status_code == 302
    assert list(User.objects.values_list("email", flat=True)) == ["first@example.org"]
    assert not Workspace.objects.exists()
