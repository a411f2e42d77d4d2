"""The event lane: a worker thread that claims stored webhook events in batches and processes them.

Run one or more per worker process (`sauti worker --threads N`); they share the work through the
events table (pipeline.claim_events), so any number may run on any number of machines. While
events keep coming a lane goes straight on to the next batch; when there are none it waits a
little longer each time, up to `idle` (much longer while
notifications are heard), so a quiet installation costs almost nothing. A webhook
stored anywhere wakes them at once (`sauti.wakeups`).
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections

from sauti import wakeups

logger = logging.getLogger(__name__)
_events = wakeups.topics["events"]


def wake() -> None:
    """Tell every lane that an event is stored (at the storing transaction's commit)."""
    wakeups.announce("events")


class EventLane:
    FIRST_WAIT = 0.002

    def __init__(self, *, idle: float = 0.05, batch: int | None = None) -> None:
        from sauti.messaging.pipeline import EVENT_BATCH

        self.idle = idle
        self.batch = batch or EVENT_BATCH
        self.stop = threading.Event()

    def run_forever(self) -> None:
        from sauti.messaging.pipeline import process_pending_events

        wait = self.FIRST_WAIT
        while not self.stop.is_set():
            seen = _events.generation
            try:
                claimed = process_pending_events(self.batch)
            except Exception:
                logger.exception("event lane round failed; trying again shortly")
                close_old_connections()
                claimed = 0
                wait = self.idle
            if claimed:
                wait = self.FIRST_WAIT
                continue
            _events.wait(seen, wait)
            wait = min(wakeups.idle_wait(self.idle), wait * 2)

    def close(self) -> None:
        self.stop.set()
        _events.notify(everyone=True)
