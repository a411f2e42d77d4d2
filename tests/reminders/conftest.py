"""Reminders' fixtures: the fake Cloud API in a thread, the workspace pointed at it, an approved
template (at Sauti and at the fake), people, and helpers to run the background work for real."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sauti.accounts.models import Workspace
from sauti.contacts.models import Contact
from sauti.content.models import MessageTemplate
from sauti.messaging.channels.fake_cloud_api.server import FakeCloudAPIConfig, start_in_thread
from sauti.reminders.services import ReminderSpec, check_reminder, save_reminder
from tests.support import drain_tasks

BODY = "Hello {{1}}, your visit is on {{2}}."


@pytest.fixture(scope="module")
def fake():
    with start_in_thread(FakeCloudAPIConfig(port=0, webhook_url=None)) as running:
        yield running


@pytest.fixture
def ws(workspace: Workspace, fake: Any) -> Workspace:
    httpx.post(f"{fake.url}/_fake/reset")
    Workspace.objects.filter(id=workspace.id).update(graph_url=f"{fake.url}/v23.0", timezone="Africa/Johannesburg")
    workspace.refresh_from_db()
    return workspace


@pytest.fixture
def template(ws: Workspace, fake: Any) -> MessageTemplate:
    components = [{"type": "BODY", "text": BODY, "example": {"body_text": [["Ana", "Monday"]]}}]
    body = {"name": "visit_reminder", "language": "en", "category": "UTILITY", "components": components}
    assert httpx.post(f"{fake.url}/_fake/templates", json=body).status_code == 200
    return MessageTemplate.objects.create(workspace=ws, name="visit_reminder", language="en", category="UTILITY",
                                          components=components, status=MessageTemplate.Status.APPROVED, meta_id="1")


def people(ws: Workspace, n: int, *, start: int = 0, opted_in: bool = True, **fields: Any) -> list[Contact]:
    return Contact.objects.bulk_create([
        Contact(workspace=ws, wa_id=f"2782{start + i:07d}", name=f"Person {start + i}", opted_in=opted_in,
                fields=dict(fields))
        for i in range(n)])


def remind(ws: Workspace, *, actor: Any = None, **kwargs: Any):
    """A checked, saved and scheduled reminder, as the form would make it."""
    spec = ReminderSpec(**{"name": "Visit", "audience": "query", "query": "", **kwargs})
    return save_reminder(ws, check_reminder(ws, spec), actor=actor)


def run_all(run_commits: Any = None) -> None:
    """Background tasks until none are left, then the sender until the Outbox is empty."""
    from tests.messaging.test_sender import rounds

    drain_tasks()
    while rounds(50):
        pass


def sent_to_fake(fake: Any) -> list[dict[str, Any]]:
    return httpx.get(f"{fake.url}/_fake/sent").json()["messages"]
