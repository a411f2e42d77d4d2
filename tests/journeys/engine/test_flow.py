"""Control flow: card variants, then(...), the end of a session, child journeys, scheduling,
waits and the interaction timeout — all with a fixed clock."""

from __future__ import annotations

import datetime as dt

from sauti.journeys.engine.events import Start, TimerFired, UserMessage

from .helpers import NOW, bodies, conversation, of_type, run


def test_variants_are_tried_top_to_bottom() -> None:
    src = ('card Go when contact.age > 18, then: Adult do\nend\ncard Go when contact.age > 12, then: Teen do\n'
           'end\ncard Go, then: Child do\nend\n'
           'card Adult do\n  text("adult")\nend\ncard Teen do\n  text("teen")\nend\ncard Child do\n'
           '  text("child")\nend\n')
    assert bodies(conversation(src, contact={"age": "30"}).start()) == ["adult"]
    assert bodies(conversation(src, contact={"age": "15"}).start()) == ["teen"]
    assert bodies(conversation(src, contact={"age": "3"}).start()) == ["child"]


def test_every_guard_is_evaluated_and_a_failing_one_does_not_hold() -> None:
    src = ('card Go when contact.ok == "yes" do\n  text("first")\nend\n'
           'card Go when 1 / 0 > 1 do\n  text("never")\nend\n')
    conv = conversation(src, contact={"ok": "yes"})
    assert bodies(conv.start()) == ["first"]
    assert any("condition failed" in line for line in conv.logs)


def test_no_variant_holding_ends_the_session_with_a_log() -> None:
    conv = conversation('card Go when false do\n  text("x")\nend\n')
    assert conv.start() == []
    assert conv.ended
    assert any("has no variant whose condition holds" in line for line in conv.logs)


def test_then_picks_the_first_true_condition_and_falls_back() -> None:
    src = ('card A do\n  x = 2\n  then(B when x == 1)\n  then(Fallback)\n  then(C when x == 2)\n'
           '  text("not reached")\nend\ncard B do\n  text("b")\nend\ncard C do\n  text("c")\nend\n'
           'card Fallback do\n  text("fallback")\nend\n')
    assert bodies(conversation(src).start()) == ["c"]
    assert bodies(conversation(src.replace("x = 2", "x = 5")).start()) == ["fallback"]


def test_card_then_runs_after_the_body_and_the_session_ends_when_no_card_follows() -> None:
    conv = conversation('card A, then: B do\n  text("a")\nend\ncard B do\n  text("b")\nend\n')
    assert bodies(conv.start()) == ["a", "b"]
    assert conv.ended
    assert conv.effects[-1].type == "end" and conv.effects[-1].reason == "completed"


def test_run_stack_pauses_until_the_child_finishes() -> None:
    conv = conversation('card A do\n  text("before")\n  run_stack("11111111-aaaa-bbbb-cccc-555555555555")\n'
                        '  text("after: @contact.profile")\nend\n')
    assert bodies(conv.start()) == ["before"]
    assert conv.child_flow == "11111111-aaaa-bbbb-cccc-555555555555"
    assert not conv.ended
    assert bodies(conv.finish_child({"profile": "done"})) == ["after: done"]
    assert conv.child_flow is None and conv.ended


def test_run_stack_skip_mode_goes_straight_on() -> None:
    conv = conversation('card A do\n  run_stack("u")\n  text("after")\nend\n', run_stack="skip")
    assert bodies(conv.start()) == ["after"]


def test_schedule_and_cancel() -> None:
    _, effects = run('card A do\n  cancel_scheduled_stacks("u1")\n  schedule_stack("u1", in: 60 * 60)\n'
                     '  schedule_stack("u2", at: datetime_add(now(), 5, "D"))\nend\n', Start())
    cancel = of_type(effects, "cancel_schedules")[0]
    assert (cancel.kind, cancel.journey_uuid) == ("journey", "u1")
    first, second = of_type(effects, "schedule")
    assert (first.kind, first.journey_uuid, first.at) == ("journey", "u1",
                                                          (NOW + dt.timedelta(hours=1)).isoformat())
    assert dt.datetime.fromisoformat(second.at) == NOW + dt.timedelta(days=5)


def test_wait_schedules_a_timer_and_resumes_when_it_fires() -> None:
    state, effects = run('card A do\n  text("one")\n  wait(30)\n  text("two")\nend\n', Start())
    assert state.waiting["kind"] == "timer"
    timer = of_type(effects, "schedule")[0]
    assert (timer.kind, timer.at) == ("wait", (NOW + dt.timedelta(seconds=30)).isoformat())
    conv = conversation('card A do\n  text("one")\n  wait(30)\n  text("two")\nend\n')
    assert bodies(conv.start()) == ["one", "two"]        # the harness's clock jumps the wait
    assert conv.now == NOW + dt.timedelta(seconds=30)


def test_interaction_timeout_ends_a_waiting_session() -> None:
    src = 'card A do\n  x = ask("Name?")\n  text("hi @x")\nend\n'
    state, effects = run(src, Start())
    deadline = (NOW + dt.timedelta(seconds=300)).isoformat()
    timer = of_type(effects, "schedule")[0]
    assert (timer.kind, timer.key, timer.at, state.deadline) == ("interaction_timeout",
                                                                 "interaction_timeout", deadline, deadline)
    assert of_type(effects, "wait")[0].deadline == deadline
    late = NOW + dt.timedelta(seconds=301)
    ended, effects = run(src, Start(), TimerFired(key="interaction_timeout", at=deadline), later=late)
    assert ended.ended and ended.end_reason == "timeout"
    early, effects = run(src, Start(), TimerFired(key="interaction_timeout"), now=NOW)
    assert early.status == "waiting"


def test_a_reply_after_the_deadline_ends_the_session_instead_of_answering() -> None:
    src = 'card A do\n  x = ask("Name?")\n  text("hi @x")\nend\n'
    late = NOW + dt.timedelta(hours=1)
    state, effects = run(src, Start(), UserMessage(message={"type": "text", "text": {"body": "Ana"}}),
                         later=late)
    assert state.end_reason == "timeout"
    assert not of_type(effects, "send_message")[1:]


def test_interaction_timeout_cell_and_harness_clock() -> None:
    conv = conversation('interaction_timeout(60)\ncard A do\n  x = ask("Name?")\nend\n')
    conv.start()
    assert conv.set_time(NOW + dt.timedelta(seconds=30)) == [] and not conv.ended
    conv.set_time(NOW + dt.timedelta(seconds=61))
    assert conv.ended and conv.state.end_reason == "timeout"


def test_a_loop_without_waiting_ends_as_failed() -> None:
    conv = conversation("card A, then: B do\nend\ncard B, then: A do\n  x = 1\nend\n")
    conv.start()
    assert conv.ended and conv.state.end_reason == "failed"
    assert any("seems to loop" in line for line in conv.logs)


def test_events_for_an_ended_session_are_ignored() -> None:
    state, effects = run('card A do\n  text("x")\nend\n', Start(),
                         UserMessage(message={"type": "text", "text": {"body": "hi"}}))
    assert state.ended and effects[-1].type == "log" and effects[-1].level == "warning"


def test_handover_cards_route_to_a_person() -> None:
    src = ('card Route, "Route", code_generator: "HANDOVER_STARTS" do\n  send_content("c1", true)\n'
           '  then(Hold)\nend\n'
           'card Hold, "Hold", code_generator: "HANDOVER_HOLD" do\n  send_content("c2")\n'
           '  add_label("Requested help")\nend\n')
    state, effects = run(src, Start(), UserMessage(message={"id": "wamid.1", "type": "text",
                                                            "text": {"body": "help me"}}))
    assert [e.type for e in effects if e.type not in ("log", "wait", "schedule")] == [
        "handover", "send_content", "send_content", "add_label", "end"]
    assert of_type(effects, "add_label")[0].message_id == "wamid.1"


def test_trigger_conditions_for_the_shell() -> None:
    from sauti.journeys import compile_journey
    from sauti.journeys.engine import trigger_holds

    program = compile_journey(
        'trigger(on: "MESSAGE RECEIVED") when has_only_phrase(event.message.text.body, "menu")\n'
        'trigger(interval: "+1m", relative_to: "contact.next") when contact.arm == "A"\n'
        'trigger(on: "MESSAGE RECEIVED")\ncard A do\nend\n')
    keyword, relative, always = program.triggers
    menu = {"type": "text", "text": {"body": " MENU "}}
    assert trigger_holds(program, keyword, contact={}, message=menu, now=NOW)
    assert not trigger_holds(program, keyword, contact={}, message={"type": "image"}, now=NOW)
    assert trigger_holds(program, relative, contact={"arm": "A"}, now=NOW)
    assert not trigger_holds(program, relative, contact={"arm": "B"}, now=NOW)
    assert trigger_holds(program, always, contact={}, now=NOW)
