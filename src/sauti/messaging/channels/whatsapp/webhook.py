"""Turn a Cloud API webhook body into plain items: messages, statuses, template updates.

Pure: no database. A body may batch several entries, changes, messages and statuses; every one
counts. Unknown fields are kept as `OtherUpdate` so nothing is silently lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class InboundMessage:
    phone_number_id: str
    waba_id: str
    wa_id: str | None
    user_id: str | None
    profile_name: str
    message: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.message.get("id", ""))

    @property
    def type(self) -> str:
        return str(self.message.get("type") or "unknown")

    @property
    def timestamp(self) -> dt.datetime:
        return parse_timestamp(self.message.get("timestamp"))


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    phone_number_id: str
    waba_id: str
    id: str
    status: str
    timestamp: dt.datetime
    recipient_id: str | None
    errors: list[dict[str, Any]] = field(default_factory=list)
    pricing: dict[str, Any] | None = None
    conversation: dict[str, Any] | None = None
    callback_data: str | None = None


@dataclass(frozen=True, slots=True)
class TemplateStatusUpdate:
    waba_id: str
    template_id: str
    name: str
    language: str
    event: str
    reason: str | None
    raw: dict[str, Any]


@dataclass(frozen=True, slots=True)
class OtherUpdate:
    """Anything else Meta sends (account updates, quality changes, errors at value level…)."""

    waba_id: str
    phone_number_id: str
    field: str
    value: dict[str, Any]


Item = InboundMessage | StatusUpdate | TemplateStatusUpdate | OtherUpdate

TEMPLATE_FIELDS = {"message_template_status_update"}


class MalformedWebhook(ValueError):
    pass


def parse_timestamp(value: Any) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return dt.datetime.now(tz=dt.UTC)


def routing_keys(body: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The phone number ids and WABA ids a body names, to find its workspace before parsing."""
    phone_ids: set[str] = set()
    waba_ids: set[str] = set()
    for entry in _list(body.get("entry")):
        if entry.get("id") is not None:
            waba_ids.add(str(entry["id"]))
        for change in _list(entry.get("changes")):
            metadata = (change.get("value") or {}).get("metadata") or {}
            if metadata.get("phone_number_id") is not None:
                phone_ids.add(str(metadata["phone_number_id"]))
    return phone_ids, waba_ids


def senders(body: dict[str, Any]) -> list[str]:
    """Who wrote the messages in a body (wa_id or business-scoped id), to keep each person in order."""
    found: list[str] = []
    for entry in _list(body.get("entry")):
        for change in _list(entry.get("changes")):
            value = change.get("value") or {}
            for message in _list(value.get("messages") if isinstance(value, dict) else None):
                if isinstance(message, dict):
                    sender = message.get("from") or message.get("from_user_id")
                    if sender and str(sender) not in found:
                        found.append(str(sender))
    return found


def parse(body: dict[str, Any]) -> list[Item]:
    if not isinstance(body, dict) or not isinstance(body.get("entry"), list):
        raise MalformedWebhook("a webhook body is an object with an 'entry' list")
    items: list[Item] = []
    for entry in _list(body["entry"]):
        waba_id = str(entry.get("id", ""))
        for change in _list(entry.get("changes")):
            fld = str(change.get("field", ""))
            value = change.get("value") or {}
            if not isinstance(value, dict):
                continue
            phone_number_id = str((value.get("metadata") or {}).get("phone_number_id", ""))
            if fld in TEMPLATE_FIELDS:
                items.append(_template_status(waba_id, value))
                continue
            if fld != "messages":
                items.append(OtherUpdate(waba_id, phone_number_id, fld, value))
                continue
            items.extend(_messages(waba_id, phone_number_id, value))
            items.extend(_statuses(waba_id, phone_number_id, value))
            if value.get("errors"):
                items.append(OtherUpdate(waba_id, phone_number_id, "errors", {"errors": value["errors"]}))
    return items


def _messages(waba_id: str, phone_number_id: str, value: dict[str, Any]) -> list[InboundMessage]:
    contacts = [c for c in _list(value.get("contacts")) if isinstance(c, dict)]
    out = []
    for message in _list(value.get("messages")):
        if not isinstance(message, dict):
            continue
        wa_id = message.get("from")
        user_id = message.get("from_user_id")
        profile = _contact_for(contacts, wa_id, user_id)
        if profile is not None:
            wa_id = wa_id or profile.get("wa_id")
            user_id = user_id or profile.get("user_id")
        name = str(((profile or {}).get("profile") or {}).get("name") or "")
        if not wa_id and not user_id:
            continue  # nobody to attribute it to; the raw event is still kept
        out.append(InboundMessage(phone_number_id, waba_id, str(wa_id) if wa_id else None,
                                  str(user_id) if user_id else None, name, message))
    return out


def _contact_for(contacts: list[dict[str, Any]], wa_id: Any, user_id: Any) -> dict[str, Any] | None:
    for contact in contacts:
        if (wa_id and str(contact.get("wa_id")) == str(wa_id)) or (user_id and contact.get("user_id") == user_id):
            return contact
    return contacts[0] if len(contacts) == 1 else None


def _statuses(waba_id: str, phone_number_id: str, value: dict[str, Any]) -> list[StatusUpdate]:
    out = []
    for status in _list(value.get("statuses")):
        if not isinstance(status, dict) or not status.get("id") or not status.get("status"):
            continue
        recipient = status.get("recipient_id") or status.get("recipient_user_id")
        out.append(StatusUpdate(
            phone_number_id=phone_number_id, waba_id=waba_id, id=str(status["id"]),
            status=str(status["status"]).lower(), timestamp=parse_timestamp(status.get("timestamp")),
            recipient_id=str(recipient) if recipient else None, errors=_list(status.get("errors")),
            pricing=status.get("pricing"), conversation=status.get("conversation"),
            callback_data=status.get("biz_opaque_callback_data"),
        ))
    return out


def _template_status(waba_id: str, value: dict[str, Any]) -> TemplateStatusUpdate:
    reason = value.get("reason")
    return TemplateStatusUpdate(
        waba_id=waba_id, template_id=str(value.get("message_template_id", "")),
        name=str(value.get("message_template_name", "")), language=str(value.get("message_template_language", "")),
        event=str(value.get("event", "")).upper(), reason=None if reason in (None, "NONE") else str(reason), raw=value,
    )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def message_text(message: dict[str, Any]) -> str:
    """The words a person would read in a message: for search, previews and journeys."""
    kind = message.get("type")
    body = message.get(kind) if isinstance(kind, str) else None
    body = body if isinstance(body, dict) else {}
    if kind == "text":
        return str(body.get("body", ""))
    if kind in ("image", "video", "document", "audio", "sticker"):
        return str(body.get("caption") or body.get("filename") or "")
    if kind == "interactive":
        for key in ("button_reply", "list_reply"):
            if isinstance(body.get(key), dict):
                return str(body[key].get("title", ""))
        if isinstance(body.get("nfm_reply"), dict):
            return str(body["nfm_reply"].get("body") or body["nfm_reply"].get("response_json") or "")
        return ""
    if kind == "button":
        return str(body.get("text") or body.get("payload") or "")
    if kind == "location":
        parts = [body.get("name"), body.get("address")]
        text = ", ".join(str(p) for p in parts if p)
        return text or f"{body.get('latitude')}, {body.get('longitude')}"
    if kind == "template":
        # Sauti's own template sends carry what the person reads (sauti.content.templates.rendered).
        shown = message.get("_rendered") if isinstance(message.get("_rendered"), dict) else {}
        header = shown.get("header") if isinstance(shown.get("header"), dict) else {}
        parts = [header.get("text"), shown.get("body"), shown.get("footer")]
        return "\n".join(str(p) for p in parts if p) or str(body.get("name") or "")
    if kind == "reaction":
        return str(body.get("emoji") or "")
    if kind == "contacts":
        cards = message.get("contacts") or []
        return ", ".join(str((c.get("name") or {}).get("formatted_name", "")) for c in cards if isinstance(c, dict))
    if kind == "order":
        return str(body.get("text") or "")
    if kind == "system":
        return str(body.get("body") or "")
    if kind == "edit":
        inner = body.get("message") if isinstance(body.get("message"), dict) else {}
        return message_text(inner)
    return ""
