"""Writes for saved segments: save, change, delete. The query is checked against the workspace's
fields before it is saved, so a saved segment always ran at least once."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sauti.accounts.models import User, Workspace
from sauti.accounts.services import record_audit
from sauti.contacts.models import Segment
from sauti.contacts.segments import segment_query


class SegmentInvalid(ValueError):
    """A segment that cannot be saved; `.field` is "name" or "query", `.column` for query errors."""

    def __init__(self, field: str, message: str, column: int | None = None) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message, self.column = field, message, column


def _check(workspace: Workspace, name: str, query: str, *, exclude: int | None = None) -> tuple[str, str]:
    from sauti.contacts.segments import SegmentSyntaxError

    name, query = (name or "").strip(), (query or "").strip()
    if not name:
        raise SegmentInvalid("name", _("Give the segment a name."))
    if len(name) > 100:
        raise SegmentInvalid("name", _("Keep the name under 100 characters."))
    if not query:
        raise SegmentInvalid("query", _("Write the query that picks the people of this segment."))
    try:
        segment_query(workspace, query)
    except SegmentSyntaxError as exc:
        raise SegmentInvalid("query", exc.message, exc.column) from None
    taken = Segment.objects.filter(workspace=workspace, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(id=exclude)
    if taken.exists():
        raise SegmentInvalid("name", _("There is already a segment called “%(name)s”.") % {"name": name})
    return name, query


@transaction.atomic
def save_segment(workspace: Workspace, *, name: str, query: str, actor: User | None = None) -> Segment:
    """A new saved segment. The caller checks the role ("people.segments")."""
    name, query = _check(workspace, name, query)
    try:
        with transaction.atomic():
            segment = Segment.objects.create(workspace=workspace, name=name, query=query, created_by=actor)
    except IntegrityError:
        raise SegmentInvalid("name", _("There is already a segment called “%(name)s”.") % {"name": name}) from None
    record_audit(workspace, "segment_created", actor=actor, target=str(segment.uuid), name=name)
    return segment


@transaction.atomic
def update_segment(segment: Segment, *, name: str | None = None, query: str | None = None,
                   actor: User | None = None) -> Segment:
    """Rename a segment and/or change its query (checked as when it was saved)."""
    new_name, new_query = _check(segment.workspace, segment.name if name is None else name,
                                 segment.query if query is None else query, exclude=segment.id)
    if (new_name, new_query) != (segment.name, segment.query):
        segment.name, segment.query = new_name, new_query
        segment.save(update_fields=["name", "query", "updated_at"])
        record_audit(segment.workspace, "segment_changed", actor=actor, target=str(segment.uuid), name=new_name)
    return segment


@transaction.atomic
def delete_segment(segment: Segment, *, actor: User | None = None) -> None:
    record_audit(segment.workspace, "segment_deleted", actor=actor, target=str(segment.uuid), name=segment.name)
    segment.delete()
