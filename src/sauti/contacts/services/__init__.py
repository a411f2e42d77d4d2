"""Writes for the contacts app, by family; other apps import them from here.

people.py    find-or-create from WhatsApp, profile values, create, delete
sightings.py find-or-create in bulk for a batch of inbound messages
fields.py    the field schema
segments.py  saved segments
transfers.py CSV imports and exports
"""

from sauti.contacts.services.fields import (
    FieldDefinitionInvalid,
    apply_schema_document,
    create_field,
    delete_field,
    update_field,
)
from sauti.contacts.services.people import (
    contact_for_recipient,
    contact_profile,
    create_contact,
    delete_contact,
    normalise_wa_id,
    update_contact_fields,
    upsert_contact,
)
from sauti.contacts.services.segments import SegmentInvalid, delete_segment, save_segment, update_segment
from sauti.contacts.services.sightings import Sighting, upsert_contacts

__all__ = [
    "FieldDefinitionInvalid", "SegmentInvalid", "apply_schema_document", "contact_for_recipient", "contact_profile",
    "create_contact", "create_field", "delete_contact", "delete_field", "delete_segment", "normalise_wa_id",
    "Sighting", "save_segment", "update_contact_fields", "update_field", "update_segment", "upsert_contact",
    "upsert_contacts",
]
