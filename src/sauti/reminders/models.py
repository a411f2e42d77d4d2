"""Reminders and broadcasts: what to send (a template, a journey, SMS or email text), to whom,
when; each occurrence (a Run) and one Recipient row per person and run, which is what makes a
run resumable after a crash without sending anyone anything twice."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sauti.accounts.models import Workspace
from sauti.accounts.secrets import EncryptedTextField
from sauti.contacts.models import Contact, Segment


class Reminder(models.Model):
    """One reminder or broadcast, as its author configured it."""

    class Channel(models.TextChoices):
        WHATSAPP = "whatsapp", _("WhatsApp")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Email")

    class Action(models.TextChoices):
        TEMPLATE = "template", _("Send a template")
        JOURNEY = "journey", _("Start a journey")
        TEXT = "text", _("Send a text")  # SMS and email

    class Audience(models.TextChoices):
        SEGMENT = "segment", _("A saved segment")
        QUERY = "query", _("A segment query")
        NUMBERS = "numbers", _("Listed people")  # typed in, or read from a CSV upload

    class Schedule(models.TextChoices):
        NOW = "now", _("Now")
        ONCE = "once", _("At a date and time")
        RECURRING = "recurring", _("Recurring")

    class TimeBasis(models.TextChoices):
        WORKSPACE = "workspace", _("The workspace's timezone")
        CONTACT = "contact", _("Each person's local time")

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="reminders")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.WHATSAPP)
    action = models.CharField(max_length=12, choices=Action.choices, default=Action.TEMPLATE)
    template = models.ForeignKey("content.MessageTemplate", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    # {"header": [...], "body": [...], "buttons": {...}}: each value text with @expressions.
    params = models.JSONField(default=dict, blank=True)
    journey = models.ForeignKey("journeys.Journey", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    subject = models.CharField(max_length=200, blank=True, help_text="email only")
    text = models.TextField(blank=True, help_text="SMS and email: the message, with @expressions")
    audience = models.CharField(max_length=12, choices=Audience.choices, default=Audience.SEGMENT)
    segment = models.ForeignKey(Segment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    query = models.TextField(blank=True)
    numbers = models.JSONField(default=list, blank=True, help_text="WhatsApp numbers (wa_id) of listed people")
    schedule = models.CharField(max_length=12, choices=Schedule.choices, default=Schedule.NOW)
    time_basis = models.CharField(max_length=12, choices=TimeBasis.choices, default=TimeBasis.WORKSPACE)
    # Wall-clock moment of a one-off reminder, in the basis' timezone (naive: its meaning depends
    # on whose clock).
    local_at = models.DateTimeField(null=True, blank=True)
    frequency = models.CharField(max_length=12, choices=Frequency.choices, blank=True)
    weekdays = models.JSONField(default=list, blank=True, help_text="weekly: 0 = Monday … 6 = Sunday")
    start_date = models.DateField(null=True, blank=True)
    time_of_day = models.TimeField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    max_runs = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    next_run_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The Reminders list: a workspace's reminders, newest first, filtered by status.
            models.Index(fields=["workspace", "status", "-created_at"], name="reminder_list"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)

    @property
    def cancellable(self) -> bool:
        return self.status in (self.Status.SCHEDULED, self.Status.SENDING)


class Run(models.Model):
    """One occurrence of a reminder: its audience resolved once, then dispatched in chunks."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RESOLVING = "resolving", _("Finding people")
        SENDING = "sending", _("Sending")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="runs")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.PositiveIntegerField(default=1, help_text="1 for the first occurrence, then 2, 3…")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    # The earliest moment anyone of the run is due (with contact-local time: the wall time in
    # the easternmost timezone).
    due_at = models.DateTimeField()
    local_at = models.DateTimeField(null=True, blank=True, help_text="the wall-clock moment, for contact-local runs")
    # Audience resolution goes by contact id; a restarted worker carries on after the last one.
    resolved_up_to = models.BigIntegerField(default=0)
    resolved_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["reminder", "number"], name="run_unique_number")]
        indexes = [
            # The scheduler's look for runs a dead worker left behind.
            models.Index(fields=["status"], condition=Q(status__in=["resolving", "sending"]), name="run_working"),
        ]

    def __str__(self) -> str:
        return f"{self.reminder} #{self.number}"


class Recipient(models.Model):
    """One person of one run. Unique per (run, contact): re-resolving after a crash adds nobody
    twice, and a row leaves `pending` in the same transaction that queues its message."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        QUEUED = "queued", _("Queued")  # WhatsApp: in the Outbox; the message carries the status
        SENDING = "sending", _("Sending")  # SMS and email: handed to the provider
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        READ = "read", _("Read")
        STARTED = "started", _("Journey started")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")
        CANCELLED = "cancelled", _("Cancelled")

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="recipients")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    # Why skipped or failed: "not_opted_in", "no_email", "params", a provider's code…
    reason = models.CharField(max_length=200, blank=True)
    due_at = models.DateTimeField()
    message = models.OneToOneField("messaging.Message", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="reminder_recipient")
    provider_id = models.CharField(max_length=200, blank=True, help_text="SMS: the provider's message id")
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "contact"], name="recipient_unique_contact")]
        indexes = [
            # The dispatcher's claim: a run's waiting people, due first.
            models.Index(fields=["run", "due_at", "id"], condition=Q(state="pending"), name="recipient_pending"),
            # Delivery callbacks of SMS providers find the row by the provider's id.
            models.Index(fields=["provider_id"], condition=~Q(provider_id=""), name="recipient_provider_id"),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} in {self.run_id} ({self.state})"


class ChannelSettings(models.Model):
    """A workspace's SMS provider and email sender; secrets encrypted at rest like WhatsApp's."""

    class SmsProvider(models.TextChoices):
        NONE = "", _("None")
        TWILIO = "twilio", _("Twilio")

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="reminder_channels")
    sms_provider = models.CharField(max_length=16, choices=SmsProvider.choices, blank=True)
    sms_account = models.CharField(max_length=100, blank=True, help_text="Twilio: the Account SID")
    sms_secret = EncryptedTextField(blank=True, help_text="Twilio: the Auth Token")
    sms_sender = models.CharField(max_length=32, blank=True, help_text="the number or sender id messages come from")
    sms_base_url = models.URLField(max_length=300, blank=True, help_text="empty: the provider's own API")
    email_from = models.CharField(max_length=200, blank=True)
    email_host = models.CharField(max_length=200, blank=True, help_text="empty: the server's email settings")
    email_port = models.PositiveIntegerField(default=587)
    email_username = models.CharField(max_length=200, blank=True)
    email_password = EncryptedTextField(blank=True)
    email_use_tls = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"channels of {self.workspace}"

    @property
    def sms_ready(self) -> bool:
        return bool(self.sms_provider and self.sms_account and self.sms_secret and self.sms_sender)
