"""Pages a newcomer meets less often, looked at in a real browser: the first run's organisation
choice with mistakes, a site administrator without workspaces, the error pages, password reset."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sauti.accounts.models import Workspace
from tests.browser.test_editor_pages import sign_in
from tests.browser.test_first_minute import expect
from tests.web.members import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organisation_setup_explains_its_mistakes(live_server: Any, page: Any, shot: Any) -> None:
    page.goto(live_server.url + "/setup/")
    page.get_by_text("Set up my organisation").click()
    expect(page.get_by_label("Phone number ID")).to_be_visible()
    page.get_by_label("Your email address").fill("admin@example.org")
    page.get_by_label("Choose a password").fill("a-long-password")
    page.get_by_label("Type it again").fill("another-password")
    page.get_by_label("Phone number ID").fill("1234567890")
    page.get_by_test_id("setup-submit").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    expect(page.get_by_text("The two passwords are different.")).to_be_visible()
    expect(page.get_by_text("Give your workspace a name.")).to_be_visible()
    shot("20-first-run-organisation-errors")
    page.get_by_label("Type it again").fill("a-long-password")
    page.get_by_label("Choose a password").fill("a-long-password")
    page.get_by_label("Organisation or service name").fill("Clinic helpline")
    page.get_by_label("Phone number ID").fill("")
    page.get_by_test_id("setup-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("connect a WhatsApp number when you have one")
    expect(page.get_by_role("heading", name="No journeys yet")).to_be_visible()
    shot("21-journeys-empty")
    assert Workspace.objects.get().name == "Clinic helpline"


def test_a_site_administrator_without_workspaces_and_the_error_pages(live_server: Any, page: Any, shot: Any) -> None:
    make_user(superuser=True, email="root@example.org")
    sign_in(page, live_server, "root@example.org")
    expect(page.get_by_role("heading", name="No workspace yet")).to_be_visible()
    shot("22-no-workspace")
    page.goto(live_server.url + "/w/6a2f1c1e-8a53-4a4e-9a43-2b1d1c7c9d10/journeys/")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    shot("23-not-found")
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Open the demo workspace").click()
    expect(page).to_have_url(re.compile(r"tab=simulator$"))


def test_password_reset_pages(live_server: Any, page: Any, shot: Any) -> None:
    make_user(email="ana@example.org")
    page.goto(live_server.url + "/password-reset/")
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    shot("24-password-reset-sent")
    page.goto(live_server.url + "/password-reset/MQ/not-a-token/")
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    shot("25-password-reset-bad-link")
