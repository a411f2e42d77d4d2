"""Settings → Team and the audit log: invitations by email, roles (only owners make owners, a
workspace keeps an owner), removal, and who may open these pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from sauti.accounts.models import AuditEntry, Membership, Role, User
from tests.web.members import PASSWORD, client_for, make_member, make_user, make_workspace

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
    return users


def test_only_owners_and_admins_open_team_and_audit_pages(people, clinic) -> None:
    for page in ("settings/team/", "settings/audit/"):
        url = f"/w/{clinic.uuid}/{page}"
        for role, user in people.items():
            status = client_for(user).get(url).status_code
            expected = {"owner": 200, "admin": 200, "superuser": 200, "other_admin": 404}.get(role, 403)
            assert status == expected, (page, role, status)
        assert Client().get(url)["Location"].startswith("/login/")
    hub = client_for(people["admin"]).get(f"/w/{clinic.uuid}/settings/").content.decode()
    assert 'data-testid="settings-team"' in hub and 'data-testid="settings-audit"' in hub


def test_an_invitation_by_email_creates_the_account_and_the_membership(people, clinic,
                                                                        django_capture_on_commit_callbacks) -> None:
    admin = client_for(people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/w/{clinic.uuid}/settings/team/invite/", {"email": "Nomsa@Example.org",
                                                                          "role": "operator"})
    assert response.status_code == 302
    (email,) = mail.outbox
    assert email.to == ["nomsa@example.org"] and "Clinic line" in email.subject
    link = re.search(r"https?://[^/\s]+(/invitations/\S+/)", email.body).group(1)
    visitor = Client()
    page = visitor.get(link)
    assert page.status_code == 200 and b"Create my account and join" in page.content
    refused = visitor.post(link, {"name": "Nomsa", "password1": "short", "password2": "short"})
    assert refused.status_code == 400 and not User.objects.filter(email="nomsa@example.org").exists()
    joined = visitor.post(link, {"name": "Nomsa", "password1": PASSWORD, "password2": PASSWORD})
    assert joined["Location"] == f"/w/{clinic.uuid}/"
    membership = Membership.objects.get(workspace=clinic, user__email="nomsa@example.org")
    assert membership.role == Role.OPERATOR and membership.user.name == "Nomsa"
    assert visitor.get(f"/w/{clinic.uuid}/", follow=True).redirect_chain[-1][0] == f"/w/{clinic.uuid}/inbox/"
    assert Client().get(link).status_code == 404  # used once
    actions = set(AuditEntry.objects.filter(workspace=clinic).values_list("action", flat=True))
    assert {"member_invited", "invitation_accepted"} <= actions


def test_someone_with_an_account_signs_in_to_accept(people, clinic) -> None:
    from sauti.accounts.services import invite_member

    existing = make_member(make_workspace("Youth line"), Role.EDITOR, email="thabo@example.org")
    _, token = invite_member(clinic, email="thabo@example.org", role=Role.VIEWER, actor=people["owner"],
                             actor_role=Role.OWNER)
    assert b"Sign in to join" in Client().get(f"/invitations/{token}/").content
    assert b"Sign out and open the link" in client_for(people["admin"]).get(f"/invitations/{token}/").content
    client = client_for(existing)
    assert client.post(f"/invitations/{token}/").status_code == 302
    assert Membership.objects.get(workspace=clinic, user=existing).role == Role.VIEWER


def test_admins_manage_roles_but_only_owners_make_owners_and_a_workspace_keeps_one(people, clinic) -> None:
    admin, owner = client_for(people["admin"]), client_for(people["owner"])
    operator = people["operator"]
    url = f"/w/{clinic.uuid}/settings/team/{operator.uuid}/role/"
    admin.post(url, {"role": "editor"})
    assert Membership.objects.get(workspace=clinic, user=operator).role == Role.EDITOR
    admin.post(url, {"role": "owner"})
    assert Membership.objects.get(workspace=clinic, user=operator).role == Role.EDITOR
    owner.post(url, {"role": "owner"})
    assert Membership.objects.get(workspace=clinic, user=operator).role == Role.OWNER
    entry = AuditEntry.objects.filter(workspace=clinic, action="member_role_changed").first()
    assert entry.details == {"old": "editor", "new": "owner"} and entry.actor == people["owner"]
    # Two owners now; the first may step down, the last may not.
    client_for(operator).post(f"/w/{clinic.uuid}/settings/team/{people['owner'].uuid}/role/", {"role": "admin"})
    assert Membership.objects.get(workspace=clinic, user=people["owner"]).role == Role.ADMIN
    response = client_for(operator).post(f"/w/{clinic.uuid}/settings/team/{operator.uuid}/remove/", follow=True)
    assert b"keeps at least one owner" in response.content or b"Remove" in response.content
    assert Membership.objects.filter(workspace=clinic, user=operator, role=Role.OWNER).exists()


def test_removing_a_member_sends_their_open_chats_back_to_unassigned(people, clinic) -> None:
    from sauti.contacts.services import upsert_contact
    from sauti.messaging.models import Chat
    from sauti.messaging.services import chat_for

    chat = chat_for(upsert_contact(clinic, wa_id="27820000301"))
    Chat.objects.filter(id=chat.id).update(assigned_to=people["operator"])
    client_for(people["admin"]).post(f"/w/{clinic.uuid}/settings/team/{people['operator'].uuid}/remove/")
    assert not Membership.objects.filter(workspace=clinic, user=people["operator"]).exists()
    chat.refresh_from_db()
    assert chat.assigned_to is None and chat.needs_human
    assert client_for(people["operator"]).get(f"/w/{clinic.uuid}/inbox/").status_code == 404
    audit = client_for(people["admin"]).get(f"/w/{clinic.uuid}/settings/audit/?action=member_removed")
    assert audit.status_code == 200 and people["operator"].email.encode() in audit.content


def test_team_pages_of_another_workspace_cannot_touch_its_members(people, clinic) -> None:
    other = client_for(people["other_admin"])
    url = f"/w/{clinic.uuid}/settings/team/{people['operator'].uuid}/role/"
    assert other.post(url, {"role": "viewer"}).status_code == 404
    assert Membership.objects.get(workspace=clinic, user=people["operator"]).role == Role.OPERATOR
