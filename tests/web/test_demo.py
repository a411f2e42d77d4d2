"""The demo workspace: the simulator as its channel, the sample journey published, made once."""

from __future__ import annotations

import pytest

from sauti.accounts.models import Membership, Role, Workspace
from sauti.journeys.models import Journey, JourneyVersion
from sauti.web.demo import DEMO_JOURNEY_NAME, create_demo_workspace, sample_source
from tests.web.members import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_sample_journey_published() -> None:
    owner = make_user(superuser=True)
    workspace = create_demo_workspace(owner)
    assert workspace.settings["channel"] == "simulator" and workspace.phone_number_id is None
    journey = Journey.objects.get(workspace=workspace)
    assert journey.name == DEMO_JOURNEY_NAME and journey.enabled
    assert journey.published_version.source == sample_source()
    assert Membership.objects.get(workspace=workspace).user == owner


def test_creating_the_demo_again_changes_nothing() -> None:
    owner = make_user(superuser=True)
    first = create_demo_workspace(owner)
    again = create_demo_workspace(owner)
    assert again.pk == first.pk
    assert Workspace.objects.count() == 1
    assert Journey.objects.count() == 1 and JourneyVersion.objects.count() == 1
    assert Membership.objects.count() == 1


def test_a_demo_made_without_an_owner_gets_one_later() -> None:
    workspace = create_demo_workspace(None)
    assert not Membership.objects.exists()
    owner = make_user(superuser=True)
    assert create_demo_workspace(owner).pk == workspace.pk
    assert Membership.objects.get(workspace=workspace, user=owner).role == Role.OWNER


def test_a_demo_journey_left_unpublished_is_published_again() -> None:
    workspace = create_demo_workspace(None)
    Journey.objects.filter(workspace=workspace).update(published_version=None)
    create_demo_workspace(None)
    assert Journey.objects.get(workspace=workspace).published_version is not None
