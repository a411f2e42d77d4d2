"""Background tasks of the content app (django-tasks): load by id, call one service, safe to repeat."""

from __future__ import annotations

import logging

from django_tasks import task

from sauti.accounts.models import Workspace
from sauti.content.models import Media
from sauti.messaging.channels.whatsapp.errors import CloudAPIError

logger = logging.getLogger(__name__)


@task()
def submit_template(template_id: int) -> str:
    from sauti.content.services import perform_template_submission

    template = perform_template_submission(template_id)
    return template.status if template is not None else "gone"


@task()
def delete_template_at_meta(workspace_id: int, name: str, meta_id: str) -> bool:
    from sauti.content.services import perform_template_deletion

    return perform_template_deletion(workspace_id, name, meta_id)


@task()
def sync_templates(workspace_id: int) -> dict[str, int]:
    from sauti.content.services import sync_templates as sync

    workspace = Workspace.objects.filter(id=workspace_id).first()
    if workspace is None:
        return {}
    try:
        return sync(workspace)
    except CloudAPIError as exc:
        logger.warning("templates of workspace %s could not be synced: %s", workspace_id, exc)
        return {"error": 1}


@task()
def upload_media_to_meta(media_id: int) -> str:
    from sauti.content.services import ensure_media_at_meta

    media = Media.objects.select_related("workspace").filter(id=media_id).first()
    if media is None:
        return ""
    try:
        return ensure_media_at_meta(media)
    except CloudAPIError as exc:
        # Kept in the library; the next send uploads it again (media_object).
        logger.warning("media %s was not uploaded to the Cloud API: %s", media.uuid, exc)
        return ""


@task()
def refresh_expiring_media() -> int:
    from sauti.content.services import refresh_expiring_media as refresh

    return refresh()


def enqueue_media_refresh() -> None:
    """The scheduler's periodic job (uploads run in a worker, not in the scheduler's loop)."""
    refresh_expiring_media.enqueue()
