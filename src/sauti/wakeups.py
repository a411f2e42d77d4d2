"""Waking sleeping worker threads when work is stored, instead of having them poll for it.

A worker's threads (event lanes, task loops) sleep when there is nothing to do. Whoever stores
work calls `announce(topic)`: at commit it wakes the threads of this process, and on PostgreSQL it
sends `NOTIFY` so a `Listener` in every other process wakes theirs too. Because notifications can
be missed (a listener reconnecting), sleepers still look again after a while; but with a listener
connected that while is long, so an idle installation makes almost no queries and a busy one
spends its CPU on messages rather than on empty polls. SQLite has no cross-process notification:
there, sleepers in a process without the storer keep their short polling interval.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import connection, transaction

logger = logging.getLogger(__name__)

TOPICS = ("events", "tasks")
CHANNEL_PREFIX = "sauti_"
# How long a sleeper waits when a listener would have woken it: only a safety net.
LISTENED_IDLE = 2.0


class Topic:
    """A generation counter and a condition: `wait(seen, …)` returns once the generation moved."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self.generation = 0

    def notify(self, everyone: bool = False) -> None:
        """Wake one sleeper (one new piece of work needs one pair of hands), or all of them."""
        with self._condition:
            self.generation += 1
            if everyone:
                self._condition.notify_all()
            else:
                self._condition.notify()

    def wait(self, seen: int, timeout: float) -> None:
        with self._condition:
            if self.generation == seen:
                self._condition.wait(timeout)


topics: dict[str, Topic] = {name: Topic() for name in TOPICS}
_listening = threading.Event()


def listening() -> bool:
    """Whether this process hears other processes' announcements (so sleepers may sleep long)."""
    return _listening.is_set()


def idle_wait(short: float) -> float:
    """How long a sleeper should wait for work before looking again."""
    return max(short, LISTENED_IDLE) if listening() else short


def announce(topic: str) -> None:
    """Work for `topic` was stored in the current transaction: wake sleepers once it commits."""
    if connection.vendor == "postgresql":
        # Delivered at commit (at once in autocommit), and folded into one per transaction.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, '')", [CHANNEL_PREFIX + topic])
    transaction.on_commit(topics[topic].notify)


def _task_enqueued(sender: Any, task_result: Any, **kwargs: Any) -> None:
    announce("tasks")


def connect_signals() -> None:
    """Every enqueued background task wakes a task loop (called from the messaging app's ready())."""
    from django_tasks.signals import task_enqueued

    task_enqueued.connect(_task_enqueued, dispatch_uid="sauti.wakeups.task_enqueued")


class Listener:
    """LISTENs for announcements on a connection of its own and wakes this process's sleepers."""

    RECONNECT_AFTER = 2.0

    def __init__(self) -> None:
        self.stop = threading.Event()

    def run_forever(self) -> None:
        if connection.vendor != "postgresql":
            return
        while not self.stop.is_set():
            try:
                self._listen()
            except Exception:
                logger.warning("lost the notification connection; sleepers poll until it is back", exc_info=True)
            finally:
                _listening.clear()
            self.stop.wait(self.RECONNECT_AFTER)

    def _listen(self) -> None:
        import psycopg

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params.pop("prepare_threshold", None)
        with psycopg.connect(**params, autocommit=True) as conn:
            for name in TOPICS:
                conn.execute(f"LISTEN {CHANNEL_PREFIX}{name}")
            _listening.set()
            # Whatever was stored while nobody listened is picked up by the first look.
            for topic in topics.values():
                topic.notify(everyone=True)
            while not self.stop.is_set():
                for note in conn.notifies(timeout=1.0):
                    topic = topics.get(note.channel.removeprefix(CHANNEL_PREFIX))
                    if topic is not None:
                        topic.notify()

    def close(self) -> None:
        self.stop.set()
