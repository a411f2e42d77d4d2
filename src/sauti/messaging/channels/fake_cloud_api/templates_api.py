"""`/<waba-id>/message_templates` and `/<template-id>`: list, create (reviewed later), edit, delete."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from .envelopes import template_status_body
from .errors import GraphError, bad_param, unknown_object
from .http_io import Request, Response, json_response
from .ids import new_object_id
from .templates import CATEGORIES, STATUSES, Template, check_components, check_template_create, review_outcome

if TYPE_CHECKING:
    from .app import FakeCloudAPI

DEFAULT_PAGE_SIZE = 25


async def route(fake: FakeCloudAPI, request: Request, waba_id: str) -> Response:
    if waba_id != fake.config.waba_id:
        raise unknown_object(waba_id, request.method)
    if request.method == "GET":
        return list_templates(fake, request)
    if request.method == "POST":
        template = create_template(fake, _json(request))
        fake.schedule_review(template.id)
        return json_response({"id": template.id, "status": template.status, "category": template.category})
    return delete_templates(fake, request)


def list_templates(fake: FakeCloudAPI, request: Request) -> Response:
    """Filters name (case-insensitive substring, like Graph), status, category, language; cursor paging."""
    query = request.query
    templates = list(fake.store.templates.values())
    if query.get("name"):
        needle = query["name"].lower()
        templates = [t for t in templates if needle in t.name.lower()]
    for key in ("status", "category", "language"):
        if query.get(key):
            wanted = {value.strip().upper() if key != "language" else value.strip()
                      for value in query[key].split(",")}
            templates = [t for t in templates if getattr(t, key) in wanted]
    try:
        limit = max(1, int(query.get("limit", DEFAULT_PAGE_SIZE)))
        start = int(base64.urlsafe_b64decode(query["after"]).decode()) if query.get("after") else 0
    except ValueError:
        raise bad_param("after", "invalid paging parameter") from None
    page = templates[start:start + limit]
    end = start + len(page)
    paging: dict[str, Any] = {"cursors": {"before": _cursor(start), "after": _cursor(end)}}
    if end < len(templates):
        paging["next"] = f"{request.base_url}{request.path}?limit={limit}&after={_cursor(end)}"
    return json_response({"data": [t.to_json() for t in page], "paging": paging})


def create_template(fake: FakeCloudAPI, data: Any, *, status: str = "PENDING") -> Template:
    name, language, category, components = check_template_create(data)
    if fake.store.find_template(name, language) is not None:
        raise GraphError(100, f"name: a template named {name!r} already exists in {language}", subcode=2388024)
    template = Template(new_object_id(), name, language, category, components, status=status)
    fake.store.templates[template.id] = template
    return template


def delete_templates(fake: FakeCloudAPI, request: Request) -> Response:
    """`DELETE ?name=` removes every language of that name; `&hsm_id=` only that one."""
    name = request.query.get("name")
    if not name:
        raise GraphError(100, "name: required parameter is missing")
    hsm_id = request.query.get("hsm_id")
    doomed = [t for t in fake.store.templates.values() if t.name == name and (not hsm_id or t.id == hsm_id)]
    if not doomed:
        raise GraphError(100, f"name: no message template named {name!r}" + (f" with id {hsm_id}" if hsm_id else ""),
                         subcode=2593002)
    for template in doomed:
        fake.forget_review(template.id)
        del fake.store.templates[template.id]
    return json_response({"success": True})


async def object_route(fake: FakeCloudAPI, request: Request, template_id: str) -> Response:
    """`GET /<template-id>` returns it; `POST` edits components and/or category (status unchanged)."""
    template = fake.store.templates[template_id]
    if request.method == "GET":
        return json_response(template.to_json())
    if request.method == "POST":
        data = _json(request)
        if not isinstance(data, dict):
            raise bad_param("body", "must be a JSON object")
        category = str(data.get("category", template.category)).upper()
        if category not in CATEGORIES:
            raise bad_param("category", f"must be one of {', '.join(CATEGORIES)}")
        components = check_components(data["components"], category) if "components" in data else template.components
        # Meta reviews an edited template again: rejected and approved ones go back to PENDING.
        review = "components" in data and template.status in ("REJECTED", "APPROVED", "PAUSED")
        replacement = Template(template.id, template.name, template.language, category, components,
                               status="PENDING" if review else template.status,
                               reason=None if review else template.reason)
        fake.store.templates[template_id] = replacement
        if review:
            fake.schedule_review(template.id)
        return json_response({"success": True})
    raise unknown_object(template_id, request.method)


def set_status(fake: FakeCloudAPI, template: Template, status: str, reason: str | None) -> None:
    """Change a template's status and announce it with a `message_template_status_update` webhook."""
    if status not in STATUSES:
        raise bad_param("status", f"must be one of {', '.join(STATUSES)}")
    template.status = status
    template.reason = reason
    fake.webhooks.enqueue("template_status", template_status_body(
        fake.config, template_id=template.id, name=template.name, language=template.language,
        category=template.category, event=status, reason=reason))


def finish_review(fake: FakeCloudAPI, template_id: str) -> None:
    """The review timer: approve, or reject names containing "reject" (see templates.REJECT_SWITCH)."""
    fake.forget_review(template_id)
    template = fake.store.templates.get(template_id)
    if template is None or template.status != "PENDING":
        return
    status, reason = review_outcome(template.name)
    set_status(fake, template, status, reason)


def _json(request: Request) -> Any:
    try:
        return request.json()
    except ValueError:
        raise bad_param("body", "the request body is not valid JSON") from None


def _cursor(position: int) -> str:
    return base64.urlsafe_b64encode(str(position).encode()).decode()
