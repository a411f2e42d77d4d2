"""kill -9 the worker twice during a 20,000-person reminder: once while the dispatcher is still
queueing people, once while the sender is delivering. After restarts everyone got it exactly once,
counted at the fake Cloud API.

Real processes (fake Cloud API, web, worker, scheduler) on a fresh database; see bench/reminders.py
for the seeding.
"""

from __future__ import annotations

import os
import time
from collections import Counter

import httpx
import pytest
from bench.reminders import create_reminder, seed, sent_total

from sauti.devstack import Stack, fresh_database

PEOPLE = 20_000
pytestmark = pytest.mark.slow


def wait_for(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def test_killing_the_worker_during_a_reminder_sends_to_everyone_exactly_once():
    url, drop = fresh_database(os.environ.get("DATABASE_URL"))
    stack = Stack(database_url=url, env_extra={"SAUTI_SEND_LEASE_SECONDS": "60", "SAUTI_REMINDER_LEASE_SECONDS": "5",
                                               "SAUTI_LOG_LEVEL": "WARNING"},
                  fake_args=["--status-delay-ms", "20"])
    try:
        stack.setup()
        stack.start()
        seed(stack, PEOPLE)
        create_reminder(stack, "Crash")

        def queued() -> int:
            return stack.query("SELECT count(*) FROM reminders_recipient WHERE state <> 'pending'")[0][0]

        wait_for(lambda: queued() >= 3000, 120, "the dispatcher to queue people")
        stack.kill("worker")  # mid-dispatch: part of the audience queued, the rest pending
        killed_at_queued = queued()
        time.sleep(1.0)
        stack.start("worker")
        wait_for(lambda: sent_total(stack) >= PEOPLE // 2, 300, "half the messages to go out")
        stack.kill("worker")  # mid-send: claimed rows in flight
        time.sleep(1.0)
        stack.start("worker")
        wait_for(lambda: sent_total(stack) >= PEOPLE and stack.query(
            "SELECT count(*) FROM reminders_run WHERE status = 'done'")[0][0] == 1, 400, "everyone to get it")
        time.sleep(3)  # a stray duplicate would have arrived by now

        sent = httpx.get(f"{stack.fake_url}/_fake/sent", timeout=60).json()["messages"]
        per_person = Counter(m["to"] for m in sent)
        assert len(per_person) == PEOPLE, f"{PEOPLE - len(per_person)} people got nothing"
        assert max(per_person.values()) == 1, f"{sum(1 for n in per_person.values() if n > 1)} people got it twice"
        assert killed_at_queued < PEOPLE, "the first kill came after the dispatcher had finished"
        (recipients, people), = stack.query("SELECT count(*), count(DISTINCT contact_id) FROM reminders_recipient")
        assert recipients == people == PEOPLE
        assert stack.query("SELECT count(*) FROM messaging_outbox WHERE state <> 'sent'")[0][0] == 0
    finally:
        stack.stop()
        drop()
