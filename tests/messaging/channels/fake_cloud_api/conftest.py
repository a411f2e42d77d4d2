"""Fixtures: a real fake server on a free port, wired to a real receiving HTTP server."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest

from sauti.messaging.channels.fake_cloud_api.server import FakeCloudAPIConfig, RunningFake, start_in_thread

from .support import APP_SECRET, PHONE_NUMBER_ID, WABA_ID, WebhookReceiver


def quick_config(webhook_url: str) -> FakeCloudAPIConfig:
    """Quick pacing so tests wait milliseconds, not seconds."""
    return FakeCloudAPIConfig(host="127.0.0.1", port=0, webhook_url=webhook_url, app_secret=APP_SECRET,
                              phone_number_id=PHONE_NUMBER_ID, waba_id=WABA_ID, status_delay_ms=10,
                              webhook_batch_ms=20, template_approval_delay_s=0.1,
                              webhook_retry_delays_s=(0.05, 0.1, 0.2))


@dataclass
class Shared:
    fake: RunningFake
    receiver: WebhookReceiver
    graph: httpx.Client
    control: httpx.Client


@pytest.fixture(scope="module")
def shared() -> Iterator[Shared]:
    """One fake, one receiver and two clients per module: starting servers and clients per test
    (an httpx client builds an SSL context) would dominate the run time."""
    receiver = WebhookReceiver()
    with start_in_thread(quick_config(receiver.url)) as fake, \
            httpx.Client(base_url=f"{fake.url}/v23.0", headers={"Authorization": "Bearer test-token"}) as graph, \
            httpx.Client(base_url=f"{fake.url}/_fake") as control:
        yield Shared(fake, receiver, graph, control)
    receiver.close()


@pytest.fixture
def receiver(shared: Shared) -> WebhookReceiver:
    """The module's receiver, emptied after the shared fake has been reset and gone quiet."""
    shared.control.post("/reset").raise_for_status()
    deadline = time.monotonic() + 5
    while not shared.control.get("/webhooks").json()["idle"]:
        assert time.monotonic() < deadline, "the shared fake did not go quiet after a reset"
        time.sleep(0.01)
    shared.receiver.reset()
    return shared.receiver


@pytest.fixture
def fake(shared: Shared, receiver: WebhookReceiver) -> RunningFake:
    """The module's fake, reset: no sends, templates, media, faults or pending webhooks."""
    return shared.fake


@pytest.fixture
def graph(shared: Shared, fake: RunningFake) -> httpx.Client:
    """A Graph API client with a token; paths are relative to /v23.0."""
    return shared.graph


@pytest.fixture
def control(shared: Shared, fake: RunningFake) -> httpx.Client:
    """A client for the control endpoints; paths are relative to /_fake."""
    return shared.control


@pytest.fixture
def start_fake(receiver: WebhookReceiver) -> Iterator[Callable[..., RunningFake]]:
    """Start a dedicated fake (for a config of its own); keyword arguments override the quick config."""
    running: list[RunningFake] = []

    def start(**overrides: Any) -> RunningFake:
        fake = start_in_thread(replace(quick_config(receiver.url), **overrides))
        running.append(fake)
        return fake

    yield start
    for fake in running:
        fake.stop()
