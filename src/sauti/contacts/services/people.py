"""Writes for people: find-or-create from WhatsApp, profile values (validated by the schema),
create and delete. Other apps call these instead of saving Contact rows themselves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import phonenumbers
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sauti.accounts.models import User, Workspace
from sauti.accounts.services import record_audit
from sauti.contacts import values as v
from sauti.contacts.models import Contact, ContactField
from sauti.contacts.schema import FieldSpec, FieldValueInvalid, Schema, load_schema
from sauti.contacts.services.fields import ensure_text_fields

SOURCES = ("ui", "api", "import", "journey")


def normalise_wa_id(text: Any) -> str:
    """A WhatsApp number as digits with the country code ("+27 82 000 1234" → "27820001234")."""
    raw = str(text or "").strip()
    digits = "".join(ch for ch in raw if ch.isdigit())
    if not digits:
        raise FieldValueInvalid("whatsapp_id", _("a WhatsApp number is needed"))
    if raw.startswith("00"):
        digits = digits[2:]
    leftovers = raw.lstrip("+").replace(" ", "").replace("-", "").replace("(", "").replace(")", "").replace(".", "")
    if not leftovers.isdigit():
        raise FieldValueInvalid("whatsapp_id", _("“%(value)s” is not a phone number") % {"value": raw[:40]})
    try:
        number = phonenumbers.parse("+" + digits)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise FieldValueInvalid("whatsapp_id", _("“%(value)s” is not an international number: start with the "
                                                 "country code, like +27 82 000 1234") % {"value": raw[:40]})
    return digits


def _defaults(workspace_id: int) -> dict[str, Any]:
    rows = ContactField.objects.filter(workspace_id=workspace_id, reserved=False, default__isnull=False)
    return {row.key: row.default for row in rows}


def upsert_contact(workspace: Workspace, *, wa_id: str | None, user_id: str | None = None,
                   profile_name: str | None = None, seen_at: dt.datetime | None = None) -> Contact:
    """Find or create the contact a WhatsApp message names, refreshing its profile name.

    Safe under concurrency: two workers creating the same person meet on the unique constraint
    and the loser reads the winner's row. New people start with the schema's defaults.
    """
    if not wa_id and not user_id:
        raise ValueError("a contact needs a wa_id or a business-scoped user id")
    lookup = {"wa_id": wa_id} if wa_id else {"user_id": user_id}
    # The chat comes along (one query instead of two): the pipeline needs it next.
    contact = Contact.objects.filter(workspace=workspace, **lookup).select_related("chat").first()
    if contact is None:
        try:
            with transaction.atomic():
                contact = Contact.objects.create(
                    workspace=workspace, wa_id=wa_id or None, user_id=user_id or None,
                    whatsapp_profile_name=profile_name or "", first_message_at=seen_at, last_seen_at=seen_at,
                    fields=_defaults(workspace.id),
                )
            return contact
        except IntegrityError:
            contact = Contact.objects.get(workspace=workspace, **lookup)
    changed: list[str] = []
    if profile_name and contact.whatsapp_profile_name != profile_name:
        contact.whatsapp_profile_name = profile_name
        changed.append("whatsapp_profile_name")
    if user_id and not contact.user_id:
        contact.user_id = user_id
        changed.append("user_id")
    if seen_at and (contact.last_seen_at is None or seen_at > contact.last_seen_at):
        contact.last_seen_at = seen_at
        changed.append("last_seen_at")
        if contact.first_message_at is None:
            contact.first_message_at = seen_at
            changed.append("first_message_at")
    if changed:
        contact.save(update_fields=changed)
    return contact


def contact_for_recipient(workspace: Workspace, to: str) -> Contact:
    """The contact an outbound `to` names (digits of a phone number, or a business-scoped id)."""
    digits = "".join(ch for ch in to if ch.isdigit())
    if digits and len(digits) == len(to.lstrip("+").replace(" ", "").replace("-", "")):
        return upsert_contact(workspace, wa_id=digits)
    return upsert_contact(workspace, wa_id=None, user_id=to)


def column_value(spec: FieldSpec, stored: Any) -> Any:
    """A normalised value as the reserved field's column holds it."""
    if spec.type == v.TEXT:
        return "" if stored is None else stored
    if stored is None:
        return None
    if spec.type == v.DATETIME:
        return v.to_datetime(stored)
    if spec.type == v.DATE:
        return dt.date.fromisoformat(stored)
    return stored


def apply_values(contact: Contact, normalised: Mapping[str, Any], schema: Schema, now: dt.datetime) -> set[str]:
    """Set already-checked values on `contact` (not saved); returns the columns that changed.

    Turning `opted_in` on records the moment in `opted_in_at`, unless the values give one.
    """
    changed: set[str] = set()
    custom = dict(contact.fields or {})
    was_opted_in = contact.opted_in
    for key, value in normalised.items():
        spec = schema.get(key)
        if spec is not None and spec.column:
            stored = column_value(spec, value)
            if getattr(contact, spec.column) != stored:
                setattr(contact, spec.column, stored)
                changed.add(spec.column)
        elif value is None:
            custom.pop(key, None)
        else:
            custom[key] = value
    if contact.opted_in and not was_opted_in and "opted_in_at" not in normalised:
        contact.opted_in_at = now.replace(microsecond=0)  # as precise as every stored date-time
        changed.add("opted_in_at")
    if custom != (contact.fields or {}):
        contact.fields = custom
        changed.add("fields")
    return changed


def update_contact_fields(contact: Contact, values: Mapping[str, Any], *, actor: User | None = None,
                          source: str = "api") -> Contact:
    """Set profile fields, validated against the workspace's schema; nothing is written if one fails.

    Raises sauti.contacts.schema.FieldValueInvalid (`.field`, `.message`). Journeys
    (`source="journey"`) may name keys the schema lacks: as in Turn, those become text fields;
    everyone else gets an error for them. The caller checks the role; a person's edit is audited.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    workspace = contact.workspace
    schema = load_schema(workspace)
    normalised = schema.check(values, unknown="text" if source == "journey" else "error")
    if not normalised:
        return contact
    custom_keys = [k for k in normalised if not (schema.get(k) and schema.get(k).column)]  # type: ignore[union-attr]
    with transaction.atomic():
        if custom_keys:
            # Read `fields` again under a row lock: an import or another writer may have changed
            # other keys since this contact was loaded, and they must survive.
            fresh = (Contact.objects.select_for_update().filter(pk=contact.pk)
                     .values_list("fields", flat=True).first())
            if fresh is None:
                raise Contact.DoesNotExist("the contact was deleted")
            contact.fields = fresh
        if schema.new_keys:
            ensure_text_fields(workspace, sorted(schema.new_keys), origin=source)
        changed = apply_values(contact, normalised, schema, timezone.now())
        if changed:
            contact.save(update_fields=sorted(changed))
        if actor is not None and changed:
            record_audit(workspace, "contact_updated", actor=actor, target=str(contact.uuid),
                         fields=sorted(normalised), source=source)
    return contact


@transaction.atomic
def create_contact(workspace: Workspace, *, wa_id: str, values: Mapping[str, Any] | None = None,
                   actor: User | None = None, source: str = "ui") -> Contact:
    """Add a person by their WhatsApp number, with profile values checked by the schema.

    FieldValueInvalid for a bad number, a number already in the workspace, or a bad value.
    """
    digits = normalise_wa_id(wa_id)
    if Contact.objects.filter(workspace=workspace, wa_id=digits).exists():
        raise FieldValueInvalid("whatsapp_id", _("someone with this number is already in this workspace"))
    schema = load_schema(workspace)
    normalised = schema.check(values or {})
    contact = Contact(workspace=workspace, wa_id=digits, fields=schema.defaults())
    apply_values(contact, normalised, schema, timezone.now())
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError:
        raise FieldValueInvalid("whatsapp_id", _("someone with this number is already in this workspace")) from None
    record_audit(workspace, "contact_created", actor=actor, target=str(contact.uuid), source=source)
    return contact


def erasure_counts(contact: Contact) -> dict[str, int]:
    """What deleting `contact` takes with it, for the confirmation page and the audit entry."""
    from sauti.journeys.models import JourneyResult, Session
    from sauti.messaging.models import Message

    return {"messages": Message.objects.filter(contact=contact).count(),
            "sessions": Session.objects.filter(contact=contact).count(),
            "results": JourneyResult.objects.filter(contact=contact).count()}


@transaction.atomic
def delete_contact(contact: Contact, *, actor: User | None) -> dict[str, int]:
    """Delete a person for real: profile, chat, messages, outbox, journey sessions, results, logs,
    timers and the raw webhook events that were only theirs. Audited (without their number).

    The caller checks the role ("people.delete") and asks for confirmation first.
    """
    from sauti.journeys.erasure import forget_contact as forget_journeys
    from sauti.messaging.erasure import forget_contact as forget_messages

    workspace = contact.workspace
    counts = erasure_counts(contact)
    counts["journey_logs"] = forget_journeys(contact)
    counts["webhook_events"] = forget_messages(contact)
    uuid = str(contact.uuid)
    contact.delete()
    record_audit(workspace, "contact_deleted", actor=actor, target=uuid, **counts)
    return counts


def contact_profile(contact: Contact) -> dict[str, object]:
    """The contact as journeys and templates see it (`@contact.<field>`): no query, on every turn."""
    profile: dict[str, object] = dict(contact.fields)
    profile.update({
        "name": contact.name or None, "surname": contact.surname or None, "language": contact.language or None,
        "opted_in": contact.opted_in, "opted_in_at": contact.opted_in_at, "birthday": contact.birthday,
        "whatsapp_profile_name": contact.whatsapp_profile_name or None, "whatsapp_id": contact.wa_id,
        "last_seen_at": contact.last_seen_at, "first_message_received_at": contact.first_message_at,
        "uuid": str(contact.uuid),
    })
    profile.setdefault("location", None)
    return profile
