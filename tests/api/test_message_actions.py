"""The legacy `hsm` template form, marking a message read (through the real fake Cloud API) and labels."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from sauti.accounts.models import Workspace
from sauti.messaging.channels.fake_cloud_api.server import FakeCloudAPIConfig, start_in_thread
from sauti.messaging.models import Message
from tests.api.support import approved_template
from tests.conftest import APP_SECRET, PHONE_NUMBER_ID
from tests.support import drain_tasks, post_webhook, text_webhook

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def fake():
    with start_in_thread(FakeCloudAPIConfig(port=0, webhook_url=None)) as running:
        yield running


@pytest.fixture
def inbound(client, workspace) -> Message:
    post_webhook(client, text_webhook(PHONE_NUMBER_ID, "27820000001", "hello", wamid="wamid.IN1"), APP_SECRET)
    drain_tasks()
    return Message.objects.get(provider_id="wamid.IN1")


def put(client: Any, token: str, path: str, body: Any) -> Any:
    return client.put(path, data=json.dumps(body), content_type="application/json",
                      HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_legacy_hsm_form_becomes_a_template_with_its_parameters_in_order(api, workspace):
    approved_template(workspace, "appointment", "Hi {{1}}, see you on {{2}}. Bring {{3}}.")
    response = api.post("/v1/messages", {"to": "27820000002", "type": "hsm", "hsm": {
        "namespace": "ns", "element_name": "appointment", "language": {"code": "en", "policy": "deterministic"},
        "localizable_params": [{"default": "Ana"}, {"default": "Tuesday"},
                               {"default": "$10", "currency": {"currency_code": "USD", "amount_1000": 10000}}]}})
    assert response.status_code == 200, response.content
    template = Message.objects.get().payload["template"]
    assert template["name"] == "appointment" and template["language"] == {"code": "en"}
    (body,) = template["components"]
    assert body["type"] == "body"
    assert body["parameters"][:2] == [{"type": "text", "text": "Ana"}, {"type": "text", "text": "Tuesday"}]
    # Currency and date-time parameters go as their text (`default`), checked like every other value.
    assert body["parameters"][2] == {"type": "text", "text": "$10"}


@pytest.mark.parametrize(("hsm", "field"), [
    ({"language": {"code": "en"}}, "hsm.element_name"),
    ({"element_name": "x"}, "hsm.language.code"),
    ({"element_name": "x", "language": {"code": "en"}, "localizable_params": [{"text": 1}]},
     "hsm.localizable_params.0"),
])
def test_a_bad_hsm_names_its_field(api, workspace, hsm, field):
    approved_template(workspace, "x", "Hello")
    response = api.post("/v1/messages", {"to": "27820000002", "type": "hsm", "hsm": hsm})
    assert response.status_code == 400
    assert f"'{field}'" in response.json()["errors"][0]["details"]


def test_marking_a_message_read_tells_whatsapp(client, api_token, workspace, inbound, fake,
                                               django_capture_on_commit_callbacks):
    Workspace.objects.filter(id=workspace.id).update(graph_url=f"{fake.url}/v23.0")
    with django_capture_on_commit_callbacks(execute=True):
        response = put(client, api_token, "/v1/messages/wamid.IN1", {"status": "read"})
    assert response.status_code == 200 and response.json() == {"success": True}
    drain_tasks()
    reads = httpx.get(f"{fake.url}/_fake/reads").json()["reads"]
    assert any(r.get("message_id") == "wamid.IN1" for r in reads), reads


def test_mark_read_refuses_other_statuses_and_unknown_or_outbound_messages(client, api, api_token, inbound):
    assert put(client, api_token, "/v1/messages/wamid.IN1", {"status": "delivered"}).status_code == 400
    assert put(client, api_token, "/v1/messages/wamid.nope", {"status": "read"}).status_code == 404
    sent = api.post("/v1/messages", {"to": "27820000001", "text": {"body": "hi"}}).json()["messages"][0]["id"]
    assert put(client, api_token, f"/v1/messages/{sent}", {"status": "read"}).status_code == 400


def test_labels_are_added_to_a_message_once_each(api, inbound):
    first = api.post("/v1/messages/wamid.IN1/labels", {"labels": ["urgent", "billing"]})
    assert first.status_code == 200 and first.json() == {"labels": ["urgent", "billing"]}
    second = api.post(f"/v1/messages/{inbound.uuid}/labels", {"labels": ["urgent", "vip"]})
    assert second.json() == {"labels": ["urgent", "billing", "vip"]}
    inbound.refresh_from_db()
    assert inbound.labels == ["urgent", "billing", "vip"]
    assert api.post("/v1/messages/wamid.IN1/labels", {"labels": [" "]}).status_code == 400
    assert api.post("/v1/messages/wamid.other/labels", {"labels": ["x"]}).status_code == 404


def test_another_workspaces_message_is_not_found(client, inbound):
    from sauti.accounts.services import create_workspace
    from sauti.api.services import create_token

    other = create_token(create_workspace(name="Other", phone_number_id="555"))[1]
    assert put(client, other, "/v1/messages/wamid.IN1", {"status": "read"}).status_code == 404
    labels = client.post("/v1/messages/wamid.IN1/labels", data=json.dumps({"labels": ["x"]}),
                         content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {other}")
    assert labels.status_code == 404


def test_templates_are_checked_against_the_stored_template_before_anything_is_queued(api, workspace):
    approved_template(workspace, "reminder", "Hi {{1}}, your visit is on {{2}}.")
    template = {"namespace": "ns", "name": "reminder", "language": {"code": "en", "policy": "deterministic"}}
    too_few = api.post("/v1/messages", {"to": "27820000002", "type": "template", "template": {
        **template, "components": [{"type": "body", "parameters": [{"type": "text", "text": "Ana"}]}]}})
    assert too_few.status_code == 400 and too_few.json()["errors"][0]["source"]["pointer"].startswith("/template/")
    unknown = api.post("/v1/messages", {"to": "27820000002", "type": "template",
                                        "template": {**template, "name": "nothing_like_it"}})
    assert unknown.status_code == 404 and unknown.json()["errors"][0]["code"] == -1
    other_language = api.post("/v1/messages", {"to": "27820000002", "type": "template",
                                               "template": {**template, "language": {"code": "pt_BR"}}})
    assert other_language.status_code == 404 and "has no 'pt_BR' version" in other_language.json()["errors"][0][
        "details"]
    assert Message.objects.count() == 0
    ok = api.post("/v1/messages", {"to": "27820000002", "type": "template", "template": {
        **template, "components": [{"type": "body", "parameters": [{"type": "text", "text": "Ana"},
                                                                   {"type": "text", "text": "Monday"}]}]}})
    assert ok.status_code == 200, ok.content
    assert "Hi Ana, your visit is on Monday." in Message.objects.get().text
