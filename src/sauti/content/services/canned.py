"""Canned replies: ready answers for the inbox, with an optional file and `/shortcut`."""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sauti.accounts.models import User, Workspace
from sauti.accounts.services import record_audit
from sauti.content.errors import ContentInvalid
from sauti.content.models import CannedReply, Media

TITLE_MAX = 100
TEXT_MAX = 4096  # a text message's body
CAPTION_MAX = 1024  # a media caption
SHORTCUT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


def _clean(workspace: Workspace, title: str, text: str, media: Media | None, shortcut: str,
           exclude_id: int | None = None) -> tuple[str, str, str]:
    title, text = (title or "").strip(), (text or "").strip()
    shortcut = (shortcut or "").strip().lstrip("/").lower()
    if not title:
        raise ContentInvalid("title", _("Give the reply a title operators will recognise."))
    if len(title) > TITLE_MAX:
        raise ContentInvalid("title", _("At most %(max)s characters.") % {"max": TITLE_MAX})
    if not text and media is None:
        raise ContentInvalid("text", _("Write the reply, or attach a file."))
    if media is not None and media.workspace_id != workspace.id:
        raise ContentInvalid("media", _("Choose a file from this workspace's media library."))
    limit = CAPTION_MAX if media is not None and media.kind in ("image", "video", "document") else TEXT_MAX
    if len(text) > limit:
        raise ContentInvalid("text", _("At most %(max)s characters (this has %(count)s).")
                             % {"max": limit, "count": len(text)})
    if shortcut:
        if not SHORTCUT.match(shortcut):
            raise ContentInvalid("shortcut", _("Up to 32 lower-case letters, digits, - or _, e.g. /hours."))
        taken = CannedReply.objects.filter(workspace=workspace, shortcut=shortcut)
        if exclude_id is not None:
            taken = taken.exclude(id=exclude_id)
        if taken.exists():
            raise ContentInvalid("shortcut", _("Another reply already uses /%(shortcut)s.") % {"shortcut": shortcut})
    return title, text, shortcut


def create_canned_reply(workspace: Workspace, *, title: str, text: str = "", media: Media | None = None,
                        shortcut: str = "", actor: User | None = None) -> CannedReply:
    title, text, shortcut = _clean(workspace, title, text, media, shortcut)
    try:
        with transaction.atomic():
            return CannedReply.objects.create(workspace=workspace, title=title, text=text, media=media,
                                              shortcut=shortcut, created_by=actor)
    except IntegrityError:
        raise ContentInvalid("shortcut", _("Another reply already uses /%(shortcut)s.") % {"shortcut": shortcut}
                             ) from None


def update_canned_reply(reply: CannedReply, *, title: str, text: str = "", media: Media | None = None,
                        shortcut: str = "", actor: User | None = None) -> CannedReply:
    title, text, shortcut = _clean(reply.workspace, title, text, media, shortcut, exclude_id=reply.id)
    reply.title, reply.text, reply.media, reply.shortcut = title, text, media, shortcut
    try:
        with transaction.atomic():
            reply.save()
    except IntegrityError:
        raise ContentInvalid("shortcut", _("Another reply already uses /%(shortcut)s.") % {"shortcut": shortcut}
                             ) from None
    return reply


def delete_canned_reply(reply: CannedReply, *, actor: User | None = None) -> None:
    with transaction.atomic():
        record_audit(reply.workspace, "canned_reply.deleted", actor=actor, target=reply.title,
                     canned_reply=str(reply.uuid))
        reply.delete()


def canned_reply_messages(reply: CannedReply) -> list[dict[str, Any]]:
    """The Cloud API bodies (without `to`) that send the reply: its file with the text as caption,
    or the file then the text where WhatsApp has no caption (audio, stickers), or the text alone.

    Uploads the file to the Cloud API when Meta's copy has lapsed (an HTTP call; CloudAPIError).
    """
    from sauti.content.services.media import media_object

    text = {"type": "text", "text": {"body": reply.text, "preview_url": "://" in reply.text}}
    if reply.media is None:
        return [text]
    kind = reply.media.kind
    captioned = kind in ("image", "video", "document")
    media = {"type": kind, kind: media_object(reply.media, caption=reply.text if captioned else "")}
    return [media] if captioned or not reply.text else [media, text]
