"""Segments: saved searches over a workspace's people in a small query language (docs/segments.md).

    parse_segment(text)                       the syntax tree, or SegmentSyntaxError(.message, .column)
    segment_contacts(workspace, query)        a QuerySet[Contact] (one SQL query), for reminders and the inbox
    segment_query(workspace, query)           the Q itself, to combine with other filters
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from sauti.accounts.models import Workspace
from sauti.contacts.models import Contact, Segment
from sauti.contacts.schema import Schema, load_schema
from sauti.contacts.segments.compiler import Compiler
from sauti.contacts.segments.syntax import Node, SegmentSyntaxError, fields_of, parse_segment

__all__ = ["SegmentSyntaxError", "fields_of", "parse_segment", "segment_contacts", "segment_query"]


def _label_filter(workspace: Workspace) -> Any:
    """`label = "x"` through the inbox's labels, when the inbox app provides them."""
    try:
        from sauti.inbox.queries import contact_ids_labelled  # type: ignore[attr-defined]
    except ImportError:
        return None
    return lambda name: Q(id__in=contact_ids_labelled(workspace, name))


def segment_query(workspace: Workspace, query: str | Segment | Node, *, schema: Schema | None = None,
                  now: dt.datetime | None = None, private_hidden: bool = False) -> Q:
    """The Q for `query` (text, a saved Segment or a parsed tree) in `workspace`.

    Raises SegmentSyntaxError for text that does not parse and for fields, operators or values the
    workspace's schema does not allow (`private_hidden`: private fields are refused too).
    """
    if isinstance(query, Segment):
        query = query.query
    tree = parse_segment(query) if isinstance(query, str) else query
    compiler = Compiler(schema or load_schema(workspace), now or timezone.now(), private_hidden,
                        _label_filter(workspace))
    return compiler.compile(tree)


def segment_contacts(workspace: Workspace, query: str | Segment, *, now: dt.datetime | None = None,
                     private_hidden: bool = False) -> QuerySet[Contact]:
    """The workspace's people matching `query`: one SQL query on SQLite and PostgreSQL alike.

    An empty query is everyone. Relative times (`-30d`) are read against `now` (default: the clock).
    """
    if isinstance(query, Segment) and query.workspace_id != workspace.id:
        raise ValueError("the segment belongs to another workspace")
    q = segment_query(workspace, query, now=now, private_hidden=private_hidden)
    return Contact.objects.filter(workspace=workspace).filter(q)
