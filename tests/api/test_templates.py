"""Templates through Graph-style paths: list, create (JSON or form, Bearer or access_token), delete."""

from __future__ import annotations

import json

import pytest

from sauti.content.models import MessageTemplate
from tests.api.support import approved_template
from tests.conftest import WABA_ID

pytestmark = pytest.mark.django_db
BODY = {"name": "visit_reminder", "language": "en_US", "category": "UTILITY",
        "components": [{"type": "BODY", "text": "Hi {{1}}, see you soon.", "example": {"body_text": [["Ana"]]}}]}


def test_list_in_graphs_shape_with_the_token_as_header_or_parameter(client, workspace, api_token):
    approved_template(workspace, "hello_world", "Hello {{1}}")
    by_header = client.get(f"/graph/v23.0/{WABA_ID}/message_templates", HTTP_AUTHORIZATION=f"Bearer {api_token}")
    assert by_header.status_code == 200
    (item,) = by_header.json()["data"]
    assert item["name"] == "hello_world" and item["status"] == "APPROVED" and item["language"] == "en"
    by_param = client.get(f"/v3.3/{WABA_ID}/message_templates", {"access_token": api_token})
    assert by_param.json() == by_header.json()
    assert client.get(f"/v3.3/{WABA_ID}/message_templates").status_code == 401
    assert client.get("/v3.3/999/message_templates", {"access_token": api_token}).status_code == 404


def test_create_from_a_form_or_json_submits_it_and_bad_ones_name_the_field(client, workspace, api_token,
                                                                             django_capture_on_commit_callbacks):
    form = {**BODY, "components": json.dumps(BODY["components"]), "access_token": api_token}
    created = client.post(f"/v3.3/{WABA_ID}/message_templates", form)
    assert created.status_code == 201, created.content
    template = MessageTemplate.objects.get(name="visit_reminder")
    assert created.json()["id"] == str(template.uuid) and template.status == "SUBMITTING"
    again = client.post(f"/graph/v23.0/{WABA_ID}/message_templates", data=json.dumps({**BODY, "language": "pt_BR"}),
                        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api_token}")
    assert again.status_code == 201
    bad = client.post(f"/graph/v23.0/{WABA_ID}/message_templates", data=json.dumps({**BODY, "name": "Bad Name"}),
                      content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api_token}")
    assert bad.status_code == 400 and bad.json()["errors"][0]["source"]["pointer"] == "/name"


def test_delete_by_name_removes_every_language(client, workspace, api_token):
    approved_template(workspace, "old_news", "Old")
    approved_template(workspace, "old_news", "Velho", language="pt_BR")
    deleted = client.delete(f"/graph/v23.0/{WABA_ID}/message_templates?name=old_news",
                            HTTP_AUTHORIZATION=f"Bearer {api_token}")
    assert deleted.status_code == 200 and deleted.json() == {"success": True}
    assert not MessageTemplate.objects.filter(name="old_news").exclude(status="DELETED").exists()
    again = client.delete(f"/graph/v23.0/{WABA_ID}/message_templates?name=old_news",
                          HTTP_AUTHORIZATION=f"Bearer {api_token}")
    assert again.status_code == 404
