"""What the content pages share: the area's tabs, status chips, the preview's view-model."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sauti.content.models import Media, MessageTemplate
from sauti.content.templates import rendered
from sauti.web.workspaces import Access

Status = MessageTemplate.Status
CHIPS = {
    Status.APPROVED: "approved", Status.PENDING: "pending", Status.SUBMITTING: "pending",
    Status.IN_APPEAL: "pending", Status.REJECTED: "rejected", Status.DRAFT: "draft", Status.PAUSED: "paused",
}
TABS = (("templates", _("Templates"), "content:templates"), ("media", _("Media"), "content:media"),
        ("canned", _("Canned replies"), "content:canned"))


def tabs(access: Access, current: str) -> list[dict[str, Any]]:
    return [{"key": key, "label": label, "url": reverse(name, kwargs={"workspace": access.workspace.uuid}),
             "active": key == current} for key, label, name in TABS]


def page(access: Access, current: str, **context: Any) -> dict[str, Any]:
    return {"access": access, "active_nav": "content", "tabs": tabs(access, current), **context}


def chip(status: str) -> str:
    return CHIPS.get(status, "disabled")


def media_url(access: Access, media: Media | None) -> str:
    if media is None:
        return ""
    return reverse("content:media-file", kwargs={"workspace": access.workspace.uuid, "media": media.uuid})


def preview(access: Access, template: MessageTemplate) -> dict[str, Any]:
    """The phone preview of a stored template, examples filled in."""
    shown = rendered(template)
    header = shown["header"] or {}
    if header and header.get("format") != "TEXT":
        header = {**header, "url": media_url(access, template.header_media)}
    return {**shown, "header": header or None}
