"""Message templates (with their approval status at Meta), media library items, canned replies."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sauti.accounts.models import Workspace
from sauti.content import rules


class MessageTemplate(models.Model):
    """One template in one language, stored as Meta's create body (Graph-style components).

    `status` is Meta's (PENDING, APPROVED, REJECTED, PAUSED, DISABLED and the rarer ones, kept as
    received) or Sauti's own DRAFT (not yet at Meta) and SUBMITTING (the submission is queued).
    """

    class Status(models.TextChoices):
        DRAFT = "DRAFT", _("Draft")
        SUBMITTING = "SUBMITTING", _("Submitting")
        PENDING = "PENDING", _("In review")
        APPROVED = "APPROVED", _("Approved")
        REJECTED = "REJECTED", _("Rejected")
        PAUSED = "PAUSED", _("Paused")
        DISABLED = "DISABLED", _("Disabled")
        IN_APPEAL = "IN_APPEAL", _("In appeal")
        PENDING_DELETION = "PENDING_DELETION", _("Being deleted")
        DELETED = "DELETED", _("Deleted at Meta")
        ARCHIVED = "ARCHIVED", _("Archived")
        LIMIT_EXCEEDED = "LIMIT_EXCEEDED", _("Limit exceeded")
        LOCKED = "LOCKED", _("Locked")

    class Category(models.TextChoices):
        MARKETING = "MARKETING", _("Marketing")
        UTILITY = "UTILITY", _("Utility")
        AUTHENTICATION = "AUTHENTICATION", _("Authentication")

    EDITABLE = (Status.DRAFT, Status.REJECTED)

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="message_templates")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=rules.NAME_MAX)
    language = models.CharField(max_length=16)
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.UTILITY)
    components = models.JSONField(default=list, blank=True)
    # The sample file of a media header: uploaded to Meta at submission as the header's example.
    header_media = models.ForeignKey("content.Media", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    status = models.CharField(max_length=32, default=Status.DRAFT)
    rejected_reason = models.CharField(max_length=200, blank=True)
    quality_score = models.CharField(max_length=16, blank=True)
    previous_category = models.CharField(max_length=32, blank=True)
    meta_id = models.CharField(max_length=64, blank=True)
    # What Meta said when it refused the submission: {"field", "message"}.
    submit_error = models.JSONField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name", "language"], name="template_unique_name_language"),
        ]
        indexes = [
            # sendable_templates and the list page's status filter.
            models.Index(fields=["workspace", "status", "name"], name="template_by_status"),
            # Status webhooks find the template by Meta's id.
            models.Index(fields=["workspace", "meta_id"], condition=~Q(meta_id=""), name="template_by_meta_id"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"

    @property
    def editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def at_meta(self) -> bool:
        return bool(self.meta_id)

    @property
    def status_label(self) -> str:
        try:
            return str(self.Status(self.status).label)
        except ValueError:
            return self.status.replace("_", " ").capitalize()

    @property
    def rejection_explained(self) -> str:
        """Meta's rejection reason in words (the code itself stays in `rejected_reason`)."""
        return str(REJECTION_REASONS.get(self.rejected_reason, self.rejected_reason))

    @property
    def language_label(self) -> str:
        return rules.LANGUAGES.get(self.language, self.language)

    def to_graph(self) -> dict:
        """The template as Graph's `GET message_templates` lists it (the API's list and get)."""
        data = {"name": self.name, "language": self.language, "status": self.status, "category": self.category,
                "id": self.meta_id or str(self.uuid), "components": self.components,
                "parameter_format": "POSITIONAL"}
        if self.previous_category:
            data["previous_category"] = self.previous_category
        if self.status == self.Status.REJECTED:
            data["rejected_reason"] = self.rejected_reason or "NONE"
        if self.quality_score:
            data["quality_score"] = {"score": self.quality_score}
        return data

    def graph_body(self) -> dict:
        """The create call's body, as Meta takes it."""
        return {"name": self.name, "language": self.language, "category": self.category,
                "components": self.components}


# Meta's rejection reasons (the `reason` of a REJECTED status update).
REJECTION_REASONS = {
    "INVALID_FORMAT": _("The format is not accepted: check the variables, their examples and the buttons."),
    "ABUSIVE_CONTENT": _("WhatsApp found the content abusive or against its policies."),
    "INCORRECT_CATEGORY": _("The category does not fit the content (e.g. promotional text as Utility)."),
    "TAG_CONTENT_MISMATCH": _("The category does not fit the content."),
    "PROMOTIONAL": _("The content is promotional: submit it as Marketing."),
    "SCAM": _("WhatsApp judged the content to be misleading."),
    "INVALID_PARAMETER_FORMAT": _("A variable or its example is not in a format WhatsApp accepts."),
}


def media_path(media: Media, filename: str) -> str:
    return f"content/{media.workspace.uuid}/{media.uuid}"


class Media(models.Model):
    """A file uploaded once to the library and reused by id; Meta's copy is refreshed when it expires."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        VIDEO = "video", _("Video")
        AUDIO = "audio", _("Audio")
        DOCUMENT = "document", _("Document")
        STICKER = "sticker", _("Sticker")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="media")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    content_type = models.CharField(max_length=128)
    filename = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=media_path, max_length=300)
    meta_id = models.CharField(max_length=64, blank=True)
    meta_uploaded_at = models.DateTimeField(null=True, blank=True)
    meta_error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # The media page: a workspace's files, newest first, optionally of one kind.
            models.Index(fields=["workspace", "kind", "-created_at"], name="media_list"),
        ]

    def __str__(self) -> str:
        return self.filename or str(self.uuid)

    def meta_id_fresh(self, now: dt.datetime | None = None) -> bool:
        """Is Meta's media id still usable (uploaded less than MEDIA_ID_LIFETIME_DAYS ago)?"""
        if not self.meta_id or self.meta_uploaded_at is None:
            return False
        now = now or timezone.now()
        return now - self.meta_uploaded_at < dt.timedelta(days=rules.MEDIA_ID_LIFETIME_DAYS)


class CannedReply(models.Model):
    """A ready answer an operator sends from the inbox: text in WhatsApp formatting, maybe a file."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="canned_replies")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=100)
    text = models.TextField(blank=True)
    media = models.ForeignKey(Media, on_delete=models.SET_NULL, null=True, blank=True, related_name="canned_replies")
    # Typed after "/" in the composer; unique in the workspace when set.
    shortcut = models.CharField(max_length=32, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "shortcut"], condition=~Q(shortcut=""),
                                    name="canned_reply_unique_shortcut"),
        ]
        indexes = [
            # search_canned_replies and the list page: by title within a workspace.
            models.Index(fields=["workspace", "title"], name="canned_reply_by_title"),
        ]

    def __str__(self) -> str:
        return self.title
