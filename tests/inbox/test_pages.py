"""The inbox pages as people see them: hidden numbers, searches and saved collections, bulk
actions, the profile pane, integration panels and suggestions, the live socket's door."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync

from sauti.accounts.models import Role
from sauti.accounts.services import update_workspace_settings
from sauti.inbox import panels
from sauti.inbox.models import Collection
from sauti.inbox.services import label_chat
from sauti.messaging.models import Chat
from tests.inbox.helpers import write_in
from tests.web.members import client_for, make_member, make_workspace

pytestmark = pytest.mark.django_db


def _page(client, workspace, path="") -> str:
    response = client.get(f"/w/{workspace.uuid}/inbox/{path}")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_hidden_numbers_are_masked_below_admin_everywhere_and_not_searchable(workspace) -> None:
    operator, admin = make_member(workspace, Role.OPERATOR), make_member(workspace, Role.ADMIN)
    chat = write_in("27821234567", "hello", name="")
    update_workspace_settings(workspace, actor=None, settings={"hide_numbers": True})
    for path in ("?c=open", f"{chat.uuid}/"):
        page = _page(client_for(operator), workspace, path)
        assert "27821234567" not in page and "+27 •••• ••67" in page
    assert "+27821234567" in _page(client_for(admin), workspace, f"{chat.uuid}/")
    assert "No chat matches" in _page(client_for(operator), workspace, "?q=1234567")
    assert "+27821234567" in _page(client_for(admin), workspace, "?q=1234567")


def test_search_finds_by_words_and_labels_and_saves_as_a_collection(workspace) -> None:
    operator = make_member(workspace, Role.OPERATOR)
    fever = write_in("27820000401", "my child has a fever", name="Thandi")
    write_in("27820000402", "opening hours?", name="Sipho")
    label_chat(fever, ["urgent"], actor=None)
    client = client_for(operator)
    page = _page(client, workspace, "?q=fever")
    assert "Thandi" in page and "Sipho" not in page
    assert "Thandi" in _page(client, workspace, "?q=label:URGENT") and "Sipho" not in page
    assert "takes a date" in _page(client, workspace, "?q=after:soon")
    response = client.post(f"/w/{workspace.uuid}/inbox/collections/", {"name": "Urgent", "q": "label:urgent",
                                                                        "shared": "1"})
    saved = Collection.objects.get(workspace=workspace, name="Urgent")
    assert saved.owner == operator  # operators save their own; sharing is for owners and admins
    assert response["Location"].endswith(f"?c={saved.uuid}")
    assert "Thandi" in _page(client, workspace, f"?c={saved.uuid}")


def test_bulk_actions_change_every_selected_chat_of_this_workspace_only(workspace) -> None:
    operator = make_member(workspace, Role.OPERATOR)
    chats = [write_in(f"2782000050{i}", "hi") for i in range(3)]
    other = make_workspace("Elsewhere")
    foreign = Chat.objects.create(workspace=other, contact=chats[0].contact.__class__.objects.create(
        workspace=other, wa_id="27820000599"))
    client = client_for(operator)
    client.post(f"/w/{workspace.uuid}/inbox/bulk/", {"action": "close", "reason": "Spam",
                                                     "chats": [str(c.uuid) for c in chats[:2]] + [str(foreign.uuid)]})
    states = [Chat.objects.get(id=c.id).state for c in chats]
    assert states == ["closed", "closed", "open"]
    assert Chat.objects.get(id=foreign.id).state == "open"
    client.post(f"/w/{workspace.uuid}/inbox/bulk/", {"action": "assign", "assignee": str(operator.uuid),
                                                     "chats": [str(chats[2].uuid)]})
    assert Chat.objects.get(id=chats[2].id).assigned_to == operator


def test_the_profile_pane_edits_fields_and_shows_errors_at_the_field(workspace) -> None:
    operator, viewer = make_member(workspace, Role.OPERATOR), make_member(workspace, Role.VIEWER)
    chat = write_in("27820000601", "hi")
    url = f"/w/{workspace.uuid}/inbox/{chat.uuid}/profile/"
    response = client_for(operator).post(url, {"field:name": "Thandi", "field:surname": "M", "field:language": "zul",
                                               "field:opted_in": "true"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    chat.contact.refresh_from_db()
    assert (chat.contact.name, chat.contact.language, chat.contact.opted_in) == ("Thandi", "zul", True)
    bad = client_for(operator).post(url, {"field:name": "Other", "field:language": "not a language!"},
                                    HTTP_HX_REQUEST="true")
    page = bad.content.decode()
    assert bad.status_code == 400 and 'role="alert"' in page
    chat.contact.refresh_from_db()
    assert chat.contact.name == "Thandi"  # nothing written when one value is refused
    unknown = client_for(operator).post(url, {"field:shoe_size": "42"}, HTTP_HX_REQUEST="true")
    assert unknown.status_code == 400 and "People fields" in unknown.content.decode()
    assert client_for(viewer).post(url, {"field:name": "X"}).status_code == 403


def test_integrations_add_panels_and_suggested_replies(workspace, monkeypatch) -> None:
    operator = make_member(workspace, Role.OPERATOR)
    chat = write_in("27820000701", "when is my appointment?")
    monkeypatch.setattr(panels, "_panels", {})
    monkeypatch.setattr(panels, "_suggestion_sources", [])
    panels.register_panel("crm", "Clinic record", lambda c, a: "<p>Next visit: 12 March</p>")
    panels.register_panel("broken", "Broken", lambda c, a: 1 / 0)
    panels.register_suggestions(lambda c: [{"text": "Your appointment is on 12 March.", "confidence": 0.9,
                                            "source": "Clinic bot"}])
    page = _page(client_for(operator), workspace, f"{chat.uuid}/")
    assert "Clinic record" in page and "Next visit: 12 March" in page and "Broken" not in page
    assert 'data-testid="suggestions"' in page and "Your appointment is on 12 March." in page


@pytest.mark.django_db(transaction=True)
def test_the_live_socket_opens_only_for_people_of_the_workspace(workspace) -> None:
    from asgiref.testing import ApplicationCommunicator

    from sauti.asgi import application

    member, outsider = make_member(workspace, Role.VIEWER), make_member(make_workspace("Other"), Role.ADMIN)

    def cookie_of(user) -> bytes:
        from django.test import Client

        client = Client()
        client.force_login(user)
        return f"sessionid={client.cookies['sessionid'].value}".encode()

    async def attempt(cookie: bytes) -> bool:
        path = f"/ws/w/{workspace.uuid}/inbox/"
        scope = {"type": "websocket", "path": path, "raw_path": path.encode(), "query_string": b"",
                 "headers": [(b"cookie", cookie), (b"host", b"testserver"), (b"origin", b"http://testserver")],
                 "subprotocols": []}
        communicator = ApplicationCommunicator(application, scope)
        await communicator.send_input({"type": "websocket.connect"})
        answer = await communicator.receive_output(5)
        await communicator.send_input({"type": "websocket.disconnect", "code": 1000})
        await communicator.wait(5)
        return answer["type"] == "websocket.accept"

    assert async_to_sync(attempt)(cookie_of(member)) is True
    assert async_to_sync(attempt)(cookie_of(outsider)) is False
    assert async_to_sync(attempt)(b"sessionid=nobody") is False
