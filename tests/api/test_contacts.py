"""POST /v1/contacts (the On-Premises contact check) and the contact profile."""

from __future__ import annotations

import json

import pytest

from sauti.contacts.models import Contact

pytestmark = pytest.mark.django_db


def patch(client, token, path, body):
    return client.patch(path, data=json.dumps(body) if not isinstance(body, str) else body,
                        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_contact_check_answers_wa_ids_in_turns_shape(api, workspace):
    response = api.post("/v1/contacts", {"blocking": "wait", "contacts": ["+27 82 000 0001", "27820000002",
                                                                          "not a number", "+1"]})
    assert response.status_code == 200
    assert response.json() == {"contacts": [
        {"input": "+27 82 000 0001", "status": "valid", "wa_id": "27820000001"},
        {"input": "27820000002", "status": "valid", "wa_id": "27820000002"},
        {"input": "not a number", "status": "invalid", "wa_id": None},
        {"input": "+1", "status": "invalid", "wa_id": None},
    ]}
    assert Contact.objects.count() == 0


@pytest.mark.parametrize(("body", "field"), [
    ({"blocking": "wait"}, "contacts"), ({"blocking": "soon", "contacts": ["1"]}, "blocking"),
    ({"contacts": []}, "contacts"),
])
def test_a_bad_contact_check_names_the_field(api, body, field):
    response = api.post("/v1/contacts", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["source"]["pointer"] == f"/{field}"


def test_profile_reads_and_changes_only_the_named_fields(client, api, api_token, workspace):
    Contact.objects.create(workspace=workspace, wa_id="27820000001", whatsapp_profile_name="Ana W",
                           fields={"district": "Lusaka"})
    profile = api.get("/v1/contacts/27820000001/profile").json()
    assert profile["version"] == "0.0.1-alpha"
    assert profile["fields"]["whatsapp_id"] == "27820000001" and profile["fields"]["district"] == "Lusaka"
    assert profile["fields"]["opted_in"] is False and profile["fields"]["name"] is None
    changed = patch(client, api_token, "/v1/contacts/27820000001/profile",
                    {"name": "Ana", "opted_in": True, "children": 2})
    assert changed.status_code == 200, changed.content
    fields = changed.json()["fields"]
    assert fields["name"] == "Ana" and fields["opted_in"] is True and fields["opted_in_at"].endswith("Z")
    assert fields["children"] == 2 and fields["district"] == "Lusaka"
    contact = Contact.objects.get(wa_id="27820000001")
    assert contact.name == "Ana" and contact.fields == {"district": "Lusaka", "children": 2}


@pytest.mark.parametrize(("body", "field"), [
    ({"whatsapp_id": "1"}, "whatsapp_id"), ({}, "body"), ("[1, 2]", "body"), ("not json", "body"),
    ({"two words": 1}, "two words"), ({"": 1}, "body"), ('{"name": "A\\u0000"}', "body"),
])
def test_profile_changes_that_cannot_be_made_name_the_field_and_change_nothing(client, api_token, workspace,
                                                                              body, field):
    Contact.objects.create(workspace=workspace, wa_id="27820000001")
    response = patch(client, api_token, "/v1/contacts/27820000001/profile", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["source"]["pointer"] == f"/{field}"
    assert Contact.objects.get().fields == {}


def test_an_unknown_or_foreign_contact_has_no_profile(client, api, workspace):
    from sauti.accounts.services import create_workspace

    other = create_workspace(name="Other", phone_number_id="555")
    Contact.objects.create(workspace=other, wa_id="27820000009")
    assert api.get("/v1/contacts/27820000009/profile").status_code == 404
