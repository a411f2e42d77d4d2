"""Chats that need a person: they wait in Unassigned, and routing spreads them evenly over
available operators below capacity; routing can be off."""

from __future__ import annotations

import pytest

from sauti.accounts.models import Role
from sauti.accounts.services import update_workspace_settings
from sauti.inbox.services import assign_chat, close_chat, set_availability, unassign_chat
from sauti.messaging.models import Chat
from tests.inbox.helpers import available, write_in
from tests.web.members import make_member

pytestmark = pytest.mark.django_db


def test_a_message_no_journey_takes_waits_for_a_person_in_unassigned(workspace) -> None:
    chat = write_in("27820000001", "I need help with my appointment")
    assert chat.state == Chat.State.OPEN and chat.needs_human and chat.assigned_to is None
    assert chat.unread_count == 1


def test_routing_spreads_waiting_chats_evenly_and_respects_capacity(workspace) -> None:
    ana = make_member(workspace, Role.OPERATOR, email="ana@example.org")
    ben = make_member(workspace, Role.OPERATOR, email="ben@example.org")
    make_member(workspace, Role.EDITOR, email="edi@example.org")  # editors never get chats
    available(workspace, ana, capacity=2)
    available(workspace, ben, capacity=2)
    chats = [write_in(f"2782000000{i}", "hello") for i in range(1, 6)]
    owners = [c.assigned_to.email if c.assigned_to else None for c in chats]
    assert owners.count("ana@example.org") == 2 and owners.count("ben@example.org") == 2
    assert owners[4] is None  # both are full: the fifth waits in Unassigned
    assert owners[:2] != [owners[0]] * 2  # alternating, not one operator first
    # Ana closes one: she is below capacity again and takes the waiting chat at once.
    close_chat(next(c for c in chats if c.assigned_to and c.assigned_to.email == "ana@example.org"),
               reason="Resolved", actor=ana)
    chats[4].refresh_from_db()
    assert chats[4].assigned_to == ana


def test_away_operators_get_nothing_and_waiting_chats_go_to_who_becomes_available(workspace) -> None:
    ana = make_member(workspace, Role.OPERATOR)
    chat = write_in("27820000011", "anyone there?")
    assert chat.assigned_to is None
    set_availability(workspace, ana, True, actor=ana)
    chat.refresh_from_db()
    assert chat.assigned_to == ana and not chat.needs_human


def test_routing_off_leaves_chats_in_unassigned(workspace) -> None:
    ana = make_member(workspace, Role.OPERATOR)
    update_workspace_settings(workspace, actor=None, settings={"routing_enabled": False})
    available(workspace, ana)
    chat = write_in("27820000021", "hi")
    assert chat.assigned_to is None and chat.needs_human


def test_manual_assignment_may_exceed_capacity_and_unassign_goes_to_someone_else(workspace) -> None:
    ana = make_member(workspace, Role.OPERATOR)
    ben = make_member(workspace, Role.OPERATOR)
    available(workspace, ana, capacity=1)
    first = write_in("27820000031", "one")
    assert first.assigned_to == ana
    second = write_in("27820000032", "two")
    assert second.assigned_to is None
    assign_chat(second, ana, actor=ana)  # by hand: over capacity is allowed
    second.refresh_from_db()
    assert second.assigned_to == ana
    available(workspace, ben)
    unassign_chat(second, actor=ana)
    second.refresh_from_db()
    assert second.assigned_to == ben  # back to the queue, and not back to Ana


def test_viewers_cannot_be_assigned(workspace) -> None:
    from sauti.inbox.services import InboxActionRefused

    viewer = make_member(workspace, Role.VIEWER)
    chat = write_in("27820000041", "hello")
    with pytest.raises(InboxActionRefused):
        assign_chat(chat, viewer, actor=None)
