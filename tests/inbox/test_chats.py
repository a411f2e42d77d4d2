"""What the team does with a chat: close and reopen, reply inside the window (and not outside),
react, mark done, notes with mentions, labels, handing back to a journey, automatic closure."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core import mail
from django.utils import timezone

from sauti.accounts.models import Role
from sauti.accounts.services import update_workspace_settings
from sauti.inbox import queries, services
from sauti.inbox.models import Mention
from sauti.inbox.services.autoclose import TIMER_KIND, schedule_auto_close
from sauti.messaging.models import Chat, Message, Outbox
from sauti.messaging.services import SendRefused
from sauti.timers.models import Timer
from sauti.timers.services import fire_timer
from tests.inbox.helpers import last_message, write_in
from tests.web.members import make_member

pytestmark = pytest.mark.django_db


def test_closing_keeps_the_reason_and_an_inbound_message_reopens_it(workspace) -> None:
    ana = make_member(workspace, Role.OPERATOR)
    chat = write_in("27820000101", "my results?")
    services.assign_chat(chat, ana, actor=ana)
    services.close_chat(chat, reason="Resolved", actor=ana)
    chat.refresh_from_db()
    assert chat.state == Chat.State.CLOSED and chat.state_reason == "Resolved" and chat.closed_by == ana
    assert not Message.objects.filter(chat=chat, direction="inbound", done_at__isnull=True).exists()
    chat = write_in("27820000101", "one more question")
    assert chat.state == Chat.State.OPEN and chat.state_reason == "Re-opened by inbound message."
    assert chat.assigned_to == ana  # closed without unassigning: back to the same person


def test_close_and_unassign_sends_the_next_message_to_routing(workspace) -> None:
    ana = make_member(workspace, Role.OPERATOR)
    chat = write_in("27820000102", "hello")
    services.assign_chat(chat, ana, actor=ana)
    services.close_chat(chat, reason="Referred elsewhere", unassign=True, actor=ana)
    chat = write_in("27820000102", "hello again")
    assert chat.assigned_to is None and chat.needs_human


def test_a_reply_inside_the_window_is_queued_and_takes_the_chat(workspace) -> None:
    ana = make_member(workspace, Role.OPERATOR)
    chat = write_in("27820000103", "hi")
    message = services.reply_to_chat(chat, "Hello Ana, how can I help?", actor=ana)
    assert message.author_type == Message.AuthorType.OPERATOR and message.author_name == str(ana)
    assert Outbox.objects.filter(message=message, state="queued").exists()
    chat.refresh_from_db()
    assert chat.assigned_to == ana and chat.unread_count == 0


def test_a_free_form_reply_outside_the_window_is_refused_and_nothing_is_queued(workspace) -> None:
    ana = make_member(workspace, Role.OPERATOR)
    chat = write_in("27820000104", "hi", at=int(time.time()) - 26 * 3600)
    with pytest.raises(SendRefused):
        services.reply_to_chat(chat, "Sorry for the wait", actor=ana)
    assert not Message.objects.filter(chat=chat, direction="outbound").exists()


def test_reactions_go_out_and_come_in_folded_into_their_message(workspace) -> None:
    ana = make_member(workspace, Role.OPERATOR)
    chat = write_in("27820000105", "thank you!")
    inbound = last_message(chat)
    sent = services.react_to_message(chat, inbound, "❤️", actor=ana)
    assert sent.payload == {"type": "reaction", "reaction": {"message_id": inbound.provider_id, "emoji": "❤️"}}
    items = queries.conversation(chat)
    shown = [i["message"] for i in items if i["kind"] == "message"]
    assert [m.id for m in shown] == [inbound.id]  # the reaction is not a bubble of its own
    assert shown[0].reactions == [{"emoji": "❤️", "direction": "outbound"}]


def test_marking_a_message_done_and_not_done(workspace) -> None:
    chat = write_in("27820000106", "question")
    message = last_message(chat)
    services.mark_message_done(message, True, actor=None)
    assert Message.objects.get(id=message.id).done_at is not None
    services.mark_message_done(message, False, actor=None)
    assert Message.objects.get(id=message.id).done_at is None


def test_a_note_mentions_teammates_by_handle_or_email(workspace, django_capture_on_commit_callbacks) -> None:
    ana = make_member(workspace, Role.OPERATOR, email="ana@example.org")
    ben = make_member(workspace, Role.ADMIN, email="ben.b@example.org")
    make_member(workspace, Role.VIEWER, email="vic@example.org")
    chat = write_in("27820000107", "I feel unwell")
    with pytest.raises(services.chats.InboxActionRefused):
        services.reply_to_chat(chat, "   ", actor=ana)
    with django_capture_on_commit_callbacks(execute=True):
        note = services.add_note(chat, "@ben.b can you call her? cc @vic@example.org and @nobody", actor=ana)
    mentioned = sorted(m.user.email for m in Mention.objects.filter(note=note))
    assert mentioned == ["ben.b@example.org", "vic@example.org"]
    assert sorted(e.to[0] for e in mail.outbox) == ["ben.b@example.org", "vic@example.org"]
    assert "mentioned you" in mail.outbox[0].subject
    assert queries.collection_counts(workspace, ben)["mentions"] == 1
    services.mark_chat_read(chat, actor=ben)
    assert queries.collection_counts(workspace, ben)["mentions"] == 0
    assert any(i["kind"] == "note" for i in queries.conversation(chat))


def test_labels_on_chats_and_messages_find_their_contacts(workspace) -> None:
    chat = write_in("27820000108", "pregnant, 30 weeks")
    other = write_in("27820000109", "hello")
    services.label_chat(chat, ["High risk"], actor=None)
    services.label_message(last_message(other), ["Urgent", "urgent"], actor=None)
    assert last_message(other).labels == ["Urgent"]
    assert set(queries.contact_ids_labelled(workspace, "high risk")) == {chat.contact_id}
    assert set(queries.contact_ids_labelled(workspace, "URGENT")) == {other.contact_id}
    assert [label.name for label in queries.labels_of(workspace)] == ["High risk", "Urgent"]


def test_hand_back_to_a_journey_starts_it_and_automation_answers_again(workspace) -> None:
    from sauti.journeys.services import create_journey

    source = '```stack\ncard Start do\n  text("Thanks! One question...")\nend\n```\n'
    journey = create_journey(workspace, name="Survey", source=source)
    ana = make_member(workspace, Role.OPERATOR)
    chat = write_in("27820000110", "hi")
    services.assign_chat(chat, ana, actor=ana)
    services.hand_back_to_bot(chat, actor=ana, journey=journey)
    chat.refresh_from_db()
    assert chat.assigned_to is None and not chat.needs_human
    assert last_message(chat).text == "Thanks! One question..."


def test_inactive_chats_close_automatically_through_one_timer(workspace) -> None:
    old = write_in("27820000111", "old", at=int(time.time()) - 5 * 3600)
    fresh = write_in("27820000112", "new")
    update_workspace_settings(workspace, actor=None, settings={"auto_close_hours": 4})
    timer = schedule_auto_close(workspace)
    assert Timer.objects.filter(workspace=workspace, kind=TIMER_KIND).count() == 1
    assert timer.due_at <= timezone.now() + dt.timedelta(seconds=5)  # the old chat is already due
    assert fire_timer(timer.id)
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.state == Chat.State.CLOSED and "4 hours" in old.state_reason
    assert fresh.state == Chat.State.OPEN
    timer.refresh_from_db()
    assert timer.fired_at is None and timer.due_at > timezone.now() + dt.timedelta(hours=3)


def test_a_journey_waiting_on_a_timeout_stays_quiet_while_a_person_holds_the_chat(workspace) -> None:
    from sauti.journeys.models import Session
    from sauti.journeys.services import create_journey
    from sauti.timers.services import fire_due
    from tests.support import drain_tasks

    create_journey(workspace, name="Ask", source='trigger(on: "MESSAGE RECEIVED")\ninteraction_timeout(60)\n'
                   'card Ask do\n  name = ask("Your name?")\n  text("Hi @name")\nend\n')
    ana = make_member(workspace, Role.OPERATOR)
    chat = write_in("27820000120", "hey")
    assert last_message(chat).text == "Your name?"
    services.assign_chat(chat, ana, actor=ana)
    assert fire_due(timezone.now() + dt.timedelta(seconds=61)) == 1
    drain_tasks()
    session = Session.objects.get(contact=chat.contact)
    assert session.status == "active"  # without the person it would have ended as "timeout"


def test_media_goes_out_by_its_web_address_with_the_text_as_caption(workspace) -> None:
    ana = make_member(workspace, Role.OPERATOR)
    chat = write_in("27820000130", "can you send the form?")
    with pytest.raises(services.InboxActionRefused):
        services.send_media_to_chat(chat, "document", "ftp://files/x.pdf", "", actor=ana)
    message = services.send_media_to_chat(chat, "document", "https://clinic.example/forms/consent.pdf",
                                          "Here it is", actor=ana)
    assert message.payload == {"type": "document", "document": {
        "link": "https://clinic.example/forms/consent.pdf", "caption": "Here it is", "filename": "consent.pdf"}}
    shown = [i["message"] for i in queries.conversation(chat) if i["kind"] == "message"][-1]
    assert shown.media == {"kind": "document", "name": "consent.pdf",
                           "link": "https://clinic.example/forms/consent.pdf"}
