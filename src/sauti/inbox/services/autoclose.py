"""Automatic closure of inactive chats, through one timer per workspace in the Timers table.

The timer is due when the chat that has been quiet longest reaches the workspace's limit; when it
fires it closes every open chat quiet for that long and sets itself for the next one. So the
pipeline does no work per message for it, and an idle workspace has one row.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from sauti.accounts.models import Workspace
from sauti.inbox.events import announce
from sauti.messaging.models import Chat
from sauti.timers.models import Timer
from sauti.timers.services import cancel_timers, set_timer

TIMER_KIND = "inbox_auto_close"
TIMER_KEY = "inactive-chats"
BATCH = 1000


def auto_close_hours(workspace: Workspace) -> int | None:
    hours = workspace.settings.get("auto_close_hours")
    return int(hours) if hours else None


def schedule_auto_close(workspace: Workspace, now: dt.datetime | None = None) -> Timer | None:
    """Set (or cancel) the workspace's auto-close timer for its quietest open chat."""
    hours = auto_close_hours(workspace)
    if not hours:
        cancel_timers(workspace.id, TIMER_KIND, key=TIMER_KEY)
        return None
    now = now or timezone.now()
    limit = dt.timedelta(hours=hours)
    oldest = Chat.objects.filter(workspace=workspace, state=Chat.State.OPEN).aggregate(
        at=Min("last_message_at"))["at"]
    due = max(now, (oldest or now) + limit)
    return set_timer(workspace.id, TIMER_KIND, TIMER_KEY, due, {"hours": hours})


@transaction.atomic
def close_inactive_chats(workspace: Workspace, now: dt.datetime | None = None) -> int:
    """Close open chats without messages for the workspace's limit; returns how many."""
    hours = auto_close_hours(workspace)
    if not hours:
        return 0
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=hours)
    reason = f"Closed automatically after {hours} hours without messages."
    closed = 0
    while True:
        rows = list(Chat.objects.filter(workspace=workspace, state=Chat.State.OPEN, last_message_at__lte=cutoff)
                    .order_by("last_message_at").values_list("id", "uuid")[:BATCH])
        if not rows:
            break
        Chat.objects.filter(id__in=[r[0] for r in rows]).update(
            state=Chat.State.CLOSED, state_reason=reason, closed_at=now, closed_by=None, needs_human=False)
        for _, chat_uuid in rows:
            announce(workspace.id, "chat_updated", chat=chat_uuid, change="closed")
        closed += len(rows)
    return closed


def fire_auto_close(timer: Timer) -> None:
    """The timer handler: close what is due, route waiting chats to freed capacity, set the next."""
    from sauti.inbox.services.routing import route_waiting_chats

    workspace = Workspace.objects.filter(id=timer.workspace_id).first()
    if workspace is None:
        return
    now = timezone.now()
    if close_inactive_chats(workspace, now):
        route_waiting_chats(workspace)
    # The next moment: fired timers are re-armed by set_timer (it clears fired_at); the scheduler
    # marks this one fired only if its due time did not move, which it just did.
    schedule_auto_close(workspace, now + dt.timedelta(seconds=1))
