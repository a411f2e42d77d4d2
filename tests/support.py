"""Helpers shared by the suite: signed webhook bodies, running queued tasks for real."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from sauti.messaging.channels.whatsapp.signature import sign

SHARED = Path(__file__).resolve().parents[2] / "shared"
WHATSAPP_CORPUS = SHARED / "conformance" / "whatsapp"


def text_webhook(phone_number_id: str, wa_id: str, body: str, *, wamid: str, name: str = "Ana",
                 timestamp: int | None = None, waba_id: str = "200000000000001") -> dict[str, Any]:
    """A webhook body as Meta sends it for one inbound text message."""
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": waba_id, "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550000001", "phone_number_id": phone_number_id},
            "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
            "messages": [{"from": wa_id, "id": wamid, "timestamp": str(timestamp or int(time.time())),
                          "type": "text", "text": {"body": body}}],
        }}]}],
    }


def post_webhook(client: Any, body: dict[str, Any] | bytes, app_secret: str, *, signature: str | None = None) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"HTTP_X_HUB_SIGNATURE_256": signature if signature is not None else sign(raw, app_secret)}
    return client.post("/webhooks/whatsapp", data=raw, content_type="application/json", **headers)


def drain_tasks(max_tasks: int = 10_000) -> int:
    """Process every stored webhook event and run every queued background task, through the real
    workers' claim-and-run paths, until nothing is left; returns how many tasks ran.

    (The worker's own loop also recycles database connections, which a test transaction
    cannot allow; `TaskLoop.run_one` is the claim-and-run step that loop repeats.)
    """
    from sauti.messaging.pipeline import process_pending_events
    from sauti.processes import TaskLoop

    loop = TaskLoop("test-worker")
    ran = 0
    for _ in range(max_tasks):
        events = process_pending_events()
        task = loop.run_one()
        if not task and not events:
            return ran
        ran += int(task)
    raise AssertionError("background work kept coming back")
