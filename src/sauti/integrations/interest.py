"""Which workspaces want to hear about messages: a small per-process cache, so the message path
does no work at all for a workspace without webhooks or integrations.

Read by the hooks the messaging pipeline calls; refreshed every few seconds (a change made in
another process is seen within SAUTI_WEBHOOK_CACHE_SECONDS) and at once in the process that
made the change.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings

CONTEXT = "context"  # the workspace has an enabled context integration
_lock = threading.Lock()
_cache: dict[int, frozenset[str]] = {}
_loaded_at = -1e9


def interests(workspace_id: int) -> frozenset[str]:
    """The subscriptions of the workspace's enabled webhooks, plus CONTEXT when it has integrations."""
    global _cache, _loaded_at
    now = time.monotonic()
    if now - _loaded_at > settings.SAUTI_WEBHOOK_CACHE_SECONDS:
        with _lock:
            if now - _loaded_at > settings.SAUTI_WEBHOOK_CACHE_SECONDS:
                _cache, _loaded_at = _load(), now
    return _cache.get(workspace_id, frozenset())


def forget() -> None:
    """Called by every service that changes a webhook or an integration."""
    global _loaded_at
    with _lock:
        _loaded_at = -1e9


def _load() -> dict[int, frozenset[str]]:
    from sauti.integrations.models import Integration, Webhook

    found: dict[int, set[str]] = {}
    for workspace_id, subscriptions in Webhook.objects.filter(enabled=True).values_list("workspace_id",
                                                                                        "subscriptions"):
        found.setdefault(workspace_id, set()).update(subscriptions or ())
    for workspace_id in Integration.objects.filter(enabled=True).values_list("workspace_id", flat=True):
        found.setdefault(workspace_id, set()).add(CONTEXT)
    return {k: frozenset(v) for k, v in found.items()}
