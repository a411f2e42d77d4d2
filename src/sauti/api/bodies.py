"""Translate Turn/On-Premises message bodies into Cloud API bodies, naming the field at fault.

Integrations written for Turn post On-Premises shapes (`preview_url` at the top, template
`namespace`, no `messaging_product`); Cloud API shapes are accepted too.
"""

from __future__ import annotations

from typing import Any

from sauti.api.errors import ApiError, invalid, missing

MEDIA = ("image", "video", "audio", "document", "sticker")
TYPES = ("text", "template", "interactive", "reaction", "location", "contacts", "hsm", *MEDIA)
MAX_TEXT = 4096


def to_cloud_body(data: Any) -> tuple[str, dict[str, Any]]:
    """Returns (recipient, body without `to`)."""
    if not isinstance(data, dict):
        raise ApiError(400, 1009, "Parameter value is not valid", "the body must be a JSON object")
    to = data.get("to")
    if to in (None, ""):
        raise missing("to")
    if not isinstance(to, str):
        raise invalid("to", "must be a string (a WhatsApp id or phone number)")
    if data.get("messaging_product") not in (None, "whatsapp"):
        raise invalid("messaging_product", 'must be "whatsapp"')
    kind = data.get("type") or ("text" if "text" in data else None)
    if kind is None:
        raise missing("type")
    if kind not in TYPES:
        raise invalid("type", f"unknown message type {kind!r}; expected one of {', '.join(TYPES)}")
    content = data.get(kind)
    if not isinstance(content, dict) and kind != "contacts":
        raise missing(kind)
    body: dict[str, Any] = {"type": kind}
    if kind == "text":
        body["text"] = _text(content, data)
    elif kind in MEDIA:
        body[kind] = _media(kind, content)
    elif kind == "template":
        body["template"] = _template(content)
    elif kind == "hsm":
        body = {"type": "template", "template": _hsm(content)}
    elif kind == "interactive":
        body["interactive"] = _interactive(content)
    elif kind == "reaction":
        if not content.get("message_id"):
            raise missing("reaction.message_id")
        body["reaction"] = {"message_id": str(content["message_id"]), "emoji": str(content.get("emoji") or "")}
    elif kind == "location":
        for key in ("latitude", "longitude"):
            if content.get(key) is None:
                raise missing(f"location.{key}")
        body["location"] = content
    elif kind == "contacts":
        if not isinstance(content, list) or not content:
            raise invalid("contacts", "must be a non-empty list of contact cards")
        body["contacts"] = content
    if isinstance(data.get("context"), dict) and data["context"].get("message_id"):
        body["context"] = {"message_id": str(data["context"]["message_id"])}
    return to, body


def _text(content: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    text = content.get("body")
    if not isinstance(text, str) or not text:
        raise missing("text.body")
    if len(text) > MAX_TEXT:
        raise invalid("text.body", f"at most {MAX_TEXT} characters")
    preview = content.get("preview_url", data.get("preview_url", False))
    return {"body": text, "preview_url": bool(preview)}


def _media(kind: str, content: dict[str, Any]) -> dict[str, Any]:
    has_id, has_link = bool(content.get("id")), bool(content.get("link"))
    if has_id == has_link:
        raise invalid(kind, "give exactly one of 'id' (an uploaded media id) or 'link' (an https URL)")
    out = {"id": str(content["id"])} if has_id else {"link": str(content["link"])}
    if content.get("caption") and kind in ("image", "video", "document"):
        out["caption"] = str(content["caption"])
    if content.get("filename") and kind == "document":
        out["filename"] = str(content["filename"])
    return out


def _template(content: dict[str, Any]) -> dict[str, Any]:
    name = content.get("name")
    if not name:
        raise missing("template.name")
    language = content.get("language")
    code = language.get("code") if isinstance(language, dict) else language
    if not code:
        raise missing("template.language.code")
    out: dict[str, Any] = {"name": str(name), "language": {"code": str(code)}}
    components = content.get("components")
    if components is not None:
        if not isinstance(components, list):
            raise invalid("template.components", "must be a list")
        out["components"] = [_component(c, i) for i, c in enumerate(components)]
    return out


def _hsm(content: dict[str, Any]) -> dict[str, Any]:
    """The legacy On-Premises `hsm` form: `element_name` and positional `localizable_params`."""
    name = content.get("element_name")
    if not name or not isinstance(name, str):
        raise missing("hsm.element_name")
    language = content.get("language")
    code = language.get("code") if isinstance(language, dict) else language
    if not code or not isinstance(code, str):
        raise missing("hsm.language.code")
    params = content.get("localizable_params", [])
    if not isinstance(params, list):
        raise invalid("hsm.localizable_params", "must be a list")
    out: dict[str, Any] = {"name": name, "language": {"code": code}}
    if params:
        out["components"] = [{"type": "body", "parameters": [_localizable(p, i) for i, p in enumerate(params)]}]
    return out


def _localizable(param: Any, index: int) -> dict[str, Any]:
    where = f"hsm.localizable_params.{index}"
    if not isinstance(param, dict) or not isinstance(param.get("default"), str | int | float):
        raise invalid(where, 'each parameter is an object with a "default" text')
    default = str(param["default"])
    if isinstance(param.get("currency"), dict):
        currency = param["currency"]
        return {"type": "currency", "currency": {"fallback_value": default,
                                                 "code": str(currency.get("currency_code", "")),
                                                 "amount_1000": currency.get("amount_1000", 0)}}
    if isinstance(param.get("date_time"), dict):
        return {"type": "date_time", "date_time": {"fallback_value": default}}
    return {"type": "text", "text": default}


def _component(component: Any, index: int) -> dict[str, Any]:
    where = f"template.components.{index}"
    if not isinstance(component, dict) or not component.get("type"):
        raise missing(f"{where}.type")
    out = dict(component)
    out["type"] = str(component["type"]).lower()
    if out["type"] == "button":
        if not component.get("sub_type"):
            raise missing(f"{where}.sub_type")
        out["index"] = str(component.get("index", 0))
    return out


def _interactive(content: dict[str, Any]) -> dict[str, Any]:
    kind = content.get("type")
    if kind not in ("button", "list", "cta_url", "location_request_message", "flow", "product", "product_list"):
        raise invalid("interactive.type", "expected button, list, cta_url or location_request_message")
    if kind != "product" and not (content.get("body") or {}).get("text"):
        raise missing("interactive.body.text")
    action = content.get("action")
    if not isinstance(action, dict):
        raise missing("interactive.action")
    if kind == "button":
        buttons = action.get("buttons")
        if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
            raise invalid("interactive.action.buttons", "between 1 and 3 reply buttons")
        for i, button in enumerate(buttons):
            title = ((button or {}).get("reply") or {}).get("title", "")
            if not title or len(title) > 20:
                raise invalid(f"interactive.action.buttons.{i}.reply.title", "1 to 20 characters")
    if kind == "list":
        sections = action.get("sections")
        if not action.get("button"):
            raise missing("interactive.action.button")
        if not isinstance(sections, list) or not sections:
            raise missing("interactive.action.sections")
        rows = sum(len((s or {}).get("rows") or []) for s in sections)
        if not 1 <= rows <= 10:
            raise invalid("interactive.action.sections", "between 1 and 10 rows in total")
    return content
