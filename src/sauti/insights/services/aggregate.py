"""The only writer of rollups: recompute whole local days from the source rows, idempotently.

The scheduler's job (`aggregate_recent`) finds the days that changed: days of messages newer than
the watermark (a late-arriving inbound message can carry an old timestamp), plus the trailing
days of every workspace, where statuses, closes, session endings and opt-ins land. A daily job
recomputes the last five weeks (late read receipts); `backfill` rebuilds any span. Each family of
a workspace is recomputed inside one transaction holding an advisory lock (PostgreSQL), so two
runners never interleave and a crash leaves the previous rows in place.
"""

from __future__ import annotations

import datetime as dt
import logging
import zlib
from collections import defaultdict
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from sauti.accounts.models import Workspace
from sauti.insights.models import DailyCount, Watermark
from sauti.insights.services.families import FAMILIES
from sauti.messaging.models import Message

logger = logging.getLogger(__name__)
BATCH = 50_000


def workspace_tz(workspace: Workspace) -> ZoneInfo:
    try:
        return ZoneInfo(workspace.timezone or "UTC")
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def local_today(workspace: Workspace, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(workspace_tz(workspace)).date()


def recompute(workspace: Workspace, first: dt.date, last: dt.date, families: Iterable[str] | None = None) -> int:
    """Replace the rollups of `first`..`last` (local days) with fresh counts; returns rows written."""
    tz = workspace_tz(workspace)
    written = 0
    for name in families or FAMILIES:
        family = FAMILIES[name]
        with transaction.atomic():
            _lock(workspace.id, name)
            rows, spans = family.compute(workspace, tz, first, last)
            for metric, (lo, hi) in spans.items():
                DailyCount.objects.filter(workspace=workspace, metric=metric, day__gte=lo, day__lte=hi).delete()
            DailyCount.objects.bulk_create(
                [DailyCount(workspace=workspace, metric=m, day=d, dimension=dim, bucket=b, value=n)
                 for m, d, dim, b, n in rows if n], batch_size=5000)
            written += len(rows)
    return written


def _lock(workspace_id: int, family: str) -> None:
    if connection.vendor == "postgresql":
        key = zlib.crc32(f"insights:{workspace_id}:{family}".encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _spans(days: set[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Contiguous runs of days, so a backfill-sized set is a few range queries, not one per day."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][1] <= dt.timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def aggregate_recent(now: dt.datetime | None = None, trailing_days: int | None = None) -> int:
    """The periodic job: recompute the days touched by new messages and each workspace's trailing days."""
    now = now or timezone.now()
    trailing = trailing_days if trailing_days is not None else getattr(settings, "SAUTI_INSIGHTS_TRAILING_DAYS", 2)
    with transaction.atomic():
        mark, _ = Watermark.objects.get_or_create(source="messages")
        mark = Watermark.objects.select_for_update().get(id=mark.id)
        new = list(Message.objects.filter(id__gt=mark.last_id).order_by("id")
                   .values_list("id", "workspace_id", "sent_at")[:BATCH])
        dirty: dict[int, set[dt.date]] = defaultdict(set)
        zones: dict[int, ZoneInfo] = {}
        workspaces = {w.id: w for w in Workspace.objects.all()}
        for _id, workspace_id, sent_at in new:
            if workspace_id not in zones:
                zones[workspace_id] = workspace_tz(workspaces[workspace_id])
            dirty[workspace_id].add(sent_at.astimezone(zones[workspace_id]).date())
        for workspace in workspaces.values():
            today = local_today(workspace, now)
            dirty[workspace.id].update(today - dt.timedelta(days=i) for i in range(trailing))
        written = 0
        for workspace_id, days in dirty.items():
            for first, last in _spans(days):
                written += recompute(workspaces[workspace_id], first, last)
        if new:
            mark.last_id = new[-1][0]
            mark.save(update_fields=["last_id", "updated_at"])
    return written


def aggregate_weeks(now: dt.datetime | None = None) -> int:
    """The daily job: the last five weeks again, for read receipts and answers that came late."""
    return aggregate_recent(now, trailing_days=35)


def backfill(workspace: Workspace | None = None, since: dt.date | None = None, until: dt.date | None = None,
             families: Iterable[str] | None = None) -> dict[str, int]:
    """Rebuild the rollups of one or every workspace from `since` (default: its first message or
    person) to `until` (default: today); returns rows written per workspace name."""
    from sauti.contacts.models import Contact

    out: dict[str, int] = {}
    for ws in [workspace] if workspace else Workspace.objects.order_by("id"):
        last = until or local_today(ws)
        first = since
        if first is None:
            starts = [t for t in (Message.objects.filter(workspace=ws).order_by("sent_at").values_list(
                "sent_at", flat=True).first(), Contact.objects.filter(workspace=ws).order_by("created_at")
                .values_list("created_at", flat=True).first()) if t is not None]
            first = min(starts).astimezone(workspace_tz(ws)).date() if starts else last
        total = 0
        # A month at a time keeps each transaction (and the lock) short.
        lo = first
        while lo <= last:
            hi = min(last, (lo.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1))
            total += recompute(ws, lo, hi, families)
            lo = hi + dt.timedelta(days=1)
        out[ws.name] = total
    with transaction.atomic():
        top = Message.objects.order_by("-id").values_list("id", flat=True).first() or 0
        mark, _ = Watermark.objects.get_or_create(source="messages")
        Watermark.objects.filter(id=mark.id, last_id__lt=top).update(last_id=top)
    return out
