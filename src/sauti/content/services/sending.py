"""Sending a stored template: its parameters checked before anything is queued.

The inbox, reminders and the API call `send_template`; the journeys runner calls
`prepare_template_message` on the body a journey built, when the workspace has that template.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from sauti.accounts.models import User, Workspace
from sauti.contacts.models import Contact
from sauti.content.models import Media, MessageTemplate
from sauti.content.templates import TemplateParamsInvalid, rendered, send_components
from sauti.messaging.channels.whatsapp.errors import CloudAPIError
from sauti.messaging.models import Message, Outbox
from sauti.messaging.services import queue_message

Status = MessageTemplate.Status
_DIGITS = re.compile(r"^\d+$")


def _status_problem(template: MessageTemplate) -> str | None:
    if template.status == Status.APPROVED:
        return None
    if template.status == Status.PAUSED:
        return _("The template is paused by Meta for low quality; it cannot be sent until Meta reactivates it.")
    if template.status == Status.DISABLED:
        return _("The template is disabled by Meta and can no longer be sent.")
    return _("The template is not approved (it is %(status)s); only approved templates can be sent.") % {
        "status": template.status_label}


def _media_resolver(template: MessageTemplate):  # noqa: ANN202 - a closure over the template
    def resolve(kind: str, value: Any) -> dict[str, Any]:
        if value in (None, ""):
            if template.header_media is None:
                return {}
            value = template.header_media
        if isinstance(value, Mapping):
            return {k: str(value[k]) for k in ("id", "link") if value.get(k)}
        if isinstance(value, Media):
            return _library_object(template.workspace_id, value, kind)
        text = str(value).strip()
        if "://" in text:
            if not text.startswith(("https://", "http://")):
                raise TemplateParamsInvalid("header", _("A link to the header's file starts with https://"))
            return {"link": text}
        if _DIGITS.match(text):
            return {"id": text}
        try:
            media_uuid = uuid.UUID(text)
        except ValueError:
            raise TemplateParamsInvalid("header", _("Give a media library id, a Cloud API media id or a link."),
                                        ) from None
        media = Media.objects.filter(workspace_id=template.workspace_id, uuid=media_uuid).first()
        if media is None:
            raise TemplateParamsInvalid("header", _("There is no such file in the media library."))
        return _library_object(template.workspace_id, media, kind)

    return resolve


def _library_object(workspace_id: int, media: Media, kind: str) -> dict[str, Any]:
    from sauti.content.services.media import ensure_media_at_meta

    if media.workspace_id != workspace_id:
        raise TemplateParamsInvalid("header", _("There is no such file in the media library."))
    if media.kind != kind:
        raise TemplateParamsInvalid("header", _("The header is a %(kind)s; this file is a %(other)s.")
                                    % {"kind": kind, "other": media.kind})
    try:
        obj = {"id": ensure_media_at_meta(media)}
    except CloudAPIError as exc:
        raise TemplateParamsInvalid("header", _("The header's file could not be uploaded to WhatsApp: %(error)s")
                                    % {"error": exc}) from exc
    if kind == "document" and media.filename:
        obj["filename"] = media.filename
    return obj


def template_message(template: MessageTemplate, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The Cloud API body (without `to`) of a send, checked; TemplateParamsInvalid otherwise.

    `_rendered` (the words the person reads) travels with the stored message for the inbox; the
    sender drops keys starting with "_" before calling the Cloud API.
    """
    problem = _status_problem(template)
    if problem:
        raise TemplateParamsInvalid("template", problem)
    components = send_components(template, params, resolve_media=_media_resolver(template))
    body: dict[str, Any] = {"name": template.name, "language": {"code": template.language}}
    if components:
        body["components"] = components
    return {"type": "template", "template": body, "_rendered": rendered(template, components)}


def send_template(workspace: Workspace, contact: Contact, template: MessageTemplate,
                  params: Mapping[str, Any] | None = None, *, actor: User | None = None,
                  author_type: str | None = None, author_id: str = "", author_name: str = "",
                  priority: int = Outbox.REPLY) -> Message:
    """Queue `template` to `contact` with `params` (`{"header": [...], "body": [...], "buttons": [...]}`).

    Checked against the stored template first: it must be APPROVED, and each component gets the
    values it needs; TemplateParamsInvalid (`.field`, `.message`) otherwise, with nothing queued.
    Templates may go outside the 24-hour window. An `actor` makes the operator the author.
    """
    if template.workspace_id != workspace.id or contact.workspace_id != workspace.id:
        raise TemplateParamsInvalid("template", _("There is no such template in this workspace."))
    body = template_message(template, params)
    if actor is not None and author_type is None:
        author_type = Message.AuthorType.OPERATOR
        author_id = author_id or str(actor.uuid)
        author_name = author_name or actor.name or actor.email
    return queue_message(workspace, contact, body, author_type=author_type or Message.AuthorType.SYSTEM,
                         author_id=author_id, author_name=author_name, priority=priority, check_window=False)


def prepare_template_message(workspace: Workspace, body: dict[str, Any]) -> dict[str, Any]:
    """A template body built elsewhere (a journey), checked against the stored template of that
    name and language. Unknown templates pass unchanged: older workspaces and the simulator do not
    store theirs. Raises TemplateParamsInvalid."""
    spec = body.get("template") if body.get("type") == "template" else None
    if not isinstance(spec, dict):
        return body
    language = (spec.get("language") or {}).get("code") if isinstance(spec.get("language"), dict) else None
    template = (MessageTemplate.objects.select_related("header_media")
                .filter(workspace=workspace, name=spec.get("name"), language=language).first())
    if template is None:
        return body
    return template_message(template, params_of(spec.get("components") or []))


def params_of(components: list[dict[str, Any]]) -> dict[str, Any]:
    """The `params` shape from lower-case send components (the inverse of send_components)."""
    params: dict[str, Any] = {"header": [], "body": [], "buttons": {}}
    for item in components:
        if not isinstance(item, dict):
            continue
        values = item.get("parameters") or []
        kind = item.get("type")
        if kind == "body":
            params["body"] = [v.get("text") for v in values if isinstance(v, dict)]
        elif kind == "header" and values and isinstance(values[0], dict):
            first = values[0]
            media_kind = first.get("type")
            if media_kind == "text":
                params["header"] = [first.get("text")]
            elif media_kind == "location":
                params["header"] = [first.get("location")]
            else:
                obj = first.get(media_kind) or {}
                params["header"] = [obj.get("id") or obj.get("link")]
        elif kind == "button" and values and isinstance(values[0], dict):
            value = values[0].get("payload") if values[0].get("type") == "payload" else values[0].get("text")
            params["buttons"][str(item.get("index", "0"))] = value
    return params


MEDIA_TYPES = ("image", "video", "audio", "document", "sticker")


def prepare_media_message(workspace: Workspace, body: dict[str, Any]) -> dict[str, Any]:
    """A media message (or an interactive message's media header) that names a media library item
    by its uuid gets Meta's media id instead, uploading the file when Meta's copy has lapsed.

    Links and Cloud API media ids pass unchanged. Raises TemplateParamsInvalid (field "media") for
    a library id that is not this workspace's or cannot be uploaded.
    """
    kind = body.get("type")
    if kind in MEDIA_TYPES and isinstance(body.get(kind), dict):
        return {**body, kind: _library_reference(workspace, kind, body[kind])}
    interactive = body.get("interactive") if kind == "interactive" else None
    header = interactive.get("header") if isinstance(interactive, dict) else None
    if isinstance(header, dict) and header.get("type") in MEDIA_TYPES and isinstance(header.get(header["type"]), dict):
        htype = header["type"]
        header = {**header, htype: _library_reference(workspace, htype, header[htype])}
        return {**body, "interactive": {**interactive, "header": header}}
    return body


def _library_reference(workspace: Workspace, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    reference = str(obj.get("link") or obj.get("id") or "").strip()
    try:
        media_uuid = uuid.UUID(reference)
    except ValueError:
        return obj
    media = Media.objects.select_related("workspace").filter(workspace=workspace, uuid=media_uuid).first()
    if media is None:
        raise TemplateParamsInvalid("media", _("There is no such file in the media library."))
    try:
        from sauti.content.services.media import ensure_media_at_meta

        meta_id = ensure_media_at_meta(media)
    except CloudAPIError as exc:
        raise TemplateParamsInvalid("media", _("The file could not be uploaded to WhatsApp: %(error)s")
                                    % {"error": exc}) from exc
    out = {k: v for k, v in obj.items() if k not in ("link", "id")}
    out["id"] = meta_id
    if kind == "document" and media.filename and not out.get("filename"):
        out["filename"] = media.filename
    return out
