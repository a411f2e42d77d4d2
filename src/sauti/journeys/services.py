"""Writes for journeys: create, edit the draft, publish, stage, roll back, enable.

Every source that is published is compiled first; a journey that does not compile can be saved
as a draft (so work is never lost) but never published.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from sauti.accounts.models import User, Workspace
from sauti.accounts.services import record_audit
from sauti.journeys import JourneySyntaxError, compile_journey
from sauti.journeys.models import Journey, JourneyVersion, source_hash
from sauti.journeys.programs import program_for_source


@dataclass
class JourneyInvalid(Exception):
    """The source does not compile; `error` carries line, column and message."""

    error: JourneySyntaxError

    def __str__(self) -> str:
        return str(self.error)


def check_source(source: str) -> None:
    try:
        compile_journey(source)
    except JourneySyntaxError as exc:
        raise JourneyInvalid(exc) from exc


@transaction.atomic
def create_journey(workspace: Workspace, *, name: str, source: str, actor: User | None = None,
                   publish: bool = True, enabled: bool = True) -> Journey:
    """A new journey; published at once (as Turn's API does) unless publish=False."""
    if publish:
        check_source(source)
    journey = Journey.objects.create(workspace=workspace, name=name, draft_source=source,
                                     draft_hash=source_hash(source), enabled=enabled, created_by=actor)
    if publish:
        publish_journey(journey, actor=actor)
    record_audit(workspace, "journey_created", actor=actor, target=name, journey=str(journey.uuid))
    return journey


@transaction.atomic
def update_journey(journey: Journey, *, name: str | None = None, source: str | None = None,
                   enabled: bool | None = None, publish: bool = False, actor: User | None = None) -> Journey:
    if source is not None:
        if publish:
            check_source(source)
        journey.draft_source = source
        journey.draft_hash = source_hash(source)
    if name is not None:
        journey.name = name
    if enabled is not None:
        journey.enabled = enabled
    journey.save()
    if publish:
        publish_journey(journey, actor=actor)
    return journey


def _new_version(journey: Journey, actor: User | None) -> JourneyVersion:
    latest = journey.versions.filter(source_hash=journey.draft_hash).order_by("-number").first()
    if latest is not None:
        return latest
    number = (journey.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return JourneyVersion.objects.create(journey=journey, number=number, source=journey.draft_source,
                                         source_hash=journey.draft_hash, created_by=actor)


@transaction.atomic
def publish_journey(journey: Journey, *, actor: User | None = None) -> JourneyVersion:
    """The draft becomes what runs for new sessions; running sessions finish on their version."""
    check_source(journey.draft_source)
    version = _new_version(journey, actor)
    Journey.objects.filter(id=journey.id).update(published_version=version)
    journey.published_version = version
    record_audit(journey.workspace, "journey_published", actor=actor, target=journey.name, version=version.number)
    return version


@transaction.atomic
def stage_journey(journey: Journey, *, actor: User | None = None) -> JourneyVersion:
    """The draft becomes the staging version, which test contacts and the simulator can run."""
    check_source(journey.draft_source)
    version = _new_version(journey, actor)
    Journey.objects.filter(id=journey.id).update(staging_version=version)
    journey.staging_version = version
    return version


@transaction.atomic
def roll_back_journey(journey: Journey, version: JourneyVersion, *, actor: User | None = None) -> None:
    """Publish an earlier version again, and make it the draft too."""
    if version.journey_id != journey.id:
        raise ValueError("that version belongs to another journey")
    journey.published_version = version
    journey.draft_source = version.source
    journey.draft_hash = version.source_hash
    journey.save()
    record_audit(journey.workspace, "journey_rolled_back", actor=actor, target=journey.name, version=version.number)


def published_program(journey: Journey):  # -> Program
    version = journey.published_version
    return program_for_source(version.source, version.source_hash) if version else None
