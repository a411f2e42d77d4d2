"""Turn-style context integrations (spec/turn-api.md §3.9): handshake, context for a chat, actions.

Sauti asks each enabled integration about a chat as the conversation unfolds (a worker, after
each message) and keeps its last answer as the chat's snapshot; the inbox side panel reads the
snapshot, so opening a conversation never waits on an outside service. Every request is signed
like webhooks (`X-Turn-Hook-Signature`).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
from django.conf import settings
from django.utils import timezone

from sauti.api.serializers import chat_to_turn, message_to_turn
from sauti.integrations.models import ContextSnapshot, Integration
from sauti.integrations.signing import SIGNATURE_HEADER, sign
from sauti.integrations.targets import BlockedAddress, check_target
from sauti.messaging.models import Chat, Message

logger = logging.getLogger(__name__)
VERSION = "1.0.0-alpha"
TABLE, ORDERED_LIST = "table", "ordered-list"


class IntegrationError(Exception):
    pass


def _post(integration: Integration, body: dict[str, Any], url: str | None = None) -> Any:
    """POST a signed JSON body and return the decoded answer; IntegrationError says what went wrong."""
    target = url or integration.url
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    try:
        check_target(integration.workspace, target)
        response = httpx.post(target, content=raw, timeout=settings.SAUTI_CONTEXT_TIMEOUT, follow_redirects=False,
                              headers={"Content-Type": "application/json", "User-Agent": "Sauti-Integrations/1",
                                       SIGNATURE_HEADER: sign(raw, integration.secret)})
    except BlockedAddress as exc:
        raise IntegrationError(str(exc)) from exc
    except httpx.HTTPError as exc:
        raise IntegrationError(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 300:
        raise IntegrationError(f"HTTP {response.status_code}: {response.text[:200]}")
    try:
        return response.json() if response.content else {}
    except ValueError as exc:
        raise IntegrationError("the answer is not JSON") from exc


def parse_capabilities(answer: Any) -> tuple[str, dict[str, Any]]:
    """The handshake answer → (version, capabilities) with context objects checked."""
    if not isinstance(answer, dict) or not isinstance(answer.get("capabilities"), dict):
        raise IntegrationError('the handshake answer has no "capabilities" object')
    raw = answer["capabilities"]
    objects = []
    for item in raw.get("context_objects") or []:
        if not isinstance(item, dict) or not item.get("code") or not item.get("title"):
            raise IntegrationError('each context object needs a "code" and a "title"')
        kind = item.get("type") or TABLE
        if kind not in (TABLE, ORDERED_LIST):
            raise IntegrationError(f'context object {item["code"]!r}: type must be "table" or "ordered-list"')
        objects.append({"code": str(item["code"]), "title": str(item["title"]), "type": kind,
                        "icon": str(item.get("icon") or "none")})
    return str(answer.get("version") or VERSION), {
        "actions": bool(raw.get("actions")), "suggested_responses": bool(raw.get("suggested_responses")),
        "context_objects": objects}


def handshake(integration: Integration) -> Integration:
    """POST `{"handshake": true}` and keep what the integration says it can do (or the error)."""
    try:
        version, capabilities = parse_capabilities(_post(integration, {"handshake": True}))
    except IntegrationError as exc:
        Integration.objects.filter(id=integration.id).update(last_error=str(exc)[:1000])
        integration.last_error = str(exc)
        return integration
    now = timezone.now()
    Integration.objects.filter(id=integration.id).update(version=version, capabilities=capabilities,
                                                         handshake_at=now, last_error="")
    integration.version, integration.capabilities, integration.handshake_at = version, capabilities, now
    integration.last_error = ""
    return integration


def handshake_by_id(integration_id: int) -> bool:
    integration = Integration.objects.select_related("workspace").filter(id=integration_id).first()
    return bool(integration and handshake(integration).handshake_at)


def conversation_body(chat: Chat) -> dict[str, Any]:
    """What an integration is sent about a chat: the chat, its recent messages and the contact."""
    messages = list(Message.objects.filter(chat=chat).select_related("contact", "in_reply_to")
                    .order_by("-id")[:settings.SAUTI_CONTEXT_MESSAGES])
    contact = chat.contact
    return {"chat": chat_to_turn(chat), "messages": [message_to_turn(m) for m in messages],
            "contacts": [{"profile": {"name": contact.whatsapp_profile_name or ""}, "wa_id": contact.address}]}


def clean_context(integration: Integration, answer: Any) -> dict[str, Any]:
    """Keep what the handshake promised, in the shapes the side panel shows."""
    if not isinstance(answer, dict):
        raise IntegrationError("the answer is not a JSON object")
    capabilities = integration.capabilities or {}
    objects: dict[str, Any] = {}
    given = answer.get("context_objects") if isinstance(answer.get("context_objects"), dict) else {}
    for spec in capabilities.get("context_objects") or []:
        value = given.get(spec["code"])
        if spec["type"] == TABLE and isinstance(value, dict):
            objects[spec["code"]] = {str(k): "" if v is None else str(v) for k, v in value.items()}
        elif spec["type"] == ORDERED_LIST and isinstance(value, list):
            objects[spec["code"]] = [str(v) for v in value]
    suggestions = []
    if capabilities.get("suggested_responses"):
        for item in answer.get("suggested_responses") or []:
            if isinstance(item, dict) and item.get("body"):
                suggestions.append({"type": str(item.get("type") or "TEXT"), "title": str(item.get("title") or ""),
                                    "body": str(item["body"]), "confidence": _confidence(item.get("confidence"))})
    actions = {}
    if capabilities.get("actions") and isinstance(answer.get("actions"), dict):
        for key, item in answer["actions"].items():
            if isinstance(item, dict) and item.get("url") and item.get("description"):
                options = item.get("options") if isinstance(item.get("options"), dict) else {}
                actions[str(key)] = {"description": str(item["description"]), "url": str(item["url"]),
                                     "payload": item.get("payload"),
                                     "options": {str(k): str(v) for k, v in options.items()}}
    return {"context_objects": objects, "suggested_responses": suggestions, "actions": actions}


def _confidence(value: Any) -> float | None:
    try:
        return max(0.0, min(1.0, float(value)))
    except (TypeError, ValueError):
        return None


def refresh_chat(chat_id: int) -> int:
    """Ask every enabled, connected integration of the chat's workspace about it; returns how many
    answered. A snapshot already as of the chat's latest message is not asked for again."""
    chat = Chat.objects.select_related("contact", "assigned_to", "workspace").filter(id=chat_id).first()
    if chat is None:
        return 0
    latest = Message.objects.filter(chat=chat).order_by("-id").values_list("id", flat=True).first()
    answered = 0
    for integration in Integration.objects.filter(workspace_id=chat.workspace_id, enabled=True,
                                                  handshake_at__isnull=False).select_related("workspace"):
        snapshot = ContextSnapshot.objects.filter(integration=integration, chat=chat).first()
        if snapshot is not None and snapshot.as_of_message_id == latest and not snapshot.error:
            continue
        data, error = {}, ""
        try:
            data = clean_context(integration, _post(integration, conversation_body(chat)))
            answered += 1
        except IntegrationError as exc:
            error = str(exc)[:1000]
            data = snapshot.data if snapshot is not None else {}
        ContextSnapshot.objects.update_or_create(integration=integration, chat=chat, defaults={
            "as_of_message_id": latest, "data": data, "error": error, "fetched_at": timezone.now()})
    if answered:
        from sauti.messaging import live

        live.on_commit_publish(chat.workspace_id, "context_updated", chat=str(chat.uuid))
    return answered


def context_for_chat(chat: Chat) -> list[dict[str, Any]]:
    """What the inbox side panel shows for a chat: per integration, its context objects (with their
    titles and types), suggested replies and actions. Reads snapshots only; never calls out."""
    panels = []
    snapshots = {s.integration_id: s for s in ContextSnapshot.objects.filter(chat=chat)}
    for integration in Integration.objects.filter(workspace_id=chat.workspace_id, enabled=True,
                                                  handshake_at__isnull=False).order_by("name", "id"):
        snapshot = snapshots.get(integration.id)
        data = snapshot.data if snapshot else {}
        objects = [{**spec, "value": (data.get("context_objects") or {}).get(spec["code"])}
                   for spec in (integration.capabilities or {}).get("context_objects") or []]
        panels.append({"integration": {"uuid": str(integration.uuid), "name": integration.name},
                       "context_objects": [o for o in objects if o["value"] is not None],
                       "suggested_responses": data.get("suggested_responses") or [],
                       "actions": data.get("actions") or {},
                       "error": snapshot.error if snapshot else "",
                       "fetched_at": snapshot.fetched_at if snapshot else None})
    return panels


def run_action(integration: Integration, chat: Chat, action_id: str, option: str | None) -> None:
    """An operator clicked an action: POST `{message, option, payload}` to the action's URL."""
    snapshot = ContextSnapshot.objects.filter(integration=integration, chat=chat).first()
    action = ((snapshot.data if snapshot else {}).get("actions") or {}).get(action_id)
    if action is None:
        raise IntegrationError(f"the integration offers no action {action_id!r} for this chat")
    if action["options"] and option not in action["options"]:
        raise IntegrationError(f"choose one of {', '.join(action['options'])}")
    last = Message.objects.filter(chat=chat).select_related("contact", "in_reply_to").order_by("-id").first()
    _post(integration, {"message": message_to_turn(last) if last else None, "option": option,
                        "payload": action.get("payload")}, url=action["url"])


def run_action_by_ids(integration_id: int, chat_id: int, action_id: str, option: str | None,
                      actor_id: int | None) -> bool:
    integration = Integration.objects.select_related("workspace").filter(id=integration_id).first()
    chat = Chat.objects.filter(id=chat_id).first()
    if integration is None or chat is None or chat.workspace_id != integration.workspace_id:
        return False
    try:
        run_action(integration, chat, action_id, option)
    except IntegrationError as exc:
        logger.warning("integration %s action %s failed: %s", integration_id, action_id, exc)
        return False
    # The action may have changed what the integration knows: look again.
    ContextSnapshot.objects.filter(integration=integration, chat=chat).update(as_of_message_id=None)
    refresh_chat(chat.id)
    return True
