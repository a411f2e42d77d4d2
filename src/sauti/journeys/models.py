"""Journeys as stored: the draft, published and staged versions, sessions, logs and results."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sauti.accounts.models import Workspace
from sauti.contacts.models import Contact


def source_hash(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


class Journey(models.Model):
    """A journey's identity and its draft; what runs for people is `published_version`."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="journeys")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    enabled = models.BooleanField(_("enabled"), default=True)
    draft_source = models.TextField(blank=True)
    draft_hash = models.CharField(max_length=64, blank=True)
    published_version = models.ForeignKey("JourneyVersion", on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+")
    staging_version = models.ForeignKey("JourneyVersion", on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_unpublished_changes(self) -> bool:
        return self.published_version is None or self.published_version.source_hash != self.draft_hash


class JourneyVersion(models.Model):
    """An immutable source that was published or staged; kept so any of them can come back."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="versions")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.PositiveIntegerField()
    source = models.TextField()
    source_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["journey", "number"], name="journeyversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.journey} v{self.number}"


class Session(models.Model):
    """One run of one journey for one contact; its engine state is plain JSON."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WAITING_CHILD = "waiting_child", _("Waiting for another journey")
        ENDED = "ended", _("Ended")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="journey_sessions")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="sessions")
    version = models.ForeignKey(JourneyVersion, on_delete=models.SET_NULL, null=True, related_name="sessions")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="journey_sessions")
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    state = models.JSONField(default=dict)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = [
            # One active session per contact: a journey's replies always reach the right run.
            models.UniqueConstraint(fields=["contact"], condition=Q(status="active"), name="session_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.journey} for {self.contact} ({self.status})"


class JourneyLog(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="journey_logs")
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="logs")
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="logs")
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    level = models.CharField(max_length=8, default="info")
    message = models.TextField()
    card = models.CharField(max_length=200, blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            # GET /v1/stacks/<uuid>/logs?from=: a journey's logs by time.
            models.Index(fields=["journey", "created_at"], name="journeylog_by_time"),
        ]

    def __str__(self) -> str:
        return f"[{self.level}] {self.message[:60]}"


class JourneyResult(models.Model):
    """A `write_result`: one answer to one question, for Flow Results and insights."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="journey_results")
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="results")
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="results")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="journey_results")
    name = models.CharField(max_length=200)
    value = models.JSONField(null=True)
    label = models.CharField(max_length=300, blank=True)
    card = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.name}={self.value!r}"


class Dictionary(models.Model):
    """A workspace-wide dictionary, reachable in journeys as @global.<name>.<key>."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="dictionaries")
    name = models.CharField(max_length=100)
    data = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="dictionary_unique_name")]

    def __str__(self) -> str:
        return self.name
