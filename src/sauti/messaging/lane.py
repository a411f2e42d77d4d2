"""The event lane: a worker thread that claims stored webhook events in batches and processes them.

Run one or more per worker process (`sauti worker --threads N`); they share the work through the
events table (pipeline.claim_events), so any number may run on any number of machines. While
events keep coming a lane goes straight on to the next batch; when there are none it waits a
little longer each time, up to `idle`, so a quiet installation costs almost nothing. A webhook
stored by the same process (the all-in-one `sauti serve`) wakes the lanes at once.
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, transaction

logger = logging.getLogger(__name__)
_wake = threading.Condition()
_generation = 0


def wake() -> None:
    """Tell this process's lanes that an event is stored (after the storing transaction commits)."""
    transaction.on_commit(_notify)


def _notify() -> None:
    global _generation
    with _wake:
        _generation += 1
        _wake.notify_all()


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
            seen = _generation
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
            with _wake:
                if _generation == seen:
                    _wake.wait(wait)
            wait = min(self.idle, wait * 2)

    def close(self) -> None:
        self.stop.set()
        _notify()
