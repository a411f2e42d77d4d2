"""Reads for the People pages: the list (search, sort, keyset pages), one person with their chat,
journeys and results, and `access_*` helpers that give the same 404 for missing and not yours."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.db.models.lookups import IContains
from django.http import Http404

from sauti.accounts.models import Workspace
from sauti.contacts import values as v
from sauti.contacts.jsonsql import JsonValue
from sauti.contacts.models import Contact, ContactExport, ContactImport, Segment
from sauti.contacts.privacy import numbers_hidden, shown_number
from sauti.contacts.schema import FieldSpec, Schema, load_schema, read_value

PAGE_SIZE = 50
SEARCHED_TYPES = (v.TEXT, v.ENUM, v.NUMBER, v.DATE, v.DATETIME)
RESERVED_DT = FieldSpec(key="moment", display_name="", type=v.DATETIME)
SORTS = ("-last_seen", "last_seen", "name", "-name", "-created", "created")
DEFAULT_SORT = "-last_seen"


def _uuid_or_404(value: Any) -> str:
    import uuid

    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise Http404("no such person") from None


def access_contact(workspace: Workspace, person: Any) -> Contact:
    """The person `person` (a uuid) of `workspace`, or Http404 (also for another workspace's)."""
    contact = Contact.objects.filter(workspace=workspace, uuid=_uuid_or_404(person)).first()
    if contact is None:
        raise Http404("no such person")
    contact.workspace = workspace
    return contact


def access_segment(workspace: Workspace, segment: Any) -> Segment:
    item = Segment.objects.filter(workspace=workspace, uuid=_uuid_or_404(segment)).first()
    if item is None:
        raise Http404("no such segment")
    return item


def access_import(workspace: Workspace, job: Any) -> ContactImport:
    item = ContactImport.objects.filter(workspace=workspace, uuid=_uuid_or_404(job)).first()
    if item is None:
        raise Http404("no such import")
    return item


def access_export(workspace: Workspace, job: Any) -> ContactExport:
    item = (ContactExport.objects.filter(workspace=workspace, uuid=_uuid_or_404(job)).defer("content")
            .annotate(has_file=ExpressionWrapper(Q(content__isnull=False), output_field=BooleanField())).first())
    if item is None:
        raise Http404("no such export")
    return item


def private_hidden(workspace: Workspace, role: str) -> bool:
    """Private fields are hidden exactly when numbers are (sauti.contacts.privacy)."""
    return numbers_hidden(workspace, role)


# ---------------------------------------------------------------------------- the list


def search_filter(text: str, schema: Schema, *, private_hidden: bool, numbers_visible: bool) -> Q:
    """Free-text search: names, the number (when the role may see numbers) and the value of any
    custom field the role may see (one cheap JSON key read per field, never the keys themselves)."""
    text = text.strip()[:200]
    q = Q(name__icontains=text) | Q(surname__icontains=text) | Q(whatsapp_profile_name__icontains=text)
    digits = "".join(ch for ch in text if ch.isdigit())
    if numbers_visible and len(digits) >= 3 and len(digits) >= len(text.replace("+", "").replace(" ", "")) - 1:
        q |= Q(wa_id__contains=digits)
    for spec in schema.custom:
        if spec.type in SEARCHED_TYPES and not (private_hidden and spec.is_private):
            q |= Q(IContains(JsonValue(spec.key, "text"), text))
    return q


def _name_key() -> Any:
    return Lower(Coalesce(NullIf("name", Value("")), NullIf("whatsapp_profile_name", Value("")), "wa_id",
                          "user_id", Value("")))


@dataclass
class Page:
    rows: list[dict[str, Any]]
    total: int
    sort: str
    next_cursor: str | None = None
    first: bool = True
    columns: list[FieldSpec] = field(default_factory=list)


def _encode(parts: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(parts).encode()).decode().rstrip("=")


def _decode(cursor: str | None) -> list[Any] | None:
    if not cursor:
        return None
    try:
        parts = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        return None
    return parts if isinstance(parts, list) and len(parts) == 3 else None


def _after(queryset: QuerySet[Contact], sort: str, cursor: list[Any] | None,
           size: int) -> tuple[list[Contact], str | None]:
    """One keyset page of `queryset` in `sort` order, and the cursor of the next one.

    Ties are broken by id. "last seen" keeps people never seen at the end (two phases: seen people
    by the partial index contact_by_last_seen, then the others by id).
    """
    desc = sort.startswith("-")
    name = sort.lstrip("-")
    if name == "last_seen":
        phase, value, last_id = cursor if cursor else (0, None, None)
        rows: list[Contact] = []
        if phase == 0:
            seen = queryset.filter(last_seen_at__isnull=False)
            if value is not None:
                moment = dt.datetime.fromisoformat(value)
                beyond = Q(last_seen_at__lt=moment) if desc else Q(last_seen_at__gt=moment)
                tie = Q(last_seen_at=moment, id__lt=last_id) if desc else Q(last_seen_at=moment, id__gt=last_id)
                seen = seen.filter(beyond | tie)
            order = ("-last_seen_at", "-id") if desc else ("last_seen_at", "id")
            rows = list(seen.order_by(*order)[:size + 1])
            if len(rows) > size:
                tail = rows[size - 1]
                return rows[:size], _encode([0, tail.last_seen_at.isoformat(), tail.id])
            phase, last_id = 1, None
        never = queryset.filter(last_seen_at__isnull=True)
        if last_id is not None:
            never = never.filter(id__lt=last_id) if desc else never.filter(id__gt=last_id)
        rows += list(never.order_by("-id" if desc else "id")[:size + 1 - len(rows)])
        if len(rows) > size:
            tail = rows[size - 1]
            # A page that ends on a seen person: the next starts at the first never-seen one.
            return rows[:size], _encode([1, None, None if tail.last_seen_at is not None else tail.id])
        return rows, None
    if name == "name":
        queryset = queryset.annotate(sort_key=_name_key())
        field_name = "sort_key"
    else:
        field_name = "created_at"
    if cursor:
        _phase, value, last_id = cursor
        if field_name == "created_at":
            value = dt.datetime.fromisoformat(value)
        op = "lt" if desc else "gt"
        queryset = queryset.filter(Q(**{f"{field_name}__{op}": value}) | Q(**{field_name: value, f"id__{op}": last_id}))
    order = (f"-{field_name}", "-id") if desc else (field_name, "id")
    rows = list(queryset.order_by(*order)[:size + 1])
    if len(rows) > size:
        tail = rows[size - 1]
        key = getattr(tail, field_name)
        return rows[:size], _encode([0, key.isoformat() if isinstance(key, dt.datetime) else key, tail.id])
    return rows, None


def list_people(workspace: Workspace, role: str, *, segment_q: Q | None = None, search: str = "",
                sort: str = DEFAULT_SORT, cursor: str | None = None, size: int = PAGE_SIZE,
                schema: Schema | None = None) -> Page:
    """A page of the workspace's people as `role` may see them (masked numbers, no private fields)."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    hidden = private_hidden(workspace, role)
    schema = schema or load_schema(workspace)
    queryset = Contact.objects.filter(workspace=workspace)
    if segment_q is not None:
        queryset = queryset.filter(segment_q)
    if search.strip():
        queryset = queryset.filter(search_filter(search, schema, private_hidden=hidden, numbers_visible=not hidden))
    total = queryset.count()
    contacts, next_cursor = _after(queryset, sort, _decode(cursor), size)
    rows = [person_row(workspace, role, c) for c in contacts]
    return Page(rows=rows, total=total, sort=sort, next_cursor=next_cursor, first=not cursor)


def person_row(workspace: Workspace, role: str, contact: Contact) -> dict[str, Any]:
    return {"contact": contact, "uuid": contact.uuid, "name": contact.display_name,
            "number": shown_number(workspace, role, contact.wa_id) or contact.user_id or "",
            "opted_in": contact.opted_in, "language": contact.language, "last_seen_at": contact.last_seen_at,
            "created_at": contact.created_at}


# ---------------------------------------------------------------------------- one person


def profile_of(contact: Contact, schema: Schema, *, hidden: bool) -> list[dict[str, Any]]:
    """Every field of the person with its value as a page shows it; private ones masked when hidden."""
    rows = []
    for spec in schema.ordered():
        if spec.key in ("whatsapp_id", "first_message_received_at", "last_seen_at"):
            continue  # the page shows these in its header and activity card
        stored = read_value(contact, spec)
        secret = hidden and spec.is_private
        rows.append({"spec": spec, "key": spec.key, "label": spec.display_name, "private": spec.is_private,
                     "hidden": secret, "set": stored is not None,
                     "text": "" if secret else v.display(spec.type, _as_stored(spec, stored), choices=spec.choices,
                                                        tz=schema.tz)})
    return rows


def moments(contact: Contact, schema: Schema) -> dict[str, str]:
    """The person's times as the page shows them, in the workspace's timezone."""
    return {name: v.display(v.DATETIME, _as_stored(RESERVED_DT, getattr(contact, name)), tz=schema.tz)
            for name in ("opted_in_at", "first_message_at", "last_seen_at", "created_at")}


def _as_stored(spec: FieldSpec, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime(v.DATETIME_FORMAT)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def person_activity(contact: Contact, *, messages: int = 12) -> dict[str, Any]:
    """The person's chat (with its latest messages, oldest first) and journey sessions with results."""
    from sauti.journeys.models import JourneyResult, Session
    from sauti.messaging.models import Chat, Message

    chat = Chat.objects.filter(contact=contact).first()
    recent = list(Message.objects.filter(contact=contact).order_by("-id")[:messages]) if chat else []
    sessions = list(Session.objects.filter(contact=contact).select_related("journey").order_by("-started_at")[:20])
    results: dict[int | None, list[JourneyResult]] = {}
    for result in JourneyResult.objects.filter(contact=contact, session__in=sessions).order_by("created_at"):
        results.setdefault(result.session_id, []).append(result)
    return {
        "chat": chat, "recent_messages": list(reversed(recent)),
        "message_count": Message.objects.filter(contact=contact).count() if chat else 0,
        "sessions": [{"session": s, "journey": s.journey, "results": results.get(s.id, [])} for s in sessions],
    }
