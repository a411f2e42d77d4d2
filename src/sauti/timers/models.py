"""The one Timers table: every "later" in Sauti (journey timeouts and waits, scheduled journeys,
reminder runs, automatic closing of chats) is a row here, fired by the scheduler."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from sauti.accounts.models import Workspace


class Timer(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="timers")
    kind = models.CharField(max_length=40, help_text="what fires: see sauti.timers.handlers")
    key = models.CharField(max_length=200, help_text="a later timer with the same kind and key replaces it")
    due_at = models.DateTimeField()
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    fired_at = models.DateTimeField(null=True, blank=True)
    # Set when handed to a worker, so the scheduler does not hand it over again while it waits.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "kind", "key"], name="timer_unique_key")]
        indexes = [
            # The scheduler's query: timers due and not yet fired.
            models.Index(fields=["due_at"], condition=Q(fired_at__isnull=True), name="timer_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} at {self.due_at:%Y-%m-%d %H:%M:%S}"
