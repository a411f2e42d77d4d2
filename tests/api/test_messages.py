"""POST /v1/messages and GET /v1/contacts/<wa_id>/messages, with Turn's shapes and errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from sauti.api.services import create_token, revoke_token
from sauti.contacts.models import Contact
from sauti.messaging.models import Chat, Message, Outbox
from sauti.messaging.services import chat_for
from tests.conftest import APP_SECRET, PHONE_NUMBER_ID
from tests.support import drain_tasks, post_webhook, text_webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(workspace):
    contact = Contact.objects.create(workspace=workspace, wa_id="27820000001")
    chat = chat_for(contact)
    now = timezone.now()
    Chat.objects.filter(id=chat.id).update(last_inbound_at=now, window_expires_at=now + dt.timedelta(hours=24))
    return contact


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"errors"}
    (error,) = body["errors"]
    assert {"code", "title", "details"} <= set(error)
    return error


def test_text_in_turns_on_premises_shape_is_queued(api, ana):
    response = api.post("/v1/messages", {"preview_url": True, "recipient_type": "individual", "to": "27820000001",
                                         "type": "text", "text": {"body": "hello"}})
    assert response.status_code == 200
    (item,) = response.json()["messages"]
    message = Message.objects.get(uuid=item["id"])
    assert message.payload == {"type": "text", "text": {"body": "hello", "preview_url": True}}
    assert message.status == "queued" and Outbox.objects.filter(message=message, state="queued").exists()


def test_cloud_api_shape_and_missing_type_are_accepted(api, ana):
    assert api.post("/v1/messages", {"messaging_product": "whatsapp", "to": "27820000001",
                                     "text": {"body": "no type"}}).status_code == 200


@pytest.mark.parametrize("body", [
    {"to": "27820000001", "type": "image", "image": {"link": "https://example.org/a.png", "caption": "A"}},
    {"to": "27820000001", "type": "document", "document": {"id": "123", "filename": "a.pdf"}},
    {"to": "27820000001", "type": "interactive", "interactive": {
        "type": "button", "body": {"text": "Continue?"},
        "action": {"buttons": [{"type": "reply", "reply": {"id": "yes", "title": "Yes"}}]}}},
    {"to": "27820000001", "type": "interactive", "interactive": {
        "type": "list", "body": {"text": "Pick"}, "action": {"button": "Options", "sections": [
            {"title": "A", "rows": [{"id": "r1", "title": "Row 1"}]}]}}},
    {"to": "27820000001", "type": "reaction", "reaction": {"message_id": "wamid.1", "emoji": "👍"}},
    {"to": "27820000001", "type": "location", "location": {"latitude": 1.5, "longitude": 2.5}},
])
def test_every_message_type_is_accepted(api, ana, body):
    response = api.post("/v1/messages", body)
    assert response.status_code == 200, response.content
    assert Message.objects.get().type == body["type"]


def test_a_template_goes_out_even_outside_the_window(api, workspace):
    from tests.api.support import approved_template

    approved_template(workspace, "hello_world", "Hello {{1}}")
    body = {"to": "27820000099", "type": "template", "template": {
        "namespace": "legacy-ns", "name": "hello_world", "language": {"code": "en", "policy": "deterministic"},
        "components": [{"type": "BODY", "parameters": [{"type": "text", "text": "Ana"}]}]}}
    response = api.post("/v1/messages", body)
    assert response.status_code == 200, response.content
    payload = Message.objects.get().payload
    assert payload["template"]["language"] == {"code": "en"}
    assert payload["template"]["components"][0]["type"] == "body"
    assert "namespace" not in payload["template"]


def test_free_form_outside_the_window_is_refused_with_a_clear_error(api, workspace):
    response = api.post("/v1/messages", {"to": "27820000099", "text": {"body": "hello"}})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == 470 and "24-hour" in error["details"]
    assert Message.objects.count() == 0


@pytest.mark.parametrize(("body", "field"), [
    ({"text": {"body": "x"}}, "to"),
    ({"to": "27820000001", "type": "text", "text": {}}, "text.body"),
    ({"to": "27820000001", "type": "carrier-pigeon"}, "type"),
    ({"to": "27820000001", "type": "image", "image": {"id": "1", "link": "https://x"}}, "image"),
    ({"to": "27820000001", "type": "template", "template": {"name": "x"}}, "template.language.code"),
    ({"to": "27820000001", "type": "interactive", "interactive": {"type": "button", "body": {"text": "x"},
      "action": {"buttons": []}}}, "interactive.action.buttons"),
])
def test_bad_bodies_name_the_field(api, ana, body, field):
    response = api.post("/v1/messages", body)
    assert response.status_code == 400
    error = error_of(response)
    assert f"'{field}'" in error["details"]
    assert error["code"] in (1008, 1009)
    assert Message.objects.count() == 0


def test_requests_without_a_valid_token_are_refused(client, workspace, api_token):
    assert client.post("/v1/messages", data="{}", content_type="application/json").status_code == 401
    bad = client.get("/v1/contacts/1/messages", HTTP_AUTHORIZATION="Bearer sauti_nope")
    assert bad.status_code == 401 and error_of(bad)["code"] == 1005
    row, token = create_token(workspace, name="old")
    revoke_token(row)
    assert client.get("/v1/contacts/1/messages", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_a_token_only_reaches_its_own_workspace(client, workspace, ana):
    from sauti.accounts.services import create_workspace

    other = create_workspace(name="Other", phone_number_id="555", app_secret="x")
    token = create_token(other)[1]
    response = client.get("/v1/contacts/27820000001/messages", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404


def test_history_is_newest_first_in_whatsapp_format_with_vnd(client, api, workspace):
    for i in range(3):
        body = text_webhook(PHONE_NUMBER_ID, "27820000001", f"in {i}", wamid=f"wamid.in{i}",
                            timestamp=1_700_000_000 + i)
        post_webhook(client, body, APP_SECRET)
    drain_tasks()
    Chat.objects.update(window_expires_at=timezone.now() + dt.timedelta(hours=1))
    api.post("/v1/messages", {"to": "27820000001", "text": {"body": "out"}})
    data = api.get("/v1/contacts/27820000001/messages").json()
    assert data["chat"]["owner"] == "27820000001" and data["chat"]["state"] == "OPEN"
    assert data["chat"]["unread_count"] == 3 and data["chat"]["assigned_to"] is None
    texts = [m["text"]["body"] for m in data["messages"]]
    assert texts == ["out", "in 2", "in 1", "in 0"]
    outbound, newest_in = data["messages"][0], data["messages"][1]
    assert outbound["_vnd"]["v1"]["direction"] == "outbound" and outbound["_vnd"]["v1"]["author"]["type"] == "SYSTEM"
    assert newest_in["_vnd"]["v1"]["direction"] == "inbound"
    assert newest_in["from"] == "27820000001" and newest_in["id"] == "wamid.in2"
    assert newest_in["timestamp"] == str(1_700_000_002)


def test_history_of_an_unknown_contact_is_404(api):
    response = api.get("/v1/contacts/27829999999/messages")
    assert response.status_code == 404 and error_of(response)["code"] == 1006


def test_openapi_document_is_served(client):
    raw = client.get("/api/openapi.json").content
    keys_seen: list[list[str]] = []
    schema = json.loads(raw, object_pairs_hook=lambda pairs: keys_seen.append([k for k, _ in pairs]) or dict(pairs))
    assert all(len(keys) == len(set(keys)) for keys in keys_seen)  # no duplicated key anywhere
    assert "/v1/messages" in schema["paths"]
    assert schema["paths"]["/v1/messages"]["post"]["x-scope"] == "messages:write"
    assert all(op.get("x-scope") for path in schema["paths"].values() for op in path.values())
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
