"""The permission matrix: every inbox page and action, for every role, a site administrator, an
admin of another workspace and nobody signed in (spec: every page checks the role)."""

from __future__ import annotations

import pytest
from django.test import Client

from sauti.accounts.models import Role
from sauti.inbox.models import Collection, Label
from sauti.inbox.services import label_chat
from tests.inbox.helpers import last_message, write_in
from tests.web.members import client_for, make_member, make_user, make_workspace

pytestmark = pytest.mark.django_db

EVERYONE = {"owner", "admin", "editor", "operator", "viewer", "superuser"}
HELPDESK = {"owner", "admin", "operator", "superuser"}
MANAGERS = {"owner", "admin", "superuser"}
PEOPLE_EDIT = HELPDESK | {"editor"}

# (name, method, path under /w/<ws>/inbox/, form data, who may)
MATRIX = [
    ("home", "get", "", {}, EVERYONE),
    ("collection", "get", "?c=unassigned", {}, EVERYONE),
    ("search", "get", "?q=label:vip+state:open", {}, EVERYONE),
    ("list", "get", "list/?c=open", {}, EVERYONE),
    ("chat", "get", "{chat}/", {}, EVERYONE),
    ("thread", "get", "{chat}/thread/", {}, EVERYONE),
    ("reply", "post", "{chat}/reply/", {"text": "hello"}, HELPDESK),
    ("template", "post", "{chat}/template/", {"template": "x"}, HELPDESK),
    ("note", "post", "{chat}/note/", {"text": "a note"}, HELPDESK),
    ("assign", "post", "{chat}/assign/", {}, HELPDESK),
    ("unassign", "post", "{chat}/unassign/", {}, HELPDESK),
    ("close", "post", "{chat}/close/", {"reason": "Resolved"}, HELPDESK),
    ("reopen", "post", "{chat}/reopen/", {}, HELPDESK),
    ("hand-back", "post", "{chat}/hand-back/", {}, HELPDESK),
    ("label", "post", "{chat}/labels/", {"name": "vip"}, HELPDESK),
    ("unlabel", "post", "{chat}/labels/{label}/remove/", {}, HELPDESK),
    ("profile", "post", "{chat}/profile/", {"field:name": "Ana"}, PEOPLE_EDIT),
    ("message-label", "post", "{chat}/messages/{message}/label/", {"name": "urgent"}, HELPDESK),
    ("message-done", "post", "{chat}/messages/{message}/done/", {"done": "1"}, HELPDESK),
    ("react", "post", "{chat}/messages/{message}/react/", {"emoji": "👍"}, HELPDESK),
    ("bulk", "post", "bulk/", {"action": "close", "chats": "{chat}"}, HELPDESK),
    ("availability", "post", "availability/", {"available": "1"}, HELPDESK),
    ("collection-save", "post", "collections/", {"name": "VIPs", "q": "label:vip"}, HELPDESK),
    ("collection-delete", "post", "collections/{collection}/delete/", {}, MANAGERS),
    ("settings", "get", "settings/", {}, MANAGERS),
    ("settings-save", "post", "settings/", {"routing_enabled": "on", "routing_capacity": "5"}, MANAGERS),
    ("label-create", "post", "settings/labels/", {"name": "new one", "colour": "blue"}, MANAGERS),
    ("label-delete", "post", "settings/labels/{label}/delete/", {}, MANAGERS),
]


@pytest.fixture
def setup(workspace):
    elsewhere = make_workspace("Another organisation")
    users = {role: make_member(workspace, role) for role in ("viewer", "operator", "editor", "admin", "owner")}
    users["superuser"] = make_user(superuser=True)
    users["other_admin"] = make_member(elsewhere, Role.ADMIN)
    chat = write_in("27820000201", "hello")
    label_chat(chat, ["vip"], actor=None)
    return {"workspace": workspace, "users": users, "chat": chat, "message": last_message(chat),
            "label": Label.objects.get(workspace=workspace, name="vip"),
            "collection": Collection.objects.create(workspace=workspace, name="Shared", query="is:unread")}


@pytest.mark.parametrize(("name", "method", "path", "data", "allowed"), MATRIX, ids=[m[0] for m in MATRIX])
def test_each_role_may_do_exactly_what_the_table_says(setup, name, method, path, data, allowed) -> None:
    ids = {"chat": setup["chat"].uuid, "message": setup["message"].uuid, "label": setup["label"].uuid,
           "collection": setup["collection"].uuid}
    form = {k: v.format(**ids) for k, v in data.items()}
    for role, user in setup["users"].items():
        if name == "collection-delete":  # each try removes one: give every role its own
            ids["collection"] = Collection.objects.create(workspace=setup["workspace"], name=role, query="x").uuid
        if name == "label-delete":
            ids["label"] = Label.objects.create(workspace=setup["workspace"], name=role).uuid
        url = f"/w/{setup['workspace'].uuid}/inbox/" + path.format(**ids)
        response = getattr(client_for(user), method)(url, form)
        if role == "other_admin":
            assert response.status_code == 404, (name, role)
        elif role in allowed:
            assert response.status_code in (200, 302, 400), (name, role, response.status_code)
        else:
            assert response.status_code == 403, (name, role, response.status_code)
    url = f"/w/{setup['workspace'].uuid}/inbox/" + path.format(**ids)
    anonymous = getattr(Client(), method)(url, form)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/"), name


def test_a_chat_of_another_workspace_is_the_same_404_as_a_missing_one(setup) -> None:
    other = make_workspace("Elsewhere")
    admin = make_member(other, Role.ADMIN)
    client = client_for(admin)
    theirs = f"/w/{other.uuid}/inbox/{setup['chat'].uuid}/"
    missing = f"/w/{other.uuid}/inbox/00000000-0000-0000-0000-000000000000/"
    assert client.get(theirs).status_code == client.get(missing).status_code == 404
    assert client.post(theirs + "reply/", {"text": "hi"}).status_code == 404
    assert client.get(f"/w/{other.uuid}/inbox/not-a-uuid/").status_code == 404


def test_someone_elses_own_collection_is_not_found(setup) -> None:
    operator, other = setup["users"]["operator"], setup["users"]["admin"]
    mine = Collection.objects.create(workspace=setup["workspace"], name="Mine", query="is:unread", owner=operator)
    url = f"/w/{setup['workspace'].uuid}/inbox/?c={mine.uuid}"
    assert client_for(operator).get(url).status_code == 200
    assert client_for(other).get(url).status_code == 404
