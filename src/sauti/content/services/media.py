"""The media library: files kept under MEDIA_ROOT, uploaded to the Cloud API and reused by id.

A library item's own id is its UUID; Meta's media id (30 days) is an implementation detail that
`media_object` renews on demand, and a daily job renews before it lapses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import mimetypes
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sauti.accounts.models import User, Workspace
from sauti.accounts.services import record_audit
from sauti.content import rules
from sauti.content.errors import MediaInvalid
from sauti.content.graph import GraphClient
from sauti.content.models import Media
from sauti.messaging.channels.whatsapp.errors import CloudAPIError

logger = logging.getLogger(__name__)

# The first bytes of the formats whose content is easy to confirm.
_MAGIC: dict[str, tuple[bytes, ...]] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}


def _content_type(content_type: str, filename: str | None) -> str:
    value = (content_type or "").split(";")[0].strip().lower()
    if value in ("", "application/octet-stream", "binary/octet-stream") and filename:
        value = (mimetypes.guess_type(filename)[0] or value).lower()
    return {"image/jpg": "image/jpeg", "audio/mp3": "audio/mpeg", "audio/x-m4a": "audio/mp4"}.get(value, value)


def check_media(data: bytes, content_type: str, filename: str | None = None) -> tuple[str, str]:
    """(content type, kind) of a file the Cloud API takes, or MediaInvalid saying why not."""
    content_type = _content_type(content_type, filename)
    kind = rules.media_kind(content_type)
    if kind is None:
        raise MediaInvalid("file", _("WhatsApp does not take %(type)s files. Images: JPEG or PNG; video: MP4 or "
                                     "3GP; audio: AAC, AMR, MP3, M4A or OGG; documents: PDF, Word, Excel, "
                                     "PowerPoint or text; stickers: WebP.") % {"type": content_type or "?"})
    if not data:
        raise MediaInvalid("file", _("The file is empty."))
    limit = rules.MEDIA_TYPES[kind][1]
    if len(data) > limit:
        raise MediaInvalid("file", _("This %(kind)s is %(size)s; WhatsApp takes at most %(max)s.")
                           % {"kind": kind, "size": _size(len(data)), "max": _size(limit)})
    magic = _MAGIC.get(content_type)
    if magic and not data.startswith(magic):
        raise MediaInvalid("file", _("The file's content is not %(type)s, whatever its name says.")
                           % {"type": content_type})
    if content_type == "image/webp" and not (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        raise MediaInvalid("file", _("The file's content is not image/webp, whatever its name says."))
    return content_type, kind


def _size(n: int) -> str:
    if n >= rules.MB:
        return f"{n / rules.MB:.1f} MB"
    return f"{max(1, n // 1024)} KB"


def upload_media(workspace: Workspace, data: bytes, content_type: str, filename: str | None = None, *,
                 actor: User | None = None) -> Media:
    """Keep a file in the library (checked against Meta's types and sizes) and upload it to the
    Cloud API in the background. Raises MediaInvalid."""
    from sauti.content.tasks import upload_media_to_meta

    content_type, kind = check_media(data, content_type, filename)
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
    with transaction.atomic():
        media = Media(workspace=workspace, kind=kind, content_type=content_type, filename=name, size=len(data),
                      sha256=hashlib.sha256(data).hexdigest(), created_by=actor)
        media.file.save(name or kind, ContentFile(data), save=False)
        media.save()
        if workspace.phone_number_id and workspace.access_token:
            transaction.on_commit(lambda: upload_media_to_meta.enqueue(media.id))
    return media


def media_bytes(media: Media) -> bytes:
    with media.file.open("rb") as handle:
        return handle.read()


def delete_media(media: Media, *, actor: User | None = None) -> None:
    """Remove the file and its row; canned replies and template samples that used it lose it."""
    storage, path = media.file.storage, media.file.name
    with transaction.atomic():
        record_audit(media.workspace, "media.deleted", actor=actor, target=media.filename or str(media.uuid),
                     media=str(media.uuid))
        media.delete()
        transaction.on_commit(lambda: storage.delete(path))


def ensure_media_at_meta(media: Media, *, client: GraphClient | None = None, force: bool = False) -> str:
    """Meta's media id for the item, uploading (again) when it has none or it is about to lapse.

    Makes an HTTP call when it uploads; raises CloudAPIError when Meta refuses or is unreachable.
    """
    if not force and media.meta_id_fresh():
        return media.meta_id
    try:
        if client is None:
            with GraphClient(media.workspace) as own:
                meta_id = own.upload_media(media_bytes(media), media.content_type, media.filename)
        else:
            meta_id = client.upload_media(media_bytes(media), media.content_type, media.filename)
    except CloudAPIError as exc:
        Media.objects.filter(id=media.id).update(meta_error=str(exc)[:1000])
        raise
    now = timezone.now()
    Media.objects.filter(id=media.id).update(meta_id=meta_id, meta_uploaded_at=now, meta_error="")
    media.meta_id, media.meta_uploaded_at, media.meta_error = meta_id, now, ""
    return meta_id


def media_object(media: Media, *, caption: str = "") -> dict[str, Any]:
    """The `{"id": …}` object a Cloud API message (or template header) takes for this item."""
    obj: dict[str, Any] = {"id": ensure_media_at_meta(media)}
    if caption and media.kind in (Media.Kind.IMAGE, Media.Kind.VIDEO, Media.Kind.DOCUMENT):
        obj["caption"] = caption
    if media.kind == Media.Kind.DOCUMENT and media.filename:
        obj["filename"] = media.filename
    return obj


def refresh_expiring_media(now: dt.datetime | None = None, limit: int = 200) -> int:
    """The daily job: upload again the items whose Meta id lapses within two days."""
    now = now or timezone.now()
    edge = now - dt.timedelta(days=rules.MEDIA_ID_LIFETIME_DAYS - 2)
    due = Media.objects.select_related("workspace").exclude(meta_id="").filter(meta_uploaded_at__lt=edge)
    done = 0
    for media in due[:limit]:
        try:
            ensure_media_at_meta(media, force=True)
            done += 1
        except CloudAPIError as exc:
            logger.warning("media %s could not be uploaded again: %s", media.uuid, exc)
    return done
