"""The scheduler loop: periodic jobs, run by exactly one process (a PostgreSQL advisory lock)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)
LEADER_LOCK = 7_465_011  # an arbitrary, fixed advisory-lock key for "the scheduler"


@dataclass
class Job:
    name: str
    every: float
    run: Callable[[], object]
    last: float = 0.0


def default_jobs() -> list[Job]:
    from sauti.messaging.sweeper import sweep
    from sauti.timers.services import fire_due

    jobs = [Job("fire due timers", 1.0, fire_due), Job("sweep lost pipeline tasks", 10.0, sweep)]
    jobs += [Job(name, every, run) for name, every, run in _extra_jobs]
    return jobs


_extra_jobs: list[tuple[str, float, Callable[[], object]]] = []


def register_job(name: str, every: float, run: Callable[[], object]) -> None:
    """Apps add their periodic work here at start-up (AppConfig.ready)."""
    if all(n != name for n, _, _ in _extra_jobs):
        _extra_jobs.append((name, every, run))


class Scheduler:
    def __init__(self, jobs: list[Job] | None = None, *, tick: float = 1.0) -> None:
        self.jobs = jobs if jobs is not None else default_jobs()
        self.tick = tick
        self.stop = threading.Event()

    def _lead(self) -> bool:
        if connection.vendor != "postgresql":
            return True
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LEADER_LOCK])
            return bool(cursor.fetchone()[0])

    def run_forever(self) -> None:
        leading = False
        while not self.stop.is_set():
            try:
                if not leading:
                    leading = self._lead()
                    if leading:
                        logger.info("scheduler: leading")
                if leading:
                    self.run_due()
            except Exception:
                logger.exception("scheduler tick failed")
                leading = False
                close_old_connections()
            self.stop.wait(self.tick)

    def run_due(self) -> None:
        now = time.monotonic()
        for job in self.jobs:
            if now - job.last >= job.every:
                job.last = now
                try:
                    job.run()
                except Exception:
                    logger.exception("scheduler job %r failed", job.name)
