"""Reconcile the workspace's templates with `GET /<waba>/message_templates`.

Meta is the authority for every template it knows: status, category, quality, components. New
ones (made in Meta's manager) are added; ones Meta no longer has are marked DELETED. Drafts and
submissions in flight are left alone.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from sauti.accounts.models import Workspace
from sauti.content import rules
from sauti.content.graph import GraphClient
from sauti.content.models import MessageTemplate
from sauti.content.services.status import EVENT_STATUS

logger = logging.getLogger(__name__)
Status = MessageTemplate.Status
LOCAL_ONLY = (Status.DRAFT, Status.SUBMITTING)


def sync_templates(workspace: Workspace, *, client: GraphClient | None = None) -> dict[str, int]:
    """Fetch every page first (a partial listing must not mark anything deleted), then write once.

    Raises CloudAPIError when Meta cannot be read; returns counts of created/updated/deleted rows.
    """
    if client is None:
        with GraphClient(workspace) as own:
            remote = list(own.list_templates())
    else:
        remote = list(client.list_templates())
    now = timezone.now()
    counts = {"created": 0, "updated": 0, "deleted": 0}
    with transaction.atomic():
        local = list(MessageTemplate.objects.select_for_update().filter(workspace=workspace))
        by_meta = {t.meta_id: t for t in local if t.meta_id}
        by_key = {(t.name, t.language): t for t in local}
        seen: set[int] = set()
        for item in remote:
            name, language = str(item.get("name") or ""), str(item.get("language") or "")
            if not name or not language:
                continue
            template = by_meta.get(str(item.get("id") or "")) or by_key.get((name, language))
            if template is None:
                MessageTemplate.objects.create(workspace=workspace, name=name, language=language,
                                               synced_at=now, status_changed_at=now, **_fields(item))
                counts["created"] += 1
                continue
            seen.add(template.id)
            fields = _fields(item)
            changed = {k: v for k, v in fields.items() if getattr(template, k) != v}
            if changed:
                counts["updated"] += 1
                if "status" in changed:
                    changed["status_changed_at"] = now
            MessageTemplate.objects.filter(id=template.id).update(synced_at=now, submit_error=None
                                                                  if "status" in changed else template.submit_error,
                                                                  **changed)
        gone = [t.id for t in local if t.meta_id and t.id not in seen and t.status not in LOCAL_ONLY
                and t.status != Status.DELETED]
        if gone:
            counts["deleted"] = MessageTemplate.objects.filter(id__in=gone).update(
                status=Status.DELETED, status_changed_at=now, synced_at=now)
    logger.info("templates of workspace %s synced: %s", workspace.id, counts)
    return counts


def _fields(item: dict[str, Any]) -> dict[str, Any]:
    status = str(item.get("status") or Status.PENDING).upper()
    category = str(item.get("category") or "").upper()
    quality = item.get("quality_score")
    fields: dict[str, Any] = {
        "meta_id": str(item.get("id") or ""),
        "status": EVENT_STATUS.get(status, status),
        "components": item.get("components") if isinstance(item.get("components"), list) else [],
        "rejected_reason": (str(item.get("rejected_reason") or "") if status == Status.REJECTED else "")
        .replace("NONE", ""),
    }
    if category in rules.CATEGORIES:
        fields["category"] = category
    if item.get("previous_category"):
        fields["previous_category"] = str(item["previous_category"])[:32]
    if isinstance(quality, dict) and quality.get("score"):
        fields["quality_score"] = str(quality["score"]).upper()[:16]
    return fields


def request_template_sync(workspace: Workspace) -> None:
    """Queue a sync of one workspace (after the current transaction commits)."""
    from sauti.content.tasks import sync_templates as task

    transaction.on_commit(lambda: task.enqueue(workspace.id))


def enqueue_template_syncs() -> int:
    """The scheduler's periodic job: one sync task per workspace connected to a business account."""
    from sauti.content.tasks import sync_templates as task

    ids = list(Workspace.objects.exclude(waba_id="").exclude(access_token="").values_list("id", flat=True))
    for workspace_id in ids:
        task.enqueue(workspace_id)
    return len(ids)
