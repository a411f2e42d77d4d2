"""People who write to a workspace (identity and profile), the workspace's field schema, saved
segments, and the CSV imports and exports that move people in and out."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sauti.accounts.models import Workspace


class Contact(models.Model):
    """One person of one workspace.

    WhatsApp identifies people by wa_id (their phone number) or, for users who hide their number,
    only by a business-scoped user id (BSUID); either is enough to be a contact. Reserved profile
    fields have their own columns; custom fields (sauti.contacts.schema) live in `fields`. The lease
    columns hold the per-contact lock that keeps one worker at a time on a contact's events.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="contacts")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # NULL, not "", for "unknown": the unique constraints below apply only to known ids.
    wa_id = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001
    user_id = models.CharField(max_length=128, null=True, blank=True, help_text="business-scoped user id")  # noqa: DJ001
    name = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=200, blank=True)
    whatsapp_profile_name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=16, blank=True)
    birthday = models.DateField(null=True, blank=True)
    opted_in = models.BooleanField(default=False)
    opted_in_at = models.DateTimeField(null=True, blank=True)
    fields = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    first_message_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    # The contact lock (see sauti.messaging.pipeline.handle_contact).
    lock_token = models.CharField(max_length=32, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "wa_id"], condition=Q(wa_id__isnull=False),
                                    name="contact_unique_wa_id"),
            models.UniqueConstraint(fields=["workspace", "user_id"], condition=Q(user_id__isnull=False),
                                    name="contact_unique_user_id"),
        ]
        indexes = [
            # The People page's default order (most recently seen first) and its keyset pages; also
            # `last_seen_at > -30d` segments. Partial: people never seen come after, by id
            # (sauti.contacts.queries), as SQLite cannot index NULLS LAST.
            models.Index(fields=["workspace", "-last_seen_at", "-id"], condition=Q(last_seen_at__isnull=False),
                         name="contact_by_last_seen"),
            # The People page sorted by "added", newest first, and its keyset pages.
            models.Index(fields=["workspace", "-created_at", "-id"], name="contact_by_created"),
        ]

    def __str__(self) -> str:
        return self.name or self.whatsapp_profile_name or self.address

    @property
    def address(self) -> str:
        """What the Cloud API's `to` takes for this person."""
        return self.wa_id or self.user_id or ""

    @property
    def display_name(self) -> str:
        full = " ".join(part for part in (self.name, self.surname) if part)
        return full or self.whatsapp_profile_name


class ContactField(models.Model):
    """A field of the workspace's profile schema.

    Custom fields are rows here. Reserved fields (name, language, opted_in…) are defined in code
    (sauti.contacts.schema.RESERVED); a row with `reserved=True` only keeps a workspace's own
    display name and privacy for one of them.
    """

    class Type(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        BOOLEAN = "boolean", _("Yes / no")
        DATE = "date", _("Date")
        DATETIME = "datetime", _("Date and time")
        ENUM = "enum", _("Choice")
        LOCATION = "location", _("Location")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="contact_fields")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(max_length=64)
    display_name = models.CharField(max_length=100)
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.TEXT)
    choices = models.JSONField(default=list, blank=True, help_text='enum only: [{"value", "display"}]')
    is_private = models.BooleanField(default=False)
    reserved = models.BooleanField(default=False)
    default = models.JSONField(null=True, blank=True, help_text="the value new people start with")
    nullable = models.BooleanField(default=True)
    description = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    # Where the field came from: "settings", "journey" (update_contact of an unknown key), "api".
    origin = models.CharField(max_length=16, default="settings")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "key"], name="contactfield_unique_key")]
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class Segment(models.Model):
    """A saved search over a workspace's people, written in the segment language (docs/segments.md)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="segments")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100)
    query = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="segment_unique_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Transfer(models.Model):
    """Shared by imports and exports: a background job over many people, with its progress.

    The lease keeps one worker on a job at a time; a worker that dies leaves it expired and the
    scheduler hands the job to another, which carries on from `processed_rows`.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def working(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.RUNNING)


class ContactImport(Transfer):
    """A CSV file of people: uploaded, its columns mapped to fields, checked (dry run), imported."""

    filename = models.CharField(max_length=255)
    content = models.BinaryField(help_text="the uploaded file, gzip-compressed")
    headers = models.JSONField(default=list)
    # {column index (as text): field key}; unmapped columns are left out.
    mapping = models.JSONField(default=dict, blank=True)
    # The dry run's findings: [{"row", "column", "message"}] (the first few hundred) and counts.
    problems = models.JSONField(default=list, blank=True)
    invalid_rows = models.PositiveIntegerField(default=0)
    would_create = models.PositiveIntegerField(default=0)
    would_update = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The scheduler's look for jobs whose worker died.
            models.Index(fields=["status"], condition=Q(status__in=["checking", "running"]),
                         name="contactimport_working"),
        ]

    def __str__(self) -> str:
        return f"import {self.filename} ({self.status})"


class ContactExport(Transfer):
    """People matching a segment query, written to a CSV file to download."""

    query = models.TextField(blank=True)
    segment_name = models.CharField(max_length=100, blank=True)
    # The role of the person who asked, so the file masks what that role may not see.
    role = models.CharField(max_length=16)
    content = models.BinaryField(null=True, blank=True, help_text="the CSV file, gzip-compressed")
    filename = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status"], condition=Q(status="running"), name="contactexport_working"),
        ]

    def __str__(self) -> str:
        return f"export {self.filename or self.uuid} ({self.status})"
