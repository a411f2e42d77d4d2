"""The Conversation harness, as journey authors and the conformance runner use it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import sauti.journeys
from sauti.journeys import compile_journey
from sauti.journeys.testing import Conversation, ConversationError

from .helpers import NOW, bodies, conversation

SAMPLE = Path(sauti.journeys.__file__).parent / "samples" / "sequential_lessons.md"


def test_every_call_returns_a_list_of_message_dicts_and_state_is_attributes() -> None:
    conv = conversation('card A do\n  x = ask("Name?")\n  update_contact(name: "@x")\n'
                        '  write_result("name", x)\n  log("named @x")\nend\n', contact={"name": "?"})
    assert isinstance(conv.start(), list)
    assert conv.send("Ana") == []
    assert conv.contact == {"name": "Ana"}
    assert conv.results == [{"name": "name", "value": "Ana", "label": "name"}]
    assert conv.ended is True and conv.child_flow is None
    assert conv.logs == ["[info] named Ana"]


BUTTONS = ('card A, then: A do\n  buttons(B: "@label", C: "Plain") do\n    text("?")\n  end\nend\n'
           'card B do\n  text("b")\nend\ncard C do\n  text("c")\nend\n')


@pytest.mark.parametrize(("press", "expected"), [("Shown", "b"), ("@label", "b"), ("Plain", "c")])
def test_send_button_by_title_or_id(press: str, expected: str) -> None:
    conv = conversation(BUTTONS.replace("card A, then: A do\n", 'card A, then: A do\n  label = "Shown"\n'))
    conv.start()
    assert bodies(conv.send_button(press)) == [expected]


def test_pressing_a_button_that_is_not_there_is_a_test_error() -> None:
    conv = conversation(BUTTONS)
    with pytest.raises(ConversationError, match="no interactive message"):
        conv.send_button("x")
    conv.start()
    with pytest.raises(ConversationError, match="no button 'Nope'"):
        conv.send_button("Nope")


def test_send_list_and_send_button_work_on_either_kind() -> None:
    conv = conversation('card A do\n  list("Pick", [B]) do\n    text("?")\n  end\nend\ncard B, "Bee" do\n'
                        '  text("b")\nend\n')
    conv.start()
    assert bodies(conv.send_button("Bee")) == ["b"]


def test_template_payload_presses() -> None:
    conv = conversation('card A, then: E do\n  send_message_template("t", "en", [], buttons: [GotIt])\nend\n'
                        'card GotIt do\n  text("ok")\nend\ncard E do\n  text("error")\nend\n')
    conv.start()
    assert bodies(conv.send_button("got_it")) == ["ok"]


def test_wrong_run_stack_mode_is_refused() -> None:
    with pytest.raises(ValueError):
        Conversation(compile_journey("card A do\nend\n"), run_stack="inline")


def test_finish_child_without_a_child_is_a_test_error() -> None:
    conv = conversation('card A do\n  text("x")\nend\n')
    conv.start()
    with pytest.raises(ConversationError):
        conv.finish_child({})


def test_set_contact_is_seen_by_the_next_step() -> None:
    conv = conversation('card A do\n  x = ask("?")\n  text("@contact.city")\nend\n')
    conv.start()
    conv.set_contact(city="Maputo")
    assert bodies(conv.send("hi")) == ["Maputo"]


def test_start_with_a_trigger_message() -> None:
    conv = conversation('card A do\n  text("you said @event.message.text.body")\nend\n')
    assert bodies(conv.start("menu")) == ["you said menu"]


# ---------------------------------------------------------------------------- the sample journey
def lessons(contact: dict | None = None) -> Conversation:
    program = compile_journey(SAMPLE.read_text())
    assert program.warnings == ()
    return Conversation(program, contact=contact or {"name": "Ana"}, now=NOW)


def test_sample_is_triggered_by_start() -> None:
    (trigger,) = compile_journey(SAMPLE.read_text()).triggers
    assert trigger.kind == "message_received"
    assert trigger.condition_source == 'has_only_phrase(event.message.text.body, "start")'


def test_sample_takes_the_lessons_in_order() -> None:
    contact = {"name": "Ana"}
    for number in (1, 2, 3):
        conv = lessons(contact)
        (intro,) = conv.start("START")
        assert intro["interactive"]["body"]["text"].startswith(f"*Lesson {number}:")
        conv.send_button("Next")
        (outro,) = conv.send_button("Next")
        assert f"completed {'lesson ' + str(number) if number < 3 else 'all three lessons'}" in (
            outro["text"]["body"])
        assert conv.ended
        assert conv.contact[f"lesson_{number}_complete"] == "Next"
        assert conv.results == [{"name": "lesson_completed", "value": number, "label": "lesson_completed"}]
        contact = conv.contact
    conv = lessons(contact)
    assert bodies(conv.start("START")) == ["You have completed all three lessons. Well done, Ana! 🎉"]


def test_sample_back_and_retry() -> None:
    conv = lessons()
    conv.start("START")
    conv.send_button("Next")
    assert bodies(conv.send_button("Back"))[0].startswith("*Lesson 1:")
    assert bodies(conv.send("what?"))[0].startswith("*Lesson 1:")   # anything else asks again
    assert "lesson_1_complete" not in conv.contact


def test_sample_times_out_after_an_hour() -> None:
    conv = lessons()
    conv.start("START")
    conv.set_time(NOW + dt.timedelta(minutes=61))
    assert conv.ended and conv.state.end_reason == "timeout"


def test_scheduled_journeys_are_listed_and_cancelled() -> None:
    conv = conversation('card A do\n  schedule_stack("u1", in: 60)\n  schedule_stack("u2", in: 120)\n'
                        '  cancel_scheduled_stacks("u1")\nend\n')
    conv.start()
    assert [(s.journey_uuid, s.at) for s in conv.scheduled] == [
        ("u2", (NOW + dt.timedelta(seconds=120)).isoformat())]
