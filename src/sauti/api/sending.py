"""How POST /v1/messages sends what content owns: uploaded media by its library id, and templates
checked against the workspace's stored templates (content's send_template) before anything is queued."""

from __future__ import annotations

from typing import Any

from sauti.accounts.models import Workspace
from sauti.api.bodies import MEDIA
from sauti.api.errors import ApiError, invalid
from sauti.contacts.models import Contact
from sauti.content.models import MessageTemplate
from sauti.content.services import TemplateParamsInvalid, media_object, send_template
from sauti.messaging.channels.whatsapp.errors import CloudAPIError
from sauti.messaging.models import Message

TEMPLATE_NOT_FOUND = -1  # Turn's code (turn-python raises WhatsAppTemplateNotFoundError for it)


def resolve_library_media(workspace: Workspace, body: dict[str, Any]) -> dict[str, Any]:
    """`image.id` naming an uploaded file (its library uuid) becomes Meta's id for it."""
    from sauti.api.media import library_media

    kind = body.get("type")
    if kind not in MEDIA or "id" not in (body.get(kind) or {}):
        return body
    media = library_media(workspace, str(body[kind]["id"]))
    if media is None:
        return body  # a Meta media id the client uploaded elsewhere: sent as given
    try:
        obj = media_object(media, caption=str(body[kind].get("caption") or ""))
    except CloudAPIError as exc:
        raise ApiError(502, 1014, "WhatsApp did not take the file", str(exc), f"{kind}.id") from exc
    if body[kind].get("filename"):
        obj["filename"] = body[kind]["filename"]
    return {**body, kind: obj}


def stored_template(workspace: Workspace, name: str, language: str) -> MessageTemplate:
    """The workspace's template by name, in this language; Turn's 404 (code -1) when it has none."""
    templates = list(MessageTemplate.objects.filter(workspace=workspace, name=name).exclude(status="DELETED"))
    if not templates:
        raise ApiError(404, TEMPLATE_NOT_FOUND, "Template not found",
                       f"no template named {name!r} in this workspace (Settings sync templates from WhatsApp)",
                       "template.name")
    for template in templates:
        if template.language == language:
            return template
    languages = ", ".join(sorted(t.language for t in templates))
    raise ApiError(404, TEMPLATE_NOT_FOUND, "Template not found",
                   f"template {name!r} has no {language!r} version (it has {languages})", "template.language.code")


def template_params(components: list[dict[str, Any]]) -> dict[str, Any]:
    """Cloud API components → content's params: header and body values in order, buttons by index."""
    params: dict[str, Any] = {"header": [], "body": [], "buttons": {}}
    for component in components:
        values = [_value(p) for p in component.get("parameters") or []]
        kind = component.get("type")
        if kind == "header":
            params["header"] += values
        elif kind == "body":
            params["body"] += values
        elif kind == "button":
            try:
                index = int(component.get("index", 0))
            except (TypeError, ValueError):
                index = 0
            if values:
                params["buttons"][index] = values[0]
    return params


def _value(parameter: Any) -> Any:
    if not isinstance(parameter, dict):
        return parameter
    kind = parameter.get("type")
    if kind == "text":
        return parameter.get("text")
    if kind == "payload":
        return parameter.get("payload")
    if kind in ("currency", "date_time"):
        return (parameter.get(kind) or {}).get("fallback_value")
    if kind in ("image", "video", "document"):
        return parameter.get(kind)
    if kind == "location":
        return parameter.get("location")
    return parameter.get(kind) if kind else parameter


def send_stored_template(workspace: Workspace, contact: Contact, body: dict[str, Any], *, author_id: str,
                         author_name: str) -> Message:
    """Check the template body against the stored template and queue it (content's send_template)."""
    template_body = body["template"]
    template = stored_template(workspace, template_body["name"], template_body["language"]["code"])
    try:
        return send_template(workspace, contact, template, template_params(template_body.get("components") or []),
                             author_type=Message.AuthorType.SYSTEM, author_id=author_id, author_name=author_name)
    except TemplateParamsInvalid as exc:
        raise invalid(f"template.{exc.field}", str(exc.message)) from exc
