"""Context integrations against a real HTTP server: handshake, context refreshed as the
conversation unfolds, what the inbox panel reads, actions, and failures kept visible."""

from __future__ import annotations

import pytest

from sauti.accounts.services import update_workspace_settings
from sauti.integrations import services
from sauti.integrations.context import IntegrationError, context_for_chat, run_action
from sauti.integrations.models import ContextSnapshot, Integration
from sauti.integrations.signing import verify
from sauti.messaging.models import Chat
from tests.conftest import APP_SECRET, PHONE_NUMBER_ID
from tests.integrations.receiver import Receiver, settle
from tests.support import post_webhook, text_webhook

pytestmark = pytest.mark.django_db(transaction=True)
WA = "27820000001"


def answer(path, body):
    if body == {"handshake": True}:
        return 200, {"version": "1.0.0-alpha", "capabilities": {
            "actions": True, "suggested_responses": True,
            "context_objects": [{"title": "Profile", "code": "profile", "type": "table", "icon": "none"},
                                {"title": "Visits", "code": "visits", "type": "ordered-list"}]}}
    if path.endswith("/action/remind"):
        return 200, {}
    last = body["messages"][0]["text"]["body"]
    return 200, {"version": "1.0.0-alpha",
                 "context_objects": {"profile": {"Clinic": "Lusaka Central", "Last said": last},
                                     "visits": ["2024-01-10 antenatal", "2024-03-02 antenatal"],
                                     "undeclared": {"x": 1}},
                 "suggested_responses": [{"type": "TEXT", "title": "Next visit", "body": "Your next visit is Monday",
                                          "confidence": 0.8}],
                 "actions": {"remind": {"description": "Send a reminder", "url": receiver_url + "/action/remind",
                                        "payload": {"visit": 3}, "options": {"sms": "By SMS", "wa": "On WhatsApp"}}}}


receiver_url = ""


@pytest.fixture
def crm():
    global receiver_url
    with Receiver(answer) as running:
        receiver_url = running.url
        yield running


@pytest.fixture
def ws(workspace):
    update_workspace_settings(workspace, actor=None, settings={"journey_http_allow_hosts": ["127.0.0.1"]})
    workspace.refresh_from_db()
    return workspace


def say(client, body: str, n: int) -> None:
    post_webhook(client, text_webhook(PHONE_NUMBER_ID, WA, body, wamid=f"wamid.c{n}", timestamp=1_800_000_000 + n),
                 APP_SECRET)


def connected(ws, crm) -> Integration:
    integration = services.create_integration(ws, name="Clinic records", url=crm.url, actor=None)
    settle(lambda: Integration.objects.get(id=integration.id).handshake_at is not None)
    integration.refresh_from_db()
    return integration


def test_handshake_keeps_what_the_integration_offers_signed(ws, crm):
    integration = connected(ws, crm)
    assert integration.version == "1.0.0-alpha" and integration.last_error == ""
    assert integration.capabilities == {"actions": True, "suggested_responses": True, "context_objects": [
        {"code": "profile", "title": "Profile", "type": "table", "icon": "none"},
        {"code": "visits", "title": "Visits", "type": "ordered-list", "icon": "none"}]}
    (request,) = crm.requests
    assert request.json == {"handshake": True}
    assert verify(request.raw, request.headers["x-turn-hook-signature"], integration.secret)


def test_context_follows_the_conversation_and_the_panel_reads_it_without_calling_out(client, ws, crm):
    connected(ws, crm)
    say(client, "Hello", 1)
    settle(lambda: ContextSnapshot.objects.exists())
    asked = crm.requests[-1].json
    assert asked["chat"]["owner"] == WA and asked["contacts"][0]["wa_id"] == WA
    assert asked["messages"][0]["text"]["body"] == "Hello"
    chat = Chat.objects.get()
    calls = len(crm.requests)
    (panel,) = context_for_chat(chat)
    assert len(crm.requests) == calls  # reading the panel calls nobody
    assert panel["integration"]["name"] == "Clinic records"
    assert [(o["code"], o["value"]) for o in panel["context_objects"]] == [
        ("profile", {"Clinic": "Lusaka Central", "Last said": "Hello"}),
        ("visits", ["2024-01-10 antenatal", "2024-03-02 antenatal"])]  # undeclared objects are dropped
    assert panel["suggested_responses"][0]["body"] == "Your next visit is Monday"
    assert panel["actions"]["remind"]["options"] == {"sms": "By SMS", "wa": "On WhatsApp"}
    say(client, "I moved house", 2)
    settle(lambda: context_for_chat(chat)[0]["context_objects"][0]["value"]["Last said"] == "I moved house")


def test_an_action_posts_the_message_option_and_payload(client, ws, crm):
    integration = connected(ws, crm)
    say(client, "Hello", 1)
    settle(lambda: ContextSnapshot.objects.exists())
    chat = Chat.objects.get()
    with pytest.raises(IntegrationError, match="choose one of"):
        run_action(integration, chat, "remind", "carrier pigeon")
    with pytest.raises(IntegrationError, match="no action"):
        run_action(integration, chat, "launch", None)
    run_action(integration, chat, "remind", "sms")
    request = crm.requests[-1]
    assert request.path == "/hook/action/remind"
    assert request.json["option"] == "sms" and request.json["payload"] == {"visit": 3}
    assert request.json["message"]["text"]["body"] == "Hello"
    assert verify(request.raw, request.headers["x-turn-hook-signature"], integration.secret)


def test_an_integration_that_does_not_answer_keeps_the_last_context_and_says_why(client, ws, crm):
    connected(ws, crm)
    say(client, "Hello", 1)
    settle(lambda: ContextSnapshot.objects.exists())
    crm.statuses.append(500)
    say(client, "Again", 2)
    settle(lambda: ContextSnapshot.objects.get().error != "")
    (panel,) = context_for_chat(Chat.objects.get())
    assert "HTTP 500" in panel["error"]
    assert panel["context_objects"][0]["value"]["Last said"] == "Hello"


def test_a_handshake_that_fails_is_shown(ws):
    with Receiver(lambda path, body: (200, {"no": "capabilities"})) as bad:
        integration = services.create_integration(ws, name="Broken", url=bad.url, actor=None)
        settle(lambda: Integration.objects.get(id=integration.id).last_error != "")
    integration.refresh_from_db()
    assert "capabilities" in integration.last_error and integration.handshake_at is None


def test_the_inbox_panel_and_suggestions_show_the_snapshot_and_actions_go_to_a_worker(client, ws, crm):
    from django.test import Client

    from sauti.accounts.models import Role
    from sauti.integrations.panel import render_panel, suggestions
    from sauti.web.workspaces import Access
    from tests.web.members import client_for, make_member

    integration = connected(ws, crm)
    say(client, "Hello", 1)
    settle(lambda: ContextSnapshot.objects.exists())
    chat = Chat.objects.get()
    operator = make_member(ws, Role.OPERATOR)
    html = render_panel(chat, Access(operator, ws, Role.OPERATOR))
    assert "Clinic records" in html and "Lusaka Central" in html and "2024-03-02 antenatal" in html
    assert "Send a reminder" in html and "By SMS" in html
    assert "Send a reminder" not in render_panel(chat, Access(operator, ws, Role.VIEWER))  # viewers cannot act
    assert suggestions(chat) == [{"text": "Your next visit is Monday", "title": "Next visit", "confidence": 0.8,
                                  "source": "Clinic records"}]
    url = f"/w/{ws.uuid}/settings/webhooks/integrations/{integration.uuid}/chats/{chat.uuid}/act/"
    viewer = client_for(make_member(ws, Role.VIEWER))
    assert viewer.post(url, {"action": "remind", "option": "sms"}).status_code == 403
    assert Client().post(url)["Location"].startswith("/login/")
    calls = len(crm.requests)
    answer_ = client_for(operator).post(url, {"action": "remind", "option": "wa"})
    assert answer_.status_code == 200 and "Sent to Clinic records" in answer_.content.decode()
    settle(lambda: any(r.path.endswith("/action/remind") for r in crm.requests[calls:]))
    action_call = next(r for r in crm.requests[calls:] if r.path.endswith("/action/remind"))
    assert action_call.json["option"] == "wa"


def test_the_inbox_conversation_shows_the_integrations_panel_and_suggestion(client, ws, crm):
    from sauti.accounts.models import Role
    from tests.web.members import client_for, make_member

    connected(ws, crm)
    say(client, "Hello", 1)
    settle(lambda: ContextSnapshot.objects.exists())
    chat = Chat.objects.get()
    Chat.objects.filter(id=chat.id).update(window_expires_at=chat.last_inbound_at + __import__("datetime").timedelta(
        days=3650))
    page = client_for(make_member(ws, Role.OPERATOR)).get(f"/w/{ws.uuid}/inbox/{chat.uuid}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lusaka Central" in html and "Send a reminder" in html
    assert "Your next visit is Monday" in html
