"""The long-running parts of Sauti, usable in one process (`sauti serve`) or apart (web/worker/scheduler)."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from typing import Any

logger = logging.getLogger("sauti")


def task_worker(worker_id: str, interval: float = 0.05) -> Any:
    """A django-tasks-db worker loop over every queue; stop it by setting `.running = False`.

    `interval` is how long it sleeps when the queue is empty: short for dedicated workers (turn
    latency), longer in the all-in-one server so an idle laptop stays idle.
    """
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(queue_names=["*"], interval=interval, batch=False, backend_name="default", startup_delay=False,
                  max_tasks=None, worker_id=worker_id[:64], excluded_queue_names=[])


def worker_id(kind: str, index: int = 0) -> str:
    return f"{kind}-{socket.gethostname()}-{os.getpid()}-{index}"


def start_thread(name: str, target: Callable[[], None]) -> threading.Thread:
    def run() -> None:
        try:
            target()
        except Exception:
            logger.exception("%s stopped with an error", name)
        finally:
            from django.db import connection

            connection.close()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread


class Background:
    """Event lanes, task workers, the sender and (optionally) the scheduler, each in its own thread."""

    def __init__(self, *, task_threads: int = 1, lanes: int | None = None, sender: bool = True,
                 scheduler: bool = False, poll_interval: float = 0.05) -> None:
        from sauti.messaging.lane import EventLane
        from sauti.messaging.sender import Sender
        from sauti.timers.scheduler import Scheduler

        self.lanes = [EventLane(idle=poll_interval) for _ in range(task_threads if lanes is None else lanes)]
        self.workers = [task_worker(worker_id("worker", i), poll_interval) for i in range(task_threads)]
        self.sender = Sender() if sender else None
        self.scheduler = Scheduler() if scheduler else None
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        for i, lane in enumerate(self.lanes):
            self.threads.append(start_thread(f"events-{i}", lane.run_forever))
        for i, worker in enumerate(self.workers):
            self.threads.append(start_thread(f"tasks-{i}", worker.run))
        if self.sender:
            self.threads.append(start_thread("sender", self.sender.run_forever))
        if self.scheduler:
            self.threads.append(start_thread("scheduler", self.scheduler.run_forever))

    def stop(self) -> None:
        for lane in self.lanes:
            lane.close()
        for worker in self.workers:
            worker.running = False
        if self.sender:
            self.sender.stop.set()
        if self.scheduler:
            self.scheduler.stop.set()

    def join(self, timeout: float = 10.0) -> None:
        for thread in self.threads:
            thread.join(timeout)

    def wait_for_signal(self) -> None:
        """Block until SIGINT/SIGTERM, then stop the threads (the current task finishes first)."""
        stopped = threading.Event()

        def handler(signum: int, frame: object) -> None:
            logger.info("stopping on %s", signal.strsignal(signum))
            stopped.set()

        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)
        while not stopped.wait(0.5):
            if self.threads and not any(t.is_alive() for t in self.threads):
                break
        self.stop()
        self.join()
