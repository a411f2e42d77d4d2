"""The settings hub and its General page: who may open and change them, and what a change keeps."""

from __future__ import annotations

import pytest
from django.test import Client

from sauti.accounts.models import AuditEntry, Role
from sauti.accounts.permissions import PERMISSIONS, assignable_roles, can
from tests.web.members import client_for, make_member, make_user, make_workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic():
    return make_workspace("Clinic line")


@pytest.fixture
def people(clinic):
    elsewhere = make_workspace("Another organisation")
    users = {role: make_member(clinic, role) for role in ("viewer", "operator", "editor", "admin", "owner")}
    users["superuser"] = make_user(superuser=True)
    users["other_admin"] = make_member(elsewhere, Role.ADMIN)
    clients = {name: client_for(user) for name, user in users.items()}
    clients["anon"] = Client()
    return clients


def test_only_owners_and_admins_open_settings(people, clinic) -> None:
    for page in ("settings/", "settings/general/"):
        url = f"/w/{clinic.uuid}/{page}"
        for role in ("owner", "admin", "superuser"):
            assert people[role].get(url).status_code == 200, (role, page)
        for role in ("viewer", "operator", "editor"):
            assert people[role].get(url).status_code == 403, (role, page)
        assert people["other_admin"].get(url).status_code == 404
        assert people["anon"].get(url)["Location"].startswith("/login/")


def test_sidebar_shows_settings_only_to_those_who_may_open_it(people, clinic) -> None:
    url = f"/w/{clinic.uuid}/journeys/"
    assert 'data-nav="settings"' in people["admin"].get(url).content.decode()
    assert 'data-nav="settings"' not in people["editor"].get(url).content.decode()
    assert 'data-nav="journeys"' in people["viewer"].get(url).content.decode()


def test_admin_changes_general_settings_and_the_change_is_audited(people, clinic) -> None:
    clinic.settings = {"demo": False, "other": 1}
    clinic.save()
    response = people["admin"].post(f"/w/{clinic.uuid}/settings/general/", {
        "name": "Clinic helpline", "timezone": "Africa/Johannesburg", "hide_numbers": "on",
        "journey_test_numbers": "+27 82 000 0001\n27820000002", "journey_http_allow_hosts": "https://crm.internal/x"})
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.name == "Clinic helpline" and clinic.timezone == "Africa/Johannesburg"
    assert clinic.settings == {"demo": False, "other": 1, "hide_numbers": True,
                               "journey_test_numbers": ["27820000001", "27820000002"],
                               "journey_http_allow_hosts": ["crm.internal"]}
    entry = AuditEntry.objects.get(workspace=clinic, action="workspace_settings_changed")
    assert entry.details["changes"] == ["hide_numbers", "journey_http_allow_hosts", "journey_test_numbers",
                                        "name", "timezone"]


def test_bad_settings_are_refused_with_the_field_named_and_nothing_changes(people, clinic) -> None:
    response = people["owner"].post(f"/w/{clinic.uuid}/settings/general/", {
        "name": "Renamed", "timezone": "Mars/Olympus", "journey_test_numbers": "call me"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mars/Olympus" in page and "is not a phone number" in page
    clinic.refresh_from_db()
    assert clinic.name == "Clinic line"


def test_permission_table_is_consistent() -> None:
    assert can(Role.OPERATOR, "inbox.reply") and not can(Role.VIEWER, "inbox.reply")
    assert can(Role.EDITOR, "journeys.edit") and not can(Role.OPERATOR, "journeys.edit")
    assert not can(None, "journeys.view")
    assert all(Role.OWNER in roles for roles in PERMISSIONS.values())
    assert Role.OWNER not in assignable_roles(Role.ADMIN) and Role.OWNER in assignable_roles(Role.OWNER)
    with pytest.raises(KeyError):
        can(Role.OWNER, "journeys.fly")
