"""Find or create, in bulk, the people a batch of inbound messages names (the pipeline's hot path)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from sauti.accounts.models import Workspace
from sauti.contacts.models import Contact
from sauti.contacts.services.people import _defaults


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
                defaults = _defaults(workspace.id)
                Contact.objects.bulk_create([
                    Contact(workspace=workspace, wa_id=first[k].wa_id or None,
                            user_id=None if first[k].wa_id else first[k].user_id,
                            whatsapp_profile_name=first[k].profile_name or "", fields=dict(defaults))
                    for k in missing])
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
