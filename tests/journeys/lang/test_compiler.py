"""The compiler: ops per journey function, card variants, triggers, settings and errors."""

from __future__ import annotations

import pytest

from sauti.journeys import JourneySyntaxError, check_journey, compile_journey
from sauti.journeys.lang.program import ListOf, Lit, Tpl, snake_case
from sauti.journeys.lang.triggers import interval_seconds


def ops(body: str, extra: str = "") -> list:
    program = compile_journey(f"card A do\n{body}\nend\n{extra}")
    return list(program.cards["A"][0].ops)


def one(body: str, extra: str = ""):
    (op,) = ops(body, extra)
    return op


CARDS = "card B, \"Bee\" do\nend\ncard C do\nend\n"


@pytest.mark.parametrize(("body", "kind"), [
    ('text("hi")', "text"),
    ('image("https://x.org/a.png")', "media"),
    ('document("https://x.org/a.pdf", filename: "A.pdf")', "media"),
    ('sticker("https://x.org/s.webp")', "media"),
    ('x = ask("Name?")', "ask"),
    ('buttons(B: "Yes", C: "No") do\n text("?")\nend', "choice"),
    ('list("Pick", [B, C]) do\n text("?")\nend', "choice"),
    ('send_content("b334")', "send_content"),
    ('send_message_template("welcome", "en_US", ["@contact.name"], buttons: [B, C])', "template"),
    ('whatsapp_cta("Open", "https://x.org") do\n text("Tap")\nend', "cta"),
    ('loc = request_location("Where?")', "location_request"),
    ('r = whatsapp_flow("123", "Open", "FIRST", "Fill this in")', "whatsapp_flow"),
    ("update_contact(name: \"Ana\", age: 3)", "update_contact"),
    ('write_result("q1", x, label: "Question 1")', "write_result"),
    ('add_label("Urgent")', "add_label"),
    ('assign_chat_to("agent@example.org")', "assign_chat"),
    ("route_to_operator()", "handover"),
    ('update_dictionary(config, "k", 1)', "update_dictionary"),
    ('run_stack("11111111-2222-3333-4444-555555555555")', "run_stack"),
    ('schedule_stack("u", in: 60 * 60)', "schedule_stack"),
    ('schedule_stack("u", at: datetime_add(now(), 5, "D"))', "schedule_stack"),
    ('cancel_scheduled_stacks("u")', "cancel_scheduled_stacks"),
    ("wait(5)", "wait"),
    ('log("x is @x")', "log"),
    ('r = get("https://x.org", query: [["a", "b"]], headers: [["k", "v"]], timeout: 5_000, cache_ttl: 0)', "http"),
    ('r = post("https://x.org", body: """{"a": 1}""")', "http"),
    ('put("https://x.org", body: "x")', "http"),
    ('patch("https://x.org", body: "x")', "http"),
    ('delete("https://x.org")', "http"),
    ('webhook("https://x.org", body: "x")', "http"),
    ("cull_data()", "noop"),
    ("ai_auto_memory(false)", "noop"),
    ("x = 1 + 2", "set"),
    ('substitute("a", "b", "c")', "eval"),
    ("then(B when x == 1)", "then"),
], ids=lambda v: v if isinstance(v, str) and ("(" in v or "=" in v) else None)
def test_every_function_compiles(body: str, kind: str) -> None:
    assert one(body, CARDS).kind == kind


def test_named_card_options_use_the_card_label_and_snake_case_names() -> None:
    op = one("buttons([B, C]) do\n text(\"?\")\nend", CARDS)
    assert op.params["mode"] == "cards"
    b, c = op.params["options"]
    assert (b.card, b.raw, b.name) == ("B", "Bee", "b")
    assert (c.card, c.raw, c.name) == ("C", "C", "c")


def test_keyword_labels_keep_the_raw_text_as_option_id() -> None:
    op = one('buttons(B: "@labels[0]", C: "Plain") do\n text("?")\nend', CARDS)
    b, c = op.params["options"]
    assert b.raw == "@labels[0]" and isinstance(b.label, Tpl)
    assert c.raw == "Plain" and isinstance(c.label, Lit)


def test_string_lists_and_dynamic_options() -> None:
    strings = one('x = buttons(["A", "B"]) do\n text("?")\nend')
    assert strings.params["mode"] == "strings"
    assert [o.raw for o in strings.params["options"]] == ["A", "B"]
    dynamic = one("x = list(\"Pick\", B, map(items, &[&1, &1])) do\n text(\"?\")\nend", CARDS)
    assert dynamic.params["mode"] == "dynamic" and dynamic.params["dynamic_target"] == "B"


def test_block_parts() -> None:
    op = one('buttons(B: "Yes") do\n image("https://x.org/h.png")\n text("Body")\n footer("Foot")\nend',
             CARDS)
    assert op.params["header"][0] == "image"
    assert [v.raw for v in op.params["body"]] == ["Body"]
    assert op.params["footer"].raw == "Foot"


def test_image_followed_by_text_becomes_a_caption() -> None:
    media_ops = ops('image("https://x.org/a.png")\ntext("Caption")\naudio("https://x.org/a.mp3")\ntext("T")')
    assert [o.kind for o in media_ops] == ["media", "media", "text"]
    assert media_ops[0].params["caption"].raw == "Caption"


def test_consecutive_thens_are_one_op() -> None:
    (op,) = ops("then(B when x == 1)\nthen(C when x == 2)\nthen(B)", CARDS)
    assert [t for t, _ in op.params["branches"]] == ["B", "C", "B"]


def test_card_variants_start_and_labels() -> None:
    program = compile_journey(
        'card RESERVED_DEFAULT_CARD, "RESERVED_DEFAULT_CARD", code_generator: "RESERVED_DEFAULT_CARD" do\nend\n'
        'card Go when x > 1, then: B do\nend\ncard Go do\nend\n' + CARDS)
    assert program.start == "Go"
    assert [v.index for v in program.cards["Go"]] == [0, 1]
    assert program.cards["Go"][0].condition.raw == "x > 1"
    assert program.cards["B"][0].raw_label == "Bee"
    assert ("Go", "B", "then") in program.edges()


def test_template_buttons_carry_snake_case_payloads() -> None:
    op = one('send_message_template("t", "en", [], image: "https://x.org/i.png", buttons: [EDDGotIt, B])',
             "card EDDGotIt do\nend\n" + CARDS)
    assert [o.name for o in op.params["buttons"]] == ["edd_got_it", "b"]
    assert op.params["header"][0] == "image"
    assert isinstance(op.params["params"], ListOf)


def test_write_result_label_is_kept_raw() -> None:
    assert one('write_result("q", 1, label: "@result_tag")').params["label"] == "@result_tag"


@pytest.mark.parametrize(("name", "snake"), [
    ("ImPregnant", "im_pregnant"), ("EDDRUnknown", "eddr_unknown"), ("EDDGotIt", "edd_got_it"),
    ("Language1", "language1"), ("Question_1", "question_1"), ("ThisMonthPlusOne", "this_month_plus_one"),
])
def test_snake_case(name: str, snake: str) -> None:
    assert snake_case(name) == snake


def test_triggers() -> None:
    program = compile_journey(
        'trigger(on: "MESSAGE RECEIVED") when has_only_phrase(event.message.text.body, "hi")\n'
        'trigger(interval: "+3m", relative_to: "contact.registration_started")\n'
        "when contact.registration_status != \"completed\"\n"
        'trigger(on: "MESSAGE RECEIVED", global: true)\n'
        "interaction_timeout(600)\n" + CARDS)
    message, relative, global_ = program.triggers
    assert message.kind == "message_received" and message.condition is not None
    assert message.condition_source == 'has_only_phrase(event.message.text.body, "hi")'
    assert (relative.kind, relative.interval_seconds, relative.relative_to) == (
        "relative_time", 180, "contact.registration_started")
    assert global_.options == {"global": True}
    assert program.interaction_timeout == 600
    assert relative.to_dict()["condition"] == 'contact.registration_status != "completed"'


@pytest.mark.parametrize(("text", "seconds"), [("+1m", 60), ("-1d", -86400), ("+2h", 7200), ("+5x", None)])
def test_interval_seconds(text: str, seconds: int | None) -> None:
    assert interval_seconds(text) == seconds


def test_dictionary_cells() -> None:
    src = ('<!--\n dictionary: "config"\nversion: "0.1.0"\n-->\n\n| Key | Value |\n| --- | --- |\n'
           "| tag | dma |\n\n```stack\ncard A do\n  log(\"@config.items.tag\")\nend\n```\n")
    assert compile_journey(src).dictionaries == {"config": {"tag": "dma"}}


@pytest.mark.parametrize(("src", "line", "column", "message"), [
    ("card A, then: Nope do\nend\n", 1, 15, 'unknown card "Nope": no card has that name'),
    ("card A do\n  then(Bb)\nend\ncard B do\nend\n", 2, 8,
     'unknown card "Bb": no card has that name (did you mean "B"?)'),
    ('card A do\n  buttons(Yes: "Yes") do\n    text("?")\n  end\nend\n', 2, 11,
     'unknown card "Yes": no card has that name'),
    ('card A do\n  text()\nend\n', 2, 3, "text(...) needs the message text"),
    ('card A do\n  get("https://x.org", qery: [])\nend\n', 2, 24,
     'unknown option "qery:" for get(...) (known: query:, headers:, body:, timeout:, cache_ttl:, mode:, method:)'),
    ('card A do\n  buttons(["a"]) do\n    log("x")\n  end\nend\n', 3, 5,
     "only text, header, footer and media can be used inside the buttons block"),
    ('text("hi")\n', 1, 1, 'expected a card ("card Name do"), found "text"'),
    ('trigger(on: "SOMETHING")\ncard A do\nend\n', 1, 9,
     'unknown trigger "SOMETHING" (known: "MESSAGE RECEIVED", "FIRST VISIT", "CATCH ALL")'),
])
def test_compile_errors(src: str, line: int, column: int, message: str) -> None:
    with pytest.raises(JourneySyntaxError) as exc:
        compile_journey(src)
    assert (exc.value.message, exc.value.line, exc.value.column) == (message, line, column)


def test_check_collects_every_error_and_warning() -> None:
    src = ("card A, then: Nope do\n  text(\"x\")\nend\n"
           "card B do\n  x = len(\"a\"\nend\n"
           "card C do\n  buttons([D, E, F, G]) do\n    text(\"?\")\n  end\nend\n"
           "card D do\nend\ncard E do\nend\ncard F do\nend\ncard G do\nend\n")
    found = [(d.severity, d.line, d.code) for d in check_journey(src)]
    assert ("error", 1, "unknown-card") in found
    assert ("error", 5, "syntax") in found   # the unclosed parenthesis
    assert ("warning", 8, "too-many-buttons") in found


def test_diagnostics_format_for_the_command_line() -> None:
    (error,) = [d for d in check_journey("card A, then: Nope do\nend\n") if d.severity == "error"]
    assert error.format("menu.md") == 'menu.md:1:15: unknown card "Nope": no card has that name'
