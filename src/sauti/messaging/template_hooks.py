"""Where template status updates from Meta go.

Message templates (authoring, sync, approval) belong to the content app; until it takes these
over, the update is logged and the raw event keeps the full body.
"""

from __future__ import annotations

import logging

from sauti.accounts.models import Workspace
from sauti.messaging.channels.whatsapp.webhook import TemplateStatusUpdate

logger = logging.getLogger(__name__)


def template_status_changed(workspace: Workspace, update: TemplateStatusUpdate) -> None:
    logger.info("template %s (%s) of workspace %s is now %s%s", update.name, update.language, workspace.id,
                update.event, f": {update.reason}" if update.reason else "")
