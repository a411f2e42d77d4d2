"""Outbound messages are Cloud API bodies (no `to`): text, media, interactive, templates."""

from __future__ import annotations

from sauti.journeys.engine.events import Start

from .helpers import conversation, of_type, run


def test_text_interpolates_contact_and_variables() -> None:
    conv = conversation('card A do\n  x = 2 + 3\n  text("Hi @contact.name, @x @@home")\nend\n',
                        contact={"name": "Ana"})
    assert conv.start() == [{"type": "text", "text": {"body": "Hi Ana, 5 @home"}}]


def test_triple_quoted_text_is_dedented_and_keeps_its_last_newline() -> None:
    conv = conversation('card A do\n  text("""\n  *Title*\n  -----\n  Body\n  """)\nend\n')
    assert conv.start()[0]["text"]["body"] == "*Title*\n-----\nBody\n"


def test_media_messages() -> None:
    conv = conversation('card A do\n'
                        '  image("https://x.org/a.png")\n  text("A caption")\n'
                        '  document("https://x.org/a.pdf", filename: "Policy.pdf")\n'
                        '  audio("https://x.org/a.mp3")\n  video("https://x.org/a.mp4")\n'
                        '  sticker("https://x.org/s.webp")\nend\n')
    assert conv.start() == [
        {"type": "image", "image": {"link": "https://x.org/a.png", "caption": "A caption"}},
        {"type": "document", "document": {"link": "https://x.org/a.pdf", "filename": "Policy.pdf"}},
        {"type": "audio", "audio": {"link": "https://x.org/a.mp3"}},
        {"type": "video", "video": {"link": "https://x.org/a.mp4"}},
        {"type": "sticker", "sticker": {"link": "https://x.org/s.webp"}},
    ]


SRC_BUTTONS = """card A do
  buttons(Yes: "Yes please", No: "@no_label") do
    image("https://x.org/h.png")
    text("Shall we?")
    footer("Reply any time")
  end
end
card Yes do
end
card No do
end
"""


def test_buttons_message() -> None:
    conv = conversation(SRC_BUTTONS.replace("card A do\n", 'card A do\n  no_label = "No thanks"\n'))
    assert conv.start() == [{"type": "interactive", "interactive": {
        "type": "button",
        "header": {"type": "image", "image": {"link": "https://x.org/h.png"}},
        "body": {"text": "Shall we?"},
        "footer": {"text": "Reply any time"},
        "action": {"buttons": [{"type": "reply", "reply": {"id": "Yes please", "title": "Yes please"}},
                               {"type": "reply", "reply": {"id": "@no_label", "title": "No thanks"}}]}}}]


def test_list_message_with_named_cards_uses_their_labels() -> None:
    conv = conversation('card A do\n  list("Month", [Jan, Feb]) do\n    text("Pick")\n  end\nend\n'
                        'card Jan, "January" do\nend\ncard Feb, "@feb" do\nend\n')
    (msg,) = conv.start()
    inter = msg["interactive"]
    assert inter["type"] == "list" and inter["action"]["button"] == "Month"
    assert inter["action"]["sections"][0]["rows"] == [{"id": "January", "title": "January"},
                                                      {"id": "@feb", "title": "@feb"}]  # unresolved: kept


def test_dynamic_list_rows_come_from_pairs() -> None:
    conv = conversation('card A do\n  items = ["Red", "Blue"]\n'
                        '  list("Colour", Chosen, map(items, &[&1, upper(&1)])) do\n    text("?")\n  end\nend\n'
                        'card Chosen do\nend\n')
    rows = conv.start()[0]["interactive"]["action"]["sections"][0]["rows"]
    assert rows == [{"id": "Red", "title": "RED"}, {"id": "Blue", "title": "BLUE"}]


def test_template_with_media_header_params_and_quick_replies_waits() -> None:
    src = ('card A do\n  send_message_template("welcome", "en_US", ["@contact.name", "x"],\n'
           '    image: "https://x.org/i.png", buttons: [GotIt, Later])\nend\n'
           "card GotIt do\nend\ncard Later do\nend\n")
    state, effects = run(src, Start(contact={"name": "Ana"}))
    (send,) = of_type(effects, "send_message")
    assert send.message == {"type": "template", "template": {
        "name": "welcome", "language": {"code": "en_US"}, "components": [
            {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://x.org/i.png"}}]},
            {"type": "body", "parameters": [{"type": "text", "text": "Ana"}, {"type": "text", "text": "x"}]},
            {"type": "button", "sub_type": "quick_reply", "index": "0",
             "parameters": [{"type": "payload", "payload": "got_it"}]},
            {"type": "button", "sub_type": "quick_reply", "index": "1",
             "parameters": [{"type": "payload", "payload": "later"}]}]}}
    assert state.status == "waiting"


def test_template_without_quick_replies_does_not_wait() -> None:
    state, _ = run('card A do\n  send_message_template("hello", "en", [])\nend\n', Start())
    assert state.ended


def test_call_to_action_location_and_flow() -> None:
    conv = conversation('card A do\n  whatsapp_cta("See dates", "https://x.org/s") do\n    text("Tap")\n'
                        '  end\n  loc = request_location("Where are you?")\nend\n')
    cta, loc = conv.start()
    assert cta["interactive"] == {"type": "cta_url", "body": {"text": "Tap"}, "action": {
        "name": "cta_url", "parameters": {"display_text": "See dates", "url": "https://x.org/s"}}}
    assert loc["interactive"] == {"type": "location_request_message", "body": {"text": "Where are you?"},
                                  "action": {"name": "send_location"}}
    conv.send_message({"type": "location", "location": {"latitude": -26.2, "longitude": 28.0}})
    assert conv.vars["loc"] == {"latitude": -26.2, "longitude": 28.0, "name": None, "address": None}


def test_whatsapp_flow_returns_the_submitted_json() -> None:
    conv = conversation('card A do\n  r = whatsapp_flow("123", "Open", "FIRST", "Fill this in")\n'
                        '  text("Thanks @r.name")\nend\n')
    (msg,) = conv.start()
    assert msg["interactive"]["action"]["parameters"]["flow_id"] == "123"
    out = conv.send_message({"type": "interactive", "interactive": {
        "type": "nfm_reply", "nfm_reply": {"response_json": '{"name": "Ana"}'}}})
    assert out == [{"type": "text", "text": {"body": "Thanks Ana"}}]


def test_send_content_is_an_effect_and_may_wait() -> None:
    state, effects = run('card A do\n  send_content("b334", true)\nend\n', Start())
    assert of_type(effects, "send_content")[0].content_uuid == "b334"
    assert state.waiting["op"] == "send_content"
