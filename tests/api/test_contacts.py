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


SCHEMA = {"version": "0.0.1-alpha", "fields": [
    {"name": "district", "display": "District", "type": "STRING", "is_private": False},
    {"name": "children", "display": "Children", "type": "NUMBER"},
    {"name": "consent", "display": "Consent Given", "type": "BOOLEAN", "default": False, "is_private": True},
    {"name": "gender", "display": "Gender", "type": "ENUM", "null": False, "default": "UNDISCLOSED",
     "enum": [{"value": "FEMALE", "display": "Female"}, {"value": "MALE", "display": "Male"},
              {"value": "UNDISCLOSED", "display": "Undisclosed"}]}]}


def test_the_field_schema_is_turns_and_a_post_adds_fields(api, workspace):
    before = api.get("/v1/contacts/schemas").json()
    names = [f["name"] for f in before["fields"]]
    assert {"name", "surname", "language", "opted_in", "whatsapp_id"} <= set(names)
    assert all({"name", "display", "type", "is_private", "custom"} <= set(f) for f in before["fields"])
    after = api.post("/v1/contacts/schemas", SCHEMA)
    assert after.status_code == 200, after.content
    fields = {f["name"]: f for f in after.json()["fields"]}
    assert fields["gender"]["type"] == "ENUM" and fields["gender"]["custom"] is True
    assert fields["consent"]["is_private"] is True
    assert after.json()["uuid"] != before["uuid"]
    bad = api.post("/v1/contacts/schemas", {"fields": [{"name": "x", "type": "COLOUR"}]})
    assert bad.status_code == 400 and bad.json()["errors"][0]["source"]["pointer"] == "/fields/0/type"


def test_profile_reads_and_changes_only_the_named_fields(client, api, api_token, workspace):
    api.post("/v1/contacts/schemas", SCHEMA)
    Contact.objects.create(workspace=workspace, wa_id="27820000001", whatsapp_profile_name="Ana W",
                           fields={"district": "Lusaka"})
    profile = api.get("/v1/contacts/27820000001/profile").json()
    assert profile["version"] == "0.0.1-alpha"
    assert profile["fields"]["whatsapp_id"] == "27820000001" and profile["fields"]["district"] == "Lusaka"
    assert profile["fields"]["opted_in"] is False and profile["fields"]["name"] is None
    changed = patch(client, api_token, "/v1/contacts/27820000001/profile",
                    {"name": "Ana", "opted_in": True, "children": 2, "gender": "FEMALE"})
    assert changed.status_code == 200, changed.content
    fields = changed.json()["fields"]
    assert fields["name"] == "Ana" and fields["opted_in"] is True and fields["opted_in_at"].endswith("Z")
    assert fields["children"] == 2 and fields["district"] == "Lusaka" and fields["gender"] == "FEMALE"
    contact = Contact.objects.get(wa_id="27820000001")
    assert contact.name == "Ana" and contact.fields["district"] == "Lusaka"


def test_a_value_the_schema_refuses_names_the_field_and_changes_nothing(client, api, api_token, workspace):
    api.post("/v1/contacts/schemas", SCHEMA)
    Contact.objects.create(workspace=workspace, wa_id="27820000001")
    for body, field in (({"name": "Ana", "gender": "ROBOT"}, "gender"), ({"children": "many"}, "children"),
                        ({"shoe_size": 42}, "shoe_size")):
        response = patch(client, api_token, "/v1/contacts/27820000001/profile", body)
        assert response.status_code == 400, body
        assert response.json()["errors"][0]["source"]["pointer"] == f"/{field}"
    assert Contact.objects.get().name == ""


def test_bulk_import_creates_updates_and_reports_each_bad_row(api, workspace):
    api.post("/v1/contacts/schemas", SCHEMA)
    Contact.objects.create(workspace=workspace, wa_id="27820000001", name="Old")
    response = api.post("/v1/contacts/import", {"contacts": [
        {"whatsapp_id": "+27 82 000 0001", "name": "Ana"},
        {"whatsapp_id": "27820000002", "name": "Ben", "children": 3},
        {"whatsapp_id": "not a number"},
        {"whatsapp_id": "27820000003", "gender": "ROBOT"},
    ]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["invalid"]) == (1, 1, 2)
    assert [r["status"] for r in body["contacts"]] == ["updated", "created", "invalid", "invalid"]
    assert body["contacts"][3]["error"]["field"] == "gender"
    assert Contact.objects.get(wa_id="27820000001").name == "Ana"
    assert Contact.objects.get(wa_id="27820000002").fields["children"] == 3
    assert not Contact.objects.filter(wa_id="27820000003").exists()
    skipped = api.post("/v1/contacts/import", {"contacts": [{"whatsapp_id": "27820000001", "name": "Zed"}],
                                               "update_existing": False}).json()
    assert skipped["skipped"] == 1 and Contact.objects.get(wa_id="27820000001").name == "Ana"


def test_deleting_a_contact_erases_them_and_only_in_this_workspace(client, api, api_token, workspace):
    from sauti.accounts.services import create_workspace
    from sauti.api.services import create_token

    Contact.objects.create(workspace=workspace, wa_id="27820000001")
    other = create_token(create_workspace(name="Other", phone_number_id="555"))[1]
    assert client.delete("/v1/contacts/27820000001", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
    response = client.delete("/v1/contacts/27820000001", HTTP_AUTHORIZATION=f"Bearer {api_token}")
    assert response.status_code == 200 and response.json()["success"] is True
    assert not Contact.objects.filter(wa_id="27820000001").exists()
    assert client.delete("/v1/contacts/27820000001", HTTP_AUTHORIZATION=f"Bearer {api_token}").status_code == 404


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
