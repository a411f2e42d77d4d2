"""Reply routing (spec/journeys.md §1.8): option ids, labels, case, fallbacks, stored answers."""

from __future__ import annotations

import pytest

from .helpers import bodies, conversation

NAMED = """card Ask, then: Retry do
  choice = buttons(ImPregnant: "I'm pregnant", Other: "@other_label") do
    text("Which one?")
  end
end
card Retry, then: Retry do
  choice = buttons(ImPregnant: "I'm pregnant", Other: "@other_label") do
    text("Please tap a button")
  end
end
card ImPregnant do
  text("pregnant: @choice @choice.index @choice.label")
end
card Other do
  text("other")
end
"""


def named(reply: str, how: str = "text") -> list:
    conv = conversation(NAMED.replace("card Ask, then: Retry do\n",
                                      'card Ask, then: Retry do\n  other_label = "Something else"\n'))
    conv.start()
    return getattr(conv, "send" if how == "text" else "send_button")(reply)


@pytest.mark.parametrize(("reply", "how", "expected"), [
    ("I'm pregnant", "button", "pregnant: im_pregnant 0 I'm pregnant"),
    ("I'm pregnant", "text", "pregnant: im_pregnant 0 I'm pregnant"),
    ("  i'M PREGNANT ", "text", "pregnant: im_pregnant 0 I'm pregnant"),
    ("Something else", "button", "other"),
    ("@other_label", "text", "other"),              # the raw label is the option id, as in Turn
    ("@other_label", "button", "other"),
    ("nope", "text", "Please tap a button"),        # no match: the card's then: is the fallback
])
def test_named_card_routing(reply: str, how: str, expected: str) -> None:
    assert bodies(named(reply, how)) == [expected]


def test_string_options_store_the_label_and_route_with_then() -> None:
    conv = conversation('card Menu do\n  ref = list("Menu", ["Help", "About us"]) do\n    text("Hi")\n  end\n'
                        '  then(Help when ref == "Help")\n  then(About when ref == "About us")\nend\n'
                        'card Help do\n  text("help")\nend\ncard About do\n  text("about @ref.index")\nend\n')
    conv.start()
    assert bodies(conv.send_list("About us")) == ["about 1"]
    assert conv.ended


def test_string_options_without_a_match_go_on_and_end() -> None:
    conv = conversation('card Menu do\n  ref = buttons(["Yes", "No"]) do\n    text("?")\n  end\n'
                        '  then(Y when ref == "Yes")\nend\ncard Y do\n  text("y")\nend\n')
    conv.start()
    assert conv.send("maybe") == []
    assert conv.ended
    assert conv.vars["ref"] == {"__value__": "maybe", "name": None, "index": None, "label": None}


def test_dynamic_options_go_to_their_target_with_the_value() -> None:
    conv = conversation('card A do\n  xs = [["p1", "Page one"], ["p2", "Page two"]]\n'
                        '  page = buttons(Show, xs) do\n    text("?")\n  end\nend\n'
                        'card Show do\n  text("showing @page")\nend\n')
    conv.start()
    assert bodies(conv.send_button("Page two")) == ["showing p2"]


def test_template_quick_reply_routes_by_index() -> None:
    src = ('card A, then: Error do\n  r = send_message_template("t", "en", [], buttons: [GotIt, Later])\nend\n'
           'card GotIt do\n  text("got it @r.index @r")\nend\ncard Later do\n  text("later")\nend\n'
           'card Error do\n  text("error @r")\nend\n')
    conv = conversation(src)
    conv.start()
    assert bodies(conv.send_button("got_it")) == ["got it 0 template-btn-idx-0"]
    conv = conversation(src)
    conv.start()
    assert bodies(conv.send("whatever")) == ["error whatever"]


def test_template_string_buttons_route_with_then_on_the_index() -> None:
    conv = conversation('card A do\n  ref = send_message_template("t", "es", [], buttons: ["¡Más!"])\n'
                        '  then(More when ref.index == 0)\n  then(Catch)\nend\n'
                        'card More do\n  text("more")\nend\ncard Catch do\n  text("catch")\nend\n')
    conv.start()
    assert bodies(conv.send_button("¡Más!")) == ["more"]


def test_ask_stores_the_raw_reply_and_variables_persist_across_cards() -> None:
    conv = conversation('card A, then: B do\n  name = ask("Name?")\nend\n'
                        'card B do\n  text("Hi @name, you said @event.message.text.body")\nend\n')
    assert bodies(conv.start()) == ["Name?"]
    assert bodies(conv.send("Ana")) == ["Hi Ana, you said Ana"]
    assert conv.ended


def test_a_tapped_button_answers_ask_with_its_title() -> None:
    conv = conversation('card A do\n  buttons(["x"]) do\n    text("?")\n  end\n  n = ask("Name?")\n'
                        '  text("@n")\nend\n')
    conv.start()
    conv.send_button("x")
    assert bodies(conv.send("Zoë")) == ["Zoë"]


def test_a_named_option_also_answers_to_its_card_name() -> None:
    assert bodies(named("ImPregnant")) == ["pregnant: im_pregnant 0 I'm pregnant"]
    assert bodies(named("other")) == ["other"]
    assert bodies(named("OTHER")) == ["Please tap a button"]   # names match exactly, not folded
