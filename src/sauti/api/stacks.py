"""/v1/stacks: journeys over the API in Turn's shapes (create, edit, publish, start, logs).

Views parse, fetch within the token's workspace and call one journeys service; they never write
rows themselves. Decisions and shapes: docs/api.md.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import lru_cache
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from sauti.accounts.models import Workspace
from sauti.api.auth import needs
from sauti.api.errors import CONFLICT, INVALID, ApiError, invalid, not_found
from sauti.api.schemas import ErrorsOut
from sauti.contacts.models import Contact
from sauti.journeys import Diagnostic, JourneySyntaxError, Program, check_journey
from sauti.journeys.lang.notebook import normalise_source, split_cells
from sauti.journeys.models import Journey, JourneyLog, JourneyVersion, source_hash
from sauti.journeys.programs import program_for_source
from sauti.journeys.services import JourneyInvalid, create_journey, update_journey
from sauti.messaging.models import Message

router = Router(tags=["journeys"])

LOG_LIMIT = 1000  # Turn returns the 1,000 most recent logs
MAX_COMPILE_ERRORS = 50
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
ONE_MICROSECOND = dt.timedelta(microseconds=1)


# ---------------------------------------------------------------------------------- shapes
class StackIn(Schema):
    """A new journey. Like Turn, creating publishes at once: `publish_latest_changes` is accepted
    for compatibility and has no effect here."""

    name: str = Field(min_length=1, max_length=200)
    notebook: str
    enabled: bool = True
    publish_latest_changes: bool = False


class StackPatch(Schema):
    """Any subset; `publish_latest_changes: true` publishes the (new) notebook."""

    name: str | None = Field(None, min_length=1, max_length=200)
    notebook: str | None = None
    enabled: bool | None = None
    publish_latest_changes: bool | None = None


class StackOut(Schema):
    name: str
    uuid: str
    url: str
    inserted_at: str
    updated_at: str
    is_canvas: bool
    is_notebook_valid: bool
    production_notebook_revision_uuid: str | None
    enabled: bool
    has_unpublished_changes: bool


class StartIn(Schema):
    wa_id: str = Field(min_length=1)
    message_id: str | None = None


class StartOut(Schema):
    success: bool


class LogPosition(Schema):
    column: int | None
    line: int | None


class LogCard(Schema):
    condition: str | None
    meta: LogPosition
    name: str


class LogMetadata(Schema):
    app: str
    chat: str | None
    card: LogCard | None
    session_id: str | None
    stack: str


class LogOut(Schema):
    level: str
    message: str
    metadata: LogMetadata
    timestamp: int


# ---------------------------------------------------------------------------------- errors
@dataclass
class NotebookInvalid(ApiError):
    """A notebook that does not compile: one error per compile error, each with its position."""

    diagnostics: list[Diagnostic] = dc_field(default_factory=list)

    def body(self) -> dict[str, Any]:
        return {"errors": [
            {"code": self.code, "title": self.title,
             "details": f"'notebook': line {d.line}, column {d.column}: {d.message}",
             "source": {"pointer": "/notebook", "line": d.line, "column": d.column}}
            for d in self.diagnostics]}


def _notebook_invalid(source: str, error: JourneySyntaxError) -> NotebookInvalid:
    found = [d for d in check_journey(source) if d.severity == "error"]
    diagnostics = found[:MAX_COMPILE_ERRORS] or [error.diagnostic()]
    return NotebookInvalid(400, INVALID, "Notebook does not compile", str(error), "notebook",
                           diagnostics=diagnostics)


# The runner's refusal codes (sauti.journeys.runner.sessions.StartRefused) → status, code, title, field.
# Bad input is 400; a journey or contact whose current state forbids the start is 409.
START_REFUSALS: dict[str, tuple[int, int, str, str | None]] = {
    "contact_never_wrote": (400, INVALID, "Contact has never messaged this number", "wa_id"),
    "unknown_message": (400, INVALID, "Reference message not found", "message_id"),
    "active_session": (409, CONFLICT, "Contact is already in an active journey session", None),
    "not_published": (409, CONFLICT, "Journey has no published version", None),
    "disabled": (409, CONFLICT, "Journey is disabled", None),
}


def _start_refused(code: str, message: str) -> ApiError:
    status, api_code, title, field = START_REFUSALS.get(code, (400, INVALID, "Journey could not start", None))
    return ApiError(status, api_code, title, message, field, {"reason": code})


# ---------------------------------------------------------------------------------- reads
def _access_journey(workspace: Workspace, stack_uuid: str) -> Journey:
    """The journey in this workspace; the same 404 for a malformed id, a missing one and another
    workspace's, so nothing leaks."""
    try:
        key = uuid_module.UUID(stack_uuid)
    except ValueError:
        key = None
    journey = (Journey.objects.filter(workspace=workspace, uuid=key).select_related("published_version").first()
               if key else None)
    if journey is None:
        raise not_found(f"no journey {stack_uuid} in this workspace")
    return journey


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


@lru_cache(maxsize=512)
def _inspect(digest: str, source: str) -> tuple[bool, bool]:
    """(compiles, has canvas placement) for a source; cached by hash because lists ask for every
    journey and a failed compile is not cached by programs.py."""
    canvas = any(cell.placement is not None for cell in split_cells(normalise_source(source)))
    try:
        program_for_source(source, digest)
    except JourneySyntaxError:
        return False, canvas
    return True, canvas


def stack_to_turn(journey: Journey, base: str) -> dict[str, Any]:
    """A journey as Turn's /v1/stacks answers describe it."""
    valid, canvas = _inspect(journey.draft_hash or source_hash(journey.draft_source), journey.draft_source)
    published = journey.published_version
    return {
        "name": journey.name,
        "uuid": str(journey.uuid),
        "url": f"{base}/v1/stacks/{journey.uuid}",
        "inserted_at": _iso(journey.created_at),
        "updated_at": _iso(journey.updated_at),
        "is_canvas": canvas,
        "is_notebook_valid": valid,
        "production_notebook_revision_uuid": str(published.uuid) if published else None,
        "enabled": journey.enabled,
        "has_unpublished_changes": journey.has_unpublished_changes,
    }


# ---------------------------------------------------------------------------------- journeys
@router.post("/stacks", auth=needs("journeys:write"), response={201: StackOut, 400: ErrorsOut},
             summary="Create a journey")
def create_stack(request: HttpRequest, payload: StackIn) -> Status[dict[str, Any]]:
    """Create a journey from a notebook (plain DSL or Markdown) and publish it at once.

    A notebook that does not compile is refused with 400 and one error per compile error
    (`source.line`, `source.column`); nothing is stored, so the call can simply be repeated.
    """
    name = payload.name.strip()
    if not name:
        raise invalid("name", "must not be blank")
    try:
        journey = create_journey(request.workspace, name=name, source=payload.notebook,  # type: ignore[attr-defined]
                                 enabled=payload.enabled, publish=True)
    except JourneyInvalid as exc:
        raise _notebook_invalid(payload.notebook, exc.error) from exc
    return Status(201, stack_to_turn(journey, _base_url(request)))


@router.get("/stacks", auth=needs("journeys:read"), response={200: list[StackOut]}, summary="List journeys")
def list_stacks(request: HttpRequest) -> list[dict[str, Any]]:
    """Every journey of the token's workspace, by name."""
    journeys = (Journey.objects.filter(workspace=request.workspace)  # type: ignore[attr-defined]
                .select_related("published_version").defer("published_version__source").order_by("name", "id"))
    base = _base_url(request)
    return [stack_to_turn(journey, base) for journey in journeys]


@router.get("/stacks/{stack_uuid}", auth=needs("journeys:read"), response={200: StackOut, 404: ErrorsOut},
            summary="Get a journey")
def get_stack(request: HttpRequest, stack_uuid: str) -> dict[str, Any]:
    return stack_to_turn(_access_journey(request.workspace, stack_uuid), _base_url(request))  # type: ignore[attr-defined]


@router.patch("/stacks/{stack_uuid}", auth=needs("journeys:write"),
              response={200: StackOut, 400: ErrorsOut, 404: ErrorsOut},
              summary="Edit or publish a journey")
def update_stack(request: HttpRequest, stack_uuid: str, payload: StackPatch) -> dict[str, Any]:
    """Change the name, the notebook or `enabled`; `publish_latest_changes: true` publishes.

    Without publishing, a notebook is kept as the draft even when it does not compile
    (`is_notebook_valid: false`), as the editor keeps work in progress; publishing a notebook
    that does not compile is refused with 400 and changes nothing.
    """
    journey = _access_journey(request.workspace, stack_uuid)  # type: ignore[attr-defined]
    name = payload.name.strip() if payload.name is not None else None
    if name == "":
        raise invalid("name", "must not be blank")
    source = payload.notebook if payload.notebook is not None else journey.draft_source
    try:
        update_journey(journey, name=name, source=payload.notebook, enabled=payload.enabled,
                       publish=bool(payload.publish_latest_changes))
    except JourneyInvalid as exc:
        raise _notebook_invalid(source, exc.error) from exc
    return stack_to_turn(journey, _base_url(request))


# ---------------------------------------------------------------------------------- start
def _contact(workspace: Workspace, wa_id: str) -> Contact | None:
    return (Contact.objects.filter(workspace=workspace, wa_id=wa_id).first()
            or Contact.objects.filter(workspace=workspace, user_id=wa_id).first())


def _reference_message(contact: Contact, message_id: str) -> Message:
    """The contact's message with this WhatsApp id (or Sauti's message uuid)."""
    match = Q(provider_id=message_id)
    try:
        match |= Q(uuid=uuid_module.UUID(message_id))
    except ValueError:
        pass
    message = Message.objects.filter(match, contact=contact).first()
    if message is None:
        raise _start_refused("unknown_message", f"no message {message_id} in the chat with {contact.address}")
    return message


@router.post("/stacks/{stack_uuid}/start", auth=needs("journeys:write"),
             response={201: StartOut, 400: ErrorsOut, 404: ErrorsOut, 409: ErrorsOut},
             summary="Start a journey for a contact")
def start_stack(request: HttpRequest, stack_uuid: str, payload: StartIn) -> Status[dict[str, Any]]:
    """Start the journey now for one contact who has messaged the number before.

    `message_id` picks the message the journey sees as `event.message` (default: the chat's last
    message). Refusals carry the runner's reason: 400 for a contact that never wrote or an unknown
    message, 409 for an active session, an unpublished or a disabled journey.
    """
    from sauti.journeys.runner.sessions import StartRefused, start_journey

    workspace = request.workspace  # type: ignore[attr-defined]
    journey = _access_journey(workspace, stack_uuid)
    contact = _contact(workspace, payload.wa_id.strip())
    if contact is None:
        raise _start_refused("contact_never_wrote", f"{payload.wa_id} has never messaged this number")
    message = _reference_message(contact, payload.message_id) if payload.message_id else None
    try:
        start_journey(journey, contact, message=message, require_message=True)
    except StartRefused as exc:
        raise _start_refused(exc.code, exc.message) from exc
    return Status(201, {"success": True})


# ---------------------------------------------------------------------------------- logs
def _since(value: str | None) -> dt.datetime | None:
    """`from` as Turn takes it (microseconds since the epoch), or an ISO 8601 time."""
    if value is None or value == "":
        return None
    value = value.strip()
    try:
        if value.isdigit():
            return EPOCH + int(value) * ONE_MICROSECOND
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, OverflowError) as exc:
        raise invalid("from", "a timestamp in microseconds since 1970 (or ISO 8601)") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class _Versions:
    """What a log line needs from the version its session ran: the card's condition and the
    column where the logged statement starts. Loaded once per version per request."""

    def __init__(self, version_ids: set[int]) -> None:
        self._rows = {row[0]: row[1:] for row in
                      JourneyVersion.objects.filter(id__in=version_ids).values_list("id", "source", "source_hash")}
        self._lines: dict[int, list[str]] = {}

    def _program(self, version_id: int) -> Program | None:
        source, digest = self._rows[version_id]
        try:
            return program_for_source(source, digest)
        except JourneySyntaxError:
            return None

    def condition(self, version_id: int | None, card: str, line: int | None) -> str | None:
        if version_id not in self._rows:
            return None
        program = self._program(version_id)
        variants = program.cards.get(card, ()) if program else ()
        before = [v for v in variants if line is None or v.line <= line]
        variant = before[-1] if before else (variants[0] if variants else None)
        return variant.condition.raw if variant is not None and variant.condition is not None else None

    def column(self, version_id: int | None, line: int | None) -> int | None:
        if version_id not in self._rows or not line:
            return None
        if version_id not in self._lines:
            self._lines[version_id] = normalise_source(self._rows[version_id][0]).split("\n")
        lines = self._lines[version_id]
        if line > len(lines):
            return None
        text = lines[line - 1]
        return len(text) - len(text.lstrip()) + 1 if text.strip() else None


@router.get("/stacks/{stack_uuid}/logs", auth=needs("journeys:read"),
            response={200: list[LogOut], 400: ErrorsOut, 404: ErrorsOut},
            summary="A journey's most recent logs")
def stack_logs(request: HttpRequest, stack_uuid: str,
               since: str | None = Query(None, alias="from",
                                         description="only logs recorded after this time, in µs since 1970")
               ) -> list[dict[str, Any]]:
    """The 1,000 most recent log lines (after `from`, when given), oldest first, as Turn shows them."""
    workspace = request.workspace  # type: ignore[attr-defined]
    journey = _access_journey(workspace, stack_uuid)
    logs = JourneyLog.objects.filter(journey=journey)
    moment = _since(since)
    if moment is not None:
        logs = logs.filter(created_at__gt=moment)
    # Newest first to take the most recent, by the (journey, created_at) index; returned ascending.
    rows = list(logs.order_by("-created_at", "-id").values(
        "level", "message", "card", "line", "created_at", "session__uuid", "session__version_id",
        "contact__wa_id", "contact__user_id")[:LOG_LIMIT])
    rows.reverse()
    versions = _Versions({r["session__version_id"] for r in rows if r["session__version_id"]})
    base = _base_url(request)
    stack_url = f"{base}/v1/stacks/{journey.uuid}"
    out = []
    for row in rows:
        address = row["contact__wa_id"] or row["contact__user_id"]
        version_id, line = row["session__version_id"], row["line"]
        card = {"condition": versions.condition(version_id, row["card"], line),
                "meta": {"column": versions.column(version_id, line), "line": line},
                "name": row["card"]} if row["card"] else None
        out.append({
            "level": row["level"],
            "message": row["message"],
            "metadata": {
                "app": f"{base}/",
                "chat": f"{base}/v1/contacts/{address}/messages" if address else None,
                "card": card,
                "session_id": str(row["session__uuid"]) if row["session__uuid"] else None,
                "stack": stack_url,
            },
            "timestamp": (row["created_at"] - EPOCH) // ONE_MICROSECOND,
        })
    return out
