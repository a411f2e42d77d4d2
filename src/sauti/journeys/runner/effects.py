"""Carry out engine effects through the owning apps' services (messaging, contacts, timers)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from sauti.contacts.schema import FieldValueInvalid
from sauti.contacts.services import update_contact_fields
from sauti.content.services import TemplateParamsInvalid, prepare_template_message
from sauti.journeys.engine import HttpResponse
from sauti.journeys.engine import effects as fx
from sauti.journeys.models import Dictionary, Journey, JourneyLog, JourneyResult, Session
from sauti.journeys.runner import http
from sauti.messaging.models import Chat, Message
from sauti.messaging.services import SendRefused, queue_message
from sauti.timers.services import cancel_timers, set_timer

logger = logging.getLogger(__name__)
SESSION_TIMER = "journey_session"
START_TIMER = "journey_start"


@dataclass
class EffectContext:
    session: Session
    message: Message | None
    now: dt.datetime
    child: Journey | None = None
    sent: list[Message] = field(default_factory=list)


def log(ctx: EffectContext, level: str, text: str, card: str | None = None, line: int | None = None) -> None:
    session = ctx.session
    JourneyLog.objects.create(workspace_id=session.workspace_id, journey_id=session.journey_id, session=session,
                              contact_id=session.contact_id, level=level, message=text[:10_000], card=card or "",
                              line=line, created_at=dt.datetime.now(tz=dt.UTC))


def apply(ctx: EffectContext, effect: fx.Effect) -> Any:
    """Carry out one effect; returns an event to feed back to the engine (HTTP answers) or None."""
    handler = HANDLERS.get(effect.type)
    if handler is None:
        log(ctx, "error", f"effect {effect.type} is not supported here")
        return None
    return handler(ctx, effect)


def _send(ctx: EffectContext, effect: fx.SendMessage) -> None:
    session = ctx.session
    body = _string_ids(dict(effect.message))
    if body.get("type") == "template":
        try:
            body = prepare_template_message(session.workspace, body)
        except TemplateParamsInvalid as exc:
            name = (body.get("template") or {}).get("name", "")
            log(ctx, "error", f"template {name} not sent: {exc}", effect.card)
            return
    try:
        message = queue_message(session.workspace, session.contact, body, author_type=Message.AuthorType.SYSTEM,
                                author_id=str(session.journey.uuid), author_name=session.journey.name,
                                in_reply_to=ctx.message, now=ctx.now,
                                chat=ctx.message.chat if ctx.message is not None else None)
    except SendRefused as exc:
        log(ctx, "error", f"message not sent: {exc}", effect.card)
        return
    ctx.sent.append(message)


def _string_ids(body: dict[str, Any]) -> dict[str, Any]:
    """The Cloud API wants text ids on reply buttons and list rows; dynamic options may be numbers."""
    interactive = body.get("interactive")
    if not isinstance(interactive, dict):
        return body
    action = interactive.get("action") or {}
    for button in action.get("buttons") or []:
        reply = button.get("reply") or {}
        if "id" in reply:
            reply["id"] = str(reply["id"])
    for section in action.get("sections") or []:
        for row in section.get("rows") or []:
            if "id" in row:
                row["id"] = str(row["id"])
    return body


def _send_content(ctx: EffectContext, effect: fx.SendContent) -> None:
    log(ctx, "warning", f"send_content({effect.content_uuid}): saved content cards are not available in this "
                        "workspace", effect.card)


def _update_contact(ctx: EffectContext, effect: fx.UpdateContact) -> None:
    """As in Turn, each field is its own change: a value the schema refuses is logged as an error
    and the others are still written; the session goes on."""
    fields = dict(effect.fields)
    while fields:
        try:
            update_contact_fields(ctx.session.contact, fields, source="journey")
            return
        except FieldValueInvalid as exc:
            log(ctx, "error", f"update_contact: {exc.field}: {exc.message}")
            bad = next((key for key in fields if str(key).strip().lower() == exc.field), None)
            if bad is None:
                return
            del fields[bad]


def _add_label(ctx: EffectContext, effect: fx.AddLabel) -> None:
    target = ctx.message
    if effect.message_id:
        target = Message.objects.filter(workspace_id=ctx.session.workspace_id, provider_id=effect.message_id).first()
    if target is None:
        log(ctx, "warning", "add_label: there is no message to label")
        return
    from sauti.inbox.services.labels import LabelInvalid, label_message

    try:
        label_message(target, [str(label) for label in effect.labels])
    except LabelInvalid as exc:
        log(ctx, "warning", f"add_label: {exc}")


def _update_dictionary(ctx: EffectContext, effect: fx.UpdateDictionary) -> None:
    row, _ = Dictionary.objects.get_or_create(workspace_id=ctx.session.workspace_id, name=effect.dictionary)
    row.data = {**row.data, effect.key: effect.value}
    row.save(update_fields=["data", "updated_at"])


def _handover(ctx: EffectContext, effect: fx.Handover) -> None:
    from sauti.inbox.services.chats import request_human

    chat = ctx.message.chat if ctx.message is not None else Chat.objects.filter(
        contact_id=ctx.session.contact_id).select_related("workspace").first()
    if chat is not None:
        request_human(chat, reason=f"Handed over by journey {ctx.session.journey.name}")
    log(ctx, "info", "handed over to a person")


def _assign_chat(ctx: EffectContext, effect: fx.AssignChat) -> None:
    from sauti.accounts.models import Membership

    member = (Membership.objects.filter(workspace_id=ctx.session.workspace_id, user__email__iexact=effect.assignee)
              .select_related("user").first())
    if member is None:
        log(ctx, "warning", f"assign_chat_to: nobody called {effect.assignee!r} in this workspace")
        return
    Chat.objects.filter(contact_id=ctx.session.contact_id).update(assigned_to=member.user, state=Chat.State.OPEN)


def _http(ctx: EffectContext, effect: fx.HttpRequest) -> HttpResponse | None:
    allow = list(ctx.session.workspace.settings.get("journey_http_allow_hosts") or [])
    result = http.perform(ctx.session.workspace_id, method=effect.method, url=effect.url, headers=list(effect.headers),
                          body=effect.body, timeout_ms=effect.timeout_ms, cache_ttl_ms=effect.cache_ttl_ms,
                          allow_hosts=allow)
    if effect.mode == "async":
        return None
    return HttpResponse(request_id=effect.request_id, status=result.status, body=result.body, headers=result.headers)


def _schedule(ctx: EffectContext, effect: fx.Schedule) -> None:
    at = dt.datetime.fromisoformat(effect.at.replace("Z", "+00:00"))
    session = ctx.session
    if effect.kind == "journey":
        set_timer(session.workspace_id, START_TIMER, f"{session.contact_id}:{effect.journey_uuid}", at,
                  {"contact": session.contact_id, "journey": effect.journey_uuid})
        return
    set_timer(session.workspace_id, SESSION_TIMER, f"{session.id}:{effect.key}", at,
              {"session": session.id, "key": effect.key, "at": effect.at})


def _cancel(ctx: EffectContext, effect: fx.CancelSchedules) -> None:
    prefix = f"{ctx.session.contact_id}:" + (effect.journey_uuid or "")
    cancel_timers(ctx.session.workspace_id, START_TIMER, key_prefix=prefix)


def _write_result(ctx: EffectContext, effect: fx.WriteResult) -> None:
    session = ctx.session
    JourneyResult.objects.create(workspace_id=session.workspace_id, journey_id=session.journey_id, session=session,
                                 contact_id=session.contact_id, name=effect.name, value=_jsonable(effect.value),
                                 label=effect.label or effect.name, card=effect.card or "")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _log(ctx: EffectContext, effect: fx.Log) -> None:
    log(ctx, effect.level, effect.message, effect.card, effect.line)


def _run_journey(ctx: EffectContext, effect: fx.RunJourney) -> None:
    child = Journey.objects.filter(workspace_id=ctx.session.workspace_id, uuid=effect.journey_uuid).first() \
        if _is_uuid(effect.journey_uuid) else None
    if child is None:
        log(ctx, "error", f"run_stack: no journey {effect.journey_uuid} in this workspace")
        return
    ctx.child = child


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _nothing(ctx: EffectContext, effect: fx.Effect) -> None:
    return None


def session_ended(ctx: EffectContext) -> None:
    """A finished session leaves no timers behind."""
    cancel_timers(ctx.session.workspace_id, SESSION_TIMER, key_prefix=f"{ctx.session.id}:")


HANDLERS = {
    "send_message": _send, "send_content": _send_content, "update_contact": _update_contact,
    "add_label": _add_label, "update_dictionary": _update_dictionary, "handover": _handover,
    "assign_chat": _assign_chat, "http_request": _http, "schedule": _schedule, "cancel_schedules": _cancel,
    "write_result": _write_result, "log": _log, "run_journey": _run_journey, "wait": _nothing, "end": _nothing,
}
