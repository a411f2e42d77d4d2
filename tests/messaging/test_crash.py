"""kill -9 the worker in the middle of heavy traffic: nothing is lost, nothing is sent twice.

Real processes (fake Cloud API, web, worker, scheduler) on a fresh database: 2,000 inbound
messages from 200 people and 2,000 API sends to them, the worker killed half-way and restarted.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter, defaultdict

import httpx
import pytest

from sauti.devstack import Stack, fresh_database

PEOPLE = 200
PER_PERSON = 10
pytestmark = pytest.mark.slow


def wa(i: int) -> str:
    return f"2782{i:07d}"


async def push_inbound(stack: Stack, seqs: range) -> None:
    """Each person writes messages `seqs` in order; people write concurrently."""
    async with httpx.AsyncClient(base_url=stack.fake_url, timeout=60) as http:
        async def person(i: int) -> None:
            for seq in seqs:
                # Like Meta, deliver again when Sauti did not answer 200 in time (on SQLite under a
                # loaded machine the web process can wait long for the one write lock); a message
                # stored by the first try is recognised by its id, so nothing is stored twice.
                for _attempt in range(5):
                    r = await http.post("/_fake/inbound", json={"from": wa(i), "text": f"in {i} {seq}",
                                                                "id": f"wamid.in.{i}.{seq}"})
                    assert r.status_code == 200, r.text
                    if r.json()["webhook_status"] == 200:
                        break
                else:
                    pytest.fail(f"Sauti never accepted message {seq} of person {i}: {r.text}")

        await asyncio.gather(*(person(i) for i in range(PEOPLE)))


async def send_outbound(stack: Stack, seqs: range) -> None:
    headers = {"Authorization": f"Bearer {stack.token}"}
    async with httpx.AsyncClient(base_url=stack.web_url, headers=headers, timeout=60) as http:
        async def person(i: int) -> None:
            for seq in seqs:
                r = await http.post("/v1/messages", json={"to": wa(i), "text": {"body": f"out {i} {seq}"}})
                assert r.status_code == 200, r.text

        await asyncio.gather(*(person(i) for i in range(PEOPLE)))


def wait_for(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def test_killing_the_worker_loses_nothing_and_sends_nothing_twice():
    url, drop = fresh_database(os.environ.get("DATABASE_URL"))
    stack = Stack(database_url=url, env_extra={"SAUTI_SEND_LEASE_SECONDS": "30", "SAUTI_SWEEP_AFTER_SECONDS": "5"},
                  fake_args=["--status-delay-ms", "20"])
    try:
        stack.setup()
        stack.start()
        asyncio.run(push_inbound(stack, range(1)))  # everyone writes first, which opens their window
        wait_for(lambda: stack.query("SELECT count(*) FROM messaging_message WHERE direction='inbound' "
                                     "AND handled_at IS NOT NULL")[0][0] == PEOPLE, 120, "first messages handled")

        async def traffic() -> None:
            await asyncio.gather(push_inbound(stack, range(1, PER_PERSON)), send_outbound(stack, range(PER_PERSON)),
                                 kill_midway())

        async def kill_midway() -> None:
            while stack.query("SELECT count(*) FROM messaging_outbox WHERE state='sent'")[0][0] < 400:
                await asyncio.sleep(0.05)
            stack.kill("worker")
            await asyncio.sleep(1.0)
            await asyncio.to_thread(stack.start, "worker")  # people keep writing meanwhile

        asyncio.run(traffic())
        total = PEOPLE * PER_PERSON

        def done() -> bool:
            (handled,), = stack.query("SELECT count(*) FROM messaging_message WHERE direction='inbound' "
                                      "AND handled_at IS NOT NULL")
            (sent,), = stack.query("SELECT count(*) FROM messaging_outbox WHERE state='sent'")
            return handled == total and sent == total

        wait_for(done, 240, "every message handled and sent")
        time.sleep(2)  # let any stray duplicate reach the fake before counting

        # Arrival order is the order of the webhook events; each person's messages must have arrived
        # in the order they were written and been handled in that order.
        inbound = stack.query("SELECT c.wa_id, m.text, m.provider_id, m.handled_at FROM messaging_message m "
                              "JOIN contacts_contact c ON c.id = m.contact_id "
                              "WHERE m.direction='inbound' ORDER BY m.webhook_event_id, m.id")
        assert len(inbound) == total
        assert len({row[2] for row in inbound}) == total
        per_person: dict[str, list[int]] = defaultdict(list)
        handled: dict[str, list] = defaultdict(list)
        for wa_id, text, _, handled_at in inbound:
            per_person[wa_id].append(int(text.split()[-1]))
            handled[wa_id].append(handled_at)
        assert all(seqs == list(range(PER_PERSON)) for seqs in per_person.values())
        assert all(times == sorted(times) for times in handled.values()), "a later message was handled first"

        sent = httpx.get(f"{stack.fake_url}/_fake/sent").json()["messages"]
        callbacks = Counter(m["body"]["biz_opaque_callback_data"] for m in sent)
        assert len(callbacks) == total
        assert max(callbacks.values()) == 1, "a message reached the Cloud API twice"
        order: dict[str, list[int]] = defaultdict(list)
        for m in sent:
            order[m["to"]].append(int(m["body"]["text"]["body"].split()[-1]))
        assert all(seqs == list(range(PER_PERSON)) for seqs in order.values())
    finally:
        stack.stop()
        drop()
