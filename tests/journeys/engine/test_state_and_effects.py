"""Session state, events and effects are plain data that survive JSON."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from sauti.journeys.engine import State, effect_from_dict, event_from_dict, step
from sauti.journeys.engine.effects import REGISTRY, HttpRequest, SendMessage
from sauti.journeys.engine.events import ChildFinished, HttpResponse, Start, TimerFired, UserMessage

from .helpers import NOW, run


def test_state_round_trips_through_json_with_dates_and_decimals() -> None:
    state = State(status="waiting", card="A", vars={
        "when": dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.UTC), "day": dt.date(2025, 1, 2),
        "at": dt.time(9, 30), "price": Decimal("1.50"), "nested": [{"x": 1}], "none": None})
    again = State.from_dict(json.loads(json.dumps(state.to_dict())))
    assert again == state


def test_state_rejects_unknown_fields() -> None:
    with pytest.raises(ValueError, match="unknown session state fields"):
        State.from_dict({"status": "new", "bogus": 1})


def test_state_after_a_step_is_json_serialisable() -> None:
    state, _ = run('card A do\n  x = now()\n  y = ask("?")\nend\n', Start())
    stored = json.loads(json.dumps(state.to_dict()))["vars"]["x"]
    assert stored["$dt"] == NOW.isoformat() and isinstance(stored["$precision"], int)


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_every_effect_round_trips(kind: str) -> None:
    effect = REGISTRY[kind]()
    assert effect_from_dict(json.loads(json.dumps(effect.to_dict()))) == effect


def test_effects_with_values_round_trip() -> None:
    req = HttpRequest("1", "GET", "https://x.org/?a=b", (("k", "v"),), None, (("a", "b"),), 5000, 60000)
    assert effect_from_dict(req.to_dict()) == req
    msg = SendMessage({"type": "text", "text": {"body": "hi"}}, "A")
    assert msg.to_dict() == {"type": "send_message", "message": {"type": "text", "text": {"body": "hi"}},
                             "card": "A"}


def test_unknown_effects_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown effect type"):
        effect_from_dict({"type": "launch_rockets"})
    with pytest.raises(ValueError, match="unknown fields"):
        effect_from_dict({"type": "log", "colour": "red"})


@pytest.mark.parametrize("event", [
    Start(message={"type": "text", "text": {"body": "hi"}}, contact={"name": "Ana"}),
    UserMessage(message={"type": "text", "text": {"body": "hi"}}),
    HttpResponse(request_id="1", status=200, body={"a": [1]}, headers={"x": "y"}),
    TimerFired(key="interaction_timeout", at=NOW.isoformat()),
    ChildFinished(journey_uuid="u"),
], ids=lambda e: e.type)
def test_events_round_trip(event: object) -> None:
    assert event_from_dict(json.loads(json.dumps(event.to_dict()))) == event  # type: ignore[attr-defined]


def test_step_takes_events_as_dicts_and_rejects_unknown_ones() -> None:
    from sauti.journeys import compile_journey

    program = compile_journey('card A do\n  text("hi")\nend\n')
    state, effects = step(program, State(), {"type": "start"}, NOW)
    assert state.ended and effects[0].type == "send_message"
    state, effects = step(program, State(), {"type": "explode"}, NOW)
    assert state.ended and state.end_reason == "failed"
    assert effects[0].type == "log" and "unknown event type" in effects[0].message


def test_step_never_mutates_the_state_it_is_given() -> None:
    from sauti.journeys import compile_journey

    program = compile_journey('card A do\n  x = 1\n  y = ask("?")\n  update_contact(a: "@y")\nend\n')
    waiting, _ = step(program, State(), Start(contact={"n": 1}), NOW)
    snapshot = json.dumps(waiting.to_dict(), sort_keys=True)
    after, _ = step(program, waiting, UserMessage(message={"type": "text", "text": {"body": "yo"}}), NOW)
    assert json.dumps(waiting.to_dict(), sort_keys=True) == snapshot
    assert after.contact == {"n": 1, "a": "yo"}


def test_naive_now_is_taken_as_utc() -> None:
    state, effects = run('card A do\n  x = ask("?")\nend\n', Start(), now=NOW.replace(tzinfo=None))
    assert state.deadline == (NOW + dt.timedelta(seconds=300)).isoformat()


def test_datetimes_keep_their_printing_precision_across_steps() -> None:
    from .helpers import bodies, conversation

    conv = conversation('card A do\n  t = now()\n  text("@t")\n  w = ask("?")\n  text("@t")\nend\n')
    first = bodies(conv.start())[0]
    assert bodies(conv.send("x")) == [first]
