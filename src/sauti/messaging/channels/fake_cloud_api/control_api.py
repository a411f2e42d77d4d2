"""`/_fake/...`: what tests, demos and benchmarks use to drive the fake and to see what it saw."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import media_api, templates_api
from .errors import GraphError, bad_param, missing
from .http_io import Request, Response, json_response
from .inbound import parse_inbound_request, webhook_bodies
from .store import Fault
from .templates import STATUSES, placeholders
from .webhooks import encode

if TYPE_CHECKING:
    from .app import FakeCloudAPI


async def route(fake: FakeCloudAPI, request: Request, parts: list[str]) -> Response:
    method = request.method
    match parts:
        case ["health"] if method == "GET":
            return json_response({"status": "ok"})
        case ["inbound"] if method == "POST":
            return await post_inbound(fake, request)
        case ["inbound"] if method == "GET":
            return json_response({"messages": fake.store.inbound})
        case ["inbound-raw"] if method == "POST":
            return await post_inbound_raw(fake, request)
        case ["sent"] if method == "GET":
            # ?after=N skips the first N: a poller fetches only what is new.
            after = request.query.get("after", "")
            sent = fake.store.sent_to(request.query.get("to"))
            return json_response({"messages": sent[int(after):] if after.isdigit() else sent, "total": len(sent)})
        case ["sent"] if method == "DELETE":
            fake.store.sent.clear()
            return json_response({"success": True})
        case ["reads"] if method == "GET":
            return json_response({"reads": fake.store.reads})
        case ["faults"]:
            return faults(fake, request)
        case ["templates"] if method == "GET":
            return json_response({"data": [t.to_json() for t in fake.store.templates.values()]})
        case ["templates"] if method == "POST":
            return post_template(fake, _json(request))
        case ["templates", template_id, "status"] if method == "POST":
            return post_template_status(fake, template_id, _json(request))
        case ["webhooks"] if method == "GET":
            return json_response(fake.webhooks.snapshot(with_bodies=request.query.get("bodies") in ("1", "true"),
                                                        kind=request.query.get("kind") or None))
        case ["webhooks"] if method == "DELETE":
            fake.webhooks.clear_log()
            return json_response({"success": True})
        case ["media", media_id] if method == "GET":
            return await media_api.download(fake, request, media_id)
        case ["reset"] if method == "POST":
            fake.cancel_reviews()
            fake.store.reset()
            fake.webhooks.reset()
            return json_response({"success": True})
    raise GraphError(100, f"unknown control endpoint {method} {request.path}", http_status=404)


async def post_inbound(fake: FakeCloudAPI, request: Request) -> Response:
    """Build real inbound webhook bodies and deliver them signed, reporting the receiver's answers.

    With `"retry": true` the bodies go on the ordered, retried stream instead (no answer to report).
    """
    inbound = parse_inbound_request(_json(request), fake.config, fake.store)
    ids = [{"id": message["id"]} for _, message in inbound.items]
    fake.store.inbound.extend(message for _, message in inbound.items)
    bodies = webhook_bodies(fake.config, inbound)
    if inbound.retry:
        for body, count in bodies:
            fake.webhooks.enqueue("messages", body, count)
        return json_response({"messages": ids, "webhook_status": None, "queued": True})
    statuses: list[int | None] = []
    errors: list[str] = []
    for body, count in bodies:
        raw = encode(body)
        status, error = await fake.webhooks.deliver_now("messages", raw, signature=fake.webhooks.sign(raw),
                                                        items=count)
        statuses.append(status)
        if error:
            errors.append(error)
    result: dict[str, Any] = {"messages": ids, "webhook_status": _worst(statuses)}
    if len(statuses) > 1:
        result["webhook_statuses"] = statuses
    if errors:
        result["webhook_error"] = errors[0]
    return json_response(result)


async def post_inbound_raw(fake: FakeCloudAPI, request: Request) -> Response:
    """Deliver the request body byte for byte; `?signature=invalid|none` to test the receiver's refusal."""
    mode = request.query.get("signature", "valid")
    if mode == "valid":
        signature: str | None = fake.webhooks.sign(request.body)
    elif mode == "invalid":
        signature = "sha256=" + "0" * 64
    elif mode == "none":
        signature = None
    else:
        raise bad_param("signature", 'must be "valid", "invalid" or "none"')
    status, error = await fake.webhooks.deliver_now("raw", request.body, signature=signature)
    result: dict[str, Any] = {"webhook_status": status}
    if error:
        result["webhook_error"] = error
    return json_response(result)


def faults(fake: FakeCloudAPI, request: Request) -> Response:
    """POST `{"code", "count", "to"?, "mode"?}` adds a fault; GET lists them; DELETE clears them."""
    if request.method == "GET":
        return json_response({"faults": [f.to_json() for f in fake.store.faults]})
    if request.method == "DELETE":
        fake.store.faults.clear()
        return json_response({"success": True})
    if request.method != "POST":
        raise GraphError(100, f"unknown control endpoint {request.method} {request.path}", http_status=404)
    data = _json(request)
    if not isinstance(data, dict):
        raise bad_param("body", "must be a JSON object")
    code = data.get("code")
    if not isinstance(code, int) or isinstance(code, bool):
        raise missing("code")
    if code < 1:
        raise bad_param("code", "must be a Meta error code (e.g. 131047, 130429, 131056, 190) or 500-599")
    count = data.get("count", 1)
    if not isinstance(count, int) or count < 1:
        raise bad_param("count", "must be a positive integer")
    mode = data.get("mode", "response")
    if mode not in ("response", "status"):
        raise bad_param("mode", 'must be "response" or "status"')
    to = data.get("to")
    wa_id = "".join(ch for ch in str(to) if ch.isdigit()) if to else None
    fake.store.faults.append(Fault(code, count, wa_id, mode))
    return json_response({"faults": [f.to_json() for f in fake.store.faults]})


def post_template(fake: FakeCloudAPI, data: Any) -> Response:
    """Create a template directly with a status (default APPROVED) and no review or webhook.

    Besides the create-API shape, `"body": "Hi {{1}}"` alone builds the BODY component and its example.
    """
    if not isinstance(data, dict):
        raise bad_param("body", "must be a JSON object")
    data = dict(data)
    status = str(data.pop("status", "APPROVED")).upper()
    if status not in STATUSES:
        raise bad_param("status", f"must be one of {', '.join(STATUSES)}")
    data.setdefault("category", "UTILITY")
    if "body" in data and "components" not in data:
        text = data.pop("body")
        component: dict[str, Any] = {"type": "BODY", "text": text}
        count = len(placeholders(text)) if isinstance(text, str) else 0
        if count:
            component["example"] = {"body_text": [[f"sample {n}" for n in range(1, count + 1)]]}
        data["components"] = [component]
    template = templates_api.create_template(fake, data, status=status)
    return json_response(template.to_json())


def post_template_status(fake: FakeCloudAPI, template_id: str, data: Any) -> Response:
    """Move a template to another status (`{"status", "reason"?}`) and send the status webhook."""
    template = fake.store.templates.get(template_id)
    if template is None:
        raise GraphError(100, f"no template with id {template_id}", http_status=404)
    if not isinstance(data, dict) or not isinstance(data.get("status"), str):
        raise missing("status")
    templates_api.set_status(fake, template, data["status"].upper(), data.get("reason", "NONE"))
    return json_response(template.to_json())


def _worst(statuses: list[int | None]) -> int | None:
    """The first answer that was not a 2xx (None when unreachable), else the last one."""
    for status in statuses:
        if status is None or not 200 <= status < 300:
            return status
    return statuses[-1] if statuses else None


def _json(request: Request) -> Any:
    try:
        return request.json()
    except ValueError:
        raise bad_param("body", "the request body is not valid JSON") from None
