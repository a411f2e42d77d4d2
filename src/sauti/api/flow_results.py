"""FLOIP Flow Results over journeys' results: one package per journey, its questions are the
results its sessions wrote (`write_result`), its responses one row per result written.

Spec: spec/turn-api.md §3.6 and the Flow Results specification 1.0 (packages and responses in
JSON:API). Row ids are UUIDs and cursors are encrypted: Sauti's integer keys stay inside.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from typing import Any

from django.db.models import Max, Min
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from sauti.accounts.models import Workspace
from sauti.accounts.secrets import decrypt, encrypt
from sauti.api.auth import needs
from sauti.api.errors import invalid, not_found
from sauti.api.schemas import errors
from sauti.journeys.models import Journey, JourneyResult

router = Router(tags=["flow results"])
SPEC_VERSION = "1.0.0"
DEFAULT_PAGE, MAX_PAGE = 1000, 5000
SALT = "sauti.api.flow_results"
ROW_NAMESPACE = uuid_module.UUID("3b0b8d2e-6a53-4b7e-9c58-6f1b9f0d5a11")
FIELDS = [
    {"name": "timestamp", "title": "Timestamp", "type": "datetime"},
    {"name": "row_id", "title": "Row ID", "type": "string"},
    {"name": "contact_id", "title": "Contact ID", "type": "string"},
    {"name": "session_id", "title": "Session ID", "type": "string"},
    {"name": "question_id", "title": "Question ID", "type": "string"},
    {"name": "response", "title": "Response", "type": "any"},
    {"name": "response_metadata", "title": "Response Metadata", "type": "object"},
]


class Links(Schema):
    self: str
    next: str | None = None


class PackagesOut(Schema):
    links: Links
    data: list[dict[str, Any]]


class PackageOut(Schema):
    links: Links
    data: dict[str, Any]


class ResponsesFilter(Schema):
    start: dt.datetime | None = Field(None, alias="filter[start-timestamp]")
    end: dt.datetime | None = Field(None, alias="filter[end-timestamp]")
    size: int = Field(DEFAULT_PAGE, alias="page[size]", ge=1, le=MAX_PAGE)
    after: str | None = Field(None, alias="page[afterCursor]")


def _stamp(moment: dt.datetime | None) -> str | None:
    """FLOIP's timestamps: `2015-11-26 02:59:24.123456+00:00`."""
    return moment.astimezone(dt.UTC).isoformat(sep=" ") if moment else None


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/") + "/v1/flow-results/packages"


def _access(workspace: Workspace, package_id: str) -> Journey:
    try:
        key = uuid_module.UUID(package_id)
    except ValueError:
        key = None
    journey = Journey.objects.filter(workspace=workspace, uuid=key).first() if key else None
    if journey is None:
        raise not_found(f"no package {package_id} in this workspace")
    return journey


def _name(journey: Journey) -> str:
    """A package name as FLOIP wants it: lower case, digits and - _ ."""
    text = "".join(ch if ch.isalnum() else "-" for ch in journey.name.lower()).strip("-")
    return "-".join(filter(None, text.split("-"))) or str(journey.uuid)


def _summary(journey: Journey, modified: dt.datetime | None) -> dict[str, Any]:
    return {"type": "packages", "id": str(journey.uuid), "attributes": {
        "title": journey.name, "name": _name(journey), "created": _stamp(journey.created_at),
        "modified": _stamp(max(filter(None, [journey.updated_at, modified])))}}


@router.get("/flow-results/packages", auth=needs("data:read"), response={200: PackagesOut, **errors(400)},
            summary="Flow Results packages")
def list_packages(request: HttpRequest, stack_uuid: str | None = None) -> dict[str, Any]:
    """One package per journey (`stack_uuid` keeps only that journey's)."""
    journeys = Journey.objects.filter(workspace=request.workspace).order_by("name", "id")  # type: ignore[attr-defined]
    if stack_uuid:
        try:
            journeys = journeys.filter(uuid=uuid_module.UUID(stack_uuid))
        except ValueError as exc:
            raise invalid("stack_uuid", "must be a journey's uuid") from exc
    latest = dict(JourneyResult.objects.filter(journey__in=journeys).values("journey_id")
                  .annotate(last=Max("created_at")).values_list("journey_id", "last"))
    return {"links": {"self": _base(request)},
            "data": [_summary(journey, latest.get(journey.id)) for journey in journeys]}


def _questions(journey: Journey) -> dict[str, Any]:
    """Each result name the journey wrote, typed from its values (numbers only: numeric)."""
    questions: dict[str, Any] = {}
    names = (JourneyResult.objects.filter(journey=journey).values("name").annotate(first=Min("id"))
             .order_by("first").values_list("name", flat=True))
    for name in names:
        values = JourneyResult.objects.filter(journey=journey, name=name).values_list("value", flat=True)[:50]
        numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        questions[name] = {"type": "numeric" if numeric else "text", "label": name, "type_options": {}}
    return questions


@router.get("/flow-results/packages/{package_id}", auth=needs("data:read"),
            response={200: PackageOut, **errors(404)}, summary="A Flow Results package descriptor")
def get_package(request: HttpRequest, package_id: str) -> dict[str, Any]:
    """The package descriptor: one resource of responses whose schema lists the questions."""
    journey = _access(request.workspace, package_id)  # type: ignore[attr-defined]
    url = f"{_base(request)}/{journey.uuid}"
    modified = JourneyResult.objects.filter(journey=journey).aggregate(last=Max("created_at"))["last"]
    summary = _summary(journey, modified)
    attributes = {
        **summary["attributes"], "profile": "flow-results-package", "flow-results-specification": SPEC_VERSION,
        "id": str(journey.uuid),
        "resources": [{"name": f"{_name(journey)}-responses", "path": None, "api-data-url": f"{url}/responses",
                       "mediatype": "application/json", "encoding": "utf-8",
                       "schema": {"language": "eng", "fields": FIELDS, "questions": _questions(journey)}}],
    }
    return {"links": {"self": url}, "data": {"type": "packages", "id": str(journey.uuid), "attributes": attributes}}


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@router.get("/flow-results/packages/{package_id}/responses", auth=needs("data:read"),
            response={200: PackageOut, **errors(400, 404)}, summary="A Flow Results package's responses")
def get_responses(request: HttpRequest, package_id: str, filters: Query[ResponsesFilter]) -> dict[str, Any]:
    """Rows `[timestamp, row_id, contact_id, session_id, question_id, response, response_metadata]`,
    oldest first; `links.next` pages on (`page[afterCursor]`)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    journey = _access(workspace, package_id)
    rows = (JourneyResult.objects.filter(journey=journey).select_related("contact", "session")
            .order_by("id"))
    start, end = _aware(filters.start), _aware(filters.end)
    if start:
        rows = rows.filter(created_at__gte=start)
    if end:
        rows = rows.filter(created_at__lte=end)
    if filters.after:
        try:
            rows = rows.filter(id__gt=int(decrypt(filters.after).removeprefix(SALT + ":")))
        except (TypeError, ValueError) as exc:
            raise invalid("page[afterCursor]", "not a cursor from a previous page") from exc
    page = list(rows[:filters.size + 1])
    responses = [[_stamp(r.created_at), str(uuid_module.uuid5(ROW_NAMESPACE, f"{workspace.uuid}:{r.id}")),
                  str(r.contact.uuid), str(r.session.uuid) if r.session else None, r.name, r.value,
                  {"label": r.label or None, "card": r.card or None}] for r in page[:filters.size]]
    url = f"{_base(request)}/{journey.uuid}/responses"
    links: dict[str, Any] = {"self": request.build_absolute_uri()}
    if len(page) > filters.size:
        cursor = encrypt(f"{SALT}:{page[filters.size - 1].id}")
        links["next"] = f"{url}?page%5Bsize%5D={filters.size}&page%5BafterCursor%5D={cursor}"
    return {"links": links, "data": {"type": "flow-results-data", "id": str(journey.uuid),
                                     "attributes": {"responses": responses}}}
