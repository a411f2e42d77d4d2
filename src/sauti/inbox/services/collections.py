"""Collections: searches saved under a name, for the whole team or for oneself."""

from __future__ import annotations

from django.db import transaction

from sauti.accounts.models import User, Workspace
from sauti.inbox.models import Collection
from sauti.inbox.search import SearchInvalid, parse_search


@transaction.atomic
def save_collection(workspace: Workspace, name: str, query: str, *, shared: bool, actor: User) -> Collection:
    """Save a search as a collection; raises SearchInvalid for a search that does not parse.

    The caller checks the role: inbox.reply for one's own, inbox.manage for a shared one.
    """
    name = " ".join(name.split())
    if not name:
        raise SearchInvalid("name", "Give the collection a name.")
    parse_search(query)
    return Collection.objects.create(workspace=workspace, name=name[:80], query=query.strip()[:500],
                                     owner=None if shared else actor, created_by=actor)


@transaction.atomic
def delete_collection(collection: Collection, *, actor: User) -> None:
    collection.delete()
