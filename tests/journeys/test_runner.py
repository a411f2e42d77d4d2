"""Journeys in the product: triggered by real webhooks, replies through the Outbox, state in the
database, timers, HTTP with the private-network guard, handover to a person."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from sauti.accounts.models import Workspace
from sauti.contacts.models import Contact
from sauti.journeys.models import JourneyLog, JourneyResult, Session
from sauti.journeys.runner.sessions import StartRefused, start_journey
from sauti.journeys.services import create_journey
from sauti.messaging.models import Chat, Message
from sauti.timers.models import Timer
from sauti.timers.services import fire_due
from tests.conftest import APP_SECRET, PHONE_NUMBER_ID
from tests.support import drain_tasks, post_webhook, text_webhook

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[2] / "src/sauti/journeys/samples/sequential_lessons.md"
WA = "27820000001"
_seq = iter(range(1, 10_000))


def say(client, body: str = "", **message) -> None:
    n = next(_seq)
    payload = text_webhook(PHONE_NUMBER_ID, WA, body, wamid=f"wamid.{n}", timestamp=1_800_000_000 + n)
    if message:
        payload["entry"][0]["changes"][0]["value"]["messages"][0] = {
            "from": WA, "id": f"wamid.{n}", "timestamp": str(1_800_000_000 + n), **message}
    assert post_webhook(client, payload, APP_SECRET).status_code == 200
    drain_tasks()


def press(client, button_id: str, title: str) -> None:
    say(client, type="interactive", interactive={"type": "button_reply",
                                                 "button_reply": {"id": button_id, "title": title}})


def outbox() -> list[dict]:
    """Outbound messages queued so far, oldest first (then forgotten)."""
    messages = list(Message.objects.filter(direction="outbound", status="queued").order_by("id"))
    Message.objects.filter(id__in=[m.id for m in messages]).update(status="sent")
    return [m.payload for m in messages]


def text_of(body: dict) -> str:
    if body["type"] == "text":
        return body["text"]["body"]
    return body["interactive"]["body"]["text"]


def buttons(body: dict) -> list[tuple[str, str]]:
    return [(b["reply"]["id"], b["reply"]["title"]) for b in body["interactive"]["action"]["buttons"]]


@pytest.fixture
def lessons(workspace):
    return create_journey(workspace, name="Lessons", source=SAMPLE.read_text())


def test_the_sequential_lessons_run_through_the_real_pipeline(client, lessons):
    say(client, "start")
    (intro,) = outbox()
    assert "Lesson 1" in text_of(intro)
    ((next_id, next_title),) = buttons(intro)
    assert next_title == "Next" and isinstance(next_id, str)
    press(client, next_id, next_title)
    (body,) = outbox()
    assert [title for _, title in buttons(body)] == ["Next", "Back"]
    press(client, buttons(body)[0][0], "Next")
    (done,) = outbox()
    assert "completed lesson 1" in text_of(done)
    contact = Contact.objects.get(wa_id=WA)
    assert contact.fields["lesson_1_complete"] == "Next"
    assert JourneyResult.objects.get().value == 1
    session = Session.objects.get()
    assert session.status == "ended" and session.end_reason == "completed"

    say(client, "START")  # the next lesson, from the profile
    (intro2,) = outbox()
    assert "Lesson 2" in text_of(intro2)


def test_a_reply_goes_to_the_active_session_not_to_triggers(client, workspace, lessons):
    create_journey(workspace, name="Catch all", source='trigger(on: "MESSAGE RECEIVED")\n'
                   'card Hello do\n  text("catch-all")\nend\n')
    say(client, "start")
    outbox()
    say(client, "something else")  # not a button: the lesson card re-asks, no other journey starts
    (again,) = outbox()
    assert "Lesson 1" in text_of(again)
    assert Session.objects.filter(status="active").count() == 1


def test_the_most_specific_trigger_wins_and_no_trigger_means_the_inbox(client, workspace, lessons):
    create_journey(workspace, name="Catch all", source='trigger(on: "MESSAGE RECEIVED")\n'
                   'card Hello do\n  text("catch-all")\nend\n')
    say(client, "START")
    assert "Lesson 1" in text_of(outbox()[0])
    Session.objects.update(status="ended")
    say(client, "hello")
    assert text_of(outbox()[0]) == "catch-all"


def test_an_unmatched_message_waits_in_the_inbox(client, lessons):
    say(client, "what is this?")
    assert outbox() == []
    assert Session.objects.count() == 0
    assert Message.objects.get().handled_at is not None


def test_a_person_holding_the_chat_pauses_automation(client, lessons, django_user_model):
    say(client, "hi")
    operator = django_user_model.objects.create_user("op@example.org", "pw-123456789")
    Chat.objects.update(assigned_to=operator)
    say(client, "start")
    assert outbox() == [] and Session.objects.count() == 0


def test_route_to_operator_hands_the_chat_over(client, workspace):
    create_journey(workspace, name="Help", source='trigger(on: "MESSAGE RECEIVED") when '
                   'has_only_phrase(event.message.text.body, "help")\n'
                   'card Help do\n  text("Connecting you to a person")\n  route_to_operator()\nend\n')
    say(client, "help")
    assert text_of(outbox()[0]) == "Connecting you to a person"
    chat = Chat.objects.get()
    assert chat.needs_human and "Help" in chat.state_reason
    say(client, "help")
    assert outbox() == []  # waiting for a person now


def test_the_interaction_timeout_ends_a_waiting_session(client, workspace):
    create_journey(workspace, name="Ask", source='trigger(on: "MESSAGE RECEIVED")\ninteraction_timeout(60)\n'
                   'card Ask do\n  name = ask("Your name?")\n  text("Hi @name")\nend\n')
    say(client, "hey")
    assert text_of(outbox()[0]) == "Your name?"
    timer = Timer.objects.get(kind="journey_session")
    assert timer.due_at > timezone.now() + dt.timedelta(seconds=50)
    assert fire_due(timezone.now()) == 0
    assert fire_due(timezone.now() + dt.timedelta(seconds=61)) == 1
    drain_tasks()
    session = Session.objects.get()
    assert session.status == "ended" and session.end_reason == "timeout"


def test_a_reply_in_time_goes_on_and_clears_its_timer(client, workspace):
    create_journey(workspace, name="Ask", source='trigger(on: "MESSAGE RECEIVED") when '
                   'has_only_phrase(event.message.text.body, "hi")\n'
                   'card Ask do\n  name = ask("Your name?")\n  text("Hi @name")\nend\n')
    say(client, "hi")
    outbox()
    say(client, "Ana")
    assert text_of(outbox()[0]) == "Hi Ana"
    assert Session.objects.get().status == "ended"
    assert not Timer.objects.filter(kind="journey_session", fired_at__isnull=True).exists()


def test_schedule_stack_starts_the_journey_later(client, workspace):
    later = create_journey(workspace, name="Later", source='card Later do\n  text("a reminder")\nend\n')
    create_journey(workspace, name="Now", source='trigger(on: "MESSAGE RECEIVED")\n'
                   f'card Now do\n  schedule_stack("{later.uuid}", in: 3600)\n  text("see you")\nend\n')
    say(client, "hi")
    assert text_of(outbox()[0]) == "see you"
    assert fire_due(timezone.now() + dt.timedelta(seconds=3601)) == 1
    drain_tasks()
    assert text_of(outbox()[0]) == "a reminder"


def test_run_stack_runs_the_child_then_the_parent_goes_on(client, workspace):
    child = create_journey(workspace, name="Child", source='card Child do\n  text("in the child")\nend\n')
    create_journey(workspace, name="Parent", source='trigger(on: "MESSAGE RECEIVED")\n'
                   f'card Parent, then: After do\n  text("before")\n  run_stack("{child.uuid}")\nend\n'
                   'card After do\n  text("after")\nend\n')
    say(client, "hi")
    assert [text_of(m) for m in outbox()] == ["before", "in the child", "after"]
    assert set(Session.objects.values_list("status", flat=True)) == {"ended"}


class _Api(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the standard library's name
        body = json.dumps({"greeting": "hello from the CRM"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hello"
    server.shutdown()


def test_http_to_private_addresses_is_refused_unless_allowed(client, workspace, local_api):
    create_journey(workspace, name="Call", source='trigger(on: "MESSAGE RECEIVED")\n'
                   f'card Call do\n  resp = get("{local_api}")\n'
                   '  text("status @resp.status: @resp.body.greeting")\nend\n')
    say(client, "one")
    assert text_of(outbox()[0]).startswith("status : ")  # refused: no status, the call never left
    Workspace.objects.update(settings={"journey_http_allow_hosts": ["127.0.0.1"]})
    Session.objects.update(status="ended")
    say(client, "two")
    assert text_of(outbox()[0]) == "status 200: hello from the CRM"


def test_starting_by_api_rules(workspace, lessons):
    contact = Contact.objects.create(workspace=workspace, wa_id="27820000002")
    with pytest.raises(StartRefused) as never:
        start_journey(lessons, contact, require_message=True)
    assert never.value.code == "contact_never_wrote"


def test_logs_are_stored_per_session(client, lessons):
    say(client, "start")
    log = JourneyLog.objects.get()
    assert log.message == "Starting lesson 1" and log.session is not None


def test_a_relative_time_trigger_starts_the_journey_once(workspace):
    create_journey(workspace, name="Visit reminder", source=(
        'trigger(interval: "-1d", relative_to: "contact.clinic_visit") when contact.opted_in == true\n'
        'card Remind do\n  text("Your clinic visit is tomorrow")\nend\n'))
    visit = timezone.now() + dt.timedelta(days=1, minutes=-2)
    ana = Contact.objects.create(workspace=workspace, wa_id="27820000001", opted_in=True,
                                 fields={"clinic_visit": visit.isoformat()})
    Contact.objects.create(workspace=workspace, wa_id="27820000002", opted_in=False,
                           fields={"clinic_visit": visit.isoformat()})
    from sauti.journeys.runner.triggers import run_time_triggers
    from sauti.messaging.services import chat_for

    Chat.objects.filter(id=chat_for(ana).id).update(window_expires_at=timezone.now() + dt.timedelta(hours=2))
    assert run_time_triggers() == 1
    assert run_time_triggers() == 0  # once only
    (session,) = Session.objects.all()
    assert session.contact == ana
    assert Message.objects.get(direction="outbound").text == "Your clinic visit is tomorrow"


def test_a_specific_time_trigger_starts_for_everyone_whose_condition_holds(workspace):
    at = (timezone.now() - dt.timedelta(minutes=1)).replace(microsecond=0).isoformat()
    create_journey(workspace, name="Campaign", source=(
        f'trigger(at: "{at}") when contact.opted_in == true\n'
        'card Hello do\n  text("hello")\nend\n'))
    for i, opted in enumerate([True, True, False]):
        Contact.objects.create(workspace=workspace, wa_id=f"2782000000{i}", opted_in=opted)
    from sauti.journeys.runner.triggers import run_time_triggers

    assert run_time_triggers() == 2
    assert run_time_triggers() == 0
    # Nobody wrote within 24 hours, so a free-form text cannot go: the journey logs why (a
    # campaign to people outside the window starts with send_message_template).
    assert JourneyLog.objects.filter(level="error", message__contains="24-hour window").count() == 2


def test_test_contacts_run_the_staged_version(client, workspace):
    from sauti.journeys.services import stage_journey, update_journey

    journey = create_journey(workspace, name="Hello", source='trigger(on: "MESSAGE RECEIVED")\n'
                             'card Hello do\n  text("published")\nend\n')
    update_journey(journey, source='trigger(on: "MESSAGE RECEIVED")\ncard Hello do\n  text("staged")\nend\n')
    stage_journey(journey)
    say(client, "hi")
    assert text_of(outbox()[0]) == "published"
    Workspace.objects.update(settings={"journey_test_numbers": [f"+{WA}"]})
    say(client, "hi again")
    assert text_of(outbox()[0]) == "staged"
