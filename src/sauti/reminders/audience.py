"""Who a reminder goes to: a saved segment, a segment query, or listed people (typed in or read
from a CSV file's number column). Reads only; the live count of the form and the dispatcher's
resolution both start here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from sauti.accounts.models import Workspace
from sauti.contacts import csvfiles
from sauti.contacts.models import Contact, Segment
from sauti.contacts.schema import FieldValueInvalid
from sauti.contacts.segments import SegmentSyntaxError, segment_contacts
from sauti.contacts.services import normalise_wa_id

MAX_NUMBERS = 200_000


class AudienceInvalid(ValueError):
    """An audience that cannot be used; `.field` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


def parse_numbers(text: str) -> tuple[list[str], list[str]]:
    """WhatsApp numbers typed one per line (or separated by commas): (normalised, refused)."""
    numbers: list[str] = []
    refused: list[str] = []
    for piece in re.split(r"[\s,;]+", text or ""):
        if not piece.strip():
            continue
        try:
            numbers.append(normalise_wa_id(piece))
        except FieldValueInvalid:
            refused.append(piece)
    return list(dict.fromkeys(numbers)), refused


def numbers_from_csv(data: bytes) -> tuple[list[str], list[str]]:
    """The number column of a CSV file (a header People's import would recognise, else the first
    column): (normalised numbers, refused cells). Raises AudienceInvalid for an unreadable file."""
    try:
        rows = csvfiles.rows_of(csvfiles.decode(data))
        header = next(rows, None)
    except csvfiles.UnreadableFile as exc:
        raise AudienceInvalid("csv", str(exc)) from None
    if not header:
        raise AudienceInvalid("csv", _("The file is empty: it needs a header row, then one number per row."))
    slugs = [re.sub(r"[^a-z0-9]+", "_", h.strip().lower()).strip("_") for h in header]
    column = next((i for i, slug in enumerate(slugs) if slug in csvfiles.NUMBER_HEADERS), 0)
    numbers: list[str] = []
    refused: list[str] = []
    for row in rows:
        cell = row[column].strip() if column < len(row) else ""
        if not cell:
            continue
        try:
            numbers.append(normalise_wa_id(cell))
        except FieldValueInvalid:
            refused.append(cell)
        if len(numbers) > MAX_NUMBERS:
            raise AudienceInvalid("csv", _("The file lists more than %(n)s people; use a segment instead.")
                                  % {"n": f"{MAX_NUMBERS:,}"})
    return list(dict.fromkeys(numbers)), refused


def segment_queryset(workspace: Workspace, kind: str, segment: Segment | None, query: str) -> QuerySet[Contact]:
    """The people of a segment or query audience; AudienceInvalid when it cannot run."""
    if kind == "segment":
        if segment is None or segment.workspace_id != workspace.id:
            raise AudienceInvalid("segment", _("Choose a segment."))
        query = segment.query
    try:
        return segment_contacts(workspace, query or "")
    except SegmentSyntaxError as exc:
        raise AudienceInvalid("query", exc.message) from None


@dataclass(frozen=True)
class AudienceCount:
    total: int
    reachable: int  # opted in (the rest is skipped and counted)
    unknown: int = 0  # listed numbers nobody in People has


def count_audience(workspace: Workspace, kind: str, *, segment: Segment | None = None, query: str = "",
                   numbers: list[str] | None = None) -> AudienceCount:
    """How many people the audience finds now, and how many of them have opted in."""
    if kind == "numbers":
        numbers = numbers or []
        total = reachable = 0
        for start in range(0, len(numbers), 5000):
            counts = Contact.objects.filter(workspace=workspace, wa_id__in=numbers[start:start + 5000]).aggregate(
                total=Count("id"), reachable=Count("id", filter=Q(opted_in=True)))
            total += counts["total"]
            reachable += counts["reachable"]
        return AudienceCount(total, reachable, len(numbers) - total)
    counts = segment_queryset(workspace, kind, segment, query).aggregate(
        total=Count("id"), reachable=Count("id", filter=Q(opted_in=True)))
    return AudienceCount(counts["total"], counts["reachable"])
