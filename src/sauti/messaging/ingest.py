"""The web side of the webhook: verify, store the raw event, enqueue its processing. Nothing more.

Meta retries any delivery that does not get a 200, so a 200 is only given once the event is
durably stored; workers find it in its table.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.db.models import Q

from sauti.accounts.models import Workspace
from sauti.messaging import lane
from sauti.messaging.channels.whatsapp import signature, webhook
from sauti.messaging.models import WebhookEvent

logger = logging.getLogger(__name__)
_CACHE_SECONDS = 30.0
_workspace_cache: dict[str, tuple[float, int, str]] = {}


@dataclass
class IngestError(Exception):
    status: int
    message: str


def verify_subscription(mode: str | None, token: str | None, challenge: str | None) -> str | None:
    """The GET handshake: the challenge if mode and token match a workspace's verify token."""
    if mode != "subscribe" or not token or challenge is None:
        return None
    if Workspace.objects.filter(verify_token=token).exclude(verify_token="").exists():
        return challenge
    return None


def receive(raw: bytes, signature_header: str | None) -> WebhookEvent:
    """Store one POSTed body for the workspace it names, or raise IngestError with the HTTP status."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise IngestError(400, "the body is not JSON") from exc
    if not isinstance(body, dict):
        raise IngestError(400, "the body is not a JSON object")
    phone_ids, waba_ids = webhook.routing_keys(body)
    try:
        workspace_id, app_secret = _workspace_for(phone_ids, waba_ids)
    except DatabaseError as exc:
        logger.error("webhook refused with 503: %s", exc)
        raise IngestError(503, "the database is unavailable") from exc
    if not signature.verify(raw, signature_header, app_secret):
        raise IngestError(403, "bad or missing X-Hub-Signature-256")
    try:
        names = webhook.senders(body)
        # One row, one commit: workers claim stored events from this table (pipeline.claim_events).
        with transaction.atomic():
            event = WebhookEvent.objects.create(workspace_id=workspace_id, body=raw.decode("utf-8"),
                                                senders=f" {' '.join(names)} " if names else "")
            lane.wake()
    except DatabaseError as exc:
        logger.error("webhook refused with 503, Meta will deliver it again: %s", exc)
        raise IngestError(503, "the event could not be stored; deliver it again") from exc
    return event


def _workspace_for(phone_ids: set[str], waba_ids: set[str]) -> tuple[int, str]:
    """Find the workspace by phone number id (or WABA id for template events), cached briefly."""
    keys = [f"p:{p}" for p in sorted(phone_ids)] or [f"w:{w}" for w in sorted(waba_ids)]
    if not keys:
        raise IngestError(404, "the body names no phone number or business account")
    now = time.monotonic()
    cached = _workspace_cache.get(keys[0])
    if cached and cached[0] > now:
        return cached[1], cached[2]
    if phone_ids:
        query = Q(phone_number_id__in=phone_ids)
    else:
        query = Q(waba_id__in=waba_ids) & ~Q(waba_id="")
    workspace = Workspace.objects.filter(query).order_by("id").only("id", "app_secret").first()
    if workspace is None:
        raise IngestError(404, "no workspace has this phone number id")
    _workspace_cache[keys[0]] = (now + _CACHE_SECONDS, workspace.id, workspace.app_secret)
    return workspace.id, workspace.app_secret


def forget_cached_workspaces() -> None:
    """Called when channel credentials change, so a new app secret takes effect at once."""
    _workspace_cache.clear()
