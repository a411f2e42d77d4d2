"""Writes for contacts. Other apps call these instead of saving Contact rows themselves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from sauti.accounts.models import Workspace
from sauti.contacts.models import Contact


def upsert_contact(workspace: Workspace, *, wa_id: str | None, user_id: str | None = None,
                   profile_name: str | None = None, seen_at: dt.datetime | None = None) -> Contact:
    """Find or create the contact a WhatsApp message names, refreshing its profile name.

    Safe under concurrency: two workers creating the same person meet on the unique constraint
    and the loser reads the winner's row.
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


@dataclass(frozen=True, slots=True)
class Sighting:
    """A person as one inbound message names them: who, under which profile name, and when."""

    wa_id: str | None
    user_id: str | None
    profile_name: str
    seen_at: dt.datetime


def upsert_contacts(workspace: Workspace, sightings: list[Sighting]) -> list[Contact]:
    """Find or create everyone a batch of inbound messages names (one Contact per sighting, in
    order), refresh profile names and last-seen times, and hold their rows for the rest of the
    caller's transaction.

    The pipeline handles a person's messages while holding that row, so two workers whose batches
    share a person take turns. Rows are locked in id order and new people are inserted in key
    order: two such workers never wait for each other in a circle.
    """
    if not sightings:
        return []
    for _attempt in range(3):
        found = _lock_known(workspace, sightings)
        missing = sorted({_key(s) for s in sightings if _find(found, s) is None})
        if not missing:
            break
        first = {}
        for s in sightings:
            first.setdefault(_key(s), s)
        try:
            with transaction.atomic():
                Contact.objects.bulk_create([
                    Contact(workspace=workspace, wa_id=first[k].wa_id or None,
                            user_id=None if first[k].wa_id else first[k].user_id,
                            whatsapp_profile_name=first[k].profile_name or "") for k in missing])
        except IntegrityError:
            continue  # another worker created some of them first: look again
    else:
        raise IntegrityError("contacts kept appearing while this batch created them")
    contacts: list[Contact] = []
    changed: dict[int, tuple[Contact, set[str]]] = {}
    for sighting in sightings:
        contact = _find(found, sighting)
        assert contact is not None
        contact.workspace = workspace  # the same row the caller has: handlers read its settings
        fields = changed.setdefault(contact.id, (contact, set()))[1]
        if sighting.profile_name and contact.whatsapp_profile_name != sighting.profile_name:
            contact.whatsapp_profile_name = sighting.profile_name
            fields.add("whatsapp_profile_name")
        if sighting.user_id and not contact.user_id:
            contact.user_id = sighting.user_id
            fields.add("user_id")
        if sighting.wa_id and not contact.wa_id:
            contact.wa_id = sighting.wa_id
            fields.add("wa_id")
        if contact.last_seen_at is None or sighting.seen_at > contact.last_seen_at:
            contact.last_seen_at = sighting.seen_at
            fields.add("last_seen_at")
        if contact.first_message_at is None:
            contact.first_message_at = sighting.seen_at
            fields.add("first_message_at")
        contacts.append(contact)
    to_save = [c for c, f in changed.values() if f]
    if to_save:
        Contact.objects.bulk_update(to_save, sorted(set().union(*(f for _, f in changed.values()))))
    return contacts


def _key(sighting: Sighting) -> tuple[str, str]:
    return ("w", sighting.wa_id) if sighting.wa_id else ("u", sighting.user_id or "")


def _lock_known(workspace: Workspace, sightings: list[Sighting]) -> dict[tuple[str, str], Contact]:
    wa_ids = {s.wa_id for s in sightings if s.wa_id}
    user_ids = {s.user_id for s in sightings if s.user_id}
    query = Contact.objects.filter(Q(wa_id__in=wa_ids) | Q(user_id__in=user_ids), workspace=workspace).order_by("id")
    if connection.vendor == "postgresql":
        # NO KEY UPDATE: other writers' foreign-key checks on these rows (a message queued through
        # the API for this person) must not wait for us, or the two would wait for each other.
        query = query.select_for_update(of=("self",), no_key=True)
    found: dict[tuple[str, str], Contact] = {}
    for contact in query:
        if contact.wa_id:
            found[("w", contact.wa_id)] = contact
        if contact.user_id:
            found[("u", contact.user_id)] = contact
    return found


def _find(found: dict[tuple[str, str], Contact], sighting: Sighting) -> Contact | None:
    """By number first; a person known only by their business-scoped id may now show a number."""
    contact = found.get(("w", sighting.wa_id)) if sighting.wa_id else None
    if contact is None and sighting.user_id:
        contact = found.get(("u", sighting.user_id))
    return contact


def contact_for_recipient(workspace: Workspace, to: str) -> Contact:
    """The contact an outbound `to` names (digits of a phone number, or a business-scoped id)."""
    digits = "".join(ch for ch in to if ch.isdigit())
    if digits and len(digits) == len(to.lstrip("+").replace(" ", "").replace("-", "")):
        return upsert_contact(workspace, wa_id=digits)
    return upsert_contact(workspace, wa_id=None, user_id=to)


# Reserved profile fields kept in their own columns; everything else lives in `fields`.
COLUMNS = ("name", "surname", "language", "whatsapp_profile_name")
TRUE_WORDS = {"true", "yes", "1"}


def update_contact_fields(contact: Contact, values: dict[str, object]) -> Contact:
    """Set profile fields, as a journey's update_contact or the API's profile PATCH does.

    Custom fields keep the value as given (a journey's "true" stays the text "true", as in Turn);
    `opted_in` is a real boolean and records when it became true.
    """
    from django.utils import timezone

    changed: set[str] = set()
    custom = dict(contact.fields)
    for key, value in values.items():
        key = str(key)
        if key in COLUMNS:
            setattr(contact, key, "" if value is None else str(value))
            changed.add(key)
        elif key == "opted_in":
            opted = value if isinstance(value, bool) else str(value).strip().lower() in TRUE_WORDS
            if opted and not contact.opted_in:
                contact.opted_in_at = timezone.now()
                changed.add("opted_in_at")
            contact.opted_in = opted
            changed.add("opted_in")
        elif key in ("whatsapp_id", "wa_id"):
            continue  # the identity is WhatsApp's, not the journey's to change
        else:
            custom[key] = value
    if custom != contact.fields:
        contact.fields = custom
        changed.add("fields")
    if changed:
        contact.save(update_fields=sorted(changed))
    return contact


def contact_profile(contact: Contact) -> dict[str, object]:
    """The contact as journeys and templates see it (`@contact.<field>`)."""
    profile: dict[str, object] = dict(contact.fields)
    profile.update({
        "name": contact.name or None, "surname": contact.surname or None, "language": contact.language or None,
        "opted_in": contact.opted_in, "opted_in_at": contact.opted_in_at,
        "whatsapp_profile_name": contact.whatsapp_profile_name or None, "whatsapp_id": contact.wa_id,
        "last_seen_at": contact.last_seen_at, "first_message_received_at": contact.first_message_at,
        "uuid": str(contact.uuid),
    })
    profile.setdefault("birthday", None)
    return profile
