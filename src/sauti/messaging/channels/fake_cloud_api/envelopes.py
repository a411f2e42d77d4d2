"""Webhook bodies shaped like Meta's (spec §6.1, conformance/whatsapp/*.json); building only, no I/O."""

from __future__ import annotations

import time
from typing import Any

from .config import FakeCloudAPIConfig

WHATSAPP_ACCOUNT = "whatsapp_business_account"


def messages_change(config: FakeCloudAPIConfig, value: dict[str, Any]) -> dict[str, Any]:
    """One `messages` change for this number: the value gets messaging_product and metadata first."""
    full = {"messaging_product": "whatsapp",
            "metadata": {"display_phone_number": config.display_phone_number,
                         "phone_number_id": config.phone_number_id},
            **value}
    return {"value": full, "field": "messages"}


def envelope(config: FakeCloudAPIConfig, changes: list[dict[str, Any]]) -> dict[str, Any]:
    return {"object": WHATSAPP_ACCOUNT, "entry": [{"id": config.waba_id, "changes": changes}]}


def inbound_body(config: FakeCloudAPIConfig, contacts: list[dict[str, Any]],
                 messages: list[dict[str, Any]]) -> dict[str, Any]:
    return envelope(config, [messages_change(config, {"contacts": contacts, "messages": messages})])


def statuses_body(config: FakeCloudAPIConfig, statuses: list[dict[str, Any]]) -> dict[str, Any]:
    """Several statuses in one change, as Meta batches them under load."""
    return envelope(config, [messages_change(config, {"statuses": statuses})])


def status_item(wamid: str, status: str, recipient_id: str, timestamp: int, *, category: str,
                conversation: tuple[str, int], opaque: str | None) -> dict[str, Any]:
    """A sent/delivered/read status with per-message pricing (PMP: service replies are free)."""
    billable = category != "service"
    conversation_json: dict[str, Any] = {"id": conversation[0], "origin": {"type": category}}
    if status == "sent":
        conversation_json["expiration_timestamp"] = str(conversation[1])
    item: dict[str, Any] = {
        "id": wamid, "status": status, "timestamp": str(timestamp), "recipient_id": recipient_id,
        "conversation": conversation_json,
        "pricing": {"billable": billable, "pricing_model": "PMP",
                    "type": "regular" if billable else "free_customer_service", "category": category},
    }
    if opaque is not None:
        item["biz_opaque_callback_data"] = opaque
    return item


def failed_status_item(wamid: str, recipient_id: str, timestamp: int, error: dict[str, Any],
                       opaque: str | None) -> dict[str, Any]:
    item: dict[str, Any] = {"id": wamid, "status": "failed", "timestamp": str(timestamp),
                            "recipient_id": recipient_id, "errors": [error]}
    if opaque is not None:
        item["biz_opaque_callback_data"] = opaque
    return item


def template_status_body(config: FakeCloudAPIConfig, *, template_id: str, name: str, language: str,
                         category: str, event: str, reason: str | None) -> dict[str, Any]:
    """`message_template_status_update` for the account; message_template_id is a JSON integer."""
    value = {"event": event, "message_template_id": int(template_id), "message_template_name": name,
             "message_template_language": language, "reason": reason, "message_template_category": category}
    return {"entry": [{"id": config.waba_id, "time": int(time.time()),
                       "changes": [{"value": value, "field": "message_template_status_update"}]}],
            "object": WHATSAPP_ACCOUNT}
