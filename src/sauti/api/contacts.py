"""/v1/contacts: the On-Premises contact check and the contact profile (read and change)."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

import phonenumbers
from django.http import HttpRequest
from ninja import Field, Router, Schema

from sauti.accounts.models import Workspace
from sauti.api.auth import needs
from sauti.api.errors import invalid, not_found
from sauti.api.messages import WA_ID
from sauti.api.schemas import errors
from sauti.contacts.models import Contact
from sauti.contacts.schema import FieldValueInvalid, profile_document
from sauti.contacts.services import update_contact_fields

router = Router(tags=["contacts"])
PROFILE_VERSION = "0.0.1-alpha"
READ_ONLY = {"whatsapp_id", "wa_id", "last_seen_at", "uuid", "first_message_received_at", "opted_in_at"}
MAX_CHECK = 1000
FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")  # as journeys write them: @contact.<name>


class CheckIn(Schema):
    blocking: Literal["wait", "no_wait"] = "wait"
    contacts: list[str] = Field(min_length=1, max_length=MAX_CHECK)
    force_check: bool = False


class CheckedContact(Schema):
    input: str
    status: Literal["valid", "invalid"]
    wa_id: str | None = None


class CheckOut(Schema):
    contacts: list[CheckedContact]


class ProfileOut(Schema):
    version: str
    fields: dict[str, Any]


def wa_id_for(number: str) -> str | None:
    """A phone number as WhatsApp ids write it (country code and digits), or None when it is not one."""
    text = number.strip()
    if not text:
        return None
    try:
        parsed = phonenumbers.parse(text if text.startswith("+") else f"+{text}", None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


@router.post("/contacts", auth=needs("contacts:read"), response={200: CheckOut, **errors(400)},
             summary="Check phone numbers")
def check_contacts(request: HttpRequest, payload: CheckIn) -> dict[str, Any]:
    """Turn each input into a WhatsApp id: `valid` with `wa_id` for a phone number, `invalid` otherwise.

    The Cloud API cannot tell whether a number has WhatsApp before a message is sent, so a
    well-formed number is `valid`; nothing is stored.
    """
    out = []
    for number in payload.contacts:
        wa_id = wa_id_for(number)
        out.append({"input": number, "status": "valid", "wa_id": wa_id} if wa_id else
                   {"input": number, "status": "invalid"})
    return {"contacts": out}


def _access_contact(workspace: Workspace, wa_id: str) -> Contact:
    contact = (Contact.objects.filter(workspace=workspace, wa_id=wa_id).first()
               or Contact.objects.filter(workspace=workspace, user_id=wa_id).first())
    if contact is None:
        raise not_found(f"no contact {wa_id} in this workspace")
    return contact


def profile_of(contact: Contact) -> dict[str, Any]:
    """Every field of the contact as the workspace's schema defines them (People's profile_document)."""
    return {"version": PROFILE_VERSION, "fields": profile_document(contact)}


@router.get("/contacts/{wa_id}/profile", auth=needs("contacts:read"), response={200: ProfileOut, **errors(404)},
            summary="A contact's profile")
def get_profile(request: HttpRequest, wa_id: str = WA_ID) -> dict[str, Any]:
    """Every reserved and custom field of the contact."""
    return profile_of(_access_contact(request.workspace, wa_id))  # type: ignore[attr-defined]


@router.patch("/contacts/{wa_id}/profile", auth=needs("contacts:write"),
              response={200: ProfileOut, **errors(400, 404)}, summary="Change a contact's profile",
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
                  "type": "object", "additionalProperties": True,
                  "example": {"name": "Ana", "opted_in": True, "district": "Lusaka"}}}}}})
def patch_profile(request: HttpRequest, wa_id: str = WA_ID) -> dict[str, Any]:
    """`{"field": value, …}`: the fields named change, the others stay. Values are checked against
    the workspace's field schema; a bad value is refused naming the field, and nothing changes."""
    contact = _access_contact(request.workspace, wa_id)  # type: ignore[attr-defined]
    try:
        values = json.loads(request.body or b"null")
    except ValueError as exc:
        raise invalid("body", "must be a JSON object of field names and values") from exc
    if not isinstance(values, dict) or not values:
        raise invalid("body", "must be a JSON object of field names and values")
    for key in values:
        if key in READ_ONLY:
            raise invalid(key, "is read-only")
        if not FIELD_NAME.match(key):
            raise invalid(key or "body", "a field name is a letter or _ then letters, digits or _ (at most 64)")
    try:
        update_contact_fields(contact, values, source="api")
    except FieldValueInvalid as exc:
        raise invalid(str(exc.field), str(exc.message)) from exc
    contact.refresh_from_db()
    return profile_of(contact)
