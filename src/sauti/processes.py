"""The long-running parts of Sauti, usable in one process (`sauti serve`) or apart (web/worker/scheduler)."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable

logger = logging.getLogger("sauti")


class TaskLoop:
    """A django-tasks-db worker over every queue that sleeps until a task is enqueued.

    The library's own loop sleeps a fixed interval between empty looks; this one waits on
    `sauti.wakeups` instead, so it starts a task as soon as one is enqueued anywhere and makes no
    queries while there is nothing to do. Claiming and running are the library's. `interval` is
    the fallback look when no notification can arrive (SQLite, other processes).
    """

    def __init__(self, worker_id: str, interval: float = 0.05) -> None:
        from django_tasks_db.management.commands.db_worker import Worker

        self.worker = Worker(queue_names=["*"], interval=interval, batch=False, backend_name="default",
                             startup_delay=False, max_tasks=None, worker_id=worker_id[:64], excluded_queue_names=[])
        self.interval = interval
        self.running = True

    def run(self) -> None:
        from django.db import close_old_connections

        from sauti import wakeups

        tasks = wakeups.topics["tasks"]
        while self.running:
            seen = tasks.generation
            close_old_connections()
            ran = self.run_one()
            close_old_connections()
            if not ran and self.running:
                tasks.wait(seen, wakeups.idle_wait(self.interval))

    def run_one(self) -> bool:
        """Claim the next ready task and run it; False when there was none."""
        from django.db import OperationalError
        from django_tasks_db.models import DBTaskResult
        from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

        ready = DBTaskResult.objects.ready().filter(backend_name=self.worker.backend_name)
        try:
            with exclusive_transaction(ready.db):
                result = ready.get_locked()
                if result is not None:
                    result.claim(self.worker.worker_id)
        except OperationalError as exc:
            if is_locked_database_exception(exc):  # SQLite busy: look again shortly
                return False
            raise
        if result is None:
            return False
        self.worker.run_task(result)
        return True

    def stop(self) -> None:
        from sauti import wakeups

        self.running = False
        wakeups.topics["tasks"].notify(everyone=True)


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
        from sauti.wakeups import Listener

        self.lanes = [EventLane(idle=poll_interval) for _ in range(task_threads if lanes is None else lanes)]
        self.workers = [TaskLoop(worker_id("worker", i), poll_interval) for i in range(task_threads)]
        self.listener = Listener()
        self.sender = Sender() if sender else None
        self.scheduler = Scheduler() if scheduler else None
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        if self.lanes or self.workers:
            self.threads.append(start_thread("wakeups", self.listener.run_forever))
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
        self.listener.close()
        for worker in self.workers:
            worker.stop()
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
