"""Reads of the content app, always within one workspace; `access_*` give one 404 for missing and
not-yours alike."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Case, IntegerField, Max, Q, QuerySet, Value, When
from django.http import Http404

from sauti.accounts.models import Workspace
from sauti.content.models import CannedReply, Media, MessageTemplate

Status = MessageTemplate.Status
STATUS_FILTERS = {
    "approved": [Status.APPROVED],
    "pending": [Status.PENDING, Status.SUBMITTING, Status.IN_APPEAL],
    "rejected": [Status.REJECTED],
    "draft": [Status.DRAFT],
    "paused": [Status.PAUSED, Status.DISABLED, Status.LIMIT_EXCEEDED, Status.LOCKED, Status.ARCHIVED,
               Status.DELETED, Status.PENDING_DELETION],
}


def _uuid(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404("not found") from None


def access_template(workspace: Workspace, template_uuid: Any) -> MessageTemplate:
    template = (MessageTemplate.objects.select_related("workspace", "header_media")
                .filter(workspace=workspace, uuid=_uuid(template_uuid)).first())
    if template is None:
        raise Http404("no such template")
    return template


def access_media(workspace: Workspace, media_uuid: Any) -> Media:
    media = Media.objects.select_related("workspace").filter(workspace=workspace, uuid=_uuid(media_uuid)).first()
    if media is None:
        raise Http404("no such media")
    return media


def media_by_uuid(workspace: Workspace, value: Any) -> Media | None:
    """A library item named in a form (None when missing, malformed or another workspace's)."""
    try:
        media_uuid = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None
    return Media.objects.filter(workspace=workspace, uuid=media_uuid).first()


def access_canned_reply(workspace: Workspace, reply_uuid: Any) -> CannedReply:
    reply = (CannedReply.objects.select_related("workspace", "media")
             .filter(workspace=workspace, uuid=_uuid(reply_uuid)).first())
    if reply is None:
        raise Http404("no such canned reply")
    return reply


def list_templates(workspace: Workspace, *, search: str = "", status: str = "", category: str = "",
                   language: str = "") -> QuerySet[MessageTemplate]:
    """The Templates page: filters by name/body text, status group, category and language."""
    query = MessageTemplate.objects.filter(workspace=workspace)
    if search:
        query = query.filter(Q(name__icontains=search.strip().replace(" ", "_")) | Q(name__icontains=search.strip())
                             | Q(components__icontains=search.strip()))
    if status in STATUS_FILTERS:
        query = query.filter(status__in=STATUS_FILTERS[status])
    if category:
        query = query.filter(category=category.upper())
    if language:
        query = query.filter(language=language)
    return query.order_by("name", "language")


def last_template_sync(workspace: Workspace) -> Any:
    """When Meta's list was last read for this workspace (None: never)."""
    return MessageTemplate.objects.filter(workspace=workspace).aggregate(last=Max("synced_at"))["last"]


def template_languages(workspace: Workspace) -> list[str]:
    return sorted(set(MessageTemplate.objects.filter(workspace=workspace).values_list("language", flat=True)))


def find_template(workspace: Workspace, name: str, language: str) -> MessageTemplate | None:
    """A template by Meta's key, name and language (the API and journeys name templates this way)."""
    return (MessageTemplate.objects.select_related("workspace", "header_media")
            .filter(workspace=workspace, name=name, language=language).first())


def sendable_templates(workspace: Workspace) -> list[MessageTemplate]:
    """Approved templates, by name then language: what the inbox's picker and reminders offer."""
    return list(MessageTemplate.objects.select_related("header_media")
                .filter(workspace=workspace, status=Status.APPROVED).order_by("name", "language"))


def list_media(workspace: Workspace, *, kind: str = "", search: str = "") -> QuerySet[Media]:
    query = Media.objects.filter(workspace=workspace)
    if kind:
        query = query.filter(kind=kind)
    if search:
        query = query.filter(filename__icontains=search.strip())
    return query.order_by("-created_at", "-id")


def list_canned_replies(workspace: Workspace) -> QuerySet[CannedReply]:
    return CannedReply.objects.select_related("media").filter(workspace=workspace).order_by("title", "id")


def search_canned_replies(workspace: Workspace, query: str = "", limit: int = 20) -> list[CannedReply]:
    """Canned replies for the composer: "/hou" matches shortcuts first, then titles, then texts.

    An empty query lists them by title. Each result has `.media` loaded.
    """
    words = (query or "").strip()
    replies = CannedReply.objects.select_related("media").filter(workspace=workspace)
    if not words:
        return list(replies.order_by("title", "id")[:limit])
    bare = words.lstrip("/").lower()
    if words.startswith("/"):
        matches = Q(shortcut__startswith=bare)
    else:
        matches = Q(shortcut__startswith=bare) | Q(title__icontains=words) | Q(text__icontains=words)
    rank = Case(When(shortcut=bare, then=Value(0)), When(shortcut__startswith=bare, then=Value(1)),
                When(title__istartswith=words, then=Value(2)), When(title__icontains=words, then=Value(3)),
                default=Value(4), output_field=IntegerField())
    return list(replies.filter(matches).annotate(rank=rank).order_by("rank", "title", "id")[:limit])
