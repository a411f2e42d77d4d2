"""Set, cancel and fire timers. Handlers for each kind register themselves at start-up."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from sauti.timers.models import Timer

logger = logging.getLogger(__name__)


class TimerBusy(Exception):
    """The timer's target is busy (e.g. its contact is being handled): fire it again a moment later."""

TimerHandler = Callable[[Timer], None]
_handlers: dict[str, TimerHandler] = {}


def register_timer_handler(kind: str, handler: TimerHandler) -> None:
    _handlers[kind] = handler


def set_timer(workspace_id: int, kind: str, key: str, due_at: dt.datetime, payload: dict[str, Any]) -> Timer:
    """Create the timer, or move the one with the same kind and key: one upsert statement, safe
    when two workers set the same timer at once."""
    timer = Timer(workspace_id=workspace_id, kind=kind, key=key, due_at=due_at, payload=payload)
    Timer.objects.bulk_create([timer], update_conflicts=True, unique_fields=["workspace", "kind", "key"],
                              update_fields=["due_at", "payload", "fired_at", "enqueued_at", "attempts", "error"])
    return timer


def cancel_timers(workspace_id: int, kind: str, key_prefix: str = "", key: str | None = None) -> int:
    query = Timer.objects.filter(workspace_id=workspace_id, kind=kind, fired_at__isnull=True)
    if key is not None:
        query = query.filter(key=key)
    elif key_prefix:
        query = query.filter(key__startswith=key_prefix)
    return query.delete()[0]


def due_timer_ids(now: dt.datetime, limit: int = 500) -> list[int]:
    """Due timers not handed to a worker in the last minute (a lost task is handed over again)."""
    stale = now - dt.timedelta(seconds=60)
    return list(Timer.objects.filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale), fired_at__isnull=True,
                                     due_at__lte=now, attempts__lt=5)
                .order_by("due_at").values_list("id", flat=True)[:limit])


def fire_timer(timer_id: int) -> bool:
    """Run the timer's handler once; the row is marked fired in the same transaction."""
    with transaction.atomic():
        query = Timer.objects.filter(id=timer_id, fired_at__isnull=True)
        if connection.vendor == "postgresql":
            query = query.select_for_update(skip_locked=True)
        timer = query.first()
        if timer is None:
            return False
        handler = _handlers.get(timer.kind)
        try:
            with transaction.atomic():
                if handler is None:
                    raise LookupError(f"no handler for timers of kind {timer.kind!r}")
                handler(timer)
        except TimerBusy:
            Timer.objects.filter(id=timer.id).update(due_at=timezone.now() + dt.timedelta(seconds=1),
                                                    enqueued_at=None)
            return False
        except Exception as exc:
            logger.exception("timer %s failed", timer)
            Timer.objects.filter(id=timer.id).update(attempts=timer.attempts + 1, error=str(exc)[:1000])
            return False
        Timer.objects.filter(id=timer.id, due_at=timer.due_at).update(fired_at=timezone.now())
        return True


def fire_due(now: dt.datetime | None = None) -> int:
    """The scheduler's job: hand every due timer to a task (a worker fires it)."""
    from sauti.timers.tasks import fire

    now = now or timezone.now()
    ids = due_timer_ids(now)
    with transaction.atomic():
        Timer.objects.filter(id__in=ids).update(enqueued_at=now)
        for timer_id in ids:
            fire.enqueue(timer_id)
    return len(ids)
