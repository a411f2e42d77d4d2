"""Reads for the reminders pages: lists, the one reminder a member may open, view-models."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sauti.accounts.models import Workspace
from sauti.reminders.models import ChannelSettings, Reminder, Run


def access_reminder(workspace: Workspace, reminder_uuid: str | uuid.UUID) -> Reminder:
    """The workspace's reminder, or Http404 (the same for "missing" and "another workspace's")."""
    reminder = (Reminder.objects.select_related("workspace", "template", "journey", "segment", "created_by")
                .filter(workspace=workspace, uuid=reminder_uuid).first())
    if reminder is None:
        raise Http404("no such reminder")
    return reminder


def list_reminders(workspace: Workspace, status: str = "") -> list[Reminder]:
    query = Reminder.objects.filter(workspace=workspace).select_related("template", "journey", "segment", "created_by")
    if status:
        query = query.filter(status=status)
    return list(query[:200])


def channel_settings(workspace: Workspace) -> ChannelSettings:
    """The workspace's SMS and email settings (an unsaved empty row when never set)."""
    return ChannelSettings.objects.filter(workspace=workspace).first() or ChannelSettings(workspace=workspace)


def audience_label(reminder: Reminder) -> str:
    if reminder.audience == Reminder.Audience.SEGMENT:
        return _("Segment “%(name)s”") % {"name": reminder.segment.name} if reminder.segment else _("A deleted segment")
    if reminder.audience == Reminder.Audience.QUERY:
        return reminder.query or _("Everyone")
    n = len(reminder.numbers or [])
    return _("%(n)s listed people") % {"n": f"{n:,}"}


def content_label(reminder: Reminder) -> str:
    if reminder.channel == Reminder.Channel.WHATSAPP and reminder.action == Reminder.Action.JOURNEY:
        return _("Starts the journey “%(name)s”") % {"name": reminder.journey.name if reminder.journey else "—"}
    if reminder.channel == Reminder.Channel.WHATSAPP:
        return (_("Template %(name)s (%(language)s)") % {"name": reminder.template.name,
                                                         "language": reminder.template.language}
                if reminder.template else _("A deleted template"))
    if reminder.channel == Reminder.Channel.EMAIL:
        return _("Email: %(subject)s") % {"subject": reminder.subject}
    return _("SMS: %(text)s") % {"text": reminder.text[:80]}


def schedule_label(reminder: Reminder) -> str:
    local = reminder.time_basis == Reminder.TimeBasis.CONTACT
    if reminder.schedule == Reminder.Schedule.NOW:
        return _("Sent when saved")
    if reminder.schedule == Reminder.Schedule.ONCE and reminder.local_at:
        when = reminder.local_at.strftime("%Y-%m-%d %H:%M")
        return (_("%(when)s in each person's local time") if local else _("%(when)s (%(tz)s)")) % {
            "when": when, "tz": reminder.workspace.timezone}
    parts = {"daily": _("Every day"), "weekly": _("Every week"), "monthly": _("Every month")}
    text = str(parts.get(reminder.frequency, ""))
    if reminder.time_of_day:
        text += " " + _("at %(time)s") % {"time": reminder.time_of_day.strftime("%H:%M")}
    text += " " + (_("local time") if local else f"({reminder.workspace.timezone})")
    if reminder.end_date:
        text += ", " + _("until %(date)s") % {"date": reminder.end_date.isoformat()}
    elif reminder.max_runs:
        text += ", " + _("%(n)s times") % {"n": reminder.max_runs}
    return text


def detail_context(reminder: Reminder) -> dict[str, Any]:
    from sauti.reminders.stats import REASON_LABELS, REPLY_WINDOW, reminder_stats

    stats = reminder_stats(reminder)
    runs = list(reminder.runs.all()[:20])
    live = reminder.status == Reminder.Status.SENDING or any(
        r.status in (Run.Status.RESOLVING, Run.Status.SENDING) for r in runs) or (stats.waiting and stats.total)
    # Deliveries, reads and replies keep coming after the last send: the page keeps listening,
    # less often, for a day.
    recent = any(r.finished_at and r.finished_at > timezone.now() - REPLY_WINDOW for r in runs)
    # Everyone is in the Outbox but not all of it has gone: to the author, it is still sending.
    still_going = reminder.status == Reminder.Status.SENT and stats.waiting
    return {"reminder": reminder, "stats": stats, "runs": runs, "live": bool(live), "settling": recent and not live,
            "status_key": Reminder.Status.SENDING.value if still_going else reminder.status,
            "status_label": Reminder.Status.SENDING.label if still_going else reminder.get_status_display(),
            "failures": [(str(REASON_LABELS.get(r, r)), n) for r, n in stats.failures],
            "skips": [(str(REASON_LABELS.get(r, r)), n) for r, n in stats.skips],
            "audience_label": audience_label(reminder), "content_label": content_label(reminder),
            "schedule_label": schedule_label(reminder)}
