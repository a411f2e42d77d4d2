"""Message templates through Graph-style paths, as Turn offers them:
`/graph/<version>/<waba-id>/message_templates` and the legacy `/v3.3/<business-id>/message_templates`.

Bodies may be JSON or form-encoded (`components` then a JSON string); the token may come as a
Bearer header or an `access_token` parameter, as the Graph API takes it. Templates are the
content app's: created and submitted to Meta by its services, listed in Graph's shape.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from sauti.accounts.models import Workspace
from sauti.api.auth import graph_needs
from sauti.api.errors import INVALID, ApiError, invalid, not_found
from sauti.api.schemas import errors
from sauti.content.models import MessageTemplate
from sauti.content.services import TemplateInvalid, create_template, delete_templates_named

router = Router(tags=["templates"])
CREATE_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"type": "object", "required": ["name", "language", "category", "components"],
                                    "properties": {"name": {"type": "string"}, "language": {"type": "string"},
                                                   "category": {"type": "string"},
                                                   "components": {"type": "array", "items": {"type": "object"}}}}},
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
        "name": {"type": "string"}, "language": {"type": "string"}, "category": {"type": "string"},
        "components": {"type": "string", "description": "the components as a JSON array"},
        "access_token": {"type": "string"}}}}}}}


def _account(request: HttpRequest, account_id: str) -> Workspace:
    """The path's business account (or number) must be the token's workspace's; else Graph's 404."""
    workspace: Workspace = request.workspace  # type: ignore[attr-defined]
    if account_id not in {workspace.waba_id, workspace.phone_number_id} - {"", None}:
        raise not_found(f"no business account {account_id} for this token")
    return workspace


def _body(request: HttpRequest) -> dict[str, Any]:
    content_type = request.content_type or ""
    if content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise invalid("body", "not JSON") from exc
        if not isinstance(data, dict):
            raise invalid("body", "must be a JSON object")
    else:
        try:
            data = {key: request.POST.get(key) for key in request.POST}
        except Exception as exc:  # a malformed form (multipart without its boundary, …)
            raise invalid("body", "send JSON or a form-encoded body") from exc
    data.pop("access_token", None)
    components = data.get("components")
    if isinstance(components, str):
        try:
            data["components"] = json.loads(components)
        except ValueError as exc:
            raise invalid("components", "must be a JSON array of components") from exc
    return data


def _list(request: HttpRequest, account_id: str) -> dict[str, Any]:
    workspace = _account(request, account_id)
    templates = MessageTemplate.objects.filter(workspace=workspace).exclude(status="DELETED").order_by("name",
                                                                                                        "language")
    if request.GET.get("name"):
        templates = templates.filter(name=request.GET["name"])
    if request.GET.get("status"):
        templates = templates.filter(status=request.GET["status"].upper())
    return {"data": [t.to_graph() for t in templates]}


def _create(request: HttpRequest, account_id: str) -> Status[dict[str, Any]]:
    workspace = _account(request, account_id)
    data = _body(request)
    try:
        template = create_template(workspace, data, submit=True, actor=None)
    except TemplateInvalid as exc:
        raise ApiError(400, INVALID, "Parameter value is not valid", f"'{exc.field}': {exc.message}", exc.field,
                       {"problems": [{"field": p.field, "message": str(p.message)} for p in exc.problems]}) from exc
    return Status(201, {"id": template.meta_id or str(template.uuid), "status": template.status,
                        "category": template.category})


def _delete(request: HttpRequest, account_id: str) -> dict[str, Any]:
    workspace = _account(request, account_id)
    name = request.GET.get("name") or _body(request).get("name")
    if not name:
        raise invalid("name", "name the template to delete")
    if not delete_templates_named(workspace, str(name), meta_id=request.GET.get("hsm_id", ""), actor=None):
        raise not_found(f"no template {name} in this workspace")
    return {"success": True}


LIST, CREATE, DELETE = ("List message templates", "Create a message template and submit it for review",
                        "Delete a message template")
READ, WRITE = graph_needs("templates:read"), graph_needs("templates:write")
CREATED = {201: dict[str, Any], **errors(400, 404)}
DELETED = {200: dict[str, Any], **errors(400, 404)}
GRAPH, LEGACY = "/graph/{version}/{account_id}/message_templates", "/v3.3/{account_id}/message_templates"


@router.get(GRAPH, auth=READ, response={200: dict[str, Any], **errors(404)}, summary=LIST)
def list_templates(request: HttpRequest, version: str, account_id: str) -> dict[str, Any]:
    """The business account's templates in Graph's list shape (`name`, `status` filters)."""
    return _list(request, account_id)


@router.post(GRAPH, auth=WRITE, response=CREATED, openapi_extra=CREATE_BODY, summary=CREATE)
def create_template_view(request: HttpRequest, version: str, account_id: str) -> Status[dict[str, Any]]:
    """`name`, `language`, `category`, `components` (JSON or form-encoded); checked by Meta's rules,
    then submitted to Meta (the status follows by webhook)."""
    return _create(request, account_id)


@router.delete(GRAPH, auth=WRITE, response=DELETED, summary=DELETE)
def delete_template_view(request: HttpRequest, version: str, account_id: str) -> dict[str, Any]:
    """Every language of `name` (or only `hsm_id`), here and at Meta."""
    return _delete(request, account_id)


@router.get(LEGACY, auth=READ, response={200: dict[str, Any], **errors(404)}, summary=LIST + " (legacy path)")
def list_templates_legacy(request: HttpRequest, account_id: str) -> dict[str, Any]:
    """As the Graph path; the path older Turn clients (turn-python) call."""
    return _list(request, account_id)


@router.post(LEGACY, auth=WRITE, response=CREATED, openapi_extra=CREATE_BODY, summary=CREATE + " (legacy path)")
def create_template_legacy(request: HttpRequest, account_id: str) -> Status[dict[str, Any]]:
    """As the Graph path."""
    return _create(request, account_id)


@router.delete(LEGACY, auth=WRITE, response=DELETED, summary=DELETE + " (legacy path)")
def delete_template_legacy(request: HttpRequest, account_id: str) -> dict[str, Any]:
    """As the Graph path."""
    return _delete(request, account_id)
