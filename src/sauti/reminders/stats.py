"""A reminder's statistics, read from its recipients and their messages: a handful of grouped
queries, whatever the audience's size. Reads only."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, OuterRef
from django.db.models.fields.json import KT
from django.utils.translation import gettext_lazy as _

from sauti.messaging.models import Message
from sauti.reminders.models import Recipient, Reminder, Run

REPLY_WINDOW = dt.timedelta(hours=24)
# A WhatsApp recipient's progress is its message's status; SMS and email keep theirs on the row.
_FROM_MESSAGE = {"queued": "waiting", "sending": "waiting", "sent": "sent", "delivered": "delivered", "read": "read",
                 "played": "read", "failed": "failed"}
_FROM_STATE = {"pending": "waiting", "sending": "waiting", "sent": "sent", "delivered": "delivered", "read": "read",
               "started": "started", "failed": "failed", "skipped": "skipped", "cancelled": "cancelled"}
REASON_LABELS = {"not_opted_in": _("Not opted in"), "no_whatsapp_id": _("No WhatsApp number"),
                 "no_email": _("No email address"), "no_phone": _("No phone number"), "cancelled": _("Cancelled")}


@dataclass
class Stats:
    total: int = 0
    waiting: int = 0  # not yet handed to the channel, or handed and not yet accepted
    sent: int = 0  # accepted by the channel (includes delivered and read)
    delivered: int = 0  # includes read
    read: int = 0
    started: int = 0  # journeys started
    failed: int = 0
    skipped: int = 0
    cancelled: int = 0
    replied: int = 0  # wrote back within 24 hours of the send
    failures: list[tuple[str, int]] = field(default_factory=list)
    skips: list[tuple[str, int]] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.total - self.waiting

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.done / self.total))

    @property
    def delivered_pct(self) -> int:
        return round(100 * self.delivered / self.sent) if self.sent else 0

    @property
    def read_pct(self) -> int:
        return round(100 * self.read / self.sent) if self.sent else 0


def reminder_stats(reminder: Reminder, run: Run | None = None) -> Stats:
    """Counts over every run of the reminder (or one run)."""
    recipients = Recipient.objects.filter(run__reminder=reminder) if run is None else Recipient.objects.filter(run=run)
    stats = Stats()
    buckets: Counter[str] = Counter()
    for state, message_status, n in recipients.values_list("state", "message__status").annotate(n=Count("id")):
        if state == Recipient.State.QUEUED and message_status:
            bucket = _FROM_MESSAGE.get(message_status, "waiting")
            if message_status == "failed" and state == Recipient.State.QUEUED:
                bucket = "failed"
        elif state == Recipient.State.QUEUED:
            bucket = "waiting"
        else:
            bucket = _FROM_STATE.get(state, "waiting")
        buckets[bucket] += n
    stats.total = sum(buckets.values())
    stats.waiting = buckets["waiting"]
    stats.read = buckets["read"]
    stats.delivered = buckets["delivered"] + stats.read
    stats.sent = buckets["sent"] + stats.delivered
    stats.started = buckets["started"]
    stats.failed = buckets["failed"]
    stats.skipped = buckets["skipped"]
    stats.cancelled = buckets["cancelled"]
    if stats.failed:
        stats.failures = failure_reasons(recipients)
    if stats.skipped:
        stats.skips = list(recipients.filter(state=Recipient.State.SKIPPED).values_list("reason")
                           .annotate(n=Count("id")).order_by("-n"))
    if stats.sent or stats.started:
        stats.replied = replied(recipients)
    return stats


def failure_reasons(recipients) -> list[tuple[str, int]]:  # noqa: ANN001 - a Recipient queryset
    """Why sends failed, most common first: the provider's error (WhatsApp's code and title) or
    Sauti's own reason."""
    reasons: Counter[str] = Counter()
    for reason, n in (recipients.filter(state=Recipient.State.FAILED).values_list("reason")
                      .annotate(n=Count("id"))):
        reasons[reason or "failed"] += n
    failed = Message.objects.filter(status=Message.Status.FAILED,
                                    reminder_recipient__in=recipients.filter(state=Recipient.State.QUEUED))
    for code, title, n in (failed.values_list(KT("error__code"), KT("error__title")).annotate(n=Count("id"))
                           .order_by()):
        reasons[f"{title or 'failed'}" + (f" ({code})" if code and code != "cancelled" else "")] += n
    return reasons.most_common(10)


def replied(recipients) -> int:  # noqa: ANN001 - a Recipient queryset
    """People who wrote back within 24 hours of their send."""
    until = ExpressionWrapper(OuterRef("queued_at") + REPLY_WINDOW, output_field=DateTimeField())
    answer = Message.objects.filter(contact_id=OuterRef("contact_id"), direction=Message.Direction.INBOUND,
                                    sent_at__gt=OuterRef("queued_at"), sent_at__lte=until)
    return recipients.filter(queued_at__isnull=False).filter(Exists(answer)).count()
