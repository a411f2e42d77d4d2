"""Writes for the field schema: add, change and delete custom fields; a workspace's own display name
and privacy for reserved ones; Turn's schema document (POST /v1/contacts/schemas)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sauti.accounts.models import User, Workspace
from sauti.accounts.services import record_audit
from sauti.contacts import values as v
from sauti.contacts.jsonsql import JsonRemove
from sauti.contacts.models import Contact, ContactField
from sauti.contacts.schema import (
    FROM_TURN_TYPES,
    RESERVED,
    FieldSpec,
    FieldValueInvalid,
    Schema,
    key_problem,
    spec_of,
)

UNSET: Any = object()
MAX_CHOICES = 200


class FieldDefinitionInvalid(ValueError):
    """A field definition that cannot be saved; `.field` names the part (key, type, choices…)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def clean_choices(raw: Iterable[Any]) -> list[dict[str, str]]:
    """Enum choices as [{"value", "display"}] from dicts or plain strings; unique values."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for item in raw:
        if isinstance(item, Mapping):
            value, display = str(item.get("value", "")).strip(), str(item.get("display") or "").strip()
        else:
            value, display = str(item).strip(), ""
        if not value:
            continue
        if len(value) > 100 or len(display) > 100:
            raise FieldDefinitionInvalid("choices", _("“%(value)s” is longer than 100 characters")
                                         % {"value": value[:40]})
        if value.casefold() in seen:
            raise FieldDefinitionInvalid("choices", _("“%(value)s” is listed twice") % {"value": value})
        seen.add(value.casefold())
        out.append({"value": value, "display": display or value})
    if len(out) > MAX_CHOICES:
        raise FieldDefinitionInvalid("choices", _("a field can have at most %(max)s choices") % {"max": MAX_CHOICES})
    return out


def _check_default(row: ContactField, default: Any) -> Any:
    if default is None:
        return None
    spec = spec_of(row)
    try:
        return Schema(fields={}).check_one(spec, default)
    except FieldValueInvalid as exc:
        raise FieldDefinitionInvalid("default", exc.message) from None


@transaction.atomic
def create_field(workspace: Workspace, *, key: str, display_name: str = "", type: str = v.TEXT,
                 choices: Sequence[Any] = (), is_private: bool = False, default: Any = None,
                 nullable: bool = True, description: str = "", actor: User | None = None,
                 origin: str = "settings") -> ContactField:
    """Add a custom field. The caller checks the role ("people.fields"); audited."""
    key = (key or "").strip()
    problem = key_problem(key)
    if problem:
        raise FieldDefinitionInvalid("key", problem)
    if type not in v.TYPES:
        raise FieldDefinitionInvalid("type", _("“%(type)s” is not a field type") % {"type": type})
    cleaned = clean_choices(choices) if type == v.ENUM else []
    if type == v.ENUM and not cleaned:
        raise FieldDefinitionInvalid("choices", _("a choice field needs at least one choice"))
    if ContactField.objects.filter(workspace=workspace, key=key).exists():
        raise FieldDefinitionInvalid("key", _("there is already a field “%(key)s”") % {"key": key})
    row = ContactField(workspace=workspace, key=key, display_name=(display_name or "").strip()[:100] or key,
                       type=type, choices=cleaned, is_private=is_private, nullable=nullable,
                       description=(description or "").strip()[:300], created_by=actor, origin=origin)
    row.default = _check_default(row, default)
    if not nullable and row.default is None:
        raise FieldDefinitionInvalid("default", _("a field that cannot be empty needs a default"))
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise FieldDefinitionInvalid("key", _("there is already a field “%(key)s”") % {"key": key}) from None
    record_audit(workspace, "contact_field_created", actor=actor, target=key, type=type, origin=origin)
    return row


def ensure_text_fields(workspace: Workspace, keys: Sequence[str], *, origin: str) -> None:
    """Text fields for keys a journey wrote that the schema lacked (Turn accepts them as text)."""
    for key in keys:
        ContactField.objects.get_or_create(workspace=workspace, key=key,
                                           defaults={"display_name": key, "type": v.TEXT, "origin": origin})


@transaction.atomic
def update_field(workspace: Workspace, key: str, *, display_name: str | None = None, is_private: bool | None = None,
                 choices: Sequence[Any] | None = None, description: str | None = None, default: Any = UNSET,
                 nullable: bool | None = None, actor: User | None = None) -> ContactField:
    """Change a field. A reserved field keeps its key and type: only its display name and privacy
    change. A custom field's key and type never change (people's values depend on them)."""
    if key in RESERVED:
        row, _created = ContactField.objects.get_or_create(
            workspace=workspace, key=key,
            defaults={"reserved": True, "type": RESERVED[key].type,
                      "display_name": str(RESERVED[key].display_name)})
        if not row.reserved:  # pragma: no cover - a custom row can never take a reserved key
            raise FieldDefinitionInvalid("key", _("“%(key)s” is a reserved field.") % {"key": key})
    else:
        row = ContactField.objects.select_for_update().filter(workspace=workspace, key=key, reserved=False).first()
        if row is None:
            raise ContactField.DoesNotExist(key)
    changed: list[str] = []
    if display_name is not None and display_name.strip() and display_name.strip() != row.display_name:
        row.display_name = display_name.strip()[:100]
        changed.append("display_name")
    if is_private is not None and is_private != row.is_private:
        row.is_private = is_private
        changed.append("is_private")
    if not row.reserved:
        if description is not None and description.strip() != row.description:
            row.description = description.strip()[:300]
            changed.append("description")
        if choices is not None and row.type == v.ENUM:
            cleaned = clean_choices(choices)
            if not cleaned:
                raise FieldDefinitionInvalid("choices", _("a choice field needs at least one choice"))
            if cleaned != row.choices:
                row.choices = cleaned
                changed.append("choices")
        if nullable is not None and nullable != row.nullable:
            row.nullable = nullable
            changed.append("nullable")
        if default is not UNSET:
            cleaned_default = _check_default(row, default)
            if cleaned_default != row.default:
                row.default = cleaned_default
                changed.append("default")
        if not row.nullable and row.default is None:
            raise FieldDefinitionInvalid("default", _("a field that cannot be empty needs a default"))
    if changed:
        row.save()
        record_audit(workspace, "contact_field_changed", actor=actor, target=key, changes=changed)
    return row


@transaction.atomic
def delete_field(workspace: Workspace, key: str, *, actor: User | None = None) -> int:
    """Delete a custom field and every person's value of it (one UPDATE); returns how many people
    had a value. Reserved fields cannot be deleted."""
    if key in RESERVED:
        raise FieldDefinitionInvalid("key", _("reserved fields cannot be deleted"))
    row = ContactField.objects.filter(workspace=workspace, key=key, reserved=False).first()
    if row is None:
        raise ContactField.DoesNotExist(key)
    had = Contact.objects.filter(workspace=workspace, fields__has_key=key).update(fields=JsonRemove(key))
    row.delete()
    record_audit(workspace, "contact_field_deleted", actor=actor, target=key, values_removed=had)
    return had


def apply_schema_document(workspace: Workspace, document: Mapping[str, Any], *, actor: User | None = None,
                          origin: str = "api") -> list[FieldSpec]:
    """Turn's POST /v1/contacts/schemas: create the custom fields it lists and update those that exist.

    Fields the document leaves out are kept (Sauti never drops people's data on a schema post;
    delete a field explicitly). Raises FieldDefinitionInvalid with `.field` like "fields[2].type".
    """
    items = document.get("fields")
    if not isinstance(items, list):
        raise FieldDefinitionInvalid("fields", _("a list of fields is required"))
    with transaction.atomic():
        for index, item in enumerate(items):
            where = f"fields[{index}]"
            if not isinstance(item, Mapping) or not str(item.get("name") or "").strip():
                raise FieldDefinitionInvalid(f"{where}.name", _("every field needs a name"))
            try:
                _apply_turn_field(workspace, item, actor=actor, origin=origin)
            except FieldDefinitionInvalid as exc:
                raise FieldDefinitionInvalid(f"{where}.{exc.field}", exc.message) from None
    from sauti.contacts.schema import load_schema

    return load_schema(workspace).ordered()


def _apply_turn_field(workspace: Workspace, item: Mapping[str, Any], *, actor: User | None, origin: str) -> None:
    key = str(item["name"]).strip()
    turn_type = str(item.get("type") or "STRING").upper()
    kind = FROM_TURN_TYPES.get(turn_type)
    if kind is None:
        raise FieldDefinitionInvalid("type", _("“%(type)s” is not a field type") % {"type": turn_type})
    display = str(item.get("display") or "")
    private = bool(item.get("is_private", False))
    choices = item.get("enum") or []
    if key in RESERVED:
        if RESERVED[key].type != kind:
            raise FieldDefinitionInvalid("type", _("the reserved field “%(key)s” is of another type") % {"key": key})
        update_field(workspace, key, display_name=display or None, is_private=private, actor=actor)
        return
    existing = ContactField.objects.filter(workspace=workspace, key=key, reserved=False).first()
    nullable = item.get("null", True) is not False
    if existing is None:
        create_field(workspace, key=key, display_name=display, type=kind, choices=choices, is_private=private,
                     default=item.get("default"), nullable=nullable, actor=actor, origin=origin)
        return
    if existing.type != kind:
        raise FieldDefinitionInvalid("type", _("“%(key)s” is a %(old)s field and cannot become %(new)s; delete it "
                                               "first") % {"key": key, "old": existing.type, "new": kind})
    update_field(workspace, key, display_name=display or None, is_private=private,
                 choices=choices if kind == v.ENUM else None, default=item.get("default"), nullable=nullable,
                 actor=actor)
