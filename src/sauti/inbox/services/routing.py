"""Routing: chats waiting for a person go to available operators below their capacity, least
loaded first; with nobody free they wait in Unassigned. See docs/inbox.md#routing.

Routing runs when something changes who could take a chat: a chat starts waiting, an operator
becomes available, a chat is closed or unassigned, a capacity or the setting changes. Each
assignment is a conditional update (only a chat still unassigned is taken), so two workers
routing at once never give one chat to two people.
"""

from __future__ import annotations

import heapq
import logging
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sauti.accounts import permissions
from sauti.accounts.models import Membership, User, Workspace
from sauti.accounts.services import update_workspace_settings
from sauti.inbox.events import announce
from sauti.messaging.models import Chat

logger = logging.getLogger(__name__)
DEFAULT_CAPACITY = 10
MAX_CAPACITY = 500
ROUTING_REASON = "Assigned by routing."


def routing_enabled(workspace: Workspace) -> bool:
    return bool(workspace.settings.get("routing_enabled", True))


def default_capacity(workspace: Workspace) -> int:
    return int(workspace.settings.get("routing_capacity") or DEFAULT_CAPACITY)


def operator_loads(workspace: Workspace) -> list[dict[str, Any]]:
    """Everyone who may answer chats, with availability, capacity and open chats (one query)."""
    open_here = Q(user__assigned_chats__state=Chat.State.OPEN, user__assigned_chats__workspace=workspace)
    rows = (Membership.objects.filter(workspace=workspace, role__in=permissions.roles_with("inbox.reply"))
            .select_related("user")
            .annotate(load=Count("user__assigned_chats", filter=open_here),
                      last_assigned=Max("user__assigned_chats__assigned_at", filter=open_here))
            .order_by("user__name", "user__email"))
    fallback = default_capacity(workspace)
    return [{"membership": m, "user": m.user, "available": m.available, "load": m.load,
             "capacity": m.capacity or fallback, "last_assigned": m.last_assigned} for m in rows]


def route_waiting_chats(workspace: Workspace, *, skip: dict[int, int] | None = None, limit: int = 500) -> int:
    """Give waiting chats (open, unassigned, needing a person; oldest first) to available
    operators below capacity; returns how many were assigned. `skip` maps chat id → a user who
    must not get that chat back (they just unassigned it)."""
    if not routing_enabled(workspace):
        return 0
    rows = {row["user"].id: row for row in operator_loads(workspace)}
    # A heap of (open chats, last assignment, user): the least loaded first, and among equals the
    # one who waited longest since their last chat, so chats spread evenly.
    free = [(row["load"], row["last_assigned"].timestamp() if row["last_assigned"] else 0.0, uid)
            for uid, row in rows.items() if row["available"] and row["load"] < row["capacity"]]
    if not free:
        return 0
    room = sum(rows[uid]["capacity"] - load for load, _, uid in free)
    waiting = list(Chat.objects.filter(workspace=workspace, state=Chat.State.OPEN, assigned_to__isnull=True,
                                       needs_human=True)
                   .order_by("last_inbound_at", "id").values_list("id", "uuid")[:min(room, limit)])
    heapq.heapify(free)
    now = timezone.now()
    assigned = 0
    for chat_id, chat_uuid in waiting:
        held: list[tuple[float, float, int]] = []
        choice = None
        while free:
            candidate = heapq.heappop(free)
            if skip and skip.get(chat_id) == candidate[2]:
                held.append(candidate)
                continue
            choice = candidate
            break
        for item in held:
            heapq.heappush(free, item)
        if choice is None:
            continue
        load, _, user_id = choice
        taken = Chat.objects.filter(id=chat_id, assigned_to__isnull=True, state=Chat.State.OPEN).update(
            assigned_to_id=user_id, assigned_at=now, needs_human=False, state_reason=ROUTING_REASON)
        if taken:
            assigned += 1
            announce(workspace.id, "chat_updated", chat=chat_uuid, change="assigned")
            load += 1
        if load < rows[user_id]["capacity"]:
            heapq.heappush(free, (load, now.timestamp(), user_id))
    return assigned


@transaction.atomic
def set_availability(workspace: Workspace, user: User, available: bool, *, actor: User | None) -> Membership:
    """An operator starts (or ends) their shift; becoming available takes waiting chats at once."""
    membership = Membership.objects.select_for_update().filter(workspace=workspace, user=user).first()
    if membership is None:
        from sauti.inbox.services.chats import InboxActionRefused

        raise InboxActionRefused(_("Only members of the workspace take chats; join it as an operator first."))
    if membership.available != available:
        membership.available = available
        membership.available_changed_at = timezone.now()
        membership.save(update_fields=["available", "available_changed_at"])
        announce(workspace.id, "routing_changed", user=user.uuid)
    if available:
        route_waiting_chats(workspace)
    return membership


@transaction.atomic
def update_routing_settings(workspace: Workspace, *, actor: User | None, enabled: bool, capacity: int,
                            auto_close_hours: int | None, capacities: dict[int, int | None] | None = None) -> None:
    """The Inbox & routing settings page: routing on/off, the default capacity, per-operator
    capacities (membership id → capacity, None for the default) and automatic closure."""
    from sauti.inbox.services.autoclose import schedule_auto_close

    update_workspace_settings(workspace, actor=actor, settings={
        "routing_enabled": enabled, "routing_capacity": capacity, "auto_close_hours": auto_close_hours})
    for membership_id, value in (capacities or {}).items():
        Membership.objects.filter(workspace=workspace, id=membership_id).update(capacity=value)
    schedule_auto_close(workspace)
    announce(workspace.id, "routing_changed")
    route_waiting_chats(workspace)
