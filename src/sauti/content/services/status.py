"""Template status, quality and category changes that Meta announces by webhook.

Called from sauti.messaging.template_hooks while the webhook event is processed. A template
Sauti does not know yet (made in Meta's own manager) is fetched by a sync.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Q
from django.utils import timezone

from sauti.accounts.models import Workspace
from sauti.content import rules
from sauti.content.models import MessageTemplate

logger = logging.getLogger(__name__)
Status = MessageTemplate.Status
# Events that are not a status of their own.
EVENT_STATUS = {"REINSTATED": Status.APPROVED, "UNARCHIVED": Status.APPROVED}


def _find(workspace: Workspace, meta_id: str, name: str, language: str) -> MessageTemplate | None:
    query = Q(meta_id=meta_id) if meta_id else Q(pk__in=[])
    if name and language:
        query |= Q(name=name, language=language)
    found = list(MessageTemplate.objects.filter(query, workspace=workspace)[:2])
    by_id = [t for t in found if meta_id and t.meta_id == meta_id]
    return (by_id or found or [None])[0]


def apply_template_status(workspace: Workspace, *, meta_id: str, name: str, language: str, event: str,
                          reason: str | None = None, category: str | None = None) -> MessageTemplate | None:
    """Store a `message_template_status_update`; None (and a sync queued) for an unknown template."""
    from sauti.content.services.sync import request_template_sync

    template = _find(workspace, meta_id, name, language)
    if template is None:
        logger.info("status %s for unknown template %s (%s) of workspace %s: syncing", event, name, language,
                    workspace.id)
        request_template_sync(workspace)
        return None
    event = event.upper()
    fields: dict[str, Any] = {"status_changed_at": timezone.now()}
    if meta_id and not template.meta_id:
        fields["meta_id"] = meta_id
    if event == "FLAGGED":
        # A warning, not a state: the template still sends, and will be paused if quality stays low.
        fields["quality_score"] = "RED"
    else:
        fields["status"] = EVENT_STATUS.get(event, event)
        fields["rejected_reason"] = (reason or "") if event == Status.REJECTED else ""
        fields["submit_error"] = None
    if category and category.upper() in rules.CATEGORIES and category.upper() != template.category:
        fields.update(category=category.upper(), previous_category=template.category)
    MessageTemplate.objects.filter(id=template.id).update(**fields)
    template.refresh_from_db()
    return template


def apply_template_update(workspace: Workspace, field: str, value: dict[str, Any]) -> MessageTemplate | None:
    """`message_template_quality_update` (new_quality_score), `template_category_update` (new_category);
    `message_template_components_update` (Meta changed the content) fetches the template again."""
    from sauti.content.services.sync import request_template_sync

    if field == "message_template_components_update":
        request_template_sync(workspace)
        return None
    template = _find(workspace, str(value.get("message_template_id") or ""),
                     str(value.get("message_template_name") or ""), str(value.get("message_template_language") or ""))
    if template is None:
        return None
    fields: dict[str, Any] = {}
    if field == "message_template_quality_update" and value.get("new_quality_score"):
        fields["quality_score"] = str(value["new_quality_score"]).upper()[:16]
    elif field == "template_category_update":
        new = str(value.get("new_category") or "").upper()
        if new in rules.CATEGORIES and new != template.category:
            fields.update(category=new, previous_category=str(value.get("previous_category") or template.category))
    if fields:
        MessageTemplate.objects.filter(id=template.id).update(**fields)
        template.refresh_from_db()
    return template
