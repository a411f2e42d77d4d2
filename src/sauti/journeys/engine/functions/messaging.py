"""Messages: text, media, ask, templates, call-to-action, location and Flow requests, content.

Every message is a WhatsApp Cloud API body without `to` (spec/whatsapp-cloud-api.md §1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..effects import SendContent, SendMessage
from ..inbound import flow_response, location, reply_parts, reply_text
from ..values import as_text
from .registry import function, on_reply, texts

if TYPE_CHECKING:
    from ...lang.program import Op, Value
    from ..run import Run


def media_object(url: str, caption: str | None = None, filename: str | None = None) -> dict:
    """`{"link": url}` for URLs, `{"id": ...}` for uploaded media ids."""
    url = url.strip()
    obj: dict[str, Any] = {"link": url} if "://" in url or not url.isdigit() else {"id": url}
    if caption:
        obj["caption"] = caption
    if filename:
        obj["filename"] = filename
    return obj


def interactive(run: Run, kind: str, parts: dict, action: dict) -> dict:
    """An interactive message from the body/header/footer written in a block."""
    ctx = run.ctx
    body = "\n".join(ctx.text(v) for v in parts.get("body") or ())
    inter: dict[str, Any] = {"type": kind}
    header = parts.get("header")
    if header is not None:
        htype, value = header
        text = ctx.text(value)
        inter["header"] = ({"type": "text", "text": text} if htype == "text"
                           else {"type": htype, htype: media_object(text)})
    inter["body"] = {"text": body}
    if parts.get("footer") is not None:
        inter["footer"] = {"text": ctx.text(parts["footer"])}
    inter["action"] = action
    return {"type": "interactive", "interactive": inter}


def _send(run: Run, message: dict, ai_generated: bool = False) -> None:
    run.emit(SendMessage(message, run.state.card))


@function("text")
def text(run: Run, op: Op) -> None:
    _send(run, {"type": "text", "text": {"body": run.ctx.text(op.params["text"])}})


def _optional(run: Run, value: Value | None) -> str | None:
    return None if value is None else run.ctx.text(value)


@function("media")
def media(run: Run, op: Op) -> None:
    p = op.params
    kind = p["media_type"]
    caption = _optional(run, p["caption"]) if kind in ("image", "video", "document") else None
    filename = _optional(run, p["filename"]) if kind == "document" else None
    _send(run, {"type": kind, kind: media_object(run.ctx.text(p["url"]), caption, filename)})


@function("ask")
def ask(run: Run, op: Op) -> None:
    if op.params["prompt"] is not None:
        _send(run, {"type": "text", "text": {"body": run.ctx.text(op.params["prompt"])}})
    run.wait("reply", {"op": "ask", "target": op.target}, reply=True)


@on_reply("ask", "send_content")
def ask_reply(run: Run, waiting: dict, message: dict) -> None:
    if waiting.get("target"):
        run.set_var(waiting["target"], reply_text(message))


@function("template")
def template(run: Run, op: Op) -> None:
    p = op.params
    ctx = run.ctx
    components: list[dict] = []
    if p["header"] is not None:
        kind, value = p["header"]
        link = ctx.text(value).strip()
        components.append({"type": "header", "parameters": [{"type": kind, kind: {"link": link}}]})
    params = texts(run, p["params"])
    if params:
        components.append({"type": "body",
                           "parameters": [{"type": "text", "text": t} for t in params]})
    payloads = []
    for i, opt in enumerate(p["buttons"]):
        payload = opt.name if opt.card else ctx.text(opt.label)
        payloads.append(payload)
        components.append({"type": "button", "sub_type": "quick_reply", "index": str(i),
                           "parameters": [{"type": "payload", "payload": payload}]})
    body = {"name": ctx.text(p["name"]).strip(), "language": {"code": ctx.text(p["language"]).strip()},
            "components": components}
    _send(run, {"type": "template", "template": body})
    if payloads:
        cards = [opt.card for opt in p["buttons"]]
        run.wait("reply", {"op": "template", "target": op.target, "payloads": payloads,
                           "cards": cards, "fallback": p["fallback"]}, reply=True)


@on_reply("template")
def template_reply(run: Run, waiting: dict, message: dict) -> None:
    """A quick-reply press is routed as Turn does: by index (`template-btn-idx-<n>`)."""
    reply_id, text = reply_parts(message)
    payloads = waiting["payloads"]
    index = next((i for i, p in enumerate(payloads) if p == reply_id), None)
    if index is None and reply_id is None and text is not None:
        index = next((i for i, p in enumerate(payloads) if p == text), None)
    target = waiting.get("target")
    if index is None:
        if target:
            run.set_var(target, {"__value__": text or "", "index": None, "name": None, "label": None})
        if waiting.get("fallback"):
            run.goto(waiting["fallback"])
        return
    if target:
        run.set_var(target, {"__value__": f"template-btn-idx-{index}", "index": index,
                             "name": payloads[index], "label": text})
    card = waiting["cards"][index]
    if card:
        run.goto(card)


@function("cta")
def cta(run: Run, op: Op) -> None:
    action = {"name": "cta_url", "parameters": {"display_text": run.ctx.text(op.params["display_text"]),
                                                "url": run.ctx.text(op.params["url"]).strip()}}
    _send(run, interactive(run, "cta_url", op.params, action))


@function("location_request")
def location_request(run: Run, op: Op) -> None:
    _send(run, interactive(run, "location_request_message", op.params, {"name": "send_location"}))
    run.wait("reply", {"op": "location_request", "target": op.target}, reply=True)


@on_reply("location_request")
def location_reply(run: Run, waiting: dict, message: dict) -> None:
    if waiting.get("target"):
        loc = location(message)
        run.set_var(waiting["target"], loc if loc is not None else reply_text(message))


@function("whatsapp_flow")
def whatsapp_flow(run: Run, op: Op) -> None:
    p = op.params
    ctx = run.ctx
    payload: dict[str, Any] = {}
    if p["screen"] is not None:
        payload["screen"] = ctx.text(p["screen"])
    if p["data"] is not None:
        payload["data"] = p["data"].evaluate(ctx)
    params: dict[str, Any] = {
        "flow_message_version": "3", "flow_id": ctx.text(p["id"]).strip(),
        "flow_cta": ctx.text(p["cta"]) if p["cta"] is not None else "Open",
        "flow_token": ctx.text(p["token"]) if p["token"] is not None else "unused",
        "flow_action": "navigate"}
    if payload:
        params["flow_action_payload"] = payload
    if p["mode"] is not None:
        params["mode"] = ctx.text(p["mode"])
    parts = {"body": (p["text"],) if p["text"] is not None else (),
             "header": ("text", p["header"]) if p["header"] is not None else None,
             "footer": p["footer"]}
    _send(run, interactive(run, "flow", parts, {"name": "flow", "parameters": params}))
    run.wait("reply", {"op": "whatsapp_flow", "target": op.target}, reply=True)


@on_reply("whatsapp_flow")
def flow_reply(run: Run, waiting: dict, message: dict) -> None:
    if waiting.get("target"):
        data = flow_response(message)
        run.set_var(waiting["target"], data if data is not None else reply_text(message))


@function("send_content")
def send_content(run: Run, op: Op) -> None:
    run.emit(SendContent(as_text(run.ctx.text(op.params["uuid"])).strip(), run.state.card))
    if op.params["wait"]:
        run.wait("reply", {"op": "send_content", "target": op.target}, reply=True)
