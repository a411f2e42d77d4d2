"""Where template updates from Meta go: the content app stores them (sauti.content.services).

Status changes arrive as `message_template_status_update`; quality, category and content
changes as their own webhook fields (see sauti.messaging.pipeline.TEMPLATE_UPDATE_FIELDS).
The raw event keeps the full body either way.
"""

from __future__ import annotations

import logging
from typing import Any

from sauti.accounts.models import Workspace
from sauti.messaging.channels.whatsapp.webhook import TemplateStatusUpdate

logger = logging.getLogger(__name__)


def template_status_changed(workspace: Workspace, update: TemplateStatusUpdate) -> None:
    from sauti.content.services import apply_template_status

    logger.info("template %s (%s) of workspace %s is now %s%s", update.name, update.language, workspace.id,
                update.event, f": {update.reason}" if update.reason else "")
    category = update.raw.get("message_template_category")
    apply_template_status(workspace, meta_id=update.template_id, name=update.name, language=update.language,
                          event=update.event, reason=update.reason, category=str(category) if category else None)


def template_updated(workspace: Workspace, field: str, value: dict[str, Any]) -> None:
    from sauti.content.services import apply_template_update

    apply_template_update(workspace, field, value)
