"""Runtime problems are logs, not tracebacks: the op is skipped and the card goes on."""

from __future__ import annotations

from sauti.journeys.engine import State, step
from sauti.journeys.engine.events import Start

from .helpers import NOW, bodies, conversation


def test_a_failing_op_is_logged_and_the_card_goes_on() -> None:
    conv = conversation('card A do\n  x = 1 / 0\n  schedule_stack("u", in: "soon")\n  text("still here")\nend\n')
    assert bodies(conv.start()) == ["still here"]
    errors = [line for line in conv.logs if line.startswith("[error]")]
    assert len(errors) == 2 and all("card A, line" in line for line in errors)


def test_bad_options_skip_the_question() -> None:
    conv = conversation('card A do\n  items = "not a list"\n  x = list("Pick", B, items) do\n'
                        '    text("?")\n  end\n  text("after")\nend\ncard B do\nend\n')
    assert bodies(conv.start()) == ["after"]


def test_a_broken_state_ends_the_session_instead_of_raising() -> None:
    from sauti.journeys import compile_journey

    program = compile_journey('card A do\n  x = ask("?")\nend\n')
    broken = State(status="waiting", card="Nowhere", waiting={"kind": "reply", "op": "ask"})
    state, effects = step(program, broken, {"type": "message", "message": {"text": {"body": "x"}}}, NOW)
    assert state.ended and state.end_reason == "failed"
    assert effects[0].type == "log" and effects[0].level == "error"
    state, effects = step(program, State(), Start(), NOW)
    assert state.status == "waiting"
