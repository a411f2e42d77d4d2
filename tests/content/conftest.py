"""A fake Cloud API for the content tests, and the workspace pointed at it."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from sauti.accounts.models import Workspace
from sauti.messaging.channels.fake_cloud_api.server import FakeCloudAPIConfig, start_in_thread
from tests.conftest import APP_SECRET
from tests.support import drain_tasks, post_webhook


@pytest.fixture(scope="module")
def fake():
    with start_in_thread(FakeCloudAPIConfig(port=0, webhook_url=None, template_approval_delay_s=0.05)) as running:
        yield running


@pytest.fixture
def ws(workspace: Workspace, fake: Any) -> Workspace:
    httpx.post(f"{fake.url}/_fake/reset")
    Workspace.objects.filter(id=workspace.id).update(graph_url=f"{fake.url}/v23.0")
    workspace.refresh_from_db()
    return workspace


@pytest.fixture
def run_commits(django_capture_on_commit_callbacks: Any):
    """Run what services defer to commit (task enqueues), then the queued tasks themselves."""

    class Runner:
        def __call__(self, work: Any) -> Any:
            with django_capture_on_commit_callbacks(execute=True):
                result = work()
            drain_tasks()
            return result

    return Runner()


def template_webhooks(fake: Any, *, wait_for: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
    """The template status webhooks the fake has sent (or would have), waiting for `wait_for` of them."""
    deadline = time.monotonic() + timeout
    while True:
        log = httpx.get(f"{fake.url}/_fake/webhooks", params={"bodies": "1", "kind": "template_status"}).json()
        bodies = [d["body"] for d in log["deliveries"] if d.get("body")]
        if len(bodies) >= wait_for or time.monotonic() > deadline:
            return bodies
        time.sleep(0.05)


def deliver(client: Any, bodies: list[dict[str, Any]]) -> None:
    """Post webhook bodies to Sauti as Meta would, and let the worker process them."""
    for body in bodies:
        assert post_webhook(client, json.dumps(body).encode(), APP_SECRET).status_code == 200
    drain_tasks()
