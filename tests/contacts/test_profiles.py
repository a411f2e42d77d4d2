"""Profile values through the schema: validated everywhere before anything is written, journeys'
unknown keys become text fields, opt-in time recorded, new people start with defaults."""

from __future__ import annotations

import datetime as dt

import pytest

from sauti.accounts.models import AuditEntry
from sauti.contacts.models import Contact, ContactField
from sauti.contacts.schema import FieldValueInvalid, check_values, schema_document
from sauti.contacts.services import (
    FieldDefinitionInvalid,
    apply_schema_document,
    contact_profile,
    create_contact,
    create_field,
    delete_field,
    normalise_wa_id,
    update_contact_fields,
    update_field,
    upsert_contact,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(workspace):
    create_field(workspace, key="age", type="number")
    create_field(workspace, key="gender", type="enum", choices=[{"value": "FEMALE", "display": "Female"}, "MALE"])
    create_field(workspace, key="next_visit", type="datetime")
    create_field(workspace, key="hiv_status", type="text", is_private=True)
    return workspace


@pytest.fixture
def ana(schema):
    return create_contact(schema, wa_id="+27 82 000 0001", values={"name": "Ana"})


def test_values_are_normalised_by_type_and_kept_in_columns_or_fields(ana) -> None:
    update_contact_fields(ana, {"age": "31", "gender": "female", "language": "POR", "birthday": "1994-05-02",
                                "next_visit": "2025-03-01 09:00", "location": "-33.9,18.4"})
    ana.refresh_from_db()
    assert ana.fields == {"age": 31, "gender": "FEMALE", "next_visit": "2025-03-01T09:00:00Z",
                          "location": {"latitude": -33.9, "longitude": 18.4}}
    assert (ana.language, ana.birthday) == ("por", dt.date(1994, 5, 2))
    profile = contact_profile(ana)
    assert profile["age"] == 31 and profile["name"] == "Ana" and profile["whatsapp_id"] == "27820000001"


def test_one_bad_value_means_nothing_is_written(ana) -> None:
    with pytest.raises(FieldValueInvalid) as caught:
        update_contact_fields(ana, {"name": "Ana Maria", "age": "thirty"})
    assert caught.value.field == "age" and "is not a number" in caught.value.message
    ana.refresh_from_db()
    assert ana.name == "Ana" and "age" not in ana.fields


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"shoe_size": 42}, "shoe_size", "there is no such field"),
    ({"whatsapp_id": "27820000002"}, "whatsapp_id", "set by WhatsApp"),
    ({"last_seen_at": "2025-01-01"}, "last_seen_at", "set by WhatsApp"),
    ({"language": "Portuguese"}, "language", "not a language code"),
    ({"opted_in": None}, "opted_in", "cannot be empty"),
    ({"gender": "other"}, "gender", "not one of the choices"),
    ({"name": "x" * 201}, "name", "longer than 200"),
])
def test_the_api_and_the_ui_get_a_clear_error_naming_the_field(schema, values, field, message) -> None:
    with pytest.raises(FieldValueInvalid) as caught:
        check_values(schema, values)
    assert caught.value.field == field and message in caught.value.message


def test_journeys_may_write_new_keys_which_become_text_fields(ana) -> None:
    update_contact_fields(ana, {"Lesson_1_Complete": "Next", "visits": 3}, source="journey")
    ana.refresh_from_db()
    assert ana.fields["lesson_1_complete"] == "Next" and ana.fields["visits"] == "3"
    created = ContactField.objects.get(workspace=ana.workspace, key="visits")
    assert (created.type, created.origin) == ("text", "journey")
    with pytest.raises(FieldValueInvalid):  # a key no field could have is still refused
        update_contact_fields(ana, {"not": "x"}, source="journey")


def test_opting_in_records_when(ana) -> None:
    before = dt.datetime.now(tz=dt.UTC) - dt.timedelta(seconds=1)
    update_contact_fields(ana, {"opted_in": "yes"})
    ana.refresh_from_db()
    assert ana.opted_in and ana.opted_in_at >= before
    given = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    other = create_contact(ana.workspace, wa_id="27820000002", values={"opted_in": True, "opted_in_at": given})
    assert other.opted_in_at == given


def test_a_persons_edit_is_audited_with_the_fields_not_the_values(ana, django_user_model) -> None:
    user = django_user_model.objects.create_user("op@example.org", "pw-123456789")
    update_contact_fields(ana, {"hiv_status": "positive"}, actor=user, source="ui")
    entry = AuditEntry.objects.get(action="contact_updated")
    assert entry.details == {"fields": ["hiv_status"], "source": "ui"} and "positive" not in str(entry.details)


def test_numbers_must_be_international(workspace) -> None:
    assert normalise_wa_id("+27 (82) 000-0001") == "27820000001"
    assert normalise_wa_id("0027820000001") == "27820000001"
    for bad in ("", "hello", "123", "+27 82 000 0001 ext 4"):
        with pytest.raises(FieldValueInvalid):
            normalise_wa_id(bad)
    create_contact(workspace, wa_id="27820000001")
    with pytest.raises(FieldValueInvalid) as caught:
        create_contact(workspace, wa_id="+27820000001")
    assert "already" in caught.value.message


def test_new_people_start_with_the_schema_defaults(workspace) -> None:
    create_field(workspace, key="consent", type="boolean", default=False, nullable=False)
    person = upsert_contact(workspace, wa_id="27820000009", profile_name="Zodwa")
    assert person.fields == {"consent": False}
    with pytest.raises(FieldValueInvalid):
        update_contact_fields(person, {"consent": ""})


def test_field_keys_follow_the_rules(workspace) -> None:
    for key, part in [("Age", "key"), ("name", "key"), ("and", "key"), ("2fa", "key"), ("a-b", "key")]:
        with pytest.raises(FieldDefinitionInvalid) as caught:
            create_field(workspace, key=key)
        assert caught.value.field == part
    with pytest.raises(FieldDefinitionInvalid) as caught:
        create_field(workspace, key="gender", type="enum", choices=[])
    assert caught.value.field == "choices"
    with pytest.raises(FieldDefinitionInvalid) as caught:
        create_field(workspace, key="level", type="number", default="high")
    assert caught.value.field == "default"


def test_reserved_fields_keep_their_type_but_take_a_display_name_and_privacy(schema) -> None:
    update_field(schema, "name", display_name="First name", is_private=True)
    fields = {f["name"]: f for f in schema_document(schema)["fields"]}
    assert fields["name"] == {"name": "name", "display": "First name", "type": "STRING", "default": None,
                              "null": True, "is_private": True, "custom": False}
    assert fields["gender"]["enum"] == [{"value": "FEMALE", "display": "Female"}, {"value": "MALE", "display": "MALE"}]
    assert fields["whatsapp_id"]["read_only"] is True
    with pytest.raises(FieldDefinitionInvalid):
        delete_field(schema, "name")


def test_deleting_a_field_deletes_everyones_value_of_it(ana) -> None:
    update_contact_fields(ana, {"age": 3, "gender": "MALE"})
    other = create_contact(ana.workspace, wa_id="27820000002", values={"age": 9})
    assert delete_field(ana.workspace, "age") == 2
    ana.refresh_from_db()
    other.refresh_from_db()
    assert ana.fields == {"gender": "MALE"} and other.fields == {}
    assert not ContactField.objects.filter(key="age").exists()


def test_turns_schema_document_creates_and_updates_fields(workspace) -> None:
    apply_schema_document(workspace, {"version": "0.0.1-alpha", "fields": [
        {"name": "consent", "display": "Consent Given", "type": "BOOLEAN", "default": False, "is_private": True},
        {"name": "gender", "type": "ENUM", "null": False, "default": "UNDISCLOSED",
         "enum": [{"value": "MALE", "display": "Male"}, {"value": "UNDISCLOSED", "display": "Rather not say"}]},
    ]})
    fields = {f["name"]: f for f in schema_document(workspace)["fields"]}
    assert fields["consent"]["is_private"] and fields["consent"]["type"] == "BOOLEAN"
    assert fields["gender"]["null"] is False and fields["gender"]["default"] == "UNDISCLOSED"
    with pytest.raises(FieldDefinitionInvalid) as caught:
        apply_schema_document(workspace, {"fields": [{"name": "consent", "type": "STRING"}]})
    assert caught.value.field == "fields[0].type"
    assert Contact.objects.count() == 0


def test_the_profile_document_has_every_field_in_json_form(ana) -> None:
    from sauti.contacts.schema import profile_document

    update_contact_fields(ana, {"age": 31, "next_visit": "2025-03-01T09:00:00Z", "birthday": "1994-05-02",
                                "opted_in": True})
    document = profile_document(ana)
    assert document["age"] == 31 and document["next_visit"] == "2025-03-01T09:00:00Z"
    assert document["birthday"] == "1994-05-02" and document["whatsapp_id"] == "27820000001"
    assert document["opted_in"] is True and document["opted_in_at"].endswith("Z") and document["gender"] is None
    assert "hiv_status" in document and "hiv_status" not in profile_document(ana, private_hidden=True)
