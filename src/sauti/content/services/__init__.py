"""Every write of the content app: templates, sending them, media, canned replies.

Other apps import from here (`sauti.content.services.send_template`, `upload_media`, …); the
families live in their own modules.
"""

from sauti.content.errors import ContentInvalid, MediaInvalid, TemplateInvalid
from sauti.content.services.canned import (
    canned_reply_messages,
    create_canned_reply,
    delete_canned_reply,
    update_canned_reply,
)
from sauti.content.services.media import (
    delete_media,
    ensure_media_at_meta,
    media_bytes,
    media_object,
    refresh_expiring_media,
    upload_media,
)
from sauti.content.services.sending import prepare_media_message, prepare_template_message, send_template
from sauti.content.services.status import apply_template_status, apply_template_update
from sauti.content.services.sync import request_template_sync, sync_templates
from sauti.content.services.templates import (
    copy_template,
    create_template,
    delete_template,
    delete_templates_named,
    perform_template_deletion,
    perform_template_submission,
    submit_template,
    update_template,
)
from sauti.content.templates import TemplateParamsInvalid

__all__ = [
    "ContentInvalid", "MediaInvalid", "TemplateInvalid", "TemplateParamsInvalid",
    "apply_template_status", "apply_template_update", "canned_reply_messages", "copy_template",
    "create_canned_reply", "create_template", "delete_canned_reply", "delete_media", "delete_template",
    "delete_templates_named",
    "ensure_media_at_meta", "media_bytes", "media_object", "perform_template_deletion",
    "perform_template_submission", "prepare_media_message",
    "prepare_template_message", "refresh_expiring_media", "request_template_sync",
    "send_template", "submit_template", "sync_templates", "update_canned_reply", "update_template", "upload_media",
]
