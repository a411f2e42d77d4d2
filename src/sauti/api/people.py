"""/v1/contacts/schemas (Turn's field schema), bulk import and deleting a contact, over the People
services (sauti.contacts): the schema decides what a value may be, everywhere."""

from __future__ import annotations

import hashlib
import json
import uuid as uuid_module
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from sauti.api.auth import needs
from sauti.api.contacts import READ_ONLY, _access_contact
from sauti.api.errors import invalid
from sauti.api.messages import WA_ID
from sauti.api.schemas import errors
from sauti.contacts.models import Contact
from sauti.contacts.schema import FieldValueInvalid, schema_document
from sauti.contacts.services import (
    FieldDefinitionInvalid,
    apply_schema_document,
    create_contact,
    delete_contact,
    normalise_wa_id,
    update_contact_fields,
)

router = Router(tags=["contacts"])
SCHEMA_VERSION = "0.0.1-alpha"
MAX_IMPORT = 1000


class SchemaOut(Schema):
    version: str
    uuid: str = Field(description="changes whenever the schema changes")
    fields: list[dict[str, Any]]


class SchemaIn(Schema):
    model_config = ConfigDict(extra="allow")
    version: str | None = None
    fields: list[dict[str, Any]]


class ImportIn(Schema):
    contacts: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_IMPORT,
                                           description='one object per person: "whatsapp_id" and field values')
    update_existing: bool = Field(True, description="change people already in the workspace (else skip them)")


class ImportRow(Schema):
    index: int
    wa_id: str | None
    status: Literal["created", "updated", "skipped", "invalid"]
    error: dict[str, str] | None = None


class ImportOut(Schema):
    created: int
    updated: int
    skipped: int
    invalid: int
    contacts: list[ImportRow]


class DeletedOut(Schema):
    success: bool
    deleted: dict[str, int]


def _field_path(field: str) -> str:
    """People's "fields[2].type" as the API's dotted field ("fields.2.type" → /fields/2/type)."""
    return field.replace("[", ".").replace("]", "")


def _document(workspace: Any) -> dict[str, Any]:
    document = schema_document(workspace)
    digest = hashlib.sha256(json.dumps(document, sort_keys=True, default=str).encode()).hexdigest()
    return {"version": SCHEMA_VERSION, "uuid": str(uuid_module.UUID(digest[:32])), **document}


@router.get("/contacts/schemas", auth=needs("contacts:read"), response={200: SchemaOut},
            summary="The contact field schema")
def get_schema(request: HttpRequest) -> dict[str, Any]:
    """Every reserved and custom field: `{"name", "display", "type", "default", "null", "is_private", "custom"}`."""
    return _document(request.workspace)  # type: ignore[attr-defined]


@router.post("/contacts/schemas", auth=needs("contacts:write"), response={200: SchemaOut, **errors(400)},
             summary="Create or change custom fields")
def post_schema(request: HttpRequest, payload: SchemaIn) -> dict[str, Any]:
    """Create the custom fields listed and update those that exist; fields left out are kept.

    The answer is the whole schema with a `uuid` that changes whenever the schema does.
    """
    workspace = request.workspace  # type: ignore[attr-defined]
    try:
        apply_schema_document(workspace, payload.dict(), actor=None, origin="api")
    except FieldDefinitionInvalid as exc:
        raise invalid(_field_path(exc.field), str(exc.message)) from exc
    return _document(workspace)


def _import_row(workspace: Any, index: int, row: Any, update_existing: bool) -> dict[str, Any]:
    if not isinstance(row, dict):
        return {"index": index, "wa_id": None, "status": "invalid",
                "error": {"field": "contacts", "message": "each contact is an object"}}
    raw = row.get("whatsapp_id", row.get("wa_id"))
    values = {k: v for k, v in row.items() if k not in ("whatsapp_id", "wa_id")}
    try:
        wa_id = normalise_wa_id(str(raw or ""))
    except FieldValueInvalid as exc:
        return {"index": index, "wa_id": None, "status": "invalid",
                "error": {"field": "whatsapp_id", "message": str(exc.message)}}
    read_only = next((k for k in values if k in READ_ONLY), None)
    if read_only:
        return {"index": index, "wa_id": wa_id, "status": "invalid",
                "error": {"field": read_only, "message": "is read-only"}}
    existing = Contact.objects.filter(workspace=workspace, wa_id=wa_id).first()
    try:
        if existing is None:
            create_contact(workspace, wa_id=wa_id, values=values, actor=None, source="api")
            return {"index": index, "wa_id": wa_id, "status": "created"}
        if not update_existing:
            return {"index": index, "wa_id": wa_id, "status": "skipped"}
        update_contact_fields(existing, values, source="api")
        return {"index": index, "wa_id": wa_id, "status": "updated"}
    except FieldValueInvalid as exc:
        return {"index": index, "wa_id": wa_id, "status": "invalid",
                "error": {"field": str(exc.field), "message": str(exc.message)}}


@router.post("/contacts/import", auth=needs("contacts:write"), response={200: ImportOut, **errors(400)},
             summary="Import contacts in bulk")
def import_contacts(request: HttpRequest, payload: ImportIn) -> dict[str, Any]:
    """Up to 1,000 people a call, each checked against the field schema on its own: a bad row is
    reported (with the field) and the others are still imported. Larger files: the People page's
    CSV import."""
    workspace = request.workspace  # type: ignore[attr-defined]
    rows = [_import_row(workspace, i, row, payload.update_existing) for i, row in enumerate(payload.contacts)]
    counts = {status: sum(1 for r in rows if r["status"] == status)
              for status in ("created", "updated", "skipped", "invalid")}
    return {**counts, "contacts": rows}


@router.delete("/contacts/{wa_id}", auth=needs("contacts:write"), response={200: DeletedOut, **errors(404)},
               summary="Delete a contact and everything about them")
def remove_contact(request: HttpRequest, wa_id: str = WA_ID) -> dict[str, Any]:
    """Erase a person for real: profile, chat, messages, journey sessions and results (audited)."""
    contact = _access_contact(request.workspace, wa_id)  # type: ignore[attr-defined]
    return {"success": True, "deleted": delete_contact(contact, actor=None)}
