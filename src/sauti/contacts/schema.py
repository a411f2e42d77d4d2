"""A workspace's profile schema: reserved fields (defined here) and custom fields (ContactField rows),
and the one validation every write of a profile goes through (UI, API, import, journeys).

Reads only; writes to the schema are in sauti.contacts.services.fields. See docs/people.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sauti.accounts.models import Workspace
from sauti.contacts import values as v
from sauti.contacts.models import Contact, ContactField
from sauti.contacts.values import Choice, ValueInvalid

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
# Words of the segment language and names the profile already uses cannot be custom field keys.
UNAVAILABLE_KEYS = frozenset({
    "and", "or", "not", "is", "set", "contains", "starts_with", "true", "false", "now", "today", "label",
    "labels", "uuid", "id", "wa_id", "user_id", "fields", "contact", "created_at", "first_message_at",
    "last_seen", "first_seen", "phone", "number", "chat", "messages",
})


class FieldValueInvalid(ValueError):
    """A value that does not fit its field (or a field that does not exist): nothing was written."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class FieldSpec:
    """One field as validation, pages, segments, imports and the API see it."""

    key: str
    display_name: str
    type: str
    reserved: bool = False
    column: str | None = None  # the Contact column of a reserved field; None: a key of `fields`
    writable: bool = True
    is_private: bool = False
    choices: tuple[Choice, ...] = ()
    default: Any = None
    nullable: bool = True
    description: str = ""
    max_length: int | None = None
    language: bool = False  # the reserved `language`: an ISO 639 code

    @property
    def type_label(self) -> str:
        if self.language:
            return str(_("Language code"))
        return str(ContactField.Type(self.type).label)


def _reserved(key: str, display: Any, kind: str, column: str | None, **extra: Any) -> FieldSpec:
    return FieldSpec(key=key, display_name=display, type=kind, reserved=True, column=column, **extra)


# Turn's reserved profile fields (spec/turn-api.md §3.4), in the order pages show them.
RESERVED: dict[str, FieldSpec] = {spec.key: spec for spec in (
    _reserved("name", gettext_lazy("Name"), v.TEXT, "name", max_length=200),
    _reserved("surname", gettext_lazy("Surname"), v.TEXT, "surname", max_length=200),
    _reserved("language", gettext_lazy("Language"), v.TEXT, "language", language=True,
              description=gettext_lazy("An ISO 639 code such as eng, por or zul.")),
    _reserved("location", gettext_lazy("Location"), v.LOCATION, None),
    _reserved("birthday", gettext_lazy("Birthday"), v.DATE, "birthday"),
    _reserved("opted_in", gettext_lazy("Opted in"), v.BOOLEAN, "opted_in", default=False, nullable=False,
              description=gettext_lazy("Consent to receive messages; opted_in_at records when it was given.")),
    _reserved("opted_in_at", gettext_lazy("Opted in at"), v.DATETIME, "opted_in_at"),
    _reserved("whatsapp_profile_name", gettext_lazy("WhatsApp profile name"), v.TEXT, "whatsapp_profile_name",
              writable=False, description=gettext_lazy("The name the person gave WhatsApp.")),
    _reserved("whatsapp_id", gettext_lazy("WhatsApp ID"), v.TEXT, "wa_id", writable=False,
              description=gettext_lazy("The person's number, as WhatsApp names it.")),
    _reserved("first_message_received_at", gettext_lazy("First message received at"), v.DATETIME,
              "first_message_at", writable=False),
    _reserved("last_seen_at", gettext_lazy("Last seen at"), v.DATETIME, "last_seen_at", writable=False),
)}
ALIASES = {"wa_id": "whatsapp_id", "last_seen": "last_seen_at", "first_seen": "first_message_received_at"}
TURN_TYPES = {v.TEXT: "STRING", v.NUMBER: "NUMBER", v.BOOLEAN: "BOOLEAN", v.DATE: "DATE", v.DATETIME: "DATETIME",
              v.ENUM: "ENUM", v.LOCATION: "LOCATION"}
FROM_TURN_TYPES = {"STRING": v.TEXT, "TEXT": v.TEXT, "NUMBER": v.NUMBER, "INTEGER": v.NUMBER, "FLOAT": v.NUMBER,
                   "DECIMAL": v.NUMBER, "BOOLEAN": v.BOOLEAN, "DATE": v.DATE, "DATETIME": v.DATETIME,
                   "TIMESTAMP": v.DATETIME, "ENUM": v.ENUM, "LOCATION": v.LOCATION}


def key_problem(key: str) -> str | None:
    """Why `key` cannot name a new custom field, or None when it can."""
    if not KEY_PATTERN.match(key):
        return _("Use lower-case letters, digits and _, starting with a letter (at most 64), like "
                 "“clinic_visit_date”.")
    if key in RESERVED or key in ALIASES:
        return _("“%(key)s” is a reserved field.") % {"key": key}
    if key in UNAVAILABLE_KEYS:
        return _("“%(key)s” has a meaning of its own in Sauti; choose another name.") % {"key": key}
    return None


def spec_of(row: ContactField) -> FieldSpec:
    """A ContactField row as a FieldSpec (a reserved row only overrides display name and privacy)."""
    if row.reserved and row.key in RESERVED:
        return replace(RESERVED[row.key], display_name=row.display_name or RESERVED[row.key].display_name,
                       is_private=row.is_private)
    return FieldSpec(key=row.key, display_name=row.display_name or row.key, type=row.type,
                     is_private=row.is_private, default=row.default, nullable=row.nullable,
                     description=row.description,
                     choices=tuple(Choice(str(c.get("value", "")), str(c.get("display") or c.get("value", "")))
                                   for c in row.choices or []))


@dataclass
class Schema:
    """A workspace's fields, loaded once and then used for many values (an import's every row)."""

    fields: dict[str, FieldSpec]
    tz: dt.tzinfo = dt.UTC
    workspace_id: int | None = None
    new_keys: set[str] = field(default_factory=set)

    def get(self, key: str) -> FieldSpec | None:
        key = ALIASES.get(key, key)
        return self.fields.get(key)

    @property
    def reserved(self) -> list[FieldSpec]:
        return [f for f in self.fields.values() if f.reserved]

    @property
    def custom(self) -> list[FieldSpec]:
        return sorted((f for f in self.fields.values() if not f.reserved), key=lambda f: f.key)

    def ordered(self) -> list[FieldSpec]:
        return [*self.reserved, *self.custom]

    def writable(self) -> list[FieldSpec]:
        return [f for f in self.ordered() if f.writable]

    def check(self, values: Mapping[str, Any], *, unknown: str = "error") -> dict[str, Any]:
        """Normalised values (stored forms), or FieldValueInvalid for the first that does not fit.

        `unknown="text"` accepts keys the schema lacks as text fields (what journeys' update_contact
        does, as in Turn); their keys are collected in `new_keys`. "error" refuses them.
        """
        out: dict[str, Any] = {}
        for raw_key, raw in values.items():
            key = ALIASES.get(str(raw_key).strip().lower(), str(raw_key).strip().lower())
            spec = self.fields.get(key)
            if spec is None:
                if unknown != "text":
                    raise FieldValueInvalid(key, _("there is no such field (add it in Settings → People fields)"))
                problem = key_problem(key)
                if problem:
                    raise FieldValueInvalid(key, problem)
                spec = FieldSpec(key=key, display_name=key, type=v.TEXT)
                self.new_keys.add(key)
            out[key] = self.check_one(spec, raw)
        return out

    def check_one(self, spec: FieldSpec, raw: Any) -> Any:
        if not spec.writable:
            raise FieldValueInvalid(spec.key, _("is set by WhatsApp and cannot be changed"))
        try:
            value = v.normalise(spec.type, raw, choices=spec.choices, tz=self.tz)
            if value is not None and spec.language:
                value = v.language_code(value)
        except ValueInvalid as exc:
            raise FieldValueInvalid(spec.key, exc.message) from None
        if value is None and not spec.nullable:
            raise FieldValueInvalid(spec.key, _("cannot be empty"))
        if spec.max_length and isinstance(value, str) and len(value) > spec.max_length:
            raise FieldValueInvalid(spec.key, _("is longer than %(max)s characters") % {"max": spec.max_length})
        return value

    def defaults(self) -> dict[str, Any]:
        """Custom fields' values for a new person (fields with a default)."""
        return {f.key: f.default for f in self.custom if f.default is not None}


def load_schema(workspace: Workspace) -> Schema:
    """The workspace's schema: one query for its ContactField rows."""
    fields = dict(RESERVED)
    for row in ContactField.objects.filter(workspace=workspace):
        if row.reserved and row.key not in RESERVED:
            continue
        fields[row.key] = spec_of(row)
    return Schema(fields=fields, tz=v.timezone_named(workspace.timezone), workspace_id=workspace.id)


def check_values(workspace: Workspace, values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and normalise profile values without writing: what the API and imports call first.

    Raises FieldValueInvalid (`.field`, `.message`) for the first value that does not fit and for
    keys the schema does not have.
    """
    return load_schema(workspace).check(values)


def read_value(contact: Contact, spec: FieldSpec) -> Any:
    """A field's stored value on a contact (a Python date/datetime for date columns)."""
    if spec.column:
        value = getattr(contact, spec.column)
        return None if value == "" else value
    return (contact.fields or {}).get(spec.key)


def profile_document(contact: Contact, schema: Schema | None = None, *, private_hidden: bool = False) -> dict[str, Any]:
    """Every field of a person in its stored, JSON-ready form (dates "YYYY-MM-DD", date-times
    "YYYY-MM-DDTHH:MM:SSZ"): the body of GET /v1/contacts/<wa_id>/profile. Private fields are left
    out when `private_hidden`."""
    schema = schema or load_schema(contact.workspace)
    out: dict[str, Any] = {}
    for spec in schema.ordered():
        if private_hidden and spec.is_private:
            continue
        value = read_value(contact, spec)
        if isinstance(value, dt.datetime):
            value = value.astimezone(dt.UTC).strftime(v.DATETIME_FORMAT)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[spec.key] = value
    return out


def visible_fields(schema: Schema, *, private_hidden: bool) -> list[FieldSpec]:
    return [f for f in schema.ordered() if not (private_hidden and f.is_private)]


def turn_field(spec: FieldSpec) -> dict[str, Any]:
    """One field in Turn's schema shape (GET /v1/contacts/schemas)."""
    body: dict[str, Any] = {"name": spec.key, "display": str(spec.display_name), "type": TURN_TYPES[spec.type],
                            "default": spec.default, "null": spec.nullable, "is_private": spec.is_private,
                            "custom": not spec.reserved}
    if spec.type == v.ENUM:
        body["enum"] = [{"value": c.value, "display": c.display} for c in spec.choices]
    if not spec.writable:
        body["read_only"] = True
    return body


def schema_document(workspace: Workspace) -> dict[str, Any]:
    """The whole schema in Turn's shape: {"fields": [...]} (reserved first, then custom by key)."""
    return {"fields": [turn_field(spec) for spec in load_schema(workspace).ordered()]}
