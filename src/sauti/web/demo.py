"""The demo workspace: the built-in simulator as its channel and the sequential-lessons journey
published, so a newcomer chats with a working service in the browser within a minute."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from sauti.accounts.models import Membership, Role, User, Workspace
from sauti.accounts.services import create_workspace, record_audit
from sauti.journeys.models import Journey
from sauti.journeys.services import create_journey, publish_journey

SAMPLES = Path(__file__).resolve().parents[1] / "journeys" / "samples"
DEMO_WORKSPACE_NAME = "Demo: Healthy habits"
DEMO_JOURNEY_NAME = "Sequential lessons"
DEMO_JOURNEY_FILE = "sequential_lessons.md"


def sample_source(filename: str = DEMO_JOURNEY_FILE) -> str:
    return (SAMPLES / filename).read_text(encoding="utf-8")


def demo_workspace() -> Workspace | None:
    """The demo workspace, if one was made (marked in its settings, whatever its name now)."""
    return Workspace.objects.filter(settings__demo=True).order_by("id").first()


@transaction.atomic
def create_demo_workspace(owner: User | None) -> Workspace:
    """Create the demo workspace, or complete the one that exists; safe to call any number of times.

    The workspace's channel is the simulator (no WhatsApp number); the sample journey is there and
    published. `owner`, when given, becomes an owner of it (`sauti serve --demo` passes None: the
    first-run page or a site administrator opens it later).
    """
    workspace = demo_workspace()
    if workspace is None:
        workspace = create_workspace(name=DEMO_WORKSPACE_NAME, owner=owner)
        workspace.settings = {**workspace.settings, "demo": True, "channel": "simulator"}
        workspace.save(update_fields=["settings"])
    elif owner is not None and not Membership.objects.filter(workspace=workspace, user=owner).exists():
        # accounts has no membership service yet; this is the one place that adds a member.
        Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
        record_audit(workspace, "member_added", actor=owner, target=owner.email, role=Role.OWNER)
    journey = Journey.objects.filter(workspace=workspace, name=DEMO_JOURNEY_NAME).first()
    if journey is None:
        create_journey(workspace, name=DEMO_JOURNEY_NAME, source=sample_source(), actor=owner, publish=True)
    elif journey.published_version is None:
        publish_journey(journey, actor=owner)
    return workspace


def demo_journey(workspace: Workspace) -> Journey | None:
    return Journey.objects.filter(workspace=workspace, name=DEMO_JOURNEY_NAME).first()
