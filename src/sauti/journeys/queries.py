"""Reads for the journeys pages: a workspace's journeys, one journey by uuid, their status and
triggers in words. Every query starts from the workspace; nothing here writes."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from sauti.accounts.models import Workspace
from sauti.journeys import Diagnostic, JourneySyntaxError, Program, check_journey
from sauti.journeys.lang.program import Trigger
from sauti.journeys.models import Journey, JourneyVersion
from sauti.journeys.programs import program_for_source

PUBLISHED, CHANGES, DRAFT = "published", "changes", "draft"


def access_journey(workspace: Workspace, journey_uuid: uuid.UUID | str) -> Journey:
    """The workspace's journey, or Http404 for a missing one and another workspace's alike."""
    journey = (Journey.objects.select_related("published_version", "staging_version", "workspace")
               .filter(workspace=workspace, uuid=journey_uuid).first())
    if journey is None:
        raise Http404("no such journey")
    return journey


def access_version(journey: Journey, version_uuid: uuid.UUID | str) -> JourneyVersion:
    version = journey.versions.filter(uuid=version_uuid).first()
    if version is None:
        raise Http404("no such version")
    return version


def list_journeys(workspace: Workspace) -> list[Journey]:
    # One query: the published and staged versions come along for status and triggers.
    return list(Journey.objects.filter(workspace=workspace)
                .select_related("published_version", "staging_version").order_by("name", "id"))


def status_of(journey: Journey) -> str:
    if journey.published_version is None:
        return DRAFT
    return CHANGES if journey.has_unpublished_changes else PUBLISHED


def draft_program(journey: Journey) -> Program | None:
    """The draft compiled (cached by hash), or None when it does not compile."""
    try:
        return program_for_source(journey.draft_source, journey.draft_hash)
    except JourneySyntaxError:
        return None


def running_program(journey: Journey) -> Program | None:
    """What people meet: the published version, else the draft (for the list's trigger column)."""
    version = journey.published_version
    if version is not None:
        try:
            return program_for_source(version.source, version.source_hash)
        except JourneySyntaxError:
            return None
    return draft_program(journey)


@dataclass(frozen=True)
class Problems:
    """The draft's diagnostics for the editor: errors block publishing, warnings do not."""

    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity != "error"]

    @property
    def publishable(self) -> bool:
        return not self.errors

    def lines_json(self) -> str:
        """Where the editor marks lines: [{"line", "severity"}, ...] as JSON."""
        return json.dumps([{"line": d.line, "severity": d.severity} for d in self.diagnostics])


def problems_of(source: str) -> Problems:
    return Problems(check_journey(source))


_PHRASE = re.compile(r'^has_(?:only_phrase|any_exact_phrase|phrase|exact_phrase)\(\s*event\.message\.text\.body\s*,\s*'
                     r'(?P<arg>"[^"]*"|\[[^\]]*\])\s*\)$')


def describe_trigger(trigger: Trigger) -> str:
    """A trigger in a few words for the journeys list."""
    condition = (trigger.condition_source or "").strip()
    if trigger.kind == "message_received":
        if not condition:
            return _("Any message")
        match = _PHRASE.match(condition)
        if match:
            words = re.findall(r'"([^"]*)"', match.group("arg"))
            return _("Message is %(words)s") % {"words": " / ".join(w.upper() for w in words)}
        return _("Message received, when %(condition)s") % {"condition": _shorten(condition)}
    if trigger.kind == "first_visit":
        return _("First visit")
    if trigger.kind == "catch_all":
        return _("Catch all")
    if trigger.kind == "relative_time":
        return _("%(interval)s from %(field)s") % {"interval": trigger.interval, "field": trigger.relative_to}
    if trigger.kind == "specific_time":
        return _("At %(time)s") % {"time": trigger.at}
    return trigger.kind


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_triggers(program: Program | None) -> list[str]:
    if program is None:
        return []
    return [describe_trigger(t) for t in program.triggers]
