"""Checks a `POST /<phone-number-id>/messages` body the way the Cloud API does (spec §1).

Every rejection is a GraphError whose `details` starts with the dotted path of the field at fault,
so a failing client test points at the exact parameter. Template existence and parameter counts
need the account's templates and are checked by the caller (see templates.check_template_send).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import bad_param, invalid, missing

MEDIA_TYPES = ("image", "audio", "video", "document", "sticker")
MESSAGE_TYPES = ("text", *MEDIA_TYPES, "location", "contacts", "interactive", "template", "reaction")
_ENVELOPE_KEYS = {"messaging_product", "recipient_type", "to", "type", "context", "biz_opaque_callback_data"}
_MEDIA_KEYS = {
    "image": {"id", "link", "caption"},
    "video": {"id", "link", "caption"},
    "document": {"id", "link", "caption", "filename"},
    "audio": {"id", "link"},
    "sticker": {"id", "link"},
}
_INTERACTIVE_TYPES = ("button", "list", "cta_url", "location_request_message", "flow", "product",
                      "product_list", "catalog_message", "call_permission_request")
_TEMPLATE_COMPONENTS = ("header", "body", "button")
_BUTTON_SUB_TYPES = ("quick_reply", "url", "copy_code", "flow", "catalog", "mpm", "voice_call")
_PARAMETER_TYPES = ("text", "currency", "date_time", "image", "video", "document", "location",
                    "payload", "action", "coupon_code")
_PHONE = re.compile(r"^\+?[\d\s().-]+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """An accepted send; `template` holds (name, language code, body params, header params)."""

    to: str
    wa_id: str
    type: str
    biz_opaque_callback_data: str | None
    template: tuple[str, str, int, int] | None = None


@dataclass(frozen=True, slots=True)
class ReadReceipt:
    message_id: str
    typing_indicator: bool


def check_message_request(body: Any) -> OutboundMessage | ReadReceipt:
    """Validate a messages-endpoint body: a send, or a mark-as-read (which has `status`)."""
    body = _object(body, "body")
    product = _required(body, "messaging_product", "")
    if product != "whatsapp":
        raise bad_param("messaging_product", f'must be "whatsapp" (got {product!r})')
    if "status" in body:
        return _check_read_receipt(body)
    _only(body, _ENVELOPE_KEYS | set(MESSAGE_TYPES), "")
    recipient_type = body.get("recipient_type", "individual")
    if recipient_type not in ("individual", "group"):
        raise bad_param("recipient_type", 'must be "individual" or "group"')
    to = _text(body, "to", "", max_len=256)
    wa_id = re.sub(r"\D", "", to)
    if recipient_type == "individual" and (not _PHONE.match(to) or not wa_id):
        raise invalid("to", "must be a phone number in international format or a WhatsApp id")
    # Meta treats a body without `type` as text (two spec examples rely on it).
    kind = body.get("type", "text")
    if kind not in MESSAGE_TYPES:
        raise bad_param("type", f"unsupported message type {kind!r}; expected one of {', '.join(MESSAGE_TYPES)}")
    for other in MESSAGE_TYPES:
        if other != kind and other in body:
            raise bad_param(other, f"unexpected parameter for a message of type {kind!r}")
    template = _CHECKS[kind](_required(body, kind, ""), kind)
    if "context" in body:
        context = _object(body["context"], "context")
        _only(context, {"message_id"}, "context")
        _text(context, "message_id", "context", max_len=512)
    opaque = None
    if "biz_opaque_callback_data" in body:
        opaque = _text(body, "biz_opaque_callback_data", "", max_len=512, allow_empty=True)
    return OutboundMessage(to, wa_id or to, kind, opaque, template)


def _check_read_receipt(body: dict[str, Any]) -> ReadReceipt:
    _only(body, {"messaging_product", "status", "message_id", "typing_indicator", "recipient_type"}, "")
    if body["status"] != "read":
        raise bad_param("status", f'must be "read" (got {body["status"]!r})')
    message_id = _text(body, "message_id", "", max_len=512)
    typing = "typing_indicator" in body
    if typing:
        indicator = _object(body["typing_indicator"], "typing_indicator")
        _only(indicator, {"type"}, "typing_indicator")
        if _required(indicator, "type", "typing_indicator") != "text":
            raise bad_param("typing_indicator.type", 'must be "text"')
    return ReadReceipt(message_id, typing)


# --- one check per message type; each returns template facts or None ------------------------

def _check_text(value: Any, path: str) -> None:
    text = _object(value, path)
    _only(text, {"body", "preview_url"}, path)
    _text(text, "body", path, max_len=4096)
    if "preview_url" in text and not isinstance(text["preview_url"], bool):
        raise bad_param(f"{path}.preview_url", "must be a boolean")


def _check_media(value: Any, path: str, kind: str | None = None, allowed: set[str] | None = None) -> None:
    kind = kind or path
    media = _object(value, path)
    allowed = allowed if allowed is not None else _MEDIA_KEYS[kind]
    for key in media:
        if key not in allowed:
            problem = f"is not allowed for {kind}" if key in ("caption", "filename") else "unexpected parameter"
            raise bad_param(f"{path}.{key}", problem)
    has_id, has_link = "id" in media, "link" in media
    if not has_id and not has_link:
        raise missing(f"{path}.id")
    if has_id and has_link:
        raise bad_param(f"{path}.link", "give exactly one of id or link, not both")
    if has_id:
        media_id = media["id"]
        if not isinstance(media_id, str) or not media_id.isdigit():
            raise invalid(f"{path}.id", "must be a media id (a string of digits)")
    else:
        _url(media, "link", path)
    if "caption" in media:
        _text(media, "caption", path, max_len=1024, allow_empty=True)
    if "filename" in media:
        _text(media, "filename", path, max_len=240)


def _check_location(value: Any, path: str) -> None:
    location = _object(value, path)
    _only(location, {"latitude", "longitude", "name", "address"}, path)
    for key, limit in (("latitude", 90.0), ("longitude", 180.0)):
        raw = _required(location, key, path)
        try:
            number = float(raw) if not isinstance(raw, bool) else None
        except (TypeError, ValueError):
            number = None
        if number is None or not -limit <= number <= limit:
            raise invalid(f"{path}.{key}", f"must be a number between -{limit:g} and {limit:g}")
    for key in ("name", "address"):
        if key in location:
            _text(location, key, path, max_len=1000, allow_empty=True)


def _check_contacts(value: Any, path: str) -> None:
    if not isinstance(value, list):
        raise bad_param(path, "must be an array of contact cards")
    if not 1 <= len(value) <= 5:
        raise invalid(path, f"must hold 1 to 5 contact cards (got {len(value)})")
    for i, card in enumerate(value):
        card_path = f"{path}[{i}]"
        card = _object(card, card_path)
        _only(card, {"name", "phones", "emails", "addresses", "org", "urls", "birthday"}, card_path)
        name = _object(_required(card, "name", card_path), f"{card_path}.name")
        _text(name, "formatted_name", f"{card_path}.name", max_len=1024)
        for key in ("phones", "emails", "addresses", "urls"):
            if key in card:
                if not isinstance(card[key], list):
                    raise bad_param(f"{card_path}.{key}", "must be an array")
                for j, item in enumerate(card[key]):
                    _object(item, f"{card_path}.{key}[{j}]")
        if "org" in card:
            _object(card["org"], f"{card_path}.org")
        if "birthday" in card and not (isinstance(card["birthday"], str) and _DATE.match(card["birthday"])):
            raise invalid(f"{card_path}.birthday", "must be a date as YYYY-MM-DD")


def _check_reaction(value: Any, path: str) -> None:
    reaction = _object(value, path)
    _only(reaction, {"message_id", "emoji"}, path)
    _text(reaction, "message_id", path, max_len=512)
    # An empty emoji removes an earlier reaction.
    _text(reaction, "emoji", path, max_len=16, allow_empty=True)


def _check_interactive(value: Any, path: str) -> None:
    interactive = _object(value, path)
    _only(interactive, {"type", "header", "body", "footer", "action"}, path)
    kind = _required(interactive, "type", path)
    if kind not in _INTERACTIVE_TYPES:
        raise bad_param(f"{path}.type", f"unsupported interactive type {kind!r}; "
                                        f"expected one of {', '.join(_INTERACTIVE_TYPES)}")
    if "header" in interactive:
        if kind in ("location_request_message", "call_permission_request"):
            raise bad_param(f"{path}.header", f"is not allowed for {kind} messages")
        _check_header(interactive["header"], f"{path}.header", text_only=kind == "list")
    if kind != "product" or "body" in interactive:
        body = _object(_required(interactive, "body", path), f"{path}.body")
        _only(body, {"text"}, f"{path}.body")
        _text(body, "text", f"{path}.body", max_len=1024)
    if "footer" in interactive:
        footer = _object(interactive["footer"], f"{path}.footer")
        _only(footer, {"text"}, f"{path}.footer")
        _text(footer, "text", f"{path}.footer", max_len=60)
    action = _object(_required(interactive, "action", path), f"{path}.action")
    check = _ACTION_CHECKS.get(kind)
    if check is not None:
        check(action, f"{path}.action")


def _check_header(value: Any, path: str, *, text_only: bool) -> None:
    header = _object(value, path)
    kind = _required(header, "type", path)
    if kind not in ("text", "image", "video", "document"):
        raise bad_param(f"{path}.type", "must be one of text, image, video, document")
    if text_only and kind != "text":
        raise bad_param(f"{path}.type", "must be text for list messages")
    _only(header, {"type", kind}, path)
    if kind == "text":
        _text(header, "text", path, max_len=60)
    else:
        _check_media(_required(header, kind, path), f"{path}.{kind}", kind, allowed={"id", "link"})


def _check_button_action(action: dict[str, Any], path: str) -> None:
    _only(action, {"buttons"}, path)
    buttons = _required(action, "buttons", path)
    if not isinstance(buttons, list):
        raise bad_param(f"{path}.buttons", "must be an array")
    if not 1 <= len(buttons) <= 3:
        raise invalid(f"{path}.buttons", f"must hold 1 to 3 buttons (got {len(buttons)})")
    titles: set[str] = set()
    ids: set[str] = set()
    for i, button in enumerate(buttons):
        button_path = f"{path}.buttons[{i}]"
        button = _object(button, button_path)
        _only(button, {"type", "reply"}, button_path)
        if _required(button, "type", button_path) != "reply":
            raise bad_param(f"{button_path}.type", 'must be "reply"')
        reply_path = f"{button_path}.reply"
        reply = _object(_required(button, "reply", button_path), reply_path)
        _only(reply, {"id", "title"}, reply_path)
        button_id = _text(reply, "id", reply_path, max_len=256)
        title = _text(reply, "title", reply_path, max_len=20)
        if title in titles:
            raise invalid(f"{reply_path}.title", f"duplicate title {title!r}: button titles must be unique")
        if button_id in ids:
            raise invalid(f"{reply_path}.id", f"duplicate id {button_id!r}: button ids must be unique")
        titles.add(title)
        ids.add(button_id)


def _check_list_action(action: dict[str, Any], path: str) -> None:
    _only(action, {"button", "sections"}, path)
    _text(action, "button", path, max_len=20)
    sections = _required(action, "sections", path)
    if not isinstance(sections, list):
        raise bad_param(f"{path}.sections", "must be an array")
    if not 1 <= len(sections) <= 10:
        raise invalid(f"{path}.sections", f"must hold 1 to 10 sections (got {len(sections)})")
    row_ids: set[str] = set()
    total = 0
    for i, section in enumerate(sections):
        section_path = f"{path}.sections[{i}]"
        section = _object(section, section_path)
        _only(section, {"title", "rows"}, section_path)
        if len(sections) > 1 or "title" in section:
            _text(section, "title", section_path, max_len=24)
        rows = _required(section, "rows", section_path)
        if not isinstance(rows, list) or not rows:
            raise invalid(f"{section_path}.rows", "must be a non-empty array")
        total += len(rows)
        if total > 10:
            raise invalid(f"{path}.sections", f"must hold at most 10 rows in total (got {_count_rows(sections)})")
        for j, row in enumerate(rows):
            row_path = f"{section_path}.rows[{j}]"
            row = _object(row, row_path)
            _only(row, {"id", "title", "description"}, row_path)
            row_id = _text(row, "id", row_path, max_len=200)
            _text(row, "title", row_path, max_len=24)
            if "description" in row:
                _text(row, "description", row_path, max_len=72, allow_empty=True)
            if row_id in row_ids:
                raise invalid(f"{row_path}.id", f"duplicate row id {row_id!r}: row ids must be unique")
            row_ids.add(row_id)


def _count_rows(sections: list[Any]) -> int:
    return sum(len(s.get("rows") or []) for s in sections if isinstance(s, dict) and isinstance(s.get("rows"), list))


def _check_cta_url_action(action: dict[str, Any], path: str) -> None:
    _only(action, {"name", "parameters"}, path)
    if _required(action, "name", path) != "cta_url":
        raise bad_param(f"{path}.name", 'must be "cta_url"')
    parameters = _object(_required(action, "parameters", path), f"{path}.parameters")
    _only(parameters, {"display_text", "url"}, f"{path}.parameters")
    _text(parameters, "display_text", f"{path}.parameters", max_len=20)
    _url(parameters, "url", f"{path}.parameters")


def _check_location_request_action(action: dict[str, Any], path: str) -> None:
    _only(action, {"name"}, path)
    if _required(action, "name", path) != "send_location":
        raise bad_param(f"{path}.name", 'must be "send_location"')


def _check_flow_action(action: dict[str, Any], path: str) -> None:
    _only(action, {"name", "parameters"}, path)
    if _required(action, "name", path) != "flow":
        raise bad_param(f"{path}.name", 'must be "flow"')
    parameters = _object(_required(action, "parameters", path), f"{path}.parameters")
    _required(parameters, "flow_message_version", f"{path}.parameters")
    _text(parameters, "flow_cta", f"{path}.parameters", max_len=30)
    if "flow_id" not in parameters and "flow_name" not in parameters:
        raise missing(f"{path}.parameters.flow_id")


_ACTION_CHECKS = {
    "button": _check_button_action,
    "list": _check_list_action,
    "cta_url": _check_cta_url_action,
    "location_request_message": _check_location_request_action,
    "flow": _check_flow_action,
}


def _check_template(value: Any, path: str) -> tuple[str, str, int, int]:
    template = _object(value, path)
    _only(template, {"name", "language", "components", "namespace"}, path)
    name = _text(template, "name", path, max_len=512)
    language = _object(_required(template, "language", path), f"{path}.language")
    _only(language, {"code", "policy"}, f"{path}.language")
    code = _text(language, "code", f"{path}.language", max_len=16)
    if "policy" in language and language["policy"] != "deterministic":
        raise bad_param(f"{path}.language.policy", 'must be "deterministic"')
    components = template.get("components", [])
    if not isinstance(components, list):
        raise bad_param(f"{path}.components", "must be an array")
    counts = {"header": 0, "body": 0}
    for i, component in enumerate(components):
        component_path = f"{path}.components[{i}]"
        component = _object(component, component_path)
        _only(component, {"type", "sub_type", "index", "parameters"}, component_path)
        kind = _required(component, "type", component_path)
        if not isinstance(kind, str) or kind.lower() not in _TEMPLATE_COMPONENTS:
            raise bad_param(f"{component_path}.type", "must be one of header, body, button")
        if kind != kind.lower():
            raise bad_param(f"{component_path}.type",
                            f"must be lower-case when sending ({kind.lower()!r}, not {kind!r})")
        parameters = component.get("parameters", [])
        if not isinstance(parameters, list):
            raise bad_param(f"{component_path}.parameters", "must be an array")
        if kind == "button":
            _check_template_button(component, component_path)
        for j, parameter in enumerate(parameters):
            _check_template_parameter(parameter, f"{component_path}.parameters[{j}]")
        if kind == "body":
            counts["body"] += len(parameters)
        elif kind == "header":
            # Only text parameters fill a text header's {{1}}; a media header takes a media parameter.
            counts["header"] += sum(1 for p in parameters if p["type"] == "text")
    return name, code, counts["body"], counts["header"]


def _check_template_button(component: dict[str, Any], path: str) -> None:
    sub_type = _required(component, "sub_type", path)
    if sub_type not in _BUTTON_SUB_TYPES:
        raise bad_param(f"{path}.sub_type", f"must be one of {', '.join(_BUTTON_SUB_TYPES)}")
    index = _required(component, "index", path)
    if isinstance(index, bool) or not (isinstance(index, int) or (isinstance(index, str) and index.isdigit())) \
            or not 0 <= int(index) <= 9:
        raise invalid(f"{path}.index", "must be a button position from 0 to 9")
    parameters = component.get("parameters") or []
    if sub_type in ("quick_reply", "url") and not parameters:
        raise missing(f"{path}.parameters")
    expected = {"quick_reply": "payload", "url": "text"}.get(sub_type)
    for j, parameter in enumerate(parameters):
        if expected and isinstance(parameter, dict) and parameter.get("type") != expected:
            raise bad_param(f"{path}.parameters[{j}].type", f'must be "{expected}" for a {sub_type} button')


def _check_template_parameter(value: Any, path: str) -> None:
    parameter = _object(value, path)
    kind = _required(parameter, "type", path)
    if kind not in _PARAMETER_TYPES:
        raise bad_param(f"{path}.type", f"must be one of {', '.join(_PARAMETER_TYPES)}")
    _only(parameter, {"type", kind, "parameter_name"}, path)
    if kind in ("text", "payload", "coupon_code"):
        _text(parameter, kind, path, max_len=32768 if kind == "text" else 4096, allow_empty=kind != "text")
    elif kind in ("image", "video", "document"):
        _check_media(_required(parameter, kind, path), f"{path}.{kind}", kind, allowed={"id", "link", "filename"}
                     if kind == "document" else {"id", "link"})
    elif kind == "currency":
        currency = _object(_required(parameter, kind, path), f"{path}.currency")
        for key in ("fallback_value", "code", "amount_1000"):
            _required(currency, key, f"{path}.currency")
    elif kind == "date_time":
        date_time = _object(_required(parameter, kind, path), f"{path}.date_time")
        _required(date_time, "fallback_value", f"{path}.date_time")
    else:
        _object(_required(parameter, kind, path), f"{path}.{kind}")


_CHECKS = {
    "text": _check_text,
    **{kind: _check_media for kind in MEDIA_TYPES},
    "location": _check_location,
    "contacts": _check_contacts,
    "interactive": _check_interactive,
    "template": _check_template,
    "reaction": _check_reaction,
}


# --- small shared checks ------------------------------------------------------------------

def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad_param(path, "must be a JSON object")
    return value


def _only(obj: dict[str, Any], allowed: set[str], path: str) -> None:
    for key in obj:
        if key not in allowed:
            raise bad_param(_join(path, key), "unexpected parameter")


def _required(obj: dict[str, Any], key: str, path: str) -> Any:
    if obj.get(key) is None:
        raise missing(_join(path, key))
    return obj[key]


def _text(obj: dict[str, Any], key: str, path: str, *, max_len: int, allow_empty: bool = False) -> str:
    field = _join(path, key)
    value = _required(obj, key, path)
    if not isinstance(value, str):
        raise bad_param(field, "must be a string")
    if not allow_empty and not value.strip():
        raise invalid(field, "must not be empty")
    if len(value) > max_len:
        raise invalid(field, f"must be at most {max_len} characters (got {len(value)})")
    return value


def _url(obj: dict[str, Any], key: str, path: str) -> str:
    value = _text(obj, key, path, max_len=2000)
    if not value.startswith(("http://", "https://")):
        raise invalid(_join(path, key), "must be an http or https URL")
    return value

